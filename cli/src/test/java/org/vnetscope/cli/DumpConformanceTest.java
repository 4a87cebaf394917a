package org.vnetscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The CTF 1.8 conformance cases of efficios/ctf-testsuite: {@code vnetscope dump} accepts every {@code pass} case
 * (exit 0) and rejects every {@code fail} case with exit code 1 and one clear error line naming the file and the
 * byte offset, never a stack trace or a hang.
 */
class DumpConformanceTest {

    private static final Duration TIME_LIMIT = Duration.ofSeconds(5);

    @TestFactory
    Stream<DynamicTest> everyCaseOfTheSuite() throws IOException {
        Path suite = SharedTraces.root().resolve("public/ctf-testsuite-1.8");
        List<Path> cases;
        try (Stream<Path> kinds = Stream.of("metadata/pass", "metadata/fail", "stream/pass", "stream/fail")
                .map(suite::resolve)
                .flatMap(DumpConformanceTest::children)) {
            cases = kinds.sorted().toList();
        }
        assertThat(cases).hasSize(181);
        return cases.stream().map(testCase -> DynamicTest.dynamicTest(
                suite.relativize(testCase).toString(), () -> check(testCase)));
    }

    private static Stream<Path> children(Path directory) {
        try (Stream<Path> list = Files.list(directory)) {
            return list.filter(Files::isDirectory).toList().stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void check(Path testCase) {
        StringWriter errors = new StringWriter();
        int exitCode = assertTimeoutPreemptively(TIME_LIMIT, () -> Main.run(
                new String[] {"dump", testCase.toString()},
                new PrintWriter(Writer.nullWriter()), new PrintWriter(errors)));
        String stderr = errors.toString();
        boolean shouldPass = testCase.getParent().getFileName().toString().equals("pass");
        if (shouldPass) {
            assertThat(exitCode).as("exit code; stderr:%n%s", stderr).isZero();
            return;
        }
        assertThat(exitCode).as("exit code; stderr:%n%s", stderr).isEqualTo(Main.EXIT_BAD_INPUT);
        List<String> errorLines = stderr.lines().filter(line -> line.startsWith("vnetscope: error: ")).toList();
        assertThat(errorLines).as("error lines in:%n%s", stderr).hasSize(1);
        assertThat(errorLines.get(0)).contains(testCase.toString()).containsPattern(" at byte \\d+");
        assertThat(stderr).doesNotContain("\tat ").doesNotContain("Exception");
    }
}
