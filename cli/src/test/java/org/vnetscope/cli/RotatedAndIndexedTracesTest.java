package org.vnetscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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

/**
 * A real lab trace as LTTng writes it with other channel settings, against babeltrace2 2.0.4 run live on the same
 * copies: streams rotated over several files ({@code --tracefile-size}), the oldest of them gone
 * ({@code --tracefile-count}), events and packets lost.
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
}
