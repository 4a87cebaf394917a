package org.vnetscope.cli;

import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.vnetscope.ctf.CtfException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vnetscope} command: one subcommand per job. */
@Command(name = "vnetscope",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Virtual-network performance analysis of LTTng kernel traces.",
        footerHeading = "%nExamples:%n",
        footer = {"  vnetscope demo",
                "  vnetscope analyze samples/bridge-basic/trace/kernel",
                "  vnetscope report samples/bridge-basic/trace/kernel -o report.html",
                "  sudo vnetscope record --duration 30s --output /tmp/host-trace",
                "  vnetscope dump --clock-gmt samples/bridge-basic/trace/kernel | less",
                "  vnetscope help analyze"},
        subcommands = {CommandLine.HelpCommand.class, AnalyzeCommand.class, TopologyCommand.class,
                ReportCommand.class, RecordCommand.class, DumpCommand.class, DemoCommand.class,
                PlacementCommand.class, SyncCommand.class})
public final class Main {

    /** Exit code of a run that found the trace unusable (picocli uses 2 for bad arguments). */
    public static final int EXIT_BAD_INPUT = 1;
    /** Exit code of a run stopped by a defect of vnetscope rather than by its input. */
    public static final int EXIT_INTERNAL_ERROR = 3;

    public static void main(String[] args) {
        EarlyOpen.start(args);
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
        CommandLine commandLine = commandLine(rawOut, args.length > 0 ? args[0] : null);
        commandLine.setOut(out);
        commandLine.setErr(err);
        try {
            return commandLine.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("vnetscope: error: out of memory (" + e.getMessage() + "): give the JVM more with"
                    + " VNETSCOPE_JAVA_OPTS=-Xmx4g, or analyse a time range (--begin/--end)");
            return EXIT_INTERNAL_ERROR;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** An unexpected exception in one line: its type, its message, and the first place in vnetscope's code. */
    static String internalError(Throwable exception) {
        StringBuilder line = new StringBuilder(exception.getClass().getName());
        if (exception.getMessage() != null) {
            line.append(": ").append(exception.getMessage().lines().findFirst().orElse(""));
        }
        for (StackTraceElement frame : exception.getStackTrace()) {
            if (frame.getClassName().startsWith("org.vnetscope.")) {
                line.append(" at ").append(frame.getClassName()).append('.').append(frame.getMethodName())
                        .append(':').append(frame.getLineNumber());
                break;
            }
        }
        return line.toString();
    }

    /** The subcommands by name, as {@link Main}'s annotation lists them. */
    private static final Map<String, Class<?>> SUBCOMMANDS = Map.of("analyze", AnalyzeCommand.class,
            "topology", TopologyCommand.class, "report", ReportCommand.class, "record", RecordCommand.class,
            "dump", DumpCommand.class, "demo", DemoCommand.class, "placement", PlacementCommand.class,
            "sync", SyncCommand.class);

    /**
     * The top command with only the subcommand being run: picocli builds a command's model by reflection, and
     * building all of them costs a tenth of a second of every short run. Usage, help and errors of that
     * subcommand are the same either way.
     */
    @Command(name = "vnetscope", mixinStandardHelpOptions = true, versionProvider = Main.Version.class)
    static final class SingleCommand {
    }

    static CommandLine commandLine(OutputStream rawOut) {
        return commandLine(rawOut, null);
    }

    static CommandLine commandLine(OutputStream rawOut, String subcommand) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == DumpCommand.class ? type.cast(new DumpCommand(rawOut))
                        : CommandLine.defaultFactory().create(type);
            }
        };
        Class<?> only = subcommand == null ? null : SUBCOMMANDS.get(subcommand);
        CommandLine commandLine;
        if (only == null) {
            commandLine = new CommandLine(new Main(), factory);
        } else {
            commandLine = new CommandLine(new SingleCommand(), factory);
            try {
                commandLine.addSubcommand(subcommand, new CommandLine(factory.create(only), factory));
            } catch (Exception e) {
                throw new IllegalStateException("cannot create the " + subcommand + " command", e);
            }
        }
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            // A bad trace is the user's input, not our crash: one line, no stack trace.
            if (exception instanceof CtfException || exception instanceof java.io.UncheckedIOException
                    || exception instanceof java.io.IOException) {
                cmd.getErr().println("vnetscope: error: " + exception.getMessage());
                return EXIT_BAD_INPUT;
            }
            // Anything else is a defect of ours: one line saying where, the stack trace only when asked for.
            cmd.getErr().println("vnetscope: internal error: " + internalError(exception)
                    + " (a defect of vnetscope: please report it with the command line; VNETSCOPE_DEBUG=1 prints"
                    + " the stack trace)");
            if (System.getenv("VNETSCOPE_DEBUG") != null && !System.getenv("VNETSCOPE_DEBUG").isEmpty()) {
                exception.printStackTrace(cmd.getErr());
            }
            return EXIT_INTERNAL_ERROR;
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
