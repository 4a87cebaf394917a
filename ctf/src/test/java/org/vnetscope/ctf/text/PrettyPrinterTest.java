package org.vnetscope.ctf.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vnetscope.ctf.Discard;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.FieldKey;
import org.vnetscope.ctf.Scope;
import org.vnetscope.ctf.StreamFile;
import org.vnetscope.ctf.Trace;
import org.vnetscope.ctf.meta.ArrayType;
import org.vnetscope.ctf.meta.ClockClass;
import org.vnetscope.ctf.meta.Encoding;
import org.vnetscope.ctf.meta.EnumType;
import org.vnetscope.ctf.meta.EventClass;
import org.vnetscope.ctf.meta.Field;
import org.vnetscope.ctf.meta.FieldRef;
import org.vnetscope.ctf.meta.FieldType;
import org.vnetscope.ctf.meta.FloatType;
import org.vnetscope.ctf.meta.IntegerType;
import org.vnetscope.ctf.meta.SequenceType;
import org.vnetscope.ctf.meta.StreamClass;
import org.vnetscope.ctf.meta.StringType;
import org.vnetscope.ctf.meta.StructType;
import org.vnetscope.ctf.meta.TraceClass;
import org.vnetscope.ctf.meta.VariantType;

/**
 * The formatting rules, on hand-made events whose types and values are those of the edge-case trace in the test
 * resources ({@code edge-trace/make-edge-trace.py}); the expected text is babeltrace2 2.0.4's output for that
 * trace.
 */
class PrettyPrinterTest {

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final long BASE_NS = 1_600_000_000_000_000_000L;

    private static IntegerType integer(int size, boolean signed, int base) {
        return new IntegerType(size, size % 8 == 0 ? 8 : 1, signed, LE, base, Encoding.NONE, null);
    }

    private static IntegerType character(int size, int align, boolean signed, Encoding encoding) {
        return new IntegerType(size, align, signed, LE, 10, encoding, null);
    }

    private static final IntegerType U8 = integer(8, false, 10);
    private static final IntegerType U32 = integer(32, false, 10);
    private static final IntegerType U64 = integer(64, false, 10);
    private static final IntegerType CLOCK64 = new IntegerType(64, 8, false, LE, 10, Encoding.NONE, "monotonic");

    private static StructType struct(Object... namesAndTypes) {
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            fields.add(new Field((String) namesAndTypes[i], (FieldType) namesAndTypes[i + 1]));
        }
        return new StructType(fields, 8);
    }

    private static EnumType enumeration(IntegerType container, Object... labelsAndBounds) {
        List<EnumType.Mapping> mappings = new ArrayList<>();
        for (int i = 0; i < labelsAndBounds.length; i += 3) {
            mappings.add(new EnumType.Mapping((String) labelsAndBounds[i], ((Number) labelsAndBounds[i + 1]).longValue(),
                    ((Number) labelsAndBounds[i + 2]).longValue()));
        }
        return new EnumType(container, mappings);
    }

    private static final FloatType FLOAT = new FloatType(8, 24, 8, LE);
    private static final FloatType DOUBLE = new FloatType(11, 53, 8, LE);
    private static final EnumType TAG = enumeration(U8, "a", 0, 0, "b", 1, 1, "c", 2, 2);

    private static final StructType PACKET_CONTEXT = struct("timestamp_begin", CLOCK64, "timestamp_end", CLOCK64,
            "content_size", U64, "packet_size", U64, "events_discarded", U64, "packet_seq_num", U64, "cpu_id", U32);

    private static final List<EventClass> EVENT_CLASSES = List.of(
            event(0, "ints", struct("s8hex", integer(8, true, 16), "s13hex", integer(13, true, 16),
                    "pad3", integer(3, false, 16), "s64hex", integer(64, true, 16), "s8oct", integer(8, true, 8),
                    "u8oct", integer(8, false, 8), "s5bin", integer(5, true, 2), "u3bin", integer(3, false, 2),
                    "u64max", integer(64, false, 10), "s64min", integer(64, true, 10),
                    "u64hex", integer(64, false, 16), "u64bin", integer(64, false, 2),
                    "s32oct", integer(32, true, 8), "s64oct", integer(64, true, 8))),
            event(1, "enums", struct(
                    "multi", enumeration(U8, "A", 0, 10, "B", 5, 20, "C", 7, 7),
                    "unknown", enumeration(U8, "ONE", 1, 1, "TWO", 2, 2),
                    "neg", enumeration(integer(16, true, 10), "NEG", -5, -1, "q\"uote", 0, 0),
                    "hexenum", enumeration(integer(8, false, 16), "X", 1, 1))),
            event(2, "floats", struct("f", new ArrayType(FLOAT, 12), "d", new ArrayType(DOUBLE, 14))),
            event(3, "strings", struct("s1", new StringType(Encoding.UTF8), "s2", new StringType(Encoding.UTF8),
                    "text", new ArrayType(character(8, 8, true, Encoding.UTF8), 8), "len", U32,
                    "seq", new SequenceType(character(8, 8, false, Encoding.ASCII),
                            new FieldRef(Scope.EVENT_PAYLOAD, List.of("len")), "len"),
                    "bytes", new ArrayType(U8, 3),
                    "unaligned", new ArrayType(character(8, 1, false, Encoding.UTF8), 2),
                    "wide", new ArrayType(character(16, 8, false, Encoding.UTF8), 2))),
            event(4, "variants", struct("tag", TAG,
                    "v", new VariantType(new FieldRef(Scope.EVENT_PAYLOAD, List.of("tag")), "tag",
                            List.of(new Field("a", U32), new Field("b", new StringType(Encoding.UTF8)),
                                    new Field("c", struct("x", U8, "y", U8)))),
                    "st", struct("inner", U8), "empty", struct())),
            event(5, "hidden", struct("ts", CLOCK64, "visible", U8, "allhidden", struct("only", CLOCK64))),
            event(6, "onlyclock", struct("ts", CLOCK64)),
            new EventClass(7, "nofields", 0, null, null, StructType.EMPTY, StructType.EMPTY, Map.of()));

    private static EventClass event(long id, String name, StructType payload) {
        return new EventClass(id, name, 0, null, null, StructType.EMPTY, payload, Map.of());
    }

    private static Trace trace(Map<String, Object> env) {
        Map<Long, EventClass> events = new LinkedHashMap<>();
        EVENT_CLASSES.forEach(e -> events.put(e.id(), e));
        StreamClass stream = new StreamClass(0, PACKET_CONTEXT, struct("id", U32, "timestamp", CLOCK64),
                StructType.EMPTY, events);
        ClockClass clock = new ClockClass("monotonic", null, null, 1_000_000_000L, 0, 1_600_000_000L, 0, false);
        TraceClass metadata = new TraceClass(1, 8, UUID.fromString("2a6422d0-6cee-11e0-8c08-cb07d7b3a564"), LE,
                StructType.EMPTY, env, Map.of("monotonic", clock), Map.of(0L, stream));
        return new Trace(Path.of("edge"), metadata);
    }

    private static final Trace TRACE = trace(edgeEnv());

    private static Map<String, Object> edgeEnv() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("hostname", "edgehost");
        env.put("procname", "myproc");
        env.put("vpid", 4242L);
        env.put("domain", "ust");
        return env;
    }

    /** A decoded event as the reader hands it to generic consumers. */
    private record HandMadeEvent(EventClass eventClass, StreamFile stream, long timestampNs, long cycles,
                                 Map<Scope, Object[]> scopes) implements Event {
        @Override public int classIndex() { return (int) eventClass.id(); }
        @Override public long decodeAll() { throw new UnsupportedOperationException(); }
        @Override public boolean has(FieldKey key) { throw new UnsupportedOperationException(); }
        @Override public long getLong(FieldKey key) { throw new UnsupportedOperationException(); }
        @Override public String getString(FieldKey key) { throw new UnsupportedOperationException(); }
        @Override public byte[] getBytes(FieldKey key) { throw new UnsupportedOperationException(); }
        @Override public double getDouble(FieldKey key) { throw new UnsupportedOperationException(); }
        @Override public String[] getEnumLabels(FieldKey key) { throw new UnsupportedOperationException(); }
        @Override public Object[] scope(Scope scope) { return scopes.getOrDefault(scope, new Object[0]); }
    }

    private static final StreamFile STREAM = new StreamFile(TRACE, Path.of("edge", "stream_0"), 0, -1);

    private static Event event(int index, long cycles, Object... payload) {
        Map<Scope, Object[]> scopes = new EnumMap<>(Scope.class);
        scopes.put(Scope.PACKET_CONTEXT, new Object[] {1000L, 13000L, 7104L, 7104L, 0L, 0L, 3L});
        scopes.put(Scope.EVENT_PAYLOAD, payload);
        return new HandMadeEvent(EVENT_CLASSES.get(index), STREAM, BASE_NS + cycles, cycles, scopes);
    }

    private static final Object[] CPU0 = {0L, 0L, 0L, 0L, 0L, 0L, 0L};

    private static Object[] longs(long... values) {
        Object[] boxed = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }

    private static Object[] doubles(double... values) {
        Object[] boxed = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }

    /** The events of the edge trace's first packet, field for field. */
    private static List<Event> firstPacket() {
        Object[] ints = longs(-1, -1, 5, -2, -1, 8, -3, 5, -1, Long.MIN_VALUE, 0xABCDEF, 5, -8, -1);
        double[] floats = {0.1f, 1e20f, 1.5f, -0.0f, Float.NaN, Float.POSITIVE_INFINITY, 1e-5f, 123456789.0f,
            100000.0f, 1e6f, 3.0f, -2.5e-10f};
        double[] doubles = {0.1, 1e20, 1.5, -0.0, Double.NaN, Double.NEGATIVE_INFINITY, 1e-5, 123456789.0,
            100000.0, 1e6, 0.30000000000000004, 1.0 / 3, Math.pow(2, 70), Double.MIN_VALUE};
        return List.of(
                event(0, 1000, ints),
                event(1, 2000, 7L, 9L, -3L, 1L),
                event(1, 3000, 15L, 1L, 0L, 3L),
                event(2, 4000, doubles(floats), doubles(doubles)),
                event(3, 5000, "tab\there nl\nq\"s'bs\\?x\u0001\u001b\u007f\u0007\b\f\r\u000b", "h\u00e9llo \u2603",
                        longs('a', 'b', 0, 'c', 'd', 1, 0, 0), 5L, "xyz\u0000w", longs(65, 66, 67), longs('h', 'i'),
                        longs(65, 66)),
                event(3, 6000, "", "", "12345678", 0L, new Object[0], longs(1, 2, 3), longs(0, 0), longs(0, 0)),
                event(4, 7000, 0L, new Event.VariantValue(0, 77L), new Object[] {1L}, new Object[0]),
                event(4, 8000, 1L, new Event.VariantValue(1, "str"), new Object[] {2L}, new Object[0]),
                event(4, 9000, 2L, new Event.VariantValue(2, new Object[] {3L, 4L}), new Object[] {5L},
                        new Object[0]),
                event(5, 10000, 12345L, 9L, new Object[] {777L}),
                event(6, 11000, 1L),
                event(7, 12000));
    }

    private static List<String> expectedLines(int count) throws IOException {
        try (InputStream in = PrettyPrinterTest.class.getResourceAsStream("/edge-trace/expected-gmt.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().limit(count).toList();
        }
    }

    private static String print(PrettyPrinter.Options options, List<Event> events) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrettyPrinter printer = new PrettyPrinter(bytes, new PrintWriter(new StringWriter()), options, null);
        events.forEach(printer::print);
        printer.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static final PrettyPrinter.Options GMT = PrettyPrinter.Options.defaults().withClockGmt(true);

    @Test
    void printsEveryKindOfFieldLikeBabeltrace2() throws IOException {
        assertThat(print(GMT, firstPacket()).lines().toList()).containsExactlyElementsOf(expectedLines(12));
    }

    @Test
    void localTimeFollowsTheZoneAndGmtIgnoresIt() {
        List<Event> one = List.of(firstPacket().get(11));
        ZoneId montreal = ZoneId.of("America/Montreal");
        assertThat(print(GMT.withLocalZone(montreal), one)).startsWith("[12:26:40.000012000] ");
        assertThat(print(GMT.withClockGmt(false).withLocalZone(montreal), one)).startsWith("[08:26:40.000012000] ");
    }

    @Test
    void clockOptionsChangeTheTimestampAndDelta() {
        List<Event> two = firstPacket().subList(10, 12);
        assertThat(print(new PrettyPrinter.Options(true, false, false, true, true, ZoneOffset.UTC), two))
                .isEqualTo("[00000000000000011000] (+????????????) edgehost:myproc:(4242) onlyclock: { cpu_id = 3 }\n"
                        + "[00000000000000012000] (+000000001000) edgehost:myproc:(4242) nofields: { cpu_id = 3 }\n");
        assertThat(print(new PrettyPrinter.Options(false, true, false, true, false, ZoneOffset.UTC), two))
                .startsWith("[1600000000.000011000] edgehost:myproc:(4242) onlyclock: ");
        assertThat(print(new PrettyPrinter.Options(false, false, true, false, true,
                ZoneId.of("Asia/Kolkata")), two))
                .startsWith("[2020-09-13 17:56:40.000011000] (+?.?????????) edgehost");
    }

    @Test
    void negativeTimesFallBackToSecondsOnceWithAWarningThenShowTheAbsoluteClockTime() {
        // babeltrace2 prints the first negative time as seconds, and later ones as the time of their absolute value.
        List<Event> events = new ArrayList<>();
        for (long ns : new long[] {-999_999_000L, -999_998_000L, -1_500_000_000L}) {
            events.add(new HandMadeEvent(EVENT_CLASSES.get(7), STREAM, ns, 0, Map.of(Scope.PACKET_CONTEXT, CPU0)));
        }
        StringWriter warnings = new StringWriter();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrettyPrinter printer = new PrettyPrinter(bytes, new PrintWriter(warnings), GMT, null);
        events.forEach(printer::print);
        printer.flush();
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines().map(l -> l.substring(0, 36)).toList())
                .containsExactly("[-0.999999000] (+?.?????????) edgeho",
                        "[00:00:00.999998000] (+0.000001000) ",
                        // babeltrace2 prints a negative delta as an unsigned 64-bit number
                        "[00:00:01.500000000] (+18446744073.2");
        assertThat(warnings.toString())
                .isEqualTo("[warning] Fallback to [sec.ns] to print negative time value. Use --clock-seconds.\n");
    }

    @Test
    void environmentPrefixAndMissingClock() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("procname", "app");
        Trace noHost = trace(env);
        StreamFile stream = new StreamFile(noHost, Path.of("s"), 0, -1);
        EventClass nofields = EVENT_CLASSES.get(7);
        Event withClock = new HandMadeEvent(nofields, stream, BASE_NS, 0, Map.of(Scope.PACKET_CONTEXT, CPU0));
        Event withoutClock = new HandMadeEvent(nofields, stream, Long.MIN_VALUE, 0, Map.of(Scope.PACKET_CONTEXT, CPU0));
        assertThat(print(GMT, List.of(withClock, withoutClock))).isEqualTo(
                "[12:26:40.000000000] (+?.?????????) app nofields: { cpu_id = 0 }\n"
                        + "app nofields: { cpu_id = 0 }\n");
    }

    @Test
    void discardedDataIsReportedOnTheWarningStream() {
        StringWriter warnings = new StringWriter();
        PrettyPrinter printer = new PrettyPrinter(new ByteArrayOutputStream(), new PrintWriter(warnings), GMT,
                Path.of("edge").getParent());
        printer.print(null, new Discard(Discard.Kind.EVENTS, 2, BASE_NS + 13000, BASE_NS + 102000, 0, 0,
                new StreamFile(TRACE, Path.of("edge", "stream_0"), 0, 5)));
        printer.print(null, new Discard(Discard.Kind.PACKETS, 1, BASE_NS + 102000, BASE_NS + 200000, 0, 0,
                new StreamFile(TRACE, Path.of("edge", "stream_0"), 0, 5)));
        String path = Path.of("edge", "stream_0").toAbsolutePath().toString();
        assertThat(warnings.toString()).isEqualTo(
                "WARNING: Tracer discarded 2 events between [12:26:40.000013000] and [12:26:40.000102000] in trace "
                        + "\"edgehost\" (UUID: 2a6422d0-6cee-11e0-8c08-cb07d7b3a564) within stream \"" + path
                        + "\" (stream class ID: 0, stream ID: 5).\n"
                        + "WARNING: Tracer discarded 1 packet between [12:26:40.000102000] and [12:26:40.000200000] "
                        + "in trace \"edgehost\" (UUID: 2a6422d0-6cee-11e0-8c08-cb07d7b3a564) within stream \"" + path
                        + "\" (stream class ID: 0, stream ID: 5).\n");
    }
}
