package org.vnetscope.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.LongUnaryOperator;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.Kallsyms;
import org.vnetscope.analysis.NetworkAnalysis;
import org.vnetscope.analysis.cluster.ClusterTraffic;
import org.vnetscope.analysis.cluster.CrossHostPaths;
import org.vnetscope.analysis.cluster.Migrations;
import org.vnetscope.analysis.cluster.TraceHosts;
import org.vnetscope.analysis.sync.ClockSync;
import org.vnetscope.analysis.sync.LinearMap;
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
        return run(EarlyOpen.open(trace, TraceReader.Warnings.IGNORE), trace.toString());
    }

    private AnalysisReport run(TraceReader reader, String traceName) {
        AnalysisOptions options = options();
        limit(reader);
        if (!Progress.stderrIsTerminal()) {
            return NetworkAnalysis.analyze(reader, traceName, options, null);
        }
        Progress progress = new Progress(command.commandLine().getErr(), reader);
        try {
            return NetworkAnalysis.analyze(reader, traceName, options, progress);
        } finally {
            progress.clear();
        }
    }

    /** One traced host's traces and their analysis. */
    record HostAnalysis(TraceHosts.Host host, String trace, AnalysisReport report) {
    }

    /**
     * Runs every analysis over the traces named, host by host: the traces are grouped by the host that recorded
     * them (their {@code hostname} and clock), since two hosts' events are not one sequence and their devices are
     * not the same devices. Several hosts are analysed on threads of their own.
     */
    List<HostAnalysis> runHosts(List<Path> inputs) {
        AnalysisOptions options = options(); // bad options are told before any trace is opened
        TraceReader reader = inputs.size() == 1
                ? EarlyOpen.open(inputs.get(0), TraceReader.Warnings.IGNORE)
                : TraceReader.open(inputs, TraceReader.Warnings.IGNORE);
        List<TraceHosts.Host> hosts = TraceHosts.of(reader.traces());
        if (hosts.size() == 1) {
            String label = inputs.size() == 1 ? inputs.get(0).toString() : String.join(" ", inputs.stream()
                    .map(Path::toString).toList());
            return List.of(new HostAnalysis(hosts.get(0), label, run(reader, label)));
        }
        reader.close();
        ExecutorService pool = Executors.newFixedThreadPool(
                Math.max(1, Math.min(hosts.size(), Runtime.getRuntime().availableProcessors())));
        try {
            List<Future<HostAnalysis>> running = new ArrayList<>();
            for (TraceHosts.Host host : hosts) {
                String label = label(host);
                running.add(pool.submit(() -> {
                    TraceReader hostReader = TraceReader.open(host.directories(), TraceReader.Warnings.IGNORE);
                    limit(hostReader);
                    return new HostAnalysis(host, label, NetworkAnalysis.analyze(hostReader, label, options, null));
                }));
            }
            List<HostAnalysis> done = new ArrayList<>();
            for (Future<HostAnalysis> host : running) {
                done.add(await(host));
            }
            return done;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A host's traces as the user would name them: its one trace directory, or the folder holding them. */
    private static String label(TraceHosts.Host host) {
        List<Path> directories = host.directories();
        if (directories.size() == 1) {
            return directories.get(0).toString();
        }
        Path common = directories.get(0);
        for (Path directory : directories) {
            while (common != null && !directory.startsWith(common)) {
                common = common.getParent();
            }
        }
        return common == null ? directories.get(0).toString() : common.toString();
    }

    private static HostAnalysis await(Future<HostAnalysis> host) {
        try {
            return host.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            // thrown as the analysis of that host on this thread would have thrown it
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void limit(TraceReader reader) {
        try {
            TimeRange.apply(reader, begin, end, null, false, ZoneId.systemDefault());
        } catch (IllegalArgumentException e) {
            reader.close();
            throw new ParameterException(command.commandLine(), e.getMessage());
        }
    }

    /**
     * What several hosts' analyses tell together: how each host's clock maps to the reference one (from the packets
     * they exchanged), the VMs that moved between them, and the packets' paths from one host to another.
     */
    record Cluster(List<HostAnalysis> hosts, ClockSync.Result sync, Map<String, LongUnaryOperator> toReference,
                   List<Migrations.Migration> migrations, List<CrossHostPaths.Path> crossHostPaths) {

        /** The document of several hosts on one time line (see {@link ClusterJson}). */
        ObjectNode document() {
            ObjectNode document = ClusterJson.of(hosts, toReference, migrations, crossHostPaths);
            document.set("sync", SyncReport.json(sync).get("sync"));
            return document;
        }
    }

    /** The hosts' clocks tied from the packets they exchanged; {@code reference} null for the best tied host. */
    static ClockSync.Result synchronize(List<HostAnalysis> hosts, String reference) {
        return ClockSync.synchronize(hosts.stream().map(host -> new ClockSync.Host(host.host().name(), host.trace(),
                host.report().boundaryPackets().clockUuid(), host.report().startNs(), host.report().endNs(),
                host.report().boundaryPackets())).toList(), reference);
    }

    Cluster cluster(List<HostAnalysis> hosts) {
        ClockSync.Result sync = synchronize(hosts, null);
        Map<String, LongUnaryOperator> toReference = new LinkedHashMap<>();
        Map<String, LongUnaryOperator> fromReference = new LinkedHashMap<>();
        for (ClockSync.Transform transform : sync.transforms()) {
            toReference.put(transform.host(), transform::toReference);
            LinearMap inverse = transform.map().inverse();
            fromReference.put(transform.host(), inverse::apply);
        }
        List<Migrations.Migration> migrations = new ArrayList<>();
        for (Migrations.Migration migration : Migrations.find(hosts.stream()
                .map(host -> new Migrations.HostReport(host.host().name(), host.report(),
                        toReference.get(host.host().name())))
                .toList())) {
            migrations.add(Migrations.withLoss(migration, downtimeTraffic(hosts, fromReference,
                    migration.lastPacketNs(), migration.firstPacketNs())));
        }
        return new Cluster(hosts, sync, toReference, migrations, CrossHostPaths.of(sync));
    }

    /** The document of several hosts' analyses on one time line (see {@link ClusterJson}). */
    ObjectNode clusterDocument(List<HostAnalysis> hosts) {
        return cluster(hosts).document();
    }

    /** What only several hosts together tell, after each host's own tables. */
    void printCluster(List<HostAnalysis> hosts, PrintWriter out) {
        ClusterText.print(cluster(hosts), out);
    }

    /**
     * The cluster's VM traffic over a time range of the reference clock: each host's traces read again over that
     * range alone (their index files find it without decoding what comes before), the VMs those of the whole traces.
     */
    private ClusterTraffic.Result downtimeTraffic(List<HostAnalysis> hosts, Map<String, LongUnaryOperator> fromReference,
                                                  long beginNs, long endNs) {
        AnalysisOptions options = options();
        List<AnalysisReport> window = new ArrayList<>();
        for (HostAnalysis host : hosts) {
            LongUnaryOperator clock = fromReference.get(host.host().name());
            long begin = clock.applyAsLong(beginNs) + 1; // the last frame before is not part of the downtime
            long end = clock.applyAsLong(endNs) - 1;
            if (end < begin) {
                continue;
            }
            TraceReader reader = TraceReader.open(host.host().directories(), TraceReader.Warnings.IGNORE);
            reader.limitTo(begin, end);
            window.add(NetworkAnalysis.analyze(reader, host.trace(), options, null));
        }
        return ClusterTraffic.of(hosts.stream().map(HostAnalysis::report).toList(), window);
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
