package org.vnetscope.ctf.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.vnetscope.ctf.Scope;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.ctf.meta.ClockClass;
import org.vnetscope.ctf.meta.Encoding;
import org.vnetscope.ctf.meta.EnumType;
import org.vnetscope.ctf.meta.EventClass;
import org.vnetscope.ctf.meta.Field;
import org.vnetscope.ctf.meta.FieldRef;
import org.vnetscope.ctf.meta.FieldType;
import org.vnetscope.ctf.meta.IntegerType;
import org.vnetscope.ctf.meta.StreamClass;
import org.vnetscope.ctf.meta.StructType;
import org.vnetscope.ctf.meta.TraceClass;
import org.vnetscope.ctf.meta.VariantType;

/** Hand-built metadata for unit tests, in the shapes the metadata parser produces. */
final class Model {
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    static final UUID TRACE_UUID = UUID.fromString("2a6422d0-6cee-11e0-8c08-cb07d7b3a564");

    private Model() {
    }

    static IntegerType integer(int size, int align, boolean signed, ByteOrder order) {
        return new IntegerType(size, align, signed, order, 10, Encoding.NONE, null);
    }

    static IntegerType u(int size) {
        return integer(size, 8, false, LE);
    }

    static IntegerType clocked(int size, int align) {
        return new IntegerType(size, align, false, LE, 10, Encoding.NONE, "monotonic");
    }

    static Field field(String name, FieldType type) {
        return new Field(name, type);
    }

    static StructType struct(Field... fields) {
        int align = 1;
        for (Field f : fields) {
            align = Math.max(align, f.type().alignmentBits());
        }
        return new StructType(List.of(fields), align);
    }

    static StructType alignedStruct(int align, Field... fields) {
        StructType plain = struct(fields);
        return new StructType(plain.fields(), Math.max(align, plain.alignmentBits()));
    }

    static FieldRef ref(Scope scope, String... path) {
        return new FieldRef(scope, List.of(path));
    }

    static EnumType enumeration(IntegerType container, Object... labelLowerUpper) {
        List<EnumType.Mapping> mappings = new ArrayList<>();
        for (int i = 0; i < labelLowerUpper.length; i += 3) {
            mappings.add(new EnumType.Mapping((String) labelLowerUpper[i], ((Number) labelLowerUpper[i + 1]).longValue(),
                    ((Number) labelLowerUpper[i + 2]).longValue()));
        }
        return new EnumType(container, mappings);
    }

    static EventClass event(long id, String name, StructType payload) {
        return new EventClass(id, name, 0, null, null, StructType.EMPTY, payload, Map.of());
    }

    static EventClass event(long id, String name, StructType context, StructType payload) {
        return new EventClass(id, name, 0, null, null, context, payload, Map.of());
    }

    static StreamClass stream(long id, StructType packetContext, StructType header, StructType context,
                              EventClass... events) {
        Map<Long, EventClass> byId = new LinkedHashMap<>();
        for (EventClass e : events) {
            byId.put(e.id(), new EventClass(e.id(), e.name(), id, e.logLevel(), e.modelEmfUri(), e.context(),
                    e.payload(), e.attributes()));
        }
        return new StreamClass(id, packetContext, header, context, byId);
    }

    static TraceClass trace(StructType packetHeader, ClockClass clock, StreamClass... streams) {
        Map<Long, StreamClass> byId = new LinkedHashMap<>();
        for (StreamClass s : streams) {
            byId.put(s.id(), s);
        }
        Map<String, ClockClass> clocks = clock == null ? Map.of() : Map.of(clock.name(), clock);
        return new TraceClass(1, 8, TRACE_UUID, LE, packetHeader, Map.of("hostname", "test"), clocks, byId);
    }

    static ClockClass clock(long frequency, long offsetSeconds, long offsetCycles) {
        return new ClockClass("monotonic", null, null, frequency, 1, offsetSeconds, offsetCycles, true);
    }

    /** The ctf-testsuite packet header: magic and uuid. */
    static StructType magicUuidHeader() {
        return struct(field("magic", u(32)),
                field("uuid", new org.vnetscope.ctf.meta.ArrayType(u(8), 16)));
    }

    /** LTTng's packet header. */
    static StructType lttngPacketHeader() {
        return struct(field("magic", u(32)),
                field("uuid", new org.vnetscope.ctf.meta.ArrayType(u(8), 16)),
                field("stream_id", u(32)),
                field("stream_instance_id", u(64)));
    }

    /** LTTng's packet context. */
    static StructType lttngPacketContext() {
        return struct(field("timestamp_begin", clocked(64, 8)),
                field("timestamp_end", clocked(64, 8)),
                field("content_size", u(64)),
                field("packet_size", u(64)),
                field("packet_seq_num", u(64)),
                field("events_discarded", u(64)),
                field("cpu_id", u(32)));
    }

    /** LTTng's compact event header: a 5-bit id and a 27-bit timestamp, or an extended form. */
    static StructType lttngCompactHeader() {
        EnumType id = enumeration(integer(5, 1, false, LE), "compact", 0, 30, "extended", 31, 31);
        VariantType v = new VariantType(ref(Scope.EVENT_HEADER, "id"), "id", List.of(
                field("compact", struct(field("timestamp", clocked(27, 1)))),
                field("extended", struct(field("id", u(32)), field("timestamp", clocked(64, 8))))));
        return alignedStruct(8, field("id", id), field("v", v));
    }

    static byte[] uuidBytes() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
        b.putLong(TRACE_UUID.getMostSignificantBits()).putLong(TRACE_UUID.getLeastSignificantBits());
        return b.array();
    }

    /** Writes the LTTng packet header and context; returns the writer positioned at the first event. */
    static BitWriter lttngPacket(long streamInstance, long begin, long end, long contentBits, long packetBits,
                                 long seq, long discarded) {
        BitWriter w = new BitWriter();
        w.u32(0xC1FC1FC1L).raw(uuidBytes()).u32(0).u64(streamInstance);
        w.u64(begin).u64(end).u64(contentBits).u64(packetBits).u64(seq).u64(discarded).u32(0);
        return w;
    }

    /** Writes the files into a fresh trace directory and opens it with the given metadata. */
    static TraceReader open(Path directory, TraceClass metadata, Map<String, byte[]> files) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("metadata"), "/* built by the test */");
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Files.write(directory.resolve(file.getKey()), file.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Readers.open(directory, TraceReader.Warnings.IGNORE, (path, warnings) -> metadata);
    }
}
