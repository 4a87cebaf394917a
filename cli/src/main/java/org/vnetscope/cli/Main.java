package org.vnetscope.cli;

import java.io.PrintWriter;
import org.vnetscope.ctf.CtfException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vnetscope} command: one subcommand per job. */
@Command(name = "vnetscope",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Virtual-network performance analysis of LTTng kernel traces.",
        footerHeading = "%nExamples:%n",
        footer = {"  vnetscope analyze samples/bridge-basic/trace/kernel",
                "  vnetscope report samples/bridge-basic/trace/kernel -o report.html",
                "  sudo vnetscope record --duration 30s --output /tmp/host-trace",
                "  vnetscope help analyze"},
        subcommands = {CommandLine.HelpCommand.class, AnalyzeCommand.class, TopologyCommand.class,
                ReportCommand.class, RecordCommand.class})
public final class Main {

    /** Exit code of a run that found the trace unusable (picocli uses 2 for bad arguments). */
    public static final int EXIT_BAD_INPUT = 1;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, false), new PrintWriter(System.err, true)));
    }

    /** Runs a command line with the given output streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = commandLine();
        commandLine.setOut(out);
        commandLine.setErr(err);
        try {
            return commandLine.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            // A bad trace is the user's input, not our crash: one line, no stack trace.
            if (exception instanceof CtfException || exception instanceof java.io.UncheckedIOException
                    || exception instanceof java.io.IOException) {
                cmd.getErr().println("vnetscope: error: " + exception.getMessage());
                return EXIT_BAD_INPUT;
            }
            throw exception;
        });
        return commandLine;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"vnetscope " + (version == null ? "development build" : version)};
        }
    }
}
