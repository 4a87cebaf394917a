package org.vnetscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code analyze --engine}: the command line itself has no engine but its own; another is found on the class path
 * (the spark module's tests run it), and asking for one that is not there is a one-line error.
 */
class AnalyzeEngineOptionTest {

    private static final Path REPO = Path.of(System.getProperty("vnetscope.repo", "..")).toAbsolutePath();
    private static final String SAMPLE = REPO.resolve("samples/bridge-basic/trace/kernel").toString();

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void anEngineNotOnTheClassPathIsAUsageError() {
        Run run = run("analyze", "--engine", "spark", SAMPLE);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--engine spark: no such engine on the class path");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void masterNeedsTheSparkEngine() {
        Run run = run("analyze", "--master", "local[2]", SAMPLE);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--master needs --engine spark");
    }

    @Test
    void theLocalEngineIsTheDefault() {
        Run named = run("analyze", "--engine", "local", "--format", "json", SAMPLE);
        Run plain = run("analyze", "--format", "json", SAMPLE);
        assertThat(named.exitCode()).isZero();
        assertThat(named.out()).isEqualTo(plain.out()).contains("\"interfaces\"");
    }
}
