package org.vnetscope.ctf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vnetscope.ctf.internal.ReaderBehaviourTest.compact;
import static org.vnetscope.ctf.internal.ReaderBehaviourTest.lttng;
import static org.vnetscope.ctf.internal.ReaderBehaviourTest.packet;
import static org.vnetscope.ctf.internal.ReaderBehaviourTest.read;
import static org.vnetscope.ctf.internal.ReaderBehaviourTest.valueEvent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetscope.ctf.CtfException;
import org.vnetscope.ctf.StreamFile;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.ctf.meta.TraceClass;

/**
 * Hand-built LTTng streams for what real traces show only in part: a stream rotated over several files
 * ({@code --tracefile-size}, {@code --tracefile-count}), LTTng index files, good and bad, and time ranges.
 * The cut copies of real lab traces, compared with babeltrace2, are in the command line's tests.
 */
class RotationAndIndexTest {
    private static final TraceClass METADATA = lttng(0, 0, 1_000_000_000L, valueEvent(1), valueEvent(2));
    /** Byte offsets in {@link Model#lttngPacket}: after the 32-byte header, the context's 64-bit fields. */
    private static final int BEGIN_AT = 32;
    private static final int END_AT = 40;
    private static final int CONTENT_AT = 48;
    private static final int SIZE_AT = 56;
    private static final int SEQ_AT = 64;
    private static final int DISCARDED_AT = 72;
    private static final int INSTANCE_AT = 24;

    @TempDir
    Path dir;

    /** A packet of instance 0 with one event in the middle of [begin, begin + 100]. */
    private static byte[] packetAt(long begin, long seq, long discarded, long value) {
        return packet(0, begin, begin + 100, seq, discarded, 0, w -> compact(w, 1, begin + 50, value));
    }

    /**
     * Six packets of one CPU: seq 3 to 9 with 6 lost, 2 events discarded in packet 5 and 4 more in packet 8. With
     * {@code --tracefile-count 3} the oldest file is gone and the newest went to the oldest name, {@code chan_0_0}.
     */
    private static Map<String, byte[]> rotatedFiles() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("chan_0_0", BitWriter.concat(packetAt(7000, 8, 6, 8), packetAt(8000, 9, 6, 9)));
        files.put("chan_0_1", BitWriter.concat(packetAt(3000, 3, 0, 3), packetAt(4000, 4, 0, 4)));
        files.put("chan_0_2", BitWriter.concat(packetAt(5000, 5, 2, 5), packetAt(6000, 7, 2, 7)));
        return files;
    }

    @Test
    void aRotatedStreamIsOneStreamReadFromItsEarliestFileWithCountersCarriedAcrossFiles() {
        try (TraceReader reader = Model.open(dir.resolve("t"), METADATA, rotatedFiles())) {
            assertThat(reader.streams()).singleElement().satisfies(stream -> {
                assertThat(stream.path().getFileName()).hasToString("chan_0_1");
                assertThat(stream.streamInstanceId()).isZero();
            });
            assertThat(read(reader)).containsExactly(
                    "3050 ev1 3 chan_0_1",
                    "4050 ev1 4 chan_0_1",
                    // the first packet of the next file continues the counters of the last one of the previous
                    "4100 lost EVENTS 2 until 5100",
                    "5050 ev1 5 chan_0_1",
                    "5100 lost PACKETS 1 until 6000",
                    "6050 ev1 7 chan_0_1",
                    "6100 lost EVENTS 4 until 7100",
                    "7050 ev1 8 chan_0_1",
                    "8050 ev1 9 chan_0_1");
        }
    }

    @Test
    void eachFileReadAloneWouldReportLossesThatDidNotHappen() {
        // The same files in three trace folders: what treating each file as a stream would say.
        List<String> records = new ArrayList<>();
        rotatedFiles().forEach((name, data) -> {
            try (TraceReader reader = Model.open(dir.resolve(name), METADATA, Map.of(name, data))) {
                records.addAll(read(reader));
            }
        });
        assertThat(records).contains("7000 lost EVENTS -1 until 7100", "5000 lost EVENTS -1 until 5100");
    }

    @Test
    void filesOfDifferentInstancesOrWithoutTimestampsAreNotJoined() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("chan_0_0", packetAt(1000, 0, 0, 1));
        files.put("chan_1_0", packet(1, 2000, 2100, 0, 0, 0, w -> compact(w, 1, 2050, 2)));
        try (TraceReader reader = Model.open(dir.resolve("t"), METADATA, files)) {
            assertThat(reader.streams()).extracting(StreamFile::streamInstanceId).containsExactly(0L, 1L);
        }
        // Without timestamp_begin nothing orders the files of an instance: each stays a stream of its own.
        TraceClass untimed = Model.trace(Model.lttngPacketHeader(), Model.clock(1_000_000_000L, 0, 0),
                Model.stream(0, Model.struct(Model.field("content_size", Model.u(64)),
                        Model.field("packet_size", Model.u(64))), Model.lttngCompactHeader(),
                        org.vnetscope.ctf.meta.StructType.EMPTY, valueEvent(1)));
        Map<String, byte[]> plain = new LinkedHashMap<>();
        for (String name : List.of("chan_0_0", "chan_0_1")) {
            BitWriter w = new BitWriter().u32(0xC1FC1FC1L).raw(Model.uuidBytes()).u32(0).u64(0);
            w.u64(8 * 48 + 64).u64(8 * 48 + 64);
            compact(w, 1, 5, 1);
            plain.put(name, w.bytes());
        }
        try (TraceReader reader = Model.open(dir.resolve("u"), untimed, plain)) {
            assertThat(reader.streams()).hasSize(2);
        }
    }

    // ---------------------------------------------------------------- time ranges

    @Test
    void aTimeRangeKeepsWhatBabeltracesTrimmerKeeps() {
        try (TraceReader reader = Model.open(dir.resolve("t"), METADATA, rotatedFiles())) {
            reader.limitTo(5000, 7060);
            assertThat(read(reader)).containsExactly(
                    // discarded between 4100 and 5100: cut at the range's beginning, the count no longer known
                    "5000 lost EVENTS -1 until 5100",
                    "5050 ev1 5 chan_0_1",
                    "5100 lost PACKETS 1 until 6000",
                    "6050 ev1 7 chan_0_1",
                    // discarded between 6100 and 7100: cut at its end
                    "6100 lost EVENTS -1 until 7060",
                    "7050 ev1 8 chan_0_1");
        }
        try (TraceReader reader = Model.open(dir.resolve("t2"), METADATA, rotatedFiles())) {
            reader.limitTo(5050, 5050);
            assertThat(read(reader)).containsExactly("5050 lost EVENTS -1 until 5050", "5050 ev1 5 chan_0_1");
        }
    }

    @Test
    void theRangeIsSetBeforeReadingAndBeginsBeforeItEnds() {
        try (TraceReader reader = Model.open(dir.resolve("t"), METADATA, rotatedFiles())) {
            assertThatThrownBy(() -> reader.limitTo(2, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThat(reader.startNs()).isEqualTo(3000);
            reader.next();
            assertThatThrownBy(() -> reader.limitTo(1, 2)).isInstanceOf(IllegalStateException.class);
        }
    }

    /** Four packets whose first two hold an event of an undeclared class: decoding them fails. */
    private static byte[] brokenAtFirst() {
        return BitWriter.concat(
                packet(0, 1000, 1100, 0, 0, 0, w -> compact(w, 9, 1050, 1)),
                packet(0, 2000, 2100, 1, 0, 0, w -> compact(w, 9, 2050, 2)),
                packetAt(3000, 2, 0, 3),
                packetAt(4000, 3, 0, 4));
    }

    @Test
    void packetsBeforeTheRangeAreNotDecoded() {
        assertThatThrownBy(() -> read(Model.open(dir.resolve("full"), METADATA, Map.of("chan_0", brokenAtFirst()))))
                .isInstanceOf(CtfException.class).hasMessageContaining("unknown event id 9");
        try (TraceReader reader = Model.open(dir.resolve("t"), METADATA, Map.of("chan_0", brokenAtFirst()))) {
            // the second packet is decoded only if the third begins in the range: 3001 leaves it out
            reader.limitTo(3001, Long.MAX_VALUE);
            assertThat(read(reader)).containsExactly("3050 ev1 3 chan_0", "4050 ev1 4 chan_0");
        }
    }

    @Test
    void aPacketWhoseNextStartsInTheRangeIsDecoded() {
        // Old tracers wrote events after their packet's timestamp_end: the packet before the range is read.
        byte[] late = BitWriter.concat(
                packet(0, 1000, 1100, 0, 0, 0, w -> compact(w, 1, 1500, 1)),
                packetAt(2000, 1, 0, 2));
        try (TraceReader reader = Model.open(dir.resolve("t"), METADATA, Map.of("chan_0", late))) {
            reader.limitTo(1200, Long.MAX_VALUE);
            assertThat(read(reader)).containsExactly("1500 ev1 1 chan_0", "2050 ev1 2 chan_0");
        }
    }

    // ---------------------------------------------------------------- index files

    /** The LTTng index (version 1.1) of a stream file made of {@link Model#lttngPacket} packets. */
    static byte[] indexOf(byte[] stream) {
        ByteBuffer in = ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN);
        List<long[]> entries = new ArrayList<>();
        for (int at = 0; at < stream.length; ) {
            long size = in.getLong(at + SIZE_AT);
            entries.add(new long[] {at, size, in.getLong(at + CONTENT_AT), in.getLong(at + BEGIN_AT),
                    in.getLong(at + END_AT), in.getLong(at + DISCARDED_AT), 0, in.getLong(at + INSTANCE_AT),
                    in.getLong(at + SEQ_AT)});
            at += (int) (size / 8);
        }
        ByteBuffer out = ByteBuffer.allocate(16 + 72 * entries.size()).order(ByteOrder.BIG_ENDIAN);
        out.putInt((int) PacketIndex.MAGIC).putInt(1).putInt(1).putInt(72);
        for (long[] entry : entries) {
            for (long value : entry) {
                out.putLong(value);
            }
        }
        return out.array();
    }

    private Path traceWithIndex(String name, byte[] stream, byte[] index) throws IOException {
        Path trace = dir.resolve(name);
        Model.open(trace, METADATA, Map.of("chan_0", stream)).close();
        Files.createDirectories(trace.resolve("index"));
        Files.write(trace.resolve("index/chan_0.idx"), index);
        return trace;
    }

    private static TraceReader open(Path trace, List<String> warnings) {
        return Readers.open(trace, warnings::add, (path, w) -> METADATA);
    }

    private static byte[] fourPackets() {
        return BitWriter.concat(packetAt(1000, 0, 0, 1), packetAt(2000, 1, 0, 2), packetAt(3000, 2, 0, 3),
                packetAt(4000, 3, 0, 4));
    }

    @Test
    void theIndexLocatesPacketsWhoseHeadersAreNeverRead() throws IOException {
        byte[] stream = fourPackets();
        byte[] index = indexOf(stream);
        // The second packet's magic is spoiled: any read of its header fails.
        int second = (int) (ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN).getLong(SIZE_AT) / 8);
        ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN).putInt(second, 0);
        Path trace = traceWithIndex("t", stream, index);
        List<String> warnings = new ArrayList<>();
        try (TraceReader reader = open(trace, warnings)) {
            reader.limitTo(4050, Long.MAX_VALUE);
            // packet 1 is passed over from the index alone, 2 has its header read (for its counters), 3 is decoded
            assertThat(read(reader)).containsExactly("4050 ev1 4 chan_0");
        }
        assertThat(warnings).isEmpty();
        Files.delete(trace.resolve("index/chan_0.idx"));
        try (TraceReader reader = open(trace, warnings)) {
            reader.limitTo(4050, Long.MAX_VALUE);
            assertThatThrownBy(() -> read(reader)).as("without an index, the headers are read")
                    .isInstanceOf(CtfException.class).hasMessageContaining("bad packet magic");
        }
    }

    /** What a reader of the trace with this index gives for [3500, +inf), and the warnings. */
    private List<String> readWithIndex(String name, byte[] index, List<String> warnings) throws IOException {
        Path trace = traceWithIndex(name, fourPackets(), index);
        try (TraceReader reader = open(trace, warnings)) {
            reader.limitTo(3500, Long.MAX_VALUE);
            return read(reader);
        }
    }

    @Test
    void anIndexThatDisagreesWithItsStreamIsIgnoredWithAWarningNamingIt() throws IOException {
        byte[] good = indexOf(fourPackets());
        List<String> none = new ArrayList<>();
        List<String> expected = readWithIndex("good", good, none);
        assertThat(expected).containsExactly("4050 ev1 4 chan_0");
        assertThat(none).isEmpty();

        Map<String, String> cases = new LinkedHashMap<>();
        byte[] magic = good.clone();
        magic[3] = 0;
        cases.put("bad magic 0xC1F1DC00", "magic");
        byte[] version = good.clone();
        version[7] = 2;
        cases.put("unknown index version 2.1", "version");
        byte[] pastTheEnd = good.clone();
        ByteBuffer.wrap(pastTheEnd).putLong(16 + 72 * 3 + 8, 1L << 20);
        cases.put("packet 3 ends at byte", "pastTheEnd");
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 72);
        cases.put("cover", "truncated");
        byte[] ragged = java.util.Arrays.copyOf(good, good.length - 5);
        cases.put("not a whole number", "ragged");
        byte[] firstSize = good.clone();
        ByteBuffer.wrap(firstSize).putLong(16 + 16, ByteBuffer.wrap(firstSize).getLong(16 + 16) - 8);
        cases.put("packet 0 (byte 0): index content_size", "firstSize");
        byte[] laterTime = good.clone();
        ByteBuffer.wrap(laterTime).putLong(16 + 72 * 2 + 24, 2999);
        cases.put("packet 2 (byte ", "laterTime");
        Map<String, byte[]> indexes = Map.of("magic", magic, "version", version, "pastTheEnd", pastTheEnd,
                "truncated", truncated, "ragged", ragged, "firstSize", firstSize, "laterTime", laterTime);

        for (Map.Entry<String, String> c : cases.entrySet()) {
            List<String> warnings = new ArrayList<>();
            assertThat(readWithIndex(c.getValue(), indexes.get(c.getValue()), warnings)).as(c.getValue())
                    .isEqualTo(expected);
            assertThat(warnings).as(c.getValue()).singleElement().asString()
                    .contains(dir.resolve(c.getValue()).resolve("index/chan_0.idx").toString())
                    .contains(c.getKey()).contains("index ignored").doesNotContain("\n");
        }
    }

    @Test
    void theLabTracesIndexesDescribeTheirStreams() throws Exception {
        String traces = System.getProperty("vnetscope.traces");
        org.junit.jupiter.api.Assumptions.assumeTrue(traces != null && Files.isDirectory(Path.of(traces)),
                "shared traces folder not found (system property vnetscope.traces): skipped");
        for (String trace : List.of("lab/bridge-basic/trace/kernel", "public/tc-bug446190")) {
            Path directory = Path.of(traces, trace);
            List<String> warnings = new ArrayList<>();
            long packets = 0;
            try (java.util.stream.Stream<Path> files = Files.list(directory.resolve("index"))) {
                for (Path index : (Iterable<Path>) files::iterator) {
                    Path stream = directory.resolve(index.getFileName().toString().replace(".idx", ""));
                    packets += PacketIndex.read(index, Files.size(stream)).count;
                }
            }
            try (TraceReader reader = TraceReader.open(directory, warnings::add)) {
                while (reader.next()) {
                    // every packet opened is compared with its index entry
                }
            }
            assertThat(warnings).as(trace).isEmpty();
            // bridge-basic: 8 + 4 packets (index 1.1); tc-bug446190: 9 packets in 4 files (index 1.0)
            assertThat(packets).as(trace).isEqualTo(trace.startsWith("lab") ? 12 : 9);
        }
    }
}
