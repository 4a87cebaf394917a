package org.vnetscope.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.vnetscope.analysis.cluster.TraceHosts;

/**
 * The analyze document as Parquet tables for notebooks (PySpark, pandas, DuckDB): one folder per table, its rows
 * those of a section of the document (docs/spark.md), their columns the document's members (nested objects
 * flattened with {@code _}: {@code rx.packets} is {@code rx_packets}; lists stay lists), each row with its
 * {@code host}, and the folder partitioned by host ({@code interfaces/host=hosta/part-....parquet}). Tables of the
 * cluster as a whole (the VM pairs across hosts) are not partitioned. Instants are those of the document: on the
 * reference host's clock when there are several hosts.
 */
final class ParquetTables {

    private static final DataType LONG = DataTypes.LongType;
    private static final DataType DOUBLE = DataTypes.DoubleType;
    private static final DataType STRING = DataTypes.StringType;
    private static final DataType BOOLEAN = DataTypes.BooleanType;
    private static final DataType STRINGS = DataTypes.createArrayType(STRING);
    private static final DataType LATENCY = struct(field("samples", LONG), field("p50", LONG), field("p90", LONG),
            field("p99", LONG), field("max", LONG));

    /** A column: its name, type, and where a row's value is in the document's row (a JSON pointer). */
    private record Column(String name, DataType type, String pointer) {
    }

    /** A table: its name, columns, whether it is split by host, and its rows (with their host) in the document. */
    private record Table(String name, List<Column> columns, boolean byHost, Function<Document, List<JsonNode>> rows) {
    }

    /** The document and, when it is one host's, that host (its rows then name none). */
    private record Document(ObjectNode root, TraceHosts.Host onlyHost) {
        boolean several() {
            return onlyHost == null;
        }

        /** The rows of a section, each with its host. */
        List<JsonNode> rows(JsonNode section) {
            List<JsonNode> rows = new ArrayList<>();
            for (JsonNode row : section) {
                rows.add(withHost(row, several() ? null : onlyHost.name()));
            }
            return rows;
        }
    }

    static final List<Table> TABLES = List.of(
            new Table("hosts", columns(column("host", STRING, "/name"), column("trace", STRING),
                    column("clock_uuid", STRING), column("start_ns", LONG), column("end_ns", LONG)), true,
                    document -> document.several() ? document.rows(document.root().path("hosts"))
                            : List.of(hostOfOne(document))),
            new Table("interfaces", columns(column("host", STRING), column("name", STRING), column("peer", STRING),
                    column("netns", LONG), column("kind", STRING), column("ambiguous", BOOLEAN),
                    column("rx_packets", LONG, "/rx/packets"), column("rx_bytes", LONG, "/rx/bytes"),
                    column("rx_skb_bytes", LONG, "/rx/skb_bytes"), column("tx_packets", LONG, "/tx/packets"),
                    column("tx_bytes", LONG, "/tx/bytes"), column("tx_skb_bytes", LONG, "/tx/skb_bytes"),
                    column("drops_packets", LONG, "/drops/packets"), column("drops_rate", DOUBLE, "/drops/rate")),
                    true, document -> document.rows(document.root().path("interfaces"))),
            new Table("interface_timeline", columns(column("host", STRING), column("interface", STRING),
                    column("peer", STRING), column("netns", LONG), column("start_ns", LONG),
                    column("rx_packets", LONG), column("rx_bytes", LONG), column("tx_packets", LONG),
                    column("tx_bytes", LONG), column("drop_packets", LONG)), true, ParquetTables::timeline),
            new Table("streams", columns(column("host", STRING), column("protocol", STRING), column("a", STRING),
                    column("b", STRING), column("packets_ab", LONG), column("bytes_ab", LONG),
                    column("packets_ba", LONG), column("bytes_ba", LONG), column("payload_ab", LONG),
                    column("payload_ba", LONG), column("retransmitted_packets", LONG),
                    column("retransmitted_bytes", LONG), column("retransmitted_segments", LONG),
                    column("closed", STRING), column("start_ns", LONG), column("end_ns", LONG),
                    column("duration_ns", LONG), column("bits_per_second_ab", DOUBLE),
                    column("bits_per_second_ba", DOUBLE)), true,
                    document -> document.rows(document.root().path("streams"))),
            new Table("drops", columns(column("host", STRING), column("interface", STRING), column("reason", STRING),
                    column("location", STRING), column("address", STRING), column("ethertype", LONG),
                    column("packets", LONG), column("netns", LONG)), true,
                    document -> document.rows(document.root().path("drops"))),
            new Table("offload", columns(column("host", STRING), column("interface", STRING), column("mtu", LONG),
                    column("queued_packets", LONG), column("queued_bytes", LONG), column("gso_packets", LONG),
                    column("gso_bytes", LONG), column("gso_byte_share", DOUBLE), column("gro_entered", LONG),
                    column("received", LONG), column("netns", LONG)), true,
                    document -> document.rows(document.root().path("offload"))),
            new Table("paths", columns(column("host", STRING), column("hops", STRINGS), column("hop_hosts", STRINGS),
                    column("hosts", STRINGS), column("cross_host", BOOLEAN), column("packets", LONG),
                    column("bytes", LONG), column("delivered", LONG), column("dropped", LONG),
                    column("unterminated", LONG), column("segmented", LONG),
                    column("latency_ns_samples", LONG, "/latency_ns/samples"),
                    column("latency_ns_p50", LONG, "/latency_ns/p50"),
                    column("latency_ns_p90", LONG, "/latency_ns/p90"),
                    column("latency_ns_p99", LONG, "/latency_ns/p99"),
                    column("latency_ns_max", LONG, "/latency_ns/max"),
                    column("payload_bytes", LONG), column("arrived_before_sent", LONG),
                    column("wire_latency_ns_samples", LONG, "/wire_latency_ns/samples"),
                    column("wire_latency_ns_p50", LONG, "/wire_latency_ns/p50"),
                    column("wire_latency_ns_p90", LONG, "/wire_latency_ns/p90"),
                    column("wire_latency_ns_p99", LONG, "/wire_latency_ns/p99"),
                    column("wire_latency_ns_max", LONG, "/wire_latency_ns/max"),
                    column("hop_latency_ns", DataTypes.createArrayType(struct(field("from", STRING),
                            field("to", STRING), field("from_host", STRING), field("to_host", STRING),
                            field("wire", BOOLEAN), field("latency_ns", LATENCY)))),
                    column("drops", DataTypes.createArrayType(struct(field("at", STRING), field("host", STRING),
                            field("reason", STRING), field("packets", LONG))))), true,
                    document -> document.rows(pathRows(document.root().path("paths")))),
            new Table("vm_matrix", columns(column("host", STRING), column("from", STRING), column("to", STRING),
                    column("packets", LONG), column("bytes", LONG), column("dropped", LONG)), true,
                    document -> document.rows(document.root().path(document.several() ? "host_vm_matrix"
                            : "vm_matrix"))),
            new Table("cluster_vm_matrix", columns(column("from", STRING), column("to", STRING),
                    column("packets", LONG), column("bytes", LONG), column("from_hosts", STRINGS),
                    column("to_hosts", STRINGS), column("from_host", STRING), column("to_host", STRING),
                    column("cross_host_bytes", LONG), column("cross_host_share", DOUBLE)), false,
                    document -> document.several() ? listOf(document.root().path("vm_matrix")) : List.of()),
            new Table("topology_changes", columns(column("host", STRING), column("time_ns", LONG),
                    column("kind", STRING), column("mac", STRING), column("ip", STRING), column("from", STRING),
                    column("to", STRING), column("left_ns", LONG), column("vm", STRING),
                    column("from_host", STRING), column("to_host", STRING), column("last_packet_ns", LONG),
                    column("announce_ns", LONG), column("first_packet_ns", LONG), column("downtime_ns", LONG),
                    column("lost_packets", LONG), column("lost_bytes", LONG)), true,
                    document -> document.rows(document.root().path("topology").path("changes"))),
            new Table("sync", columns(column("host", STRING), column("reference", STRING),
                    column("slope", DOUBLE), column("offset_ns", LONG), column("matches", LONG),
                    column("accuracy_ns", LONG), column("quality", STRING), column("drift_ppm", DOUBLE),
                    column("middle_ns", LONG), column("middle_offset_ns", LONG), column("accuracy_at_ends_ns", LONG),
                    column("matches_sent", LONG), column("matches_received", LONG), column("via", STRING),
                    column("segments", DataTypes.createArrayType(struct(field("from_ns", LONG), field("to_ns", LONG),
                            field("slope", DOUBLE), field("offset_ns", LONG), field("drift_ppm", DOUBLE),
                            field("middle_ns", LONG), field("middle_offset_ns", LONG), field("accuracy_ns", LONG),
                            field("quality", STRING), field("matches", LONG))))), true,
                    ParquetTables::syncRows));

    private ParquetTables() {
    }

    /** The table names, in the order they are written. */
    static List<String> names() {
        return TABLES.stream().map(Table::name).toList();
    }

    /**
     * Writes every table with rows under {@code directory} (any Hadoop file system location), each replacing the
     * folder of that name; returns the names of the tables written.
     *
     * @param onlyHost the host of a one-host document (whose rows name none); null for a document of several
     */
    static List<String> write(SparkSession session, ObjectNode document, TraceHosts.Host onlyHost,
                              String directory) {
        List<String> written = new ArrayList<>();
        for (Table table : TABLES) {
            List<Object[]> rows = rows(table.name(), document, onlyHost);
            if (rows.isEmpty()) {
                continue; // an empty folder has no schema to read; docs/spark.md lists which tables may be absent
            }
            List<Row> sparkRows = new ArrayList<>(rows.size());
            rows.forEach(values -> sparkRows.add(RowFactory.create(values)));
            // the tables are small beside the traces: one file per host folder
            var writer = session.createDataFrame(sparkRows, schema(table.name())).coalesce(1).write()
                    .mode(SaveMode.Overwrite);
            if (table.byHost()) {
                writer = writer.partitionBy("host");
            }
            writer.parquet(directory + "/" + table.name());
            written.add(table.name());
        }
        return written;
    }

    /**
     * A table's columns as Spark types them.
     *
     * @throws IllegalArgumentException for a table there is not
     */
    static StructType schema(String name) {
        return new StructType(table(name).columns().stream()
                .map(column -> DataTypes.createStructField(column.name(), column.type(), true))
                .toArray(StructField[]::new));
    }

    /**
     * A table's rows in the document, each its values in column order as a {@link Row} holds them (Long, Double,
     * Boolean, String, a List for a list, a Row for an object); null where the document has none.
     *
     * @param onlyHost the host of a one-host document (whose rows name none); null for a document of several
     */
    static List<Object[]> rows(String name, ObjectNode document, TraceHosts.Host onlyHost) {
        Table table = table(name);
        List<Object[]> rows = new ArrayList<>();
        for (JsonNode row : table.rows().apply(new Document(document, onlyHost))) {
            Object[] values = new Object[table.columns().size()];
            for (int i = 0; i < values.length; i++) {
                Column column = table.columns().get(i);
                values[i] = value(row.at(column.pointer()), column.type());
            }
            rows.add(values);
        }
        return rows;
    }

    /** Whether a table's rows each belong to a host (its folder is partitioned by host), not to the cluster. */
    static boolean byHost(String name) {
        return table(name).byHost();
    }

    private static Table table(String name) {
        return TABLES.stream().filter(table -> table.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no table '" + name + "': " + String.join(", ",
                        names())));
    }

    /**
     * The paths as table rows: a several-hosts document's hops are {@code {device, host}} objects, here two parallel
     * columns ({@code hops}, {@code hop_hosts}) so that one schema holds both documents' paths. A cross-host path's
     * packets by protocol ({@code protocols}, keys that vary) stay in the JSON document only.
     */
    static JsonNode pathRows(JsonNode paths) {
        com.fasterxml.jackson.databind.node.ArrayNode rows = com.fasterxml.jackson.databind.node.JsonNodeFactory
                .instance.arrayNode();
        for (JsonNode path : paths) {
            ObjectNode row = path.deepCopy();
            if (path.path("hops").size() > 0 && path.path("hops").get(0).isObject()) {
                com.fasterxml.jackson.databind.node.ArrayNode hops = row.putArray("hops");
                com.fasterxml.jackson.databind.node.ArrayNode hopHosts = row.putArray("hop_hosts");
                for (JsonNode hop : path.path("hops")) {
                    hops.add(hop.path("device").asText());
                    hopHosts.add(hop.path("host").asText());
                }
            }
            rows.add(row);
        }
        return rows;
    }

    /** A JSON value as Spark holds a value of that type; null, or absent, is null. */
    static Object value(JsonNode node, DataType type) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (type.equals(LONG)) {
            return node.asLong();
        }
        if (type.equals(DOUBLE)) {
            return node.asDouble();
        }
        if (type.equals(BOOLEAN)) {
            return node.asBoolean();
        }
        if (type.equals(STRING)) {
            return node.asText();
        }
        if (type instanceof ArrayType array) {
            List<Object> elements = new ArrayList<>(node.size());
            node.forEach(element -> elements.add(value(element, array.elementType())));
            return elements;
        }
        if (type instanceof StructType struct) {
            Object[] fields = new Object[struct.fields().length];
            for (int i = 0; i < fields.length; i++) {
                StructField field = struct.fields()[i];
                fields[i] = value(node.get(field.name()), field.dataType());
            }
            return RowFactory.create(fields);
        }
        throw new IllegalArgumentException("no Parquet form for " + type);
    }

    private static List<JsonNode> timeline(Document document) {
        List<JsonNode> rows = new ArrayList<>();
        for (JsonNode iface : document.rows(document.root().path("interfaces"))) {
            for (JsonNode bin : iface.path("timeline")) {
                ObjectNode row = withHost(bin, iface.path("host").asText());
                row.set("interface", iface.path("name"));
                row.set("peer", iface.path("peer"));
                row.set("netns", iface.path("netns"));
                rows.add(row);
            }
        }
        return rows;
    }

    private static List<JsonNode> syncRows(Document document) {
        JsonNode sync = document.root().path("sync");
        List<JsonNode> rows = new ArrayList<>();
        for (JsonNode transform : sync.path("transforms")) {
            ObjectNode row = withHost(transform, transform.path("host").asText());
            row.set("reference", sync.path("reference"));
            rows.add(row);
        }
        return rows;
    }

    private static JsonNode hostOfOne(Document document) {
        ObjectNode row = document.root().objectNode();
        row.put("name", document.onlyHost().name());
        row.set("trace", document.root().path("trace"));
        row.put("clock_uuid", document.onlyHost().clockUuid());
        row.set("start_ns", document.root().path("start_ns"));
        row.set("end_ns", document.root().path("end_ns"));
        return row;
    }

    /** A copy of a row with its host first (a row of a document of several hosts has it already). */
    private static ObjectNode withHost(JsonNode row, String host) {
        ObjectNode copy = ((ObjectNode) row).objectNode();
        if (host != null) {
            copy.put("host", host);
        }
        copy.setAll((ObjectNode) row);
        return copy;
    }

    private static List<JsonNode> listOf(JsonNode section) {
        List<JsonNode> rows = new ArrayList<>();
        section.forEach(rows::add);
        return rows;
    }

    private static List<Column> columns(Column... columns) {
        return List.of(columns);
    }

    private static Column column(String name, DataType type) {
        return new Column(name, type, "/" + name);
    }

    private static Column column(String name, DataType type, String pointer) {
        return new Column(name, type, pointer);
    }

    private static StructField field(String name, DataType type) {
        return DataTypes.createStructField(name, type, true);
    }

    private static StructType struct(StructField... fields) {
        return DataTypes.createStructType(fields);
    }
}
