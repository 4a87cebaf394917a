package org.vnetscope.spark;

import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.SpecificInternalRow;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.SerializableConfiguration;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.NetworkAnalysis;
import org.vnetscope.analysis.PacketEvents;
import org.vnetscope.analysis.cluster.TraceHosts;
import org.vnetscope.ctf.CtfException;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.document.ReportJson;

/**
 * How the executors read {@link TraceSource}'s partitions: a host's packet events as its traces are read (a row at a
 * time, the trace never held whole), a host's table rows from its analysis, or rows the driver computed.
 */
final class TraceReaders implements PartitionReaderFactory {

    private final StructType schema;
    private final Broadcast<AnalysisOptions> options;
    /** The driver's Hadoop settings, for traces on another file system; null when there are none. */
    private final Broadcast<SerializableConfiguration> hadoop;

    TraceReaders(StructType schema, Broadcast<AnalysisOptions> options, Broadcast<SerializableConfiguration> hadoop) {
        this.schema = schema;
        this.options = options;
        this.hadoop = hadoop;
    }

    /**
     * One host's partition of a table.
     *
     * @param traces    the host's traces, read by the executor; null when {@code rows} holds the rows already
     * @param host      the host's name (null for rows of the cluster as a whole)
     * @param clockUuid its clock's uuid, for the {@code hosts} table of one host
     * @param table     the table
     * @param rows      the rows, in the table's column order, when the driver computed them
     */
    record HostPartition(TracePart traces, String host, String clockUuid, String table, List<Object[]> rows)
            implements InputPartition {
    }

    @Override
    public PartitionReader<InternalRow> createReader(InputPartition partition) {
        HostPartition part = (HostPartition) partition;
        if (part.rows() != null) {
            return rowsOf(part.rows().iterator());
        }
        Configuration files = hadoop == null ? null : hadoop.value().value();
        LocalCopy copy = part.traces().remote() ? LocalCopy.create() : null;
        TraceReader reader;
        try {
            reader = part.traces().open(copy, files);
        } catch (CtfException | UncheckedIOException | IllegalArgumentException e) {
            if (copy != null) {
                copy.close();
            }
            throw TracePart.namingLocations(e, copy);
        }
        if (part.table().equals(TraceSource.PACKETS)) {
            return new PacketReader(part.host(), PacketEvents.of(reader), copy, schema);
        }
        // a table of one host: its rows come from the analysis, as the document's (the copies are no longer needed)
        AnalysisReport report;
        try {
            report = NetworkAnalysis.analyze(reader, part.traces().label(), options.value(), null);
        } catch (CtfException | UncheckedIOException e) {
            throw TracePart.namingLocations(e, copy);
        } finally {
            if (copy != null) {
                copy.close();
            }
        }
        TraceHosts.Host host = new TraceHosts.Host(part.host(), part.clockUuid(), List.of());
        return rowsOf(ParquetTables.rows(part.table(), ReportJson.of(report), host).iterator());
    }

    /** Rows of values as {@link ParquetTables#rows} gives them. */
    private PartitionReader<InternalRow> rowsOf(Iterator<Object[]> rows) {
        return new PartitionReader<>() {
            private InternalRow current;

            @Override
            public boolean next() {
                if (!rows.hasNext()) {
                    return false;
                }
                current = (InternalRow) internal(rows.next(), schema);
                return true;
            }

            @Override
            public InternalRow get() {
                return current;
            }

            @Override
            public void close() {
                current = null;
            }
        };
    }

    /** A value as Spark holds it inside: strings as UTF8String, lists as ArrayData, objects as InternalRows. */
    static Object internal(Object value, DataType type) {
        if (value == null) {
            return null;
        }
        if (type.equals(DataTypes.StringType)) {
            return UTF8String.fromString((String) value);
        }
        if (type instanceof ArrayType array) {
            List<?> elements = (List<?>) value;
            Object[] converted = new Object[elements.size()];
            for (int i = 0; i < converted.length; i++) {
                converted[i] = internal(elements.get(i), array.elementType());
            }
            return new GenericArrayData(converted);
        }
        if (type instanceof StructType struct) {
            Object[] fields = value instanceof Row row ? new Object[row.length()] : (Object[]) value;
            if (value instanceof Row row) {
                for (int i = 0; i < fields.length; i++) {
                    fields[i] = row.get(i);
                }
            }
            Object[] converted = new Object[struct.fields().length];
            for (int i = 0; i < converted.length; i++) {
                converted[i] = internal(fields[i], struct.fields()[i].dataType());
            }
            return new GenericInternalRow(converted);
        }
        return value; // Long, Double, Boolean as they are
    }

    /**
     * A host's packet events, a row each, read as Spark asks for them, holding only the columns asked for (the others
     * are not made); closing deletes the copies read.
     */
    private static final class PacketReader implements PartitionReader<InternalRow> {
        private final UTF8String host;
        private final PacketEvents events;
        private final LocalCopy copy;
        /** For each column of the rows, its rank among the packets table's columns. */
        private final int[] columns;
        private final SpecificInternalRow row;
        private static final int TEXTS = 256;
        private static final UTF8String TX = UTF8String.fromString("tx");
        private static final UTF8String RX = UTF8String.fromString("rx");
        private final String[] textKeys = new String[TEXTS];
        private final UTF8String[] textValues = new UTF8String[TEXTS];

        PacketReader(String host, PacketEvents events, LocalCopy copy, StructType schema) {
            this.host = UTF8String.fromString(host);
            this.events = events;
            this.copy = copy;
            List<String> all = List.of(TraceSource.PACKET_COLUMNS.fieldNames());
            this.columns = java.util.Arrays.stream(schema.fieldNames()).mapToInt(all::indexOf).toArray();
            this.row = new SpecificInternalRow(schema);
        }

        @Override
        public boolean next() {
            PacketEvents.PacketEvent event;
            try {
                event = events.next();
            } catch (CtfException e) {
                throw TracePart.namingLocations(e, copy);
            }
            if (event == null) {
                return false;
            }
            for (int i = 0; i < columns.length; i++) {
                set(i, columns[i], event);
            }
            return true;
        }

        /**
         * Sets the row's column {@code at} to the value of the packets table's column of that rank: numbers without
         * boxing, texts converted once per String the events share (device names, addresses, event names).
         */
        private void set(int at, int column, PacketEvents.PacketEvent event) {
            switch (column) {
                case 0 -> row.update(at, host);
                case 1 -> row.setLong(at, event.timestampNs());
                case 2 -> row.update(at, text(event.device()));
                case 3 -> setLong(at, event.netns());
                case 4 -> row.update(at, event.transmit() ? TX : RX);
                case 5 -> row.update(at, text(event.event()));
                case 6 -> row.setLong(at, event.length());
                case 7 -> setLong(at, event.ethertype());
                case 8 -> row.update(at, text(event.protocol()));
                case 9 -> row.update(at, text(event.source()));
                case 10 -> row.update(at, text(event.destination()));
                case 11 -> setLong(at, event.sourcePort());
                case 12 -> setLong(at, event.destinationPort());
                case 13 -> row.setLong(at, event.skbaddr());
                case 14 -> setLong(at, event.rc());
                default -> throw new IllegalArgumentException("no packets column of rank " + column);
            }
        }

        private void setLong(int at, Number value) {
            if (value == null) {
                row.setNullAt(at);
            } else {
                row.setLong(at, value.longValue());
            }
        }

        /** The text as Spark holds it, from a direct-mapped cache by the String's identity. */
        private UTF8String text(String value) {
            if (value == null) {
                return null;
            }
            int slot = System.identityHashCode(value) & (TEXTS - 1);
            if (textKeys[slot] != value) {
                textKeys[slot] = value;
                textValues[slot] = UTF8String.fromString(value);
            }
            return textValues[slot];
        }

        /** The row of the current event, filled again by each {@link #next()}: Spark copies what it keeps. */
        @Override
        public InternalRow get() {
            return row;
        }

        @Override
        public void close() {
            try {
                events.close();
            } finally {
                if (copy != null) {
                    copy.close();
                }
            }
        }
    }
}
