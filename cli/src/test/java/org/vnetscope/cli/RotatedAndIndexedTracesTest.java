package org.vnetscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetscope.ctf.StreamFile;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.ctf.meta.ClockClass;

/**
 * A real lab trace as LTTng writes it with other channel settings, against babeltrace2 2.0.4 run live on the same
 * copies: streams rotated over several files ({@code --tracefile-size}), the oldest of them gone
 * ({@code --tracefile-count}), events and packets lost, time ranges ({@code --begin}/{@code --end}), and index files
 * that do not describe their streams.
 */
class RotatedAndIndexedTracesTest {

    @TempDir
    Path dir;

    private static Path bridgeBasic() {
        return SharedTraces.root().resolve("lab/bridge-basic/trace/kernel");
    }

    private record Run(byte[] stdout, String stderr, int exitCode) {
        String text() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    private static Run dump(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of("dump"));
        command.addAll(arguments);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = Main.run(command.toArray(String[]::new), out, err);
        return new Run(out.toByteArray(), err.toString(StandardCharsets.UTF_8), exitCode);
    }

    /** Our dump of the trace, after checking that it prints what babeltrace2 prints, warnings included. */
    private static Run sameAsBabeltrace(Path trace, String... options) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(options));
        arguments.add(trace.toString());
        SharedTraces.Output expected = SharedTraces.runBabeltrace(Map.of("TZ", "UTC"), arguments);
        assertThat(expected.exitCode()).as("babeltrace2 exit code: %s", expected.stderr()).isZero();
        Run ours = dump(arguments);
        assertThat(ours.exitCode()).as("exit code; stderr:%n%s", ours.stderr()).isZero();
        assertThat(SharedTraces.firstDifference(expected.stdout(), ours.stdout())).as(arguments.toString()).isNull();
        assertThat(warnings(ours.stderr())).as(arguments.toString()).isEqualTo(warnings(expected.stderr()));
        return ours;
    }

    /** The discarded-data reports, which babeltrace2 writes to its standard error. */
    private static List<String> warnings(String stderr) {
        return stderr.lines().filter(line -> line.startsWith("WARNING: ")).toList();
    }

    private static List<String> files(Path trace) throws IOException {
        try (Stream<Path> files = Files.list(trace)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> streamPaths(Path trace) {
        try (TraceReader reader = TraceReader.open(trace)) {
            return reader.streams().stream().map(StreamFile::path).map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void aRotatedCopyDumpsLikeBabeltraceAndLikeTheOriginal() throws Exception {
        Path rotated = LttngCopies.rotated(bridgeBasic(), dir.resolve("rotated"), 3, 0);
        assertThat(files(rotated)).containsExactly("chan0_0_0", "chan0_0_1", "chan0_0_2", "chan0_1_0", "chan0_1_1",
                "index", "metadata");
        assertThat(streamPaths(rotated)).containsExactly("chan0_0_0", "chan0_1_0");
        Run ours = sameAsBabeltrace(rotated, "--clock-gmt");
        assertThat(ours.text()).isEqualTo(dump(List.of("--clock-gmt", bridgeBasic().toString())).text());
        assertThat(ours.stderr()).as("the copy's index files describe its files").isEmpty();
    }

    @Test
    void aCountLimitedRotationStartsLateAndReportsNoLossForThat() throws Exception {
        // chan0_0's 8 packets make 4 files of 2; with 3 kept, the first is gone and the fourth took the name _0.
        Path wrapped = LttngCopies.rotated(bridgeBasic(), dir.resolve("wrapped"), 2, 3);
        assertThat(files(wrapped)).containsExactly("chan0_0_0", "chan0_0_1", "chan0_0_2", "chan0_1_0", "chan0_1_1",
                "index", "metadata");
        assertThat(streamPaths(wrapped)).as("each stream is named after its earliest file")
                .containsExactly("chan0_0_1", "chan0_1_0");
        Run ours = sameAsBabeltrace(wrapped, "--clock-gmt");
        assertThat(ours.stderr()).as("its first packet_seq_num is 2: not a loss within the trace").isEmpty();
        String whole = dump(List.of("--clock-gmt", bridgeBasic().toString())).text();
        assertThat(ours.text().lines().count()).isLessThan(whole.lines().count());
    }

    @Test
    void lossesAreReportedOnceWhereverTheStreamIsCut() throws Exception {
        Path lossy = LttngCopies.lossy(bridgeBasic(), dir.resolve("lossy"), "chan0_0");
        Run whole = sameAsBabeltrace(lossy, "--clock-gmt");
        List<String> reports = warnings(whole.stderr());
        assertThat(reports).hasSize(3);
        assertThat(reports.get(0)).contains("discarded 5 events");
        assertThat(reports.get(1)).contains("discarded 1 packet ");
        assertThat(reports.get(2)).contains("discarded 7 events");
        for (int perFile : new int[] {1, 3}) {
            Path rotated = LttngCopies.rotated(lossy, dir.resolve("lossy-" + perFile), perFile, 0);
            Run ours = sameAsBabeltrace(rotated, "--clock-gmt");
            assertThat(ours.text()).isEqualTo(whole.text());
            assertThat(warnings(ours.stderr())).isEqualTo(reports.stream()
                    .map(line -> line.replace(lossy.resolve("chan0_0").toString(),
                            rotated.resolve("chan0_0_0").toString()))
                    .toList());
        }
        // The oldest file gone: the first packet left already counts 5 discarded events, from before it.
        Path wrapped = LttngCopies.rotated(lossy, dir.resolve("lossy-wrapped"), 2, 3);
        Run ours = sameAsBabeltrace(wrapped, "--clock-gmt");
        assertThat(warnings(ours.stderr())).hasSize(3).first().asString().contains("may have discarded events");
    }

    @Test
    void timeRangesDumpLikeBabeltrace() throws Exception {
        Path trace = bridgeBasic();
        // The trace runs from 22:56:38.26 to 22:56:54.45 UTC (2026-11-25).
        assertThat(sameAsBabeltrace(trace, "--clock-gmt", "--begin", "22:56:45", "--end", "22:56:46")
                .text().lines().count()).isEqualTo(291);
        sameAsBabeltrace(trace, "--clock-gmt", "--end", "22:56:40");
        sameAsBabeltrace(trace, "--clock-gmt", "--clock-cycles", "--begin", "2026-11-25 22:56:53.9");
        assertThat(sameAsBabeltrace(trace, "--clock-gmt", "--timerange",
                "[1795647405.021503605,1795647405.021542365]").text().lines()).hasSize(2);
        assertThat(sameAsBabeltrace(trace, "--clock-gmt", "--begin", "2026-11-26").stdout()).isEmpty();
        // The lossy copy's discards run from 22:56:48.83 to 49.47 (5 events) and 50.75 to 51.38 (7 events): the
        // range cuts both, which then have no count; the lost packet (49.47 to 50.11) lies within.
        Path rotated = LttngCopies.rotated(LttngCopies.lossy(trace, dir.resolve("lossy"), "chan0_0"),
                dir.resolve("rotated"), 2, 0);
        Run cut = sameAsBabeltrace(rotated, "--clock-gmt", "--begin", "22:56:49", "--end", "22:56:51");
        assertThat(warnings(cut.stderr())).hasSize(3).satisfiesExactly(
                first -> assertThat(first).contains("may have discarded events between [22:56:49.000000000]"),
                second -> assertThat(second).contains("discarded 1 packet "),
                third -> assertThat(third).contains("may have discarded events").contains("[22:56:51.000000000]"));
    }

    /** The bounds of chan0_0's packets, in ns since the epoch, from its index and its clock. */
    private static long[][] packetTimes(Path trace) throws IOException {
        ClockClass clock;
        try (TraceReader reader = TraceReader.open(trace)) {
            clock = reader.traces().get(0).metadata().clocks().values().iterator().next();
        }
        assertThat(clock.frequency()).isEqualTo(1_000_000_000L);
        long origin = clock.offsetSeconds() * 1_000_000_000L + clock.offsetCycles();
        return LttngCopies.layout(trace, "chan0_0").stream()
                .map(p -> new long[] {p[0], p[1], origin + p[2], origin + p[3]}).toArray(long[][]::new);
    }

    @Test
    void packetsBeforeTheRangeAreNeitherDecodedNorNeedToBeReadable() throws Exception {
        Path copy = LttngCopies.copy(bridgeBasic(), dir.resolve("spoiled"));
        long[][] packets = packetTimes(copy);
        byte[] stream = Files.readAllBytes(copy.resolve("chan0_0"));
        for (int p = 0; p < 3; p++) {
            // the events of the first three packets (from byte 88, after header and context) become undeclared ids
            java.util.Arrays.fill(stream, (int) packets[p][0] + 88, (int) (packets[p][0] + packets[p][1]), (byte) 0xFF);
        }
        // and the second packet's magic is gone: only the index tells where the third begins
        ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN).putInt((int) packets[1][0], 0);
        Files.write(copy.resolve("chan0_0"), stream);

        Run full = dump(List.of("--clock-gmt", copy.toString()));
        assertThat(full.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(full.stderr()).contains(copy.resolve("chan0_0").toString());

        long begin = packets[3][2] + 1;
        String bound = String.format("%d.%09d", begin / 1_000_000_000L, begin % 1_000_000_000L);
        SharedTraces.Output expected = SharedTraces.runBabeltrace(Map.of("TZ", "UTC"),
                List.of("--clock-gmt", "--begin", bound, bridgeBasic().toString()));
        Run ours = dump(List.of("--clock-gmt", "--begin", bound, copy.toString()));
        assertThat(ours.exitCode()).as(ours.stderr()).isZero();
        assertThat(ours.stderr()).isEmpty();
        assertThat(SharedTraces.firstDifference(expected.stdout(), ours.stdout())).isNull();
        assertThat(ours.text().lines().count()).isGreaterThan(10_000);
    }

    @Test
    void anIndexThatDisagreesWithItsStreamIsReportedInOneLineAndChangesNothing() throws Exception {
        Map<String, java.util.function.Consumer<ByteBuffer>> spoilers = Map.of(
                "bad magic", index -> index.putInt(0, 0xC1F1DC00),
                "past the end of the stream file", index -> index.putLong(16 + 72 * 7 + 8, 1L << 30),
                // the last packet before 22:56:50, whose header the reader reads: a content one byte short
                "packet 2 (byte 524288): index content_size", index -> index.putLong(16 + 72 * 2 + 16,
                        index.getLong(16 + 72 * 2 + 16) - 8));
        for (Map.Entry<String, java.util.function.Consumer<ByteBuffer>> spoiler : spoilers.entrySet()) {
            Path copy = LttngCopies.copy(bridgeBasic(), dir.resolve(spoiler.getKey().replace(' ', '-')));
            Path index = copy.resolve("index/chan0_0.idx");
            byte[] bytes = Files.readAllBytes(index);
            spoiler.getValue().accept(ByteBuffer.wrap(bytes));
            Files.write(index, bytes);
            // babeltrace2 2.0.4 trusts an index that looks well-formed (a wrong packet size there makes it fail on
            // a packet magic): the oracle is its output on the intact trace.
            SharedTraces.Output expected = SharedTraces.runBabeltrace(Map.of("TZ", "UTC"),
                    List.of("--clock-gmt", "--begin", "22:56:50", bridgeBasic().toString()));
            Run ours = dump(List.of("--clock-gmt", "--begin", "22:56:50", copy.toString()));
            assertThat(ours.exitCode()).as(ours.stderr()).isZero();
            assertThat(SharedTraces.firstDifference(expected.stdout(), ours.stdout())).as(spoiler.getKey()).isNull();
            assertThat(ours.stderr().lines().filter(line -> line.startsWith("vnetscope: warning: ")))
                    .as(spoiler.getKey()).singleElement().asString()
                    .contains(index.toString()).contains(spoiler.getKey()).contains("index ignored");
        }
    }
}
