package org.vnetscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.vnetscope.ctf.TraceReader;

/** {@code dump --decode-only}: one reading or time parts on threads, the same count and checksum. */
class DecodeOnlyTest {
    private static final Path REPO = Path.of(System.getProperty("vnetscope.repo", ".."));
    private static final Path DISCARDS = REPO.resolve("samples/lab2/discards/trace/kernel");
    private static final Pattern COUNT_LINE =
            Pattern.compile("(\\d+) events in [0-9.]+ s \\(\\d+ events/s, checksum ([0-9a-f]{16}), (\\d+) threads?\\)\\n");

    private record Run(String stdout, String stderr, int exitCode) {
    }

    private static Run run(String... arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = Main.run(arguments, out, err);
        return new Run(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), exitCode);
    }

    private static long events(Path trace) {
        long events = 0;
        try (TraceReader reader = TraceReader.open(trace, TraceReader.Warnings.IGNORE)) {
            while (reader.next()) {
                events += reader.event() != null ? 1 : 0;
            }
        }
        return events;
    }

    @Test
    void theCountLineReadsAsTheFormatItReplaces() {
        double[] seconds = {0.1875, 0.0015, 0.0005, 1e-4, 0.0, 2.4999, 12.3456789, 0.196};
        long[] checksums = {0x1824fae551865902L, 0x00000000000000ffL, -1L, 0L};
        int[] threads = {1, 2};
        for (double s : seconds) {
            for (long checksum : checksums) {
                for (int t : threads) {
                    DecodeCount.Result result = new DecodeCount.Result(2_406_441, checksum, t);
                    String expected = String.format(java.util.Locale.ROOT,
                            "%d events in %.3f s (%.0f events/s, checksum %016x, %d %s)", result.events(), s,
                            s > 0 ? result.events() / s : 0.0, checksum, t, t == 1 ? "thread" : "threads");
                    assertThat(DumpCommand.countLine(result, s)).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void timePartsOnThreadsGiveTheCountAndChecksumOfOneReading() {
        Run one = run("dump", "--decode-only", "--threads", "1", DISCARDS.toString());
        Matcher whole = COUNT_LINE.matcher(one.stdout());
        assertThat(whole.matches()).as(one.stdout()).isTrue();
        assertThat(Long.parseLong(whole.group(1))).isEqualTo(events(DISCARDS));
        assertThat(whole.group(3)).isEqualTo("1");
        for (String threads : new String[] {"2", "3", "8"}) {
            Run parts = run("dump", "--decode-only", "--threads", threads, DISCARDS.toString());
            Matcher split = COUNT_LINE.matcher(parts.stdout());
            assertThat(split.matches()).as(parts.stdout()).isTrue();
            assertThat(split.group(1)).isEqualTo(whole.group(1));
            assertThat(split.group(2)).as("checksum with %s threads", threads).isEqualTo(whole.group(2));
            assertThat(Integer.parseInt(split.group(3))).isBetween(2, Integer.parseInt(threads));
            assertThat(parts.exitCode()).isZero();
        }
    }

    @Test
    void aSmallTraceIsDecodedOnOneThreadUnlessThreadsAreAskedFor() {
        Run run = run("dump", "--decode-only", DISCARDS.toString());
        assertThat(run.stdout()).endsWith(", 1 thread)\n");
    }

    @Test
    void aTimeRangeIsDecodedOnOneThread() {
        Run run = run("dump", "--decode-only", "--threads", "4", "--begin", "0", DISCARDS.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).endsWith(", 1 thread)\n");
    }

    @Test
    void threadsAreAtLeastOneAndGoWithDecodeOnly() {
        Run none = run("dump", "--decode-only", "--threads", "0", DISCARDS.toString());
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.stderr()).contains("--threads must be at least 1");
        Run printing = run("dump", "--threads", "2", DISCARDS.toString());
        assertThat(printing.exitCode()).isEqualTo(2);
        assertThat(printing.stderr()).contains("--threads goes with --decode-only");
    }
}
