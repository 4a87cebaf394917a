package org.vnetscope.cli;

import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.vnetscope.ctf.CtfException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vnetscope} command: one subcommand per job. */
@Command(name = "vnetscope",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Virtual-network performance analysis of LTTng kernel traces.",
        subcommands = {CommandLine.HelpCommand.class, DumpCommand.class})
public final class Main {

    /** Exit code of a run that found the trace unusable (picocli uses 2 for bad arguments). */
    public static final int EXIT_BAD_INPUT = 1;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs a command line with byte output streams, which commands that print a lot (dump) write to directly;
     * returns the exit code.
     */
    public static int run(String[] args, OutputStream out, OutputStream err) {
        return run(args, new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), false),
                new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true), out);
    }

    /** Runs a command line with the given output writers; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, null);
    }

    private static int run(String[] args, PrintWriter out, PrintWriter err, OutputStream rawOut) {
        CommandLine commandLine = commandLine(rawOut);
        commandLine.setOut(out);
        commandLine.setErr(err);
        try {
            return commandLine.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    static CommandLine commandLine(OutputStream rawOut) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == DumpCommand.class ? type.cast(new DumpCommand(rawOut))
                        : CommandLine.defaultFactory().create(type);
            }
        };
        CommandLine commandLine = new CommandLine(new Main(), factory);
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
