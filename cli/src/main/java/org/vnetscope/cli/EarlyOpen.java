package org.vnetscope.cli;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.vnetscope.ctf.TraceReader;

/**
 * A trace opened while the command line is still being parsed. Opening a trace (its metadata parsed, decoding
 * plans compiled, stream files opened) does not depend on the options, and building the command model does not
 * depend on the trace: on a cold JVM picocli spends about 60 ms reflecting over the annotations, time in which
 * a second processor can open the trace. The command then takes that reader when it names the same directory;
 * what it gets is what opening the trace itself would have given: the same reader, its warnings (held until the
 * command takes it, then passed on), or the same error.
 */
final class EarlyOpen {
    /** The commands whose trace is a directory named on the command line, opened before anything else. */
    private static final Set<String> TRACE_COMMANDS = Set.of("analyze", "topology", "report", "dump");

    private static Pending pending;

    private EarlyOpen() {
    }

    /**
     * Starts opening the trace of a command line on a thread of its own, when there is no doubt which argument
     * it is: the command reads a trace, and exactly one argument names an existing directory (an option's
     * file or a second folder makes it doubtful: then nothing is started).
     */
    static void start(String[] args) {
        Path trace = traceArgument(args);
        if (trace == null) {
            return;
        }
        HeldWarnings warnings = new HeldWarnings();
        FutureTask<TraceReader> opening = new FutureTask<>(() -> TraceReader.open(trace, warnings));
        Thread thread = new Thread(opening, "early-open");
        // A command that stops before taking the reader (bad options, help) must not wait for it.
        thread.setDaemon(true);
        synchronized (EarlyOpen.class) {
            pending = new Pending(trace, opening, warnings);
        }
        thread.start();
    }

    /** The directory a command line names as its trace, or null when that is not certain. */
    static Path traceArgument(String[] args) {
        if (args.length < 2 || !TRACE_COMMANDS.contains(args[0])) {
            return null;
        }
        Path found = null;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help") || arg.equals("-V") || arg.equals("--version")) {
                return null;
            }
            if (arg.startsWith("-")) {
                continue;
            }
            Path path;
            try {
                path = Path.of(arg);
            } catch (InvalidPathException e) {
                continue;
            }
            if (Files.isDirectory(path)) {
                if (found != null) {
                    return null;
                }
                found = path;
            }
        }
        return found;
    }

    /**
     * Opens a trace as {@link TraceReader#open(Path, TraceReader.Warnings)} does, taking the reader started early
     * for the same path if there is one (once: a second call opens anew).
     */
    static TraceReader open(Path trace, TraceReader.Warnings warnings) {
        Pending taken;
        synchronized (EarlyOpen.class) {
            taken = pending != null && pending.trace.equals(trace) ? pending : null;
            if (taken != null) {
                pending = null;
            }
        }
        if (taken == null) {
            return TraceReader.open(trace, warnings);
        }
        taken.warnings.passTo(warnings);
        return taken.await();
    }

    /** Whether a reader opened early for this path waits to be taken (for tests). */
    static synchronized boolean isPendingFor(Path trace) {
        return pending != null && pending.trace.equals(trace);
    }

    private record Pending(Path trace, FutureTask<TraceReader> opening, HeldWarnings warnings) {
        TraceReader await() {
            try {
                return opening.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while opening " + trace, e);
            } catch (ExecutionException e) {
                // Thrown as opening the trace on this thread would have thrown it.
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                if (e.getCause() instanceof Error cause) {
                    throw cause;
                }
                throw new IllegalStateException("cannot open " + trace, e.getCause());
            }
        }
    }

    /** Warnings kept until the command gives its own handler, then passed on in order, and later ones directly. */
    private static final class HeldWarnings implements TraceReader.Warnings {
        private final List<String> held = new ArrayList<>();
        private TraceReader.Warnings target;

        @Override
        public synchronized void warn(String message) {
            if (target == null) {
                held.add(message);
            } else {
                target.warn(message);
            }
        }

        synchronized void passTo(TraceReader.Warnings handler) {
            held.forEach(handler::warn);
            held.clear();
            target = handler;
        }
    }
}
