package org.vnetscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code analyze --engine}: the command line itself has no engine but its own; another is found on the class path
 * (the spark module's tests run it), and asking for one that is not there is a one-line error.
 */
class AnalyzeEngineOptionTest {

    private static final Path REPO = Path.of(System.getProperty("vnetscope.repo", "..")).toAbsolutePath();
    private static final String SAMPLE = REPO.resolve("samples/bridge-basic/trace/kernel").toString();

    @Test
    void anEngineNotOnTheClassPathIsAUsageError() {
        CommandRun run = CommandRun.of("analyze", "--engine", "spark", SAMPLE);
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--engine spark: no such engine on the class path");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void masterNeedsTheSparkEngine() {
        CommandRun run = CommandRun.of("analyze", "--master", "local[2]", SAMPLE);
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--master needs --engine spark");
    }

    @Test
    void theLocalEngineIsTheDefault() {
        CommandRun named = CommandRun.of("analyze", "--engine", "local", "--format", "json", SAMPLE);
        CommandRun plain = CommandRun.of("analyze", "--format", "json", SAMPLE);
        assertThat(named.exit()).isZero();
        assertThat(named.out()).isEqualTo(plain.out()).contains("\"interfaces\"");
    }
}
