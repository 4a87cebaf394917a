package org.vnetscope.spark;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownFilters;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.apache.spark.util.SerializableConfiguration;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.cluster.TraceHosts;
import org.vnetscope.document.AnalysisArguments;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code spark.read.format("vnetscope").option("table", T).load(PATHS)}: traces read straight into a DataFrame, one
 * partition per host (the hosts grouped on the driver as {@link HostsJob} groups them), read by the executors with
 * the project's reader. T is {@code packets} (the default: one row per packet event at a device, {@link
 * TraceReaders}) or any table {@code spark-submit ... analyze --output} writes in Parquet, with the same columns
 * ({@link ParquetTables}). PATHS are those of spark-submit's {@code analyze}: local paths, or locations of any Hadoop
 * file system, or globs of them. The analysis options are the command line's, without their dashes
 * ({@code .option("bin", "100ms")}, {@code mtu}, {@code kallsyms}, {@code vm-map}, {@code libvirt}, {@code begin},
 * {@code end}).
 */
public final class TraceSource implements TableProvider, DataSourceRegister {

    /** The name {@code format(...)} takes. */
    public static final String SHORT_NAME = "vnetscope";
    /** The table of packet events, the default. */
    static final String PACKETS = "packets";
    /** The options naming what to read, besides the analysis options. */
    static final String TABLE_OPTION = "table";
    /** The largest time part of the packets table a task reads, overriding the session's file setting. */
    static final String MAX_PARTITION_BYTES_OPTION = "maxPartitionBytes";
    private static final String MAX_PARTITION_BYTES = "spark.sql.files.maxPartitionBytes";
    private static final String OPEN_COST_IN_BYTES = "spark.sql.files.openCostInBytes";

    @Override
    public String shortName() {
        return SHORT_NAME;
    }

    @Override
    public StructType inferSchema(CaseInsensitiveStringMap options) {
        return schema(tableOf(options));
    }

    @Override
    public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
        return new TraceTable(tableOf(new CaseInsensitiveStringMap(properties)));
    }

    /** The packets table's columns; the others are those of their Parquet tables. */
    static final StructType PACKET_COLUMNS = new StructType()
            .add("host", DataTypes.StringType)
            .add("timestamp_ns", DataTypes.LongType)
            .add("interface", DataTypes.StringType)
            .add("netns", DataTypes.LongType)
            .add("direction", DataTypes.StringType)
            .add("event", DataTypes.StringType)
            .add("length", DataTypes.LongType)
            .add("ethertype", DataTypes.LongType)
            .add("protocol", DataTypes.StringType)
            .add("src_address", DataTypes.StringType)
            .add("dst_address", DataTypes.StringType)
            .add("src_port", DataTypes.LongType)
            .add("dst_port", DataTypes.LongType)
            .add("skbaddr", DataTypes.LongType)
            .add("rc", DataTypes.LongType);

    static StructType schema(String table) {
        return table.equals(PACKETS) ? PACKET_COLUMNS : ParquetTables.schema(table);
    }

    /**
     * The table the options name.
     *
     * @throws IllegalArgumentException naming the tables there are
     */
    static String tableOf(CaseInsensitiveStringMap options) {
        String table = options.getOrDefault(TABLE_OPTION, PACKETS);
        if (!table.equals(PACKETS) && !ParquetTables.names().contains(table)) {
            throw new IllegalArgumentException("vnetscope: no table '" + table + "': packets, "
                    + String.join(", ", ParquetTables.names()));
        }
        return table;
    }

    /** The analyses' options of the command line, given as the source's options without their dashes. */
    @Command(name = "vnetscope")
    static final class Arguments {
        static final List<String> NAMES = List.of("bin", "mtu", "kallsyms", "vm-map", "libvirt", "begin", "end");

        @Mixin
        AnalysisArguments analysis;

        /**
         * Parsed as the command line parses them.
         *
         * @throws IllegalArgumentException with the command line's message for a value it would refuse
         */
        static AnalysisArguments of(CaseInsensitiveStringMap options) {
            List<String> args = new ArrayList<>();
            for (String name : NAMES) {
                String value = options.get(name);
                if (value != null) {
                    args.add("--" + name);
                    args.add(value);
                }
            }
            Arguments parsed = new Arguments();
            try {
                new CommandLine(parsed).parseArgs(args.toArray(String[]::new));
                parsed.analysis.options(); // told now, not in a task
            } catch (CommandLine.ParameterException e) {
                throw new IllegalArgumentException("vnetscope: " + e.getMessage(), e);
            }
            return parsed.analysis;
        }
    }

    /** The traces under the paths, as one table. */
    static final class TraceTable implements SupportsRead {
        private final String table;

        TraceTable(String table) {
            this.table = table;
        }

        @Override
        public String name() {
            return "vnetscope " + table;
        }

        @Override
        @SuppressWarnings("deprecation") // the columns are given as a schema, which Spark turns into columns
        public StructType schema() {
            return TraceSource.schema(table);
        }

        @Override
        public Set<TableCapability> capabilities() {
            return EnumSet.of(TableCapability.BATCH_READ);
        }

        @Override
        public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
            return new TraceScanBuilder(table, paths(options), Arguments.of(options), maxPartitionBytes(options));
        }
    }

    /**
     * A scan, told the filters of the query first: comparisons of the packets' {@code timestamp_ns} with constants
     * narrow the time range each host's traces are read over (the reader then skips the packets of its stream files
     * that end before it or begin after it, by their index). Spark still applies every filter to the rows read, so
     * the range only has to hold them all. The other tables come from the analyses of whole traces, whose results
     * a range would change: nothing is pushed for them.
     */
    static final class TraceScanBuilder implements ScanBuilder, SupportsPushDownFilters,
            SupportsPushDownRequiredColumns {
        private final String table;
        private final List<String> paths;
        private final AnalysisArguments arguments;
        /** The columns the query reads: of the packets, only those are made; the other tables' rows come whole. */
        private StructType columns;
        private long beginNs = Long.MIN_VALUE;
        private long endNs = Long.MAX_VALUE;
        private Filter[] pushed = new Filter[0];
        private final Long maxPartitionBytes;

        TraceScanBuilder(String table, List<String> paths, AnalysisArguments arguments, Long maxPartitionBytes) {
            this.table = table;
            this.paths = paths;
            this.arguments = arguments;
            this.maxPartitionBytes = maxPartitionBytes;
            this.columns = TraceSource.schema(table);
        }

        @Override
        public void pruneColumns(StructType required) {
            if (table.equals(PACKETS)) {
                columns = required;
            }
        }

        @Override
        public Filter[] pushFilters(Filter[] filters) {
            if (!table.equals(PACKETS)) {
                return filters;
            }
            List<Filter> used = new ArrayList<>();
            for (Filter filter : filters) {
                if (narrow(filter)) {
                    used.add(filter);
                }
            }
            pushed = used.toArray(Filter[]::new);
            return filters; // all evaluated again on the rows: the range is only where to read
        }

        /** Narrows the range by a comparison of timestamp_ns with a whole number; false for any other filter. */
        private boolean narrow(Filter filter) {
            if (filter instanceof GreaterThan f && isTime(f.attribute(), f.value())) {
                beginNs = Math.max(beginNs, saturatedIncrement(((Number) f.value()).longValue()));
            } else if (filter instanceof GreaterThanOrEqual f && isTime(f.attribute(), f.value())) {
                beginNs = Math.max(beginNs, ((Number) f.value()).longValue());
            } else if (filter instanceof LessThan f && isTime(f.attribute(), f.value())) {
                endNs = Math.min(endNs, saturatedDecrement(((Number) f.value()).longValue()));
            } else if (filter instanceof LessThanOrEqual f && isTime(f.attribute(), f.value())) {
                endNs = Math.min(endNs, ((Number) f.value()).longValue());
            } else if (filter instanceof EqualTo f && isTime(f.attribute(), f.value())) {
                beginNs = Math.max(beginNs, ((Number) f.value()).longValue());
                endNs = Math.min(endNs, ((Number) f.value()).longValue());
            } else {
                return false;
            }
            return true;
        }

        private static boolean isTime(String attribute, Object value) {
            return attribute.equals("timestamp_ns")
                    && (value instanceof Long || value instanceof Integer || value instanceof Short);
        }

        private static long saturatedIncrement(long value) {
            return value == Long.MAX_VALUE ? value : value + 1;
        }

        private static long saturatedDecrement(long value) {
            return value == Long.MIN_VALUE ? value : value - 1;
        }

        @Override
        public Filter[] pushedFilters() {
            return pushed.clone();
        }

        @Override
        public Scan build() {
            return new TraceScan(table, paths, arguments, columns, beginNs, endNs, maxPartitionBytes);
        }
    }

    /**
     * The {@code maxPartitionBytes} option (as Spark writes sizes: {@code 64m}, {@code 1g}, bytes without a unit),
     * null when not given.
     *
     * @throws IllegalArgumentException for a size Spark would not read, or one below a byte
     */
    static Long maxPartitionBytes(CaseInsensitiveStringMap options) {
        String value = options.get(MAX_PARTITION_BYTES_OPTION);
        if (value == null) {
            return null;
        }
        long bytes;
        try {
            bytes = JavaUtils.byteStringAsBytes(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("vnetscope: maxPartitionBytes '" + value + "' is not a size (64m, 1g,"
                    + " bytes)", e);
        }
        if (bytes < 1) {
            throw new IllegalArgumentException("vnetscope: maxPartitionBytes '" + value + "' must be at least a byte");
        }
        return bytes;
    }

    /**
     * The paths {@code load} was given: Spark passes one as {@code path}, several as {@code paths} (a JSON array).
     *
     * @throws IllegalArgumentException when there are none
     */
    static List<String> paths(CaseInsensitiveStringMap options) {
        List<String> paths = new ArrayList<>();
        if (options.containsKey("paths")) {
            try {
                paths.addAll(new ObjectMapper().readValue(options.get("paths"), new TypeReference<List<String>>() {
                }));
            } catch (IOException e) {
                throw new IllegalArgumentException("vnetscope: paths " + options.get("paths") + ": " + e.getMessage());
            }
        }
        if (options.containsKey("path")) {
            paths.add(options.get("path"));
        }
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("vnetscope: no traces: load(PATHS...) names them");
        }
        return paths;
    }

    /**
     * What a read of the table plans on the driver: a partition per host. The packets, and every table of one host,
     * are read by the executors (each its host's analysis, there); the tables of several hosts need the step that
     * needs every host (the clocks' synchronization, the paths between hosts, the migrations), so the hosts are
     * analysed by a job first, as spark-submit's analyze does, and each partition carries its host's rows.
     */
    static final class TraceScan implements Scan, Batch {
        private final String table;
        private final List<String> paths;
        private final AnalysisArguments arguments;
        /** The columns of the rows read: the table's, or of the packets those the query reads. */
        private final StructType columns;
        /** The packets' time range the query's filters allow, on each host's clock (the whole traces: MIN, MAX). */
        private final long beginNs;
        private final long endNs;
        /** The read's {@code maxPartitionBytes} option, else null: the session's setting. */
        private final Long maxPartitionBytes;
        private TracePlan plan;

        TraceScan(String table, List<String> paths, AnalysisArguments arguments, StructType columns, long beginNs,
                  long endNs, Long maxPartitionBytes) {
            this.table = table;
            this.paths = List.copyOf(paths);
            this.arguments = arguments;
            this.columns = columns;
            this.beginNs = beginNs;
            this.endNs = endNs;
            this.maxPartitionBytes = maxPartitionBytes;
        }

        @Override
        public StructType readSchema() {
            return columns;
        }

        @Override
        public String description() {
            return "vnetscope " + table + " of " + String.join(" ", paths) + (beginNs == Long.MIN_VALUE
                    && endNs == Long.MAX_VALUE ? "" : ", read over timestamp_ns " + bound(beginNs) + " to "
                    + bound(endNs));
        }

        private static String bound(long ns) {
            return ns == Long.MIN_VALUE ? "the start" : ns == Long.MAX_VALUE ? "the end" : Long.toString(ns);
        }

        @Override
        public Batch toBatch() {
            return this;
        }

        private TracePlan plan() {
            if (plan == null) {
                try {
                    plan = TracePlan.of(paths, arguments, SparkSession.active().sparkContext().hadoopConfiguration());
                } catch (IOException e) {
                    throw new UncheckedIOException("vnetscope: " + e.getMessage(), e);
                } catch (CommandLine.ParameterException e) {
                    throw new IllegalArgumentException("vnetscope: " + e.getMessage(), e);
                }
            }
            return plan;
        }

        @Override
        public InputPartition[] planInputPartitions() {
            TracePlan traces = plan();
            List<InputPartition> partitions = new ArrayList<>();
            if (table.equals(PACKETS) || traces.hosts().size() == 1) {
                List<TracePart> parts = traces.parts().stream().map(this::narrowed).toList();
                if (table.equals(PACKETS)) {
                    parts = timeParts(parts);
                }
                for (TracePart part : parts) {
                    TraceHosts.Host host = traces.hosts().get(part.host());
                    partitions.add(new TraceReaders.HostPartition(part, host.name(), host.clockUuid(), table, null));
                }
                return partitions.toArray(InputPartition[]::new);
            }
            Main.Analysed analysed = Main.analyse(SparkSession.active(), traces, arguments.options());
            List<Object[]> rows = ParquetTables.rows(table, analysed.document(), null);
            if (!ParquetTables.byHost(table)) {
                return new InputPartition[] {new TraceReaders.HostPartition(null, null, null, table, rows)};
            }
            Map<String, List<Object[]>> byHost = new LinkedHashMap<>();
            traces.hosts().forEach(host -> byHost.put(host.name(), new ArrayList<>()));
            int hostColumn = List.of(readSchema().fieldNames()).indexOf("host");
            rows.forEach(row -> byHost.get((String) row[hostColumn]).add(row));
            byHost.forEach((host, hostRows) -> partitions.add(new TraceReaders.HostPartition(null, host, null, table,
                    hostRows)));
            return partitions.toArray(InputPartition[]::new);
        }

        /** The packets' parts cut in time ({@link TimeParts}), by the session's file partition settings. */
        private List<TracePart> timeParts(List<TracePart> parts) {
            SparkSession session = SparkSession.active();
            Configuration hadoop = session.sparkContext().hadoopConfiguration();
            long[] bytes = TimeParts.traceBytes(parts, hadoop);
            long largest = maxPartitionBytes != null ? maxPartitionBytes
                    : JavaUtils.byteStringAsBytes(session.conf().get(MAX_PARTITION_BYTES, "128m"));
            long openCost = JavaUtils.byteStringAsBytes(session.conf().get(OPEN_COST_IN_BYTES, "4m"));
            return TimeParts.cut(parts, bytes, TimeParts.partBytes(bytes, largest, openCost,
                    session.sparkContext().defaultParallelism()));
        }

        /**
         * The part read over the range the filters allow, within its own. A part whose --begin/--end the task
         * resolves (a time of day) is read as it is: the filters still apply to its rows.
         */
        private TracePart narrowed(TracePart part) {
            if (!table.equals(PACKETS) || part.range() != null
                    || (beginNs <= part.beginNs() && endNs >= part.endNs())) {
                return part;
            }
            long begin = Math.max(part.beginNs(), beginNs);
            long end = Math.min(part.endNs(), endNs);
            return part.over(part.host(), begin, Math.max(begin, end));
        }

        @Override
        public PartitionReaderFactory createReaderFactory() {
            JavaSparkContext context = JavaSparkContext.fromSparkContext(SparkSession.active().sparkContext());
            // once per executor (a kallsyms table is megabytes), the file systems' settings only when needed
            Broadcast<AnalysisOptions> options = context.broadcast(arguments.options());
            Broadcast<SerializableConfiguration> hadoop = plan().remote()
                    ? context.broadcast(new SerializableConfiguration(context.hadoopConfiguration())) : null;
            return new TraceReaders(columns, options, hadoop);
        }
    }
}
