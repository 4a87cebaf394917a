package org.vnetscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** A defect of ours ends a run with one line saying where it is, never a stack trace, and its own exit code. */
class InternalErrorTest {

    @Command(name = "defect")
    static final class Defect implements Callable<Integer> {
        @Override
        public Integer call() {
            Object missing = null;
            return missing.hashCode();
        }
    }

    @Test
    void aDefectIsOneLineNamingItsPlace() {
        CommandLine commandLine = Main.commandLine(null);
        commandLine.addSubcommand("defect", new CommandLine(new Defect()));
        StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute("defect");
        assertThat(exit).isEqualTo(Main.EXIT_INTERNAL_ERROR);
        assertThat(err.toString().strip()).doesNotContain("\n")
                .startsWith("vnetscope: internal error: java.lang.NullPointerException")
                .contains(" at org.vnetscope.cli.InternalErrorTest$Defect.call:")
                .doesNotContain("\tat ");
    }

    @Test
    void aMessageOfSeveralLinesGivesItsFirst() {
        String line = Main.internalError(new IllegalStateException("first\nsecond"));
        assertThat(line).startsWith("java.lang.IllegalStateException: first at org.vnetscope.cli.InternalErrorTest")
                .doesNotContain("second");
    }
}
