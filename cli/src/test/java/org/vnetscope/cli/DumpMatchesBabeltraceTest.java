package org.vnetscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.ctf.text.PrettyPrinter;

/**
 * {@code vnetscope dump} against babeltrace2 2.0.4, run live on the same real traces: the standard output must be
 * identical byte for byte, and the discarded-data warnings identical line for line.
 */
class DumpMatchesBabeltraceTest {

    private static final String MONTREAL = "America/Montreal";

    private static List<Path> traces() throws IOException {
        Path root = SharedTraces.root();
        List<Path> traces = new ArrayList<>();
        try (Stream<Path> scenarios = Files.list(root.resolve("lab"))) {
            scenarios.map(s -> s.resolve("trace/kernel")).filter(Files::isDirectory).sorted().forEach(traces::add);
        }
        for (String name : List.of("tc-bug446190", "tc-flipping-endianness", "tc-many-threads",
                "tc-uneven-streams-partial")) {
            traces.add(root.resolve("public").resolve(name));
        }
        return traces;
    }

    /** The edge-case trace of the ctf module's tests (integer bases, enums, floats, escapes, discards). */
    private static Path edgeTrace() {
        String repository = System.getProperty("vnetscope.repo");
        assumeTrue(repository != null, "system property vnetscope.repo not set: skipped");
        return Path.of(repository, "ctf/src/test/resources/edge-trace/trace");
    }

    @TestFactory
    Stream<DynamicTest> everyRealTraceInUtc() throws IOException {
        List<Path> traces = traces();
        traces.add(edgeTrace());
        return traces.stream().map(trace -> DynamicTest.dynamicTest(trace.toString(),
                () -> assertSameAsBabeltrace(trace, "--clock-gmt")));
    }

    /** The conformance suite's stream cases are small traces with their own layouts: more oracles. */
    @TestFactory
    Stream<DynamicTest> conformancePassCasesThatBabeltraceReads() throws IOException {
        List<Path> cases;
        try (Stream<Path> list = Files.list(SharedTraces.root().resolve("public/ctf-testsuite-1.8/stream/pass"))) {
            cases = list.sorted().toList();
        }
        return cases.stream().map(testCase -> DynamicTest.dynamicTest(testCase.getFileName().toString(), () -> {
            SharedTraces.Output reference = SharedTraces.runBabeltrace(Map.of("TZ", "UTC"),
                    List.of("--clock-gmt", testCase.toString()));
            assumeTrue(reference.exitCode() == 0, "babeltrace2 cannot read this case: nothing to compare");
            assertSameAsBabeltrace(testCase, "--clock-gmt");
        }));
    }

    @TestFactory
    Stream<DynamicTest> clockOptions() {
        Path bug446190 = SharedTraces.root().resolve("public/tc-bug446190");
        return Stream.of(
                new String[] {"--clock-gmt", "--clock-seconds"},
                new String[] {"--clock-gmt", "--clock-date"},
                new String[] {"--clock-gmt", "--no-delta"},
                new String[] {"--clock-cycles"},
                new String[] {"--clock-seconds", "--no-delta", "--clock-cycles"})
                .flatMap(options -> Stream.of(bug446190, edgeTrace()).map(trace -> DynamicTest.dynamicTest(
                        String.join(" ", options) + " " + trace.getFileName(),
                        () -> assertSameAsBabeltrace(trace, options))));
    }

    /**
     * Traces babeltrace2 reads although they bend the rules: packets whose uuid is not the metadata's (as in
     * babeltrace's own intersection test traces), and metadata with character constants, every escape form and
     * unknown attributes. The same events, and exit code 0.
     */
    @Test
    void tracesBabeltraceReadsDespiteOddUuidsAndLiterals(@org.junit.jupiter.api.io.TempDir Path folder)
            throws Exception {
        Path edge = edgeTrace();
        Path otherUuid = Files.createDirectories(folder.resolve("other-uuid"));
        Files.copy(edge.resolve("metadata"), otherUuid.resolve("metadata"));
        byte[] stream = Files.readAllBytes(edge.resolve("stream_0"));
        java.nio.ByteBuffer packets = java.nio.ByteBuffer.wrap(stream).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int rewritten = 0;
        // packet header: magic, uuid[16], stream_id; packet context: timestamp_begin, timestamp_end, content_size,
        // packet_size (bits, at byte 48)
        for (int offset = 0; offset < stream.length; offset += (int) (packets.getLong(offset + 48) / 8)) {
            assertThat(packets.getInt(offset)).isEqualTo(0xC1FC1FC1);
            for (int i = 0; i < 16; i++) {
                stream[offset + 4 + i] = (byte) (i * 17 + rewritten);
            }
            rewritten++;
        }
        assertThat(rewritten).isGreaterThan(1);
        Files.write(otherUuid.resolve("stream_0"), stream);
        assertSameAsBabeltrace(otherUuid, "--clock-gmt");

        Path literals = Files.createDirectories(folder.resolve("literals"));
        String metadata = Files.readString(edge.resolve("metadata"), StandardCharsets.ISO_8859_1);
        String traceBlock = "trace { major = 1; minor = 8;";
        assertThat(metadata).contains(traceBlock).contains("stream {");
        metadata = metadata.replace(traceBlock, traceBlock
                + " test = \"\\\"\"; test2 = \"?\\x20\\040?\"; test3 = '\\n'; test4 = 'ab';")
                .replace("stream {", "stream { unknown_attribute = '\\x41';");
        Files.writeString(literals.resolve("metadata"), metadata, StandardCharsets.ISO_8859_1);
        Files.copy(edge.resolve("stream_0"), literals.resolve("stream_0"));
        assertSameAsBabeltrace(literals, "--clock-gmt");
    }

    @Test
    void localTimeFollowsTheTimeZoneLikeBabeltrace() throws Exception {
        // The CLI takes the zone from the JVM (TZ); the printer takes it as an option, so both can be set alike.
        for (Path trace : List.of(SharedTraces.root().resolve("lab/bridge-basic/trace/kernel"), edgeTrace())) {
            SharedTraces.Output expected = SharedTraces.runBabeltrace(Map.of("TZ", MONTREAL),
                    List.of("--clock-date", trace.toString()));
            ByteArrayOutputStream actual = new ByteArrayOutputStream();
            PrettyPrinter.Options options = new PrettyPrinter.Options(false, false, true, false, true,
                    ZoneId.of(MONTREAL));
            try (TraceReader reader = TraceReader.open(trace)) {
                new PrettyPrinter(actual, new PrintWriter(new StringWriter()), options, trace).printAll(reader);
            }
            assertThat(SharedTraces.firstDifference(expected.stdout(), actual.toByteArray())).as(trace.toString())
                    .isNull();
        }
    }

    @Test
    void anErrorMidwayKeepsWhatWasPrintedAndEndsWithOneErrorLine(@org.junit.jupiter.api.io.TempDir Path copy)
            throws IOException {
        Path edge = edgeTrace();
        Files.copy(edge.resolve("metadata"), copy.resolve("metadata"));
        byte[] stream = Files.readAllBytes(edge.resolve("stream_0"));
        // The first event of the second packet (at byte 579, events from 655) gets an undeclared event id:
        // babeltrace2 prints the first packet's 12 events, then fails.
        stream[655] = 99;
        Files.write(copy.resolve("stream_0"), stream);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = Main.run(new String[] {"dump", "--clock-gmt", copy.toString()}, out, err);
        String expected = new String(Files.readAllBytes(edge.getParent().resolve("expected-gmt.txt")),
                StandardCharsets.UTF_8);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exitCode).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(printed).isEqualTo(expected.lines().limit(12).map(line -> line + "\n")
                .collect(java.util.stream.Collectors.joining()));
        assertThat(err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("vnetscope: error: ")))
                .singleElement().asString().contains("stream_0").containsPattern(" at byte \\d+");
    }

    /**
     * The whole lab-large trace (3.5 M events); opt-in with {@code -Dvnetscope.large=true}. It is unpacked under
     * the build directory, and both outputs are compared as files.
     */
    @Test
    void largeTraceWhenAskedFor() throws Exception {
        assumeTrue(Boolean.getBoolean("vnetscope.large"), "lab-large comparison is opt-in: -Dvnetscope.large=true");
        Path archive = SharedTraces.root().resolve("lab-large/large.tar.gz");
        Path unpacked = Path.of("target", "lab-large").toAbsolutePath();
        if (!Files.isDirectory(unpacked)) {
            Files.createDirectories(unpacked);
            Process tar = new ProcessBuilder("tar", "xzf", archive.toString(), "-C", unpacked.toString())
                    .inheritIO().start();
            assertThat(tar.waitFor()).isZero();
        }
        Path trace;
        try (Stream<Path> found = Files.walk(unpacked)) {
            trace = found.filter(p -> p.getFileName().toString().equals("metadata")).map(Path::getParent)
                    .findFirst().orElseThrow();
        }
        Path expected = unpacked.resolveSibling("lab-large-babeltrace2.txt");
        Path actual = unpacked.resolveSibling("lab-large-vnetscope.txt");
        Process babeltrace = new ProcessBuilder(SharedTraces.babeltrace2().toString(), "--clock-gmt",
                trace.toString()).redirectOutput(expected.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(babeltrace.waitFor()).isZero();
        try (OutputStream out = Files.newOutputStream(actual)) {
            assertThat(Main.run(new String[] {"dump", "--clock-gmt", trace.toString()}, out, OutputStream.nullOutputStream()))
                    .isZero();
        }
        assertThat(firstDifference(expected, actual)).isNull();
    }

    private static String firstDifference(Path expected, Path actual) throws IOException {
        try (InputStream a = new BufferedInputStream(Files.newInputStream(expected), 1 << 20);
             InputStream b = new BufferedInputStream(Files.newInputStream(actual), 1 << 20)) {
            ByteArrayOutputStream lineA = new ByteArrayOutputStream();
            ByteArrayOutputStream lineB = new ByteArrayOutputStream();
            long line = 1;
            while (true) {
                int x = a.read();
                int y = b.read();
                if (x != y) {
                    return "first difference at line " + line + " after\n" + lineA.toString(StandardCharsets.UTF_8);
                }
                if (x < 0) {
                    return null;
                }
                lineA.write(x);
                lineB.write(y);
                if (x == '\n') {
                    line++;
                    lineA.reset();
                    lineB.reset();
                }
            }
        }
    }

    private static void assertSameAsBabeltrace(Path trace, String... options) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(options));
        arguments.add(trace.toString());
        SharedTraces.Output expected = SharedTraces.runBabeltrace(Map.of("TZ", "UTC"), arguments);
        assertThat(expected.exitCode()).as("babeltrace2 exit code").isZero();

        List<String> ours = new ArrayList<>(List.of("dump"));
        ours.addAll(arguments);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = Main.run(ours.toArray(String[]::new), out, err);
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(exitCode).as("exit code; stderr:%n%s", stderr).isZero();
        assertThat(SharedTraces.firstDifference(expected.stdout(), out.toByteArray())).isNull();
        assertThat(warnings(stderr)).isEqualTo(warnings(expected.stderr()));
    }

    /** The discarded-data reports, which babeltrace2 writes to its standard error. */
    private static List<String> warnings(String stderr) {
        return stderr.lines().filter(line -> line.startsWith("WARNING: ") || line.startsWith("[warning]")).toList();
    }
}
