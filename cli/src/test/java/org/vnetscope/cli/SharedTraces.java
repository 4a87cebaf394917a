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
public final class SharedTraces {

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
        if (path != null && !oraclesHidden()) {
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

    /**
     * Whether the build asked to behave as on a machine without babeltrace2 and chromium
     * ({@code -Dvnetscope.oracles=none}), so that CI proves every test skips cleanly without them.
     */
    public static boolean oraclesHidden() {
        return "none".equals(System.getProperty("vnetscope.oracles"));
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
    /**
     * The first line where our output differs from babeltrace2's, or null when they are identical but for
     * babeltrace2 2.0.4's empty-string defect (see {@link #babeltraceEmptyStringDefect}).
     */
    static String firstDifference(byte[] expected, byte[] actual) {
        int line = 1;
        int expectedLineStart = 0;
        int actualLineStart = 0;
        int i = 0;
        int j = 0;
        while (i < expected.length && j < actual.length) {
            if (expected[i] != actual[j]) {
                String theirs = lineAt(expected, expectedLineStart);
                String ours = lineAt(actual, actualLineStart);
                if (!babeltraceEmptyStringDefect(theirs, ours)) {
                    return describe(theirs, ours, line);
                }
                i = expectedLineStart + theirs.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                j = actualLineStart + ours.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                continue;
            }
            if (expected[i] == '\n') {
                line++;
                expectedLineStart = i + 1;
                actualLineStart = j + 1;
            }
            i++;
            j++;
        }
        if (i == expected.length && j == actual.length) {
            return null;
        }
        return describe(lineAt(expected, expectedLineStart), lineAt(actual, actualLineStart), line);
    }

    private static final java.util.regex.Pattern STRING_LITERAL =
            java.util.regex.Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

    /**
     * babeltrace2 2.0.4 prints an empty string field with the value the same field had in an earlier event
     * (fixed upstream after 2.0.4). The reader decodes what the stream holds, an empty string. A line is
     * explained by that defect when it equals babeltrace2's except for string values that are empty in ours.
     */
    static boolean babeltraceEmptyStringDefect(String theirs, String ours) {
        java.util.regex.Matcher a = STRING_LITERAL.matcher(theirs);
        java.util.regex.Matcher b = STRING_LITERAL.matcher(ours);
        int endA = 0;
        int endB = 0;
        boolean explained = false;
        while (a.find()) {
            if (!b.find() || !theirs.substring(endA, a.start()).equals(ours.substring(endB, b.start()))) {
                return false;
            }
            if (!a.group().equals(b.group())) {
                if (!b.group().equals("\"\"")) {
                    return false;
                }
                explained = true;
            }
            endA = a.end();
            endB = b.end();
        }
        return explained && !b.find() && theirs.substring(endA).equals(ours.substring(endB));
    }

    private static String describe(String theirs, String ours, int line) {
        return "first difference at line " + line + "\n babeltrace2: " + theirs + "\n vnetscope:   " + ours;
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
