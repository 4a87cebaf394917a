package org.vnetscope.ctf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vnetscope.ctf.internal.ReaderBehaviourTest.compact;
import static org.vnetscope.ctf.internal.ReaderBehaviourTest.lttng;
import static org.vnetscope.ctf.internal.ReaderBehaviourTest.packet;
import static org.vnetscope.ctf.internal.ReaderBehaviourTest.read;
import static org.vnetscope.ctf.internal.ReaderBehaviourTest.valueEvent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetscope.ctf.StreamFile;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.ctf.meta.TraceClass;

/**
 * Hand-built LTTng streams for what real traces show only in part: a stream rotated over several files
 * ({@code --tracefile-size}, {@code --tracefile-count}). The cut copies of real lab traces, compared with
 * babeltrace2, are in the command line's tests.
 */
class RotationAndIndexTest {
    private static final TraceClass METADATA = lttng(0, 0, 1_000_000_000L, valueEvent(1), valueEvent(2));

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
}
