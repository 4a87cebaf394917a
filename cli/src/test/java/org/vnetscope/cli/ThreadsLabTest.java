package org.vnetscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code analyze --threads N}: the trace read on a thread of its own while the analyses run on another gives the
 * JSON document of one thread, byte for byte, on every lab trace of the repository and of the shared traces; so do
 * several hosts' traces, the topology and the report.
 */
class ThreadsLabTest {
    private static final Path REPO = Path.of(System.getProperty("vnetscope.repo", ".."));

    private record Run(byte[] stdout, String stderr, int exitCode) {
    }

    private static Run run(String... arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = Main.run(arguments, out, err);
        return new Run(out.toByteArray(), err.toString(StandardCharsets.UTF_8), exitCode);
    }

    /** Every kernel trace under samples/: the bundled sample and the lab recordings (lab2 to lab5). */
    static Stream<Path> repositoryTraces() throws IOException {
        try (Stream<Path> files = Files.walk(REPO.resolve("samples"))) {
            List<Path> traces = files.filter(path -> path.getFileName().toString().equals("kernel")
                    && path.getParent().getFileName().toString().equals("trace")
                    && Files.isRegularFile(path.resolve("metadata"))).sorted().toList();
            return traces.stream().map(REPO::relativize);
        }
    }

    /** The analyze document with this many threads. */
    private static byte[] analyze(String threads, Path... traces) {
        String[] arguments = new String[4 + traces.length];
        arguments[0] = "analyze";
        arguments[1] = "--format=json";
        arguments[2] = "--threads";
        arguments[3] = threads;
        for (int i = 0; i < traces.length; i++) {
            arguments[4 + i] = traces[i].toString();
        }
        Run run = run(arguments);
        assertThat(run.exitCode()).as("exit code of %s; stderr: %s", String.join(" ", arguments), run.stderr())
                .isZero();
        return run.stdout();
    }

    private static void assertTwoThreadsGiveTheDocumentOfOne(Path trace) {
        byte[] one = analyze("1", trace);
        byte[] two = analyze("2", trace);
        assertThat(new String(one, StandardCharsets.UTF_8)).contains("\"interfaces\"");
        assertThat(two).as("analyze --threads 2 %s", trace).isEqualTo(one);
    }

    @ParameterizedTest
    @MethodSource("repositoryTraces")
    void aRepositoryTraceGivesTheSameDocumentOnTwoThreads(Path trace) {
        assertTwoThreadsGiveTheDocumentOfOne(REPO.resolve(trace));
    }

    /**
     * The trace handed between the analyses' thread and the reading thread every few batches (the reader's pace set
     * to alternate, as an adaptive pace may on a machine whose two cores share no cache): the same document.
     */
    @ParameterizedTest
    @MethodSource("repositoryTraces")
    void aRepositoryTraceGivesTheSameDocumentWhicheverThreadReadsEachPart(Path trace) {
        byte[] one = analyze("1", REPO.resolve(trace));
        String property = "vnetscope.readAhead";
        String before = System.getProperty(property);
        System.setProperty(property, "alternate");
        try {
            assertThat(analyze("2", REPO.resolve(trace))).as("analyze --threads 2 %s, alternating", trace)
                    .isEqualTo(one);
        } finally {
            if (before == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, before);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bridge-basic", "bridge-basic-fdb", "vlan-drops", "migration", "migration-fdb",
            "tap-vms", "ovs"})
    void aSharedLabTraceGivesTheSameDocumentOnTwoThreads(String scenario) {
        Path trace = Path.of(System.getProperty("vnetscope.traces", "../../shared/traces"), "lab", scenario,
                "trace", "kernel");
        assumeTrue(Files.isDirectory(trace), "shared lab trace " + trace + " is absent: skipped");
        assertTwoThreadsGiveTheDocumentOfOne(trace);
    }

    @Test
    void moreThreadsThanTwoGiveTheSameDocumentToo() {
        Path trace = REPO.resolve("samples/lab2/discards/trace/kernel");
        assertThat(analyze("3", trace)).isEqualTo(analyze("1", trace));
    }

    /** Two hosts on four threads: each host's trace is read ahead on a thread of its own. */
    @Test
    void severalHostsGiveTheSameDocumentWithTheirTracesReadAhead() {
        Path hosts = REPO.resolve("samples/lab5/recordings/mh-uplink");
        Path hostA = hosts.resolve("hosta/trace/kernel");
        Path hostB = hosts.resolve("hostb/trace/kernel");
        byte[] one = analyze("1", hostA, hostB);
        assertThat(new String(one, StandardCharsets.UTF_8)).contains("\"hosts\"");
        assertThat(analyze("4", hostA, hostB)).isEqualTo(one);
        assertThat(analyze("2", hostA, hostB)).isEqualTo(one);
    }

    @Test
    void topologyAndReportShareTheOption(@TempDir Path dir) throws IOException {
        String trace = REPO.resolve("samples/bridge-basic/trace/kernel").toString();
        Run one = run("topology", "--format", "json", "--threads", "1", trace);
        Run two = run("topology", "--format", "json", "--threads", "2", trace);
        assertThat(one.exitCode()).isZero();
        assertThat(two.stdout()).isEqualTo(one.stdout());
        Path first = dir.resolve("one.html");
        Path second = dir.resolve("two.html");
        assertThat(run("report", "--threads", "1", trace, "-o", first.toString()).exitCode()).isZero();
        assertThat(run("report", "--threads", "2", trace, "-o", second.toString()).exitCode()).isZero();
        assertThat(read(second)).isEqualTo(read(first));
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void threadsAreAtLeastOne() {
        Run none = run("analyze", "--threads", "0", REPO.resolve("samples/bridge-basic/trace/kernel").toString());
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.stderr()).contains("--threads must be at least 1").doesNotContain("Exception");
    }

    /** A second thread when asked for, or by default for a trace large enough that it pays; never with one. */
    @Test
    void aTraceIsReadAheadWhenAskedOrLargeEnough() {
        assertThat(TraceAnalysis.readsAhead(2, true, 1000)).isTrue();
        assertThat(TraceAnalysis.readsAhead(8, false, 1000)).isFalse();
        assertThat(TraceAnalysis.readsAhead(2, false, 64L << 20)).isTrue();
        assertThat(TraceAnalysis.readsAhead(1, true, 64L << 20)).isFalse();
    }
}
