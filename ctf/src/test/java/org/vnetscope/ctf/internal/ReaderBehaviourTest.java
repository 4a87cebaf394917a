package org.vnetscope.ctf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vnetscope.ctf.internal.Model.field;
import static org.vnetscope.ctf.internal.Model.u;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetscope.ctf.CtfException;
import org.vnetscope.ctf.Discard;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.FieldKey;
import org.vnetscope.ctf.Scope;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.ctf.meta.EventClass;
import org.vnetscope.ctf.meta.SequenceType;
import org.vnetscope.ctf.meta.StringType;
import org.vnetscope.ctf.meta.StructType;
import org.vnetscope.ctf.meta.TraceClass;

/** Hand-built LTTng-shaped streams: clocks, discards, merge order and every decoding error. */
class ReaderBehaviourTest {
    private static final FieldKey VALUE = FieldKey.of("value");
    /** Byte offset of content_size in the LTTng packet: after the 32-byte header and two timestamps. */
    private static final int CONTENT_SIZE_AT = 32 + 16;
    private static final int HEADER_BITS = (4 + 16 + 4 + 8) * 8 + (8 * 6 + 4) * 8;

    @TempDir
    Path dir;

    static TraceClass lttng(long offsetSeconds, long offsetCycles, long frequency, EventClass... events) {
        return Model.trace(Model.lttngPacketHeader(), Model.clock(frequency, offsetSeconds, offsetCycles),
                Model.stream(0, Model.lttngPacketContext(), Model.lttngCompactHeader(), StructType.EMPTY, events));
    }

    static EventClass valueEvent(long id) {
        return Model.event(id, "ev" + id, Model.struct(field("value", u(32))));
    }

    /** Appends a compact-header event with a 27-bit timestamp and a 32-bit payload. */
    static void compact(BitWriter w, int id, long timestamp27, long value) {
        w.align(8).le(id, 5).le(timestamp27, 27).u32(value);
    }

    /** Appends an extended-header event with a full 64-bit timestamp. */
    static void extended(BitWriter w, long id, long timestamp, long value) {
        w.align(8).le(31, 5).align(8).u32(id).u64(timestamp).u32(value);
    }

    /**
     * Two CPUs, four packets each of 1000 ns with an event every 100 ns (values 1 and 2 alternating); CPU 0 loses
     * its third packet (a sequence gap), CPU 1 reports 5 discarded events from its third on. Shared by the tests of
     * the reader's parts and of reading ahead.
     */
    static Map<String, byte[]> twoCpus() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int cpu = 0; cpu < 2; cpu++) {
            List<byte[]> packets = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                if (cpu == 0 && p == 2) {
                    continue;
                }
                long begin = 10_000L + p * 1000L;
                long discarded = cpu == 1 && p >= 2 ? 5 : 0;
                int first = cpu * 1000 + p * 10;
                int shift = cpu * 30;
                packets.add(packet(cpu, begin, begin + 1000, p, discarded, 0, w -> {
                    for (int e = 0; e < 10; e++) {
                        compact(w, 1 + e % 2, begin + shift + e * 100, first + e);
                    }
                }));
            }
            files.put("chan_" + cpu, BitWriter.concat(packets.toArray(byte[][]::new)));
        }
        return files;
    }

    /** A whole packet: header, context with sizes filled in, events written by the callback. */
    static byte[] packet(long instance, long begin, long end, long seq, long discarded, int paddingBytes,
                                 java.util.function.Consumer<BitWriter> events) {
        BitWriter body = new BitWriter();
        body.padTo(HEADER_BITS);
        events.accept(body);
        long content = body.position();
        long size = (content + 7) / 8 * 8 + paddingBytes * 8L;
        BitWriter w = Model.lttngPacket(instance, begin, end, content, size, seq, discarded);
        byte[] head = w.bytes();
        byte[] all = body.padTo(size).bytes();
        System.arraycopy(head, 0, all, 0, head.length);
        return all;
    }

    static List<String> read(TraceReader reader) {
        List<String> records = new ArrayList<>();
        while (reader.next()) {
            Event event = reader.event();
            if (event != null) {
                records.add(event.timestampNs() + " " + event.name() + " " + event.getLong(VALUE) + " "
                        + event.stream().path().getFileName());
            } else {
                Discard lost = reader.discard();
                records.add(lost.beginNs() + " lost " + lost.kind() + " " + lost.count() + " until " + lost.endNs());
            }
        }
        return records;
    }

    @Test
    void compactTimestampsWrapAndConvertExactly() {
        long base = (7L << 27) + (1L << 27) - 20;   // 20 cycles before a 27-bit wrap
        byte[] data = packet(0, base, base + 100, 0, 0, 16, w -> {
            compact(w, 1, (base + 5) & ((1 << 27) - 1), 1);
            compact(w, 1, (base + 30) & ((1 << 27) - 1), 2);   // low bits smaller: wrapped once
            extended(w, 2, base + 40, 3);
            compact(w, 1, (base + 41) & ((1 << 27) - 1), 4);
        });
        // offset 1.5 s + 7 cycles at 3 GHz: ns = 1.5e9 + floor((7 + cycles) / 3)
        TraceClass metadata = lttng(1, 1_500_000_000L + 7, 3_000_000_000L, valueEvent(1), valueEvent(2));
        List<Long> cycles = new ArrayList<>();
        List<Long> ns = new ArrayList<>();
        try (TraceReader reader = Model.open(dir.resolve("t"), metadata, Map.of("chan_0", data))) {
            while (reader.next()) {
                cycles.add(reader.event().cycles());
                ns.add(reader.event().timestampNs());
            }
        }
        assertThat(cycles).containsExactly(base + 5, base + 30, base + 40, base + 41);
        // ns = offset_s * 1e9 + floor((offset + cycles) * 1e9 / freq), computed independently with BigInteger
        for (int i = 0; i < cycles.size(); i++) {
            java.math.BigInteger exact = java.math.BigInteger.valueOf(1_500_000_007L).add(java.math.BigInteger.valueOf(cycles.get(i)))
                    .multiply(java.math.BigInteger.valueOf(1_000_000_000L)).divide(java.math.BigInteger.valueOf(3_000_000_000L))
                    .add(java.math.BigInteger.valueOf(1_000_000_000L));
            assertThat(ns.get(i)).isEqualTo(exact.longValueExact());
        }
    }

    @Test
    void discardsComeBetweenPacketsWithBabeltraceRanges() {
        byte[] data = BitWriter.concat(
                packet(0, 1000, 2000, 0, 0, 0, w -> compact(w, 1, 1500, 1)),
                packet(0, 5000, 6000, 3, 5, 8, w -> compact(w, 1, 5500, 2)));
        TraceClass metadata = lttng(0, 0, 1_000_000_000L, valueEvent(1));
        try (TraceReader reader = Model.open(dir.resolve("t"), metadata, Map.of("chan_0", data))) {
            assertThat(read(reader)).containsExactly(
                    "1500 ev1 1 chan_0",
                    "2000 lost EVENTS 5 until 6000",   // previous packet end .. this packet end
                    "2000 lost PACKETS 2 until 5000",  // previous packet end .. this packet begin
                    "5500 ev1 2 chan_0");
        }
    }

    @Test
    void streamsMergeByTimestampThenStreamInstanceId() {
        // File names sort opposite to the stream instance ids: ties follow the ids, as babeltrace2's muxer does.
        byte[] first = packet(1, 0, 100, 0, 0, 0, w -> {
            compact(w, 1, 10, 10);
            compact(w, 1, 20, 11);
            compact(w, 1, 40, 12);
        });
        byte[] second = packet(0, 0, 100, 0, 0, 0, w -> {
            compact(w, 1, 20, 20);
            compact(w, 1, 30, 21);
            compact(w, 1, 40, 22);
        });
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("a_stream", first);
        files.put("b_stream", second);
        try (TraceReader reader = Model.open(dir.resolve("t"), lttng(0, 0, 1_000_000_000L, valueEvent(1)), files)) {
            assertThat(read(reader)).containsExactly(
                    "10 ev1 10 a_stream", "20 ev1 20 b_stream", "20 ev1 11 a_stream", "30 ev1 21 b_stream",
                    "40 ev1 22 b_stream", "40 ev1 12 a_stream");
        }
    }

    @Test
    void timestampsGoingBackwardsWarnAndKeepStreamOrder() {
        byte[] data = packet(0, 0, 100, 0, 0, 0, w -> {
            extended(w, 1, 50, 1);
            extended(w, 1, 40, 2);
        });
        List<String> warnings = new ArrayList<>();
        Path trace = dir.resolve("t");
        Model.open(trace, lttng(0, 0, 1_000_000_000L, valueEvent(1)), Map.of("chan_0", data)).close();
        try (TraceReader reader = Readers.open(trace, warnings::add,
                (p, w) -> lttng(0, 0, 1_000_000_000L, valueEvent(1)))) {
            assertThat(read(reader)).containsExactly("50 ev1 1 chan_0", "40 ev1 2 chan_0");
        }
        assertThat(warnings).singleElement().asString().contains("backwards");
    }

    @Test
    void sequencesStringsAndVariantsDecode() {
        StructType payload = Model.struct(
                field("len", u(8)),
                field("data", new SequenceType(u(8), Model.ref(Scope.EVENT_PAYLOAD, "len"), "len")),
                field("name", new StringType(org.vnetscope.ctf.meta.Encoding.UTF8)),
                field("value", u(32)));
        byte[] data = packet(0, 0, 100, 0, 0, 0, w -> {
            compact(w, 1, 5, 0);   // placeholder event of the other class keeps ids honest
            w.align(8).le(3, 5).le(6, 27).u8(3).u8(0xAA).u8(0xBB).u8(0xCC).string("eth0").u32(99);
        });
        TraceClass metadata = lttng(0, 0, 1_000_000_000L, valueEvent(1), Model.event(3, "seq", payload));
        try (TraceReader reader = Model.open(dir.resolve("t"), metadata, Map.of("chan_0", data))) {
            assertThat(reader.next()).isTrue();
            assertThat(reader.next()).isTrue();
            Event event = reader.event();
            assertThat(event.name()).isEqualTo("seq");
            assertThat(event.getBytes(FieldKey.of("data"))).containsExactly(0xAA, 0xBB, 0xCC);
            assertThat(event.getString(FieldKey.of("name"))).isEqualTo("eth0");
            assertThat(event.getLong(VALUE)).isEqualTo(99);
            assertThat(event.has(FieldKey.of("nothing"))).isFalse();
            assertThat(event.getLong(FieldKey.of("cpu_id"))).as("packet context field").isZero();
            assertThat(event.scope(Scope.EVENT_PAYLOAD)).containsExactly(3L, new Object[] {0xAAL, 0xBBL, 0xCCL},
                    "eth0", 99L);
            assertThat(reader.next()).isFalse();
        }
    }

    /** A string, then fields at fixed offsets after it (read as one run), one of them big-endian and signed. */
    @Test
    void fixedLayoutFieldsAfterAStringDecode() {
        StructType payload = Model.struct(
                field("name", new StringType(org.vnetscope.ctf.meta.Encoding.UTF8)),
                field("small", u(8)),
                field("mac", new org.vnetscope.ctf.meta.ArrayType(u(8), 6)),
                field("signed_be", Model.integer(16, 8, true, java.nio.ByteOrder.BIG_ENDIAN)),
                field("value", u(32)),
                field("wide", Model.integer(64, 64, false, java.nio.ByteOrder.LITTLE_ENDIAN)));
        byte[] data = packet(0, 0, 100, 0, 0, 0, w -> w.align(8).le(1, 5).le(6, 27).string("abc").u8(7)
                .raw(new byte[] {1, 2, 3, 4, 5, 6}).be(0xFFFE, 16).u32(99).align(64).u64(1L << 40));
        TraceClass metadata = lttng(0, 0, 1_000_000_000L, Model.event(1, "fixed", payload));
        try (TraceReader reader = Model.open(dir.resolve("t"), metadata, Map.of("chan_0", data))) {
            assertThat(reader.next()).isTrue();
            Event event = reader.event();
            assertThat(event.getLong(FieldKey.of("small"))).isEqualTo(7);
            assertThat(event.getBytes(FieldKey.of("mac"))).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(event.getLong(FieldKey.of("signed_be"))).isEqualTo(-2);
            assertThat(event.getLong(VALUE)).isEqualTo(99);
            assertThat(event.getLong(FieldKey.of("wide"))).isEqualTo(1L << 40);
            assertThat(reader.next()).isFalse();
        }
    }

    // ---------------------------------------------------------------- errors

    private void assertFails(TraceClass metadata, byte[] data, String message) {
        assertThatThrownBy(() -> {
            try (TraceReader reader = Model.open(dir.resolve("e" + System.nanoTime()), metadata,
                    Map.of("chan_0", data))) {
                while (reader.next()) {
                    // read everything
                }
            }
        }).isInstanceOf(CtfException.class).hasMessageContaining("chan_0").hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private static final TraceClass PLAIN = lttng(0, 0, 1_000_000_000L, valueEvent(1));

    @Test
    void packetSizeBeyondTheFileIsAnError() {
        byte[] data = packet(0, 0, 100, 0, 0, 0, w -> compact(w, 1, 5, 1));
        assertFails(PLAIN, java.util.Arrays.copyOf(data, data.length - 2), "goes beyond the end of the file");
    }

    @Test
    void contentLargerThanPacketIsAnError() {
        byte[] data = packet(0, 0, 100, 0, 0, 0, w -> compact(w, 1, 5, 1));
        java.nio.ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(CONTENT_SIZE_AT, data.length * 8L + 8);
        assertFails(PLAIN, data, "is larger than packet_size");
    }

    @Test
    void badMagicIsAnError() {
        byte[] data = packet(0, 0, 100, 0, 0, 0, w -> compact(w, 1, 5, 1));
        data[0] = 0;
        assertFails(PLAIN, data, "bad packet magic");
    }

    @Test
    void packetsOfAnotherUuidAreReadWithOneWarningPerStream() {
        // babeltrace2 reads such packets (its own "intersection" test traces are made so) and prints every event.
        byte[] first = packet(0, 0, 100, 0, 0, 0, w -> compact(w, 1, 5, 1));
        byte[] second = packet(0, 100, 200, 1, 0, 0, w -> compact(w, 1, 150, 2));
        first[10] ^= 1;
        second[11] ^= 1;
        byte[] other = packet(1, 0, 100, 0, 0, 0, w -> compact(w, 1, 7, 3));
        other[10] ^= 1;
        List<String> warnings = new ArrayList<>();
        Path trace = dir.resolve("t");
        Model.open(trace, PLAIN, Map.of("chan_0", BitWriter.concat(first, second), "chan_1", other)).close();
        try (TraceReader reader = Readers.open(trace, warnings::add, (p, w) -> PLAIN)) {
            assertThat(read(reader)).containsExactly("5 ev1 1 chan_0", "7 ev1 3 chan_1", "150 ev1 2 chan_0");
        }
        assertThat(warnings).hasSize(2).allSatisfy(w -> assertThat(w).contains("at byte 0: packet uuid ")
                .contains("differs from the metadata's"));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("chan_0"))
                .anySatisfy(w -> assertThat(w).contains("chan_1"));
    }

    @Test
    void unknownEventIdIsAnError() {
        assertFails(PLAIN, packet(0, 0, 100, 0, 0, 0, w -> compact(w, 7, 5, 1)), "unknown event id 7");
    }

    @Test
    void eventCrossingTheContentIsAnError() {
        byte[] data = packet(0, 0, 100, 0, 0, 8, w -> compact(w, 1, 5, 1));
        java.nio.ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(CONTENT_SIZE_AT, HEADER_BITS + 40);
        assertFails(PLAIN, data, "crosses the end of the packet content");
    }

    @Test
    void fieldOfAFixedRunCrossingTheContentIsNamed() {
        StructType payload = Model.struct(field("first", u(32)), field("second", u(32)));
        TraceClass metadata = lttng(0, 0, 1_000_000_000L, Model.event(1, "pair", payload));
        byte[] data = packet(0, 0, 100, 0, 0, 8, w -> w.align(8).le(1, 5).le(5, 27).u32(1).u32(2));
        java.nio.ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(CONTENT_SIZE_AT, HEADER_BITS + 80);
        assertFails(metadata, data, "event payload field second (32 bits at bit 0) crosses the end of the packet content");
    }

    @Test
    void hugeSequenceLengthFailsBeforeAllocating() {
        StructType payload = Model.struct(field("len", u(32)),
                field("data", new SequenceType(u(32), Model.ref(Scope.EVENT_PAYLOAD, "len"), "len")));
        TraceClass metadata = lttng(0, 0, 1_000_000_000L, Model.event(1, "seq", payload));
        byte[] data = packet(0, 0, 100, 0, 0, 0, w -> w.align(8).le(1, 5).le(5, 27).u32(0xFFFFFFFFL).u32(1));
        assertFails(metadata, data, "length 4294967295 goes beyond");
    }

    @Test
    void ofSeveralBrokenTracesTheFirstInOrderIsReportedThoughTheyAreParsedInParallel() throws Exception {
        Path set = dir.resolve("set");
        for (String name : List.of("a", "b", "c", "d")) {
            java.nio.file.Files.createDirectories(set.resolve(name));
            java.nio.file.Files.writeString(set.resolve(name).resolve("metadata"), "/* CTF 1.8 */ bogus " + name + ";");
        }
        for (int attempt = 0; attempt < 20; attempt++) {
            assertThatThrownBy(() -> TraceReader.open(set)).isInstanceOf(CtfException.class)
                    .hasMessageContaining(set.resolve("a").resolve("metadata").toString());
        }
    }
}
