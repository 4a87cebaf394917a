package org.vnetscope.ctf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ctf-testsuite stream cases: every pass case reads to the end, every fail case throws a one-line
 * {@link CtfException} naming the stream file, each within a bounded time.
 */
class StreamConformanceTest {

    static Path suite() {
        String traces = System.getProperty("vnetscope.traces");
        Path suite = traces == null ? null : Path.of(traces, "public", "ctf-testsuite-1.8", "stream");
        Assumptions.assumeTrue(suite != null && Files.isDirectory(suite),
                "shared traces folder not found (system property vnetscope.traces): skipping ctf-testsuite cases");
        return suite;
    }

    static List<Path> cases(String kind) throws IOException {
        String traces = System.getProperty("vnetscope.traces");
        Path folder = traces == null ? null : Path.of(traces, "public", "ctf-testsuite-1.8", "stream", kind);
        if (folder == null || !Files.isDirectory(folder)) {
            return List.of(Path.of("missing-" + kind));
        }
        try (Stream<Path> listing = Files.list(folder)) {
            return listing.sorted().toList();
        }
    }

    static List<Path> passCases() throws IOException {
        return cases("pass");
    }

    static List<Path> failCases() throws IOException {
        return cases("fail");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("passCases")
    void passCaseReadsToTheEnd(Path trace) {
        suite();
        // Reading to the end without a CtfException, in bounded time, is the contract of a pass case.
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), () -> readAll(trace));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failCases")
    void failCaseThrowsOneLineError(Path trace) {
        suite();
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                assertThatThrownBy(() -> readAll(trace))
                        .isInstanceOf(CtfException.class)
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").contains(trace.toString())));
    }

    private static long readAll(Path trace) {
        long records = 0;
        try (TraceReader reader = TraceReader.open(trace, TraceReader.Warnings.IGNORE)) {
            while (reader.next()) {
                Event event = reader.event();
                if (event != null) {
                    event.decodeAll();
                    for (Scope scope : Scope.values()) {
                        event.scope(scope);
                    }
                }
                records++;
            }
        }
        return records;
    }
}
