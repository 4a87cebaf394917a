package org.vnetscope.ctf.internal.tsdl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vnetscope.ctf.CtfException;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.ctf.meta.TraceClass;

/** The metadata cases of the CTF 1.8 conformance suite (efficios/ctf-testsuite). */
class ConformanceTest {

    static Path suite() {
        String traces = System.getProperty("vnetscope.traces");
        Path suite = traces == null ? null : Path.of(traces, "public", "ctf-testsuite-1.8", "metadata");
        Assumptions.assumeTrue(suite != null && Files.isDirectory(suite),
                "shared traces absent (system property vnetscope.traces): conformance cases skipped");
        return suite;
    }

    static Stream<String> passCases() throws IOException {
        return cases("pass");
    }

    static Stream<String> failCases() throws IOException {
        return cases("fail");
    }

    private static Stream<String> cases(String kind) throws IOException {
        String traces = System.getProperty("vnetscope.traces");
        Path folder = traces == null ? null : Path.of(traces, "public", "ctf-testsuite-1.8", "metadata", kind);
        if (folder == null || !Files.isDirectory(folder)) {
            return Stream.of("(absent)");
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> entries = Files.list(folder)) {
            entries.filter(Files::isDirectory).forEach(entry -> names.add(entry.getFileName().toString()));
        }
        names.sort(null);
        return names.stream();
    }

    @ParameterizedTest(name = "pass/{0}")
    @MethodSource("passCases")
    void passCaseParses(String name) {
        Path metadata = suite().resolve("pass").resolve(name).resolve("metadata");
        TraceClass trace = MetadataParser.parse(metadata, TraceReader.Warnings.IGNORE);
        assertThat(trace.major()).isEqualTo(1);
        assertThat(trace.minor()).isEqualTo(8);
    }

    @ParameterizedTest(name = "fail/{0}")
    @MethodSource("failCases")
    void failCaseIsRejectedWithFileAndOffset(String name) {
        Path metadata = suite().resolve("fail").resolve(name).resolve("metadata");
        assertThatThrownBy(() -> MetadataParser.parse(metadata, TraceReader.Warnings.IGNORE))
                .isInstanceOf(CtfException.class)
                .satisfies(e -> {
                    CtfException error = (CtfException) e;
                    assertThat(error.file()).isEqualTo(metadata);
                    assertThat(error.offset()).isBetween(0L, Files.size(metadata));
                    assertThat(error.getMessage()).doesNotContain("\n");
                });
    }
}
