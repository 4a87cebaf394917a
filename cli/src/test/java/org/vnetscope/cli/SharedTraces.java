package org.vnetscope.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The shared real traces and the babeltrace2 oracle, for tests that skip when either is missing. */
final class SharedTraces {

    private SharedTraces() {
    }

    /** The shared traces folder; skips the test when it is absent. */
    static Path root() {
        String property = System.getProperty("vnetscope.traces");
        assumeTrue(property != null && Files.isDirectory(Path.of(property)),
                "shared traces folder not found (system property vnetscope.traces): skipped");
        return Path.of(property);
    }

    /** The babeltrace2 executable on the PATH; skips the test when there is none. */
    static Path babeltrace2() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String directory : path.split(File.pathSeparator)) {
                Path candidate = Path.of(directory, "babeltrace2");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        assumeTrue(false, "babeltrace2 is not on the PATH: the comparison with the reference reader is skipped");
        return null;
    }

    /** What a babeltrace2 run wrote. */
    record Output(byte[] stdout, String stderr, int exitCode) {
    }

    /**
     * Runs babeltrace2 with these arguments and extra environment variables, output kept in memory; a run that
     * outlasts the time limit is killed and reported with exit code -1.
     */
    static Output runBabeltrace(Map<String, String> environment, List<String> arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(babeltrace2().toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Path stdout = Files.createTempFile("babeltrace2-", ".out");
        Path stderr = Files.createTempFile("babeltrace2-", ".err");
        try {
            builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                return new Output(new byte[0], "babeltrace2 timed out", -1);
            }
            return new Output(Files.readAllBytes(stdout), Files.readString(stderr), process.exitValue());
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    /**
     * Null when equal, else where two texts first differ: the line number and both lines, to read in a failure
     * message.
     */
    static String firstDifference(byte[] expected, byte[] actual) {
        int length = Math.min(expected.length, actual.length);
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < length; i++) {
            if (expected[i] != actual[i]) {
                return describe(expected, actual, line, lineStart);
            }
            if (expected[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        if (expected.length == actual.length) {
            return null;
        }
        return describe(expected, actual, line, lineStart);
    }

    private static String describe(byte[] expected, byte[] actual, int line, int lineStart) {
        return "first difference at line " + line + "\n babeltrace2: " + lineAt(expected, lineStart)
                + "\n vnetscope:   " + lineAt(actual, lineStart);
    }

    private static String lineAt(byte[] text, int start) {
        if (start >= text.length) {
            return "<end of output>";
        }
        int end = start;
        while (end < text.length && text[end] != '\n') {
            end++;
        }
        return new String(text, start, end - start, java.nio.charset.StandardCharsets.UTF_8);
    }
}
