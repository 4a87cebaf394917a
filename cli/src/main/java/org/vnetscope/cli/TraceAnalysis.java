package org.vnetscope.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.Kallsyms;
import org.vnetscope.analysis.NetworkAnalysis;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.TraceReader;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How {@code analyze} and {@code report} analyse a trace: the same options, the same analysis entry point and
 * the same JSON document, so that a report always shows what {@code analyze --format json} prints.
 */
final class TraceAnalysis {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--bin", paramLabel = "DURATION", defaultValue = "1s",
            description = "Timeline bin width, e.g. 100ms, 1s, 500us (default: ${DEFAULT-VALUE}).")
    String bin;

    @Option(names = "--kallsyms", paramLabel = "FILE",
            description = "A copy of /proc/kallsyms (or .gz) of the traced kernel, to name drop locations.")
    Path kallsyms;

    @Option(names = "--mtu", paramLabel = "N", defaultValue = "1500",
            description = "MTU telling GSO super-packets from frames (default: ${DEFAULT-VALUE}).")
    int mtu;

    @Option(names = "--vm-map", paramLabel = "FILE",
            description = "VM names: lines 'name key...', keys being device names, MACs or netns inodes.")
    Path vmMap;

    @Option(names = "--libvirt", paramLabel = "PATH",
            description = "libvirt domain XML file, or a folder of them, naming VMs.")
    List<Path> libvirt = List.of();

    @Option(names = "--begin", paramLabel = "BEGIN",
            description = "Analyse only what happened at or after BEGIN: YYYY-MM-DD hh:mm[:ss[.ns]], YYYY-MM-DD, "
                    + "hh:mm[:ss[.ns]] (on the day the trace begins), local time, or [-]seconds[.ns] since the "
                    + "Unix epoch (as babeltrace2 --begin).")
    String begin;

    @Option(names = "--end", paramLabel = "END",
            description = "Analyse only what happened at or before END (same formats as --begin).")
    String end;

    /** Runs every analysis over the trace, with progress on stderr when stderr is a terminal. */
    AnalysisReport run(Path trace) {
        AnalysisOptions options = options();
        TraceReader reader = EarlyOpen.open(trace, TraceReader.Warnings.IGNORE);
        try {
            TimeRange.apply(reader, begin, end, null, false, ZoneId.systemDefault());
        } catch (IllegalArgumentException e) {
            reader.close();
            throw new ParameterException(command.commandLine(), e.getMessage());
        }
        if (!Progress.stderrIsTerminal()) {
            return NetworkAnalysis.analyze(reader, trace.toString(), options, null);
        }
        Progress progress = new Progress(command.commandLine().getErr(), reader);
        try {
            return NetworkAnalysis.analyze(reader, trace.toString(), options, progress);
        } finally {
            progress.clear();
        }
    }

    /** The document of {@code analyze --format json} (described by docs/schema/analyze.schema.json). */
    ObjectNode document(Path trace) {
        return ReportJson.of(run(trace));
    }

    AnalysisOptions options() {
        long binNs = parseDuration(bin);
        if (mtu < 68) {
            throw new ParameterException(command.commandLine(), "--mtu must be at least 68");
        }
        try {
            return new AnalysisOptions(binNs, mtu, kallsyms == null ? null : Kallsyms.read(kallsyms),
                    TopologyCommand.vms(command, vmMap, libvirt));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage());
        }
    }

    /** {@code 100ms}, {@code 1s}, {@code 250us}, {@code 5000ns}, {@code 2m}. */
    long parseDuration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        String[][] units = {{"ns", "1"}, {"us", "1000"}, {"ms", "1000000"}, {"s", "1000000000"},
                {"m", "60000000000"}};
        for (String[] unit : units) {
            String number = value.endsWith(unit[0]) ? value.substring(0, value.length() - unit[0].length()) : "";
            // "ms" also ends in "s": take a unit only when what precedes it is a number
            if (!number.isEmpty() && (Character.isDigit(number.charAt(number.length() - 1))
                    || number.endsWith("."))) {
                try {
                    double amount = Double.parseDouble(number);
                    long ns = Math.round(amount * Long.parseLong(unit[1]));
                    if (ns > 0) {
                        return ns;
                    }
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        throw new ParameterException(command.commandLine(),
                "invalid --bin '" + text + "': use e.g. 100ms, 1s, 500us");
    }

    /**
     * One self-overwriting stderr line, drawn once the run has lasted two seconds: how much of the stream files was
     * read, at how many events per second, and the time left at that pace. The clock is looked at once per 64 Ki
     * events, so the per-event cost is a counter increment.
     */
    static final class Progress implements Consumer<Event> {

        private static final long CHECK_EVERY = 1 << 16;
        private static final long REDRAW_NS = 250_000_000L;
        private static final long QUIET_FOR_NS = 2_000_000_000L;

        private final PrintWriter err;
        private final TraceReader reader;
        private final long totalBytes;
        private final long startedNs = System.nanoTime();
        private long events;
        private long firstNs = Long.MIN_VALUE;
        private long lastDrawn;
        private boolean drawn;

        Progress(PrintWriter err, TraceReader reader) {
            this.err = err;
            this.reader = reader;
            this.totalBytes = reader.totalBytes();
        }

        /**
         * Whether standard error is a terminal: the launcher tells ({@code -Dvnetscope.stderr.terminal}, from
         * {@code test -t 2}), since Java 17 can ask only whether the console is, which it is not when the output
         * goes to a file; without the launcher, the console decides.
         */
        static boolean stderrIsTerminal() {
            String told = System.getProperty("vnetscope.stderr.terminal");
            return told != null ? Boolean.parseBoolean(told) : System.console() != null;
        }

        @Override
        public void accept(Event event) {
            if (events++ == 0) {
                firstNs = event.timestampNs();
            }
            if (events % CHECK_EVERY != 0) {
                return;
            }
            long now = System.nanoTime();
            if (now - startedNs >= QUIET_FOR_NS && now - lastDrawn >= REDRAW_NS) {
                lastDrawn = now;
                drawn = true;
                err.print("\r" + line(reader.bytesRead(), now - startedNs, event.timestampNs() - firstNs) + " ");
                err.flush();
            }
        }

        /** The progress line for this much read after this long. */
        String line(long bytesRead, long elapsedNs, long traceNs) {
            double seconds = elapsedNs / 1e9;
            String rate = String.format(Locale.ROOT, "%.1f M events/s", events / seconds / 1e6);
            if (totalBytes <= 0 || bytesRead < 0) {
                return String.format(Locale.ROOT, "analysing: %,d events, %s into the trace, %s", events,
                        ReportText.duration(traceNs), rate);
            }
            double done = Math.min(1.0, (double) bytesRead / totalBytes);
            String left = done <= 0 ? "?" : ReportText.duration((long) (elapsedNs * (1 - done) / done));
            return String.format(Locale.ROOT, "analysing: %3.0f%% (%s of %s), %s, %s left", done * 100,
                    ReportText.bytes(bytesRead), ReportText.bytes(totalBytes), rate, left);
        }

        void clear() {
            if (drawn) {
                err.print("\r" + " ".repeat(78) + "\r");
                err.flush();
            }
        }
    }
}
