package org.vnetscope.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.NetworkAnalysis;
import org.vnetscope.analysis.ReadingAhead;
import org.vnetscope.analysis.cluster.TraceHosts;
import org.vnetscope.analysis.sync.ClockSync;
import org.vnetscope.ctf.EventStream;
import org.vnetscope.ctf.Trace;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.document.AnalysisArguments;
import org.vnetscope.document.AnalysisEngine;
import org.vnetscope.document.Cluster;
import org.vnetscope.document.ClusterJson;
import org.vnetscope.document.HostAnalysis;
import org.vnetscope.document.HostTraces;
import org.vnetscope.document.PhaseTimes;
import org.vnetscope.document.ReportJson;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * How {@code analyze} and {@code report} analyse a trace: the same options, the same analysis entry point and
 * the same JSON document, so that a report always shows what {@code analyze --format json} prints. The analysis
 * options themselves are {@link AnalysisArguments}, which spark-submit's {@code analyze} takes too; --threads is
 * this process's own.
 */
final class TraceAnalysis extends AnalysisArguments {

    @Option(names = "--threads", paramLabel = "N",
            description = {"Threads to use (default: the processors available, and one thread for a trace of less "
                    + "than 16 MB of stream files). With 2 or more, a trace is read and decoded on a thread of its "
                    + "own while the analyses take its events, in the same order, on another (and back on one "
                    + "where handing the events between the two cores is found the slower): the result is that "
                    + "of one thread, byte for byte. A trace takes at most 2; several hosts' traces take one each, "
                    + "two when N allows."})
    Integer threads;

    /** Runs every analysis over the trace, with progress on stderr when stderr is a terminal. */
    AnalysisReport run(Path trace) {
        return run(EarlyOpen.open(trace, TraceReader.Warnings.IGNORE), trace.toString());
    }

    private AnalysisReport run(TraceReader reader, String traceName) {
        AnalysisOptions options = options();
        limit(reader);
        reader = readAheadIfWorth(reader, threads());
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

    /**
     * Runs every analysis over the traces named, host by host: the traces are grouped by the host that recorded
     * them (their {@code hostname} and clock), since two hosts' events are not one sequence and their devices are
     * not the same devices. Several hosts are analysed on threads of their own, as many at once as --threads
     * allows; a host's trace is read ahead on a thread of its own when twice as many threads as hosts are allowed.
     */
    List<HostAnalysis> runHosts(List<Path> inputs) {
        AnalysisOptions options = options(); // bad options are told before any trace is opened
        int threads = threads();
        TraceReader reader = inputs.size() == 1
                ? EarlyOpen.open(inputs.get(0), TraceReader.Warnings.IGNORE)
                : TraceReader.open(inputs, TraceReader.Warnings.IGNORE);
        List<TraceHosts.Host> hosts = TraceHosts.of(reader.traces());
        if (hosts.size() == 1) {
            String label = inputs.size() == 1 ? inputs.get(0).toString() : String.join(" ", inputs.stream()
                    .map(Path::toString).toList());
            return List.of(new HostAnalysis(hosts.get(0), label, run(reader, label)));
        }
        // each host's traces opened again from what this reader parsed (their metadata, read once)
        List<Trace> traces = reader.traces();
        reader.close();
        int hostThreads = Math.max(1, Math.min(hosts.size(), threads));
        // threads beyond one per host read the hosts' traces ahead
        int perHost = threads / hostThreads;
        ExecutorService pool = Executors.newFixedThreadPool(hostThreads);
        long started = PhaseTimes.start();
        try {
            List<Future<HostAnalysis>> running = new ArrayList<>();
            for (TraceHosts.Host host : hosts) {
                String label = HostAnalysis.label(host);
                running.add(pool.submit(() -> {
                    TraceReader hostReader = TraceReader.openTraces(host.tracesAmong(traces),
                            TraceReader.Warnings.IGNORE);
                    limit(hostReader);
                    return new HostAnalysis(host, label, NetworkAnalysis.analyze(readAheadIfWorth(hostReader, perHost),
                            label, options, null));
                }));
            }
            List<HostAnalysis> done = new ArrayList<>();
            for (Future<HostAnalysis> host : running) {
                done.add(await(host));
            }
            PhaseTimes.done("hosts' analyses on " + hostThreads + " threads, " + hosts.size() + " hosts", started);
            return done;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * As {@link #runHosts(List)}, each host's analysis run by an engine (null: this process); the traces are
     * grouped and the time range resolved here, as they are for this process's threads, so the engine reads what
     * they would have read.
     */
    List<HostAnalysis> runHosts(List<Path> inputs, AnalysisEngine engine, Map<String, String> settings) {
        if (engine == null) {
            return runHosts(inputs);
        }
        AnalysisOptions options = options();
        List<TraceHosts.Host> hosts;
        List<HostTraces> work;
        try (TraceReader reader = inputs.size() == 1
                ? EarlyOpen.open(inputs.get(0), TraceReader.Warnings.IGNORE)
                : TraceReader.open(inputs, TraceReader.Warnings.IGNORE)) {
            hosts = TraceHosts.of(reader.traces());
            work = hostTraces(inputs, reader, hosts);
        }
        List<AnalysisReport> reports;
        long started = PhaseTimes.start();
        try {
            reports = engine.analyze(work, options, settings);
            PhaseTimes.done("engine " + engine.name() + ", " + hosts.size() + " hosts", started);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage());
        }
        List<HostAnalysis> done = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            done.add(new HostAnalysis(hosts.get(i), work.get(i).label(), reports.get(i)));
        }
        return done;
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

    /** The threads --threads allows (the processors available when not given). */
    private int threads() {
        if (threads != null && threads < 1) {
            throw new ParameterException(command.commandLine(), "--threads must be at least 1");
        }
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    /**
     * The reader read ahead on a thread of its own when {@link #readsAhead} says so for the threads this analysis
     * may take.
     */
    private TraceReader readAheadIfWorth(TraceReader reader, int allowed) {
        return readsAhead(allowed, threads != null, DumpCommand.streamBytes(reader)) ? ReadingAhead.of(reader) : reader;
    }

    /**
     * Whether a trace is read on a thread of its own beside its analyses: when two threads are allowed and, unless
     * --threads asked for them, the trace is large enough for a second thread to pay.
     */
    static boolean readsAhead(int allowed, boolean asked, long streamBytes) {
        return allowed >= 2 && (asked || ReadingAhead.worth(streamBytes));
    }

    /** The hosts' clocks tied from the packets they exchanged; {@code reference} null for the best tied host. */
    static ClockSync.Result synchronize(List<HostAnalysis> hosts, String reference) {
        return Cluster.synchronize(hosts, reference);
    }

    Cluster cluster(List<HostAnalysis> hosts) {
        long started = PhaseTimes.start();
        Cluster cluster = Cluster.of(hosts, options(), Cluster.ON_THIS_MACHINE, !limited());
        PhaseTimes.done("every-host step (clocks, migrations, cross-host paths), " + hosts.size() + " hosts", started);
        return cluster;
    }

    /** The document of several hosts' analyses on one time line (see {@link ClusterJson}). */
    ObjectNode clusterDocument(List<HostAnalysis> hosts) {
        return cluster(hosts).document();
    }

    /** What only several hosts together tell, after each host's own tables. */
    void printCluster(List<HostAnalysis> hosts, PrintWriter out) {
        ClusterText.print(cluster(hosts), out);
    }

    /** The document of {@code analyze --format json} (described by docs/schema/analyze.schema.json). */
    ObjectNode document(Path trace) {
        return ReportJson.of(run(trace));
    }

    /**
     * One self-overwriting stderr line, drawn once the run has lasted two seconds: how much of the stream files was
     * read, at how many events per second, and the time left at that pace. Called at the stream's checkpoints (every
     * 64 Ki events handed to the analyses), so reading costs nothing more per event, and the events nobody analyses
     * are still passed over.
     */
    static final class Progress implements Consumer<EventStream> {

        private static final long REDRAW_NS = 250_000_000L;
        private static final long QUIET_FOR_NS = 2_000_000_000L;

        private final PrintWriter err;
        private final TraceReader reader;
        private final long totalBytes;
        private final long startedNs = System.nanoTime();
        private long events;
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
        public void accept(EventStream stream) {
            long now = System.nanoTime();
            if (now - startedNs >= QUIET_FOR_NS && now - lastDrawn >= REDRAW_NS) {
                lastDrawn = now;
                drawn = true;
                events = stream.events();
                err.print("\r" + line(reader.bytesRead(), now - startedNs,
                        stream.lastEventNs() - stream.firstEventNs()) + " ");
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
