package org.vnetscope.document;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongUnaryOperator;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.NetworkAnalysis;
import org.vnetscope.analysis.cluster.ClusterTraffic;
import org.vnetscope.analysis.cluster.CrossHostPaths;
import org.vnetscope.analysis.cluster.Migrations;
import org.vnetscope.analysis.sync.ClockSync;
import org.vnetscope.analysis.sync.LinearMap;
import org.vnetscope.ctf.TraceReader;

/**
 * What several hosts' analyses tell together: how each host's clock maps to the reference one (from the packets
 * they exchanged), the VMs that moved between them, and the packets' paths from one host to another. Whoever ran the hosts' analyses (threads of the command
 * line, or a Spark job), this step runs where they meet, since it needs every host.
 */
public record Cluster(List<HostAnalysis> hosts, ClockSync.Result sync, Map<String, LongUnaryOperator> toReference,
                      List<Migrations.Migration> migrations, List<CrossHostPaths.Path> crossHostPaths) {

    /** The document of several hosts on one time line (see {@link ClusterJson}). */
    public ObjectNode document() {
        ObjectNode document = ClusterJson.of(hosts, toReference, migrations, crossHostPaths);
        document.set("sync", SyncJson.of(sync).get("sync"));
        return document;
    }

    /** The hosts' clocks tied from the packets they exchanged; {@code reference} null for the best tied host. */
    public static ClockSync.Result synchronize(List<HostAnalysis> hosts, String reference) {
        return ClockSync.synchronize(hosts.stream().map(host -> new ClockSync.Host(host.host().name(), host.trace(),
                host.report().boundaryPackets().clockUuid(), host.report().startNs(), host.report().endNs(),
                host.report().boundaryPackets())).toList(), reference);
    }

    /**
     * Reads hosts' traces again over a time range of each one's own clock (a migration's downtime), wherever the
     * traces can be read: this process by default, an engine's tasks where only they reach the traces.
     */
    public interface Rereading {
        /**
         * The analysis of each window, in the order of {@code windows}: of it, only what the window's traffic tells
         * is used (its sender traffic, for the VMs' loss over the downtime), so a report without path latencies
         * ({@link NetworkAnalysis#analyzeTraffic}) is enough.
         */
        List<AnalysisReport> analyse(List<Window> windows, AnalysisOptions options);
    }

    /**
     * A host's traces over [beginNs, endNs] of its clock.
     *
     * @param index the host's rank among the cluster's hosts
     */
    public record Window(int index, HostAnalysis host, long beginNs, long endNs) {
    }

    /**
     * Each window read by this process, for its traffic alone, several hosts' at once on as many threads as there are
     * processors (a window is a few seconds of one host's traces, found through their index files); a host's traces
     * are opened once for all its windows ({@link TraceReader#openAgain}); the reports in the order of the windows.
     */
    public static final Rereading ON_THIS_MACHINE = (windows, options) -> {
        Map<Integer, List<Integer>> byHost = new LinkedHashMap<>();
        for (int i = 0; i < windows.size(); i++) {
            byHost.computeIfAbsent(windows.get(i).index(), host -> new ArrayList<>()).add(i);
        }
        AnalysisReport[] reports = new AnalysisReport[windows.size()];
        int threads = Math.min(byHost.size(), Runtime.getRuntime().availableProcessors());
        if (threads <= 1) {
            byHost.values().forEach(host -> rereadHost(windows, host, options, reports));
            return List.of(reports);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "vnetscope-downtime");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> hosts = new ArrayList<>();
            for (List<Integer> host : byHost.values()) {
                hosts.add(pool.submit(() -> rereadHost(windows, host, options, reports)));
            }
            for (Future<?> host : hosts) {
                host.get();
            }
            return List.of(reports);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the traces again over a downtime", e);
        } catch (ExecutionException e) {
            // the window's own error (a trace that cannot be read: its file and offset), as one thread would give it
            throw e.getCause() instanceof RuntimeException failure ? failure
                    : new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    };

    /** One host's windows (indexes into {@code windows}), its traces opened once; each report put in its place. */
    private static void rereadHost(List<Window> windows, List<Integer> host, AnalysisOptions options,
                                   AnalysisReport[] reports) {
        Window first = windows.get(host.get(0));
        try (TraceReader opened = TraceReader.open(first.host().host().directories(), TraceReader.Warnings.IGNORE)) {
            for (int i : host) {
                Window window = windows.get(i);
                TraceReader reader = opened.openAgain();
                if (reader == null) {
                    reader = TraceReader.open(window.host().host().directories(), TraceReader.Warnings.IGNORE);
                }
                reader.limitTo(window.beginNs(), window.endNs());
                reports[i] = NetworkAnalysis.analyzeTraffic(reader, window.host().trace(), options);
            }
        }
    }

    /**
     * The hosts together; {@code options} are those the hosts were analysed with, for reading their traces again
     * over a migration's downtime.
     */
    public static Cluster of(List<HostAnalysis> hosts, AnalysisOptions options) {
        return of(hosts, options, ON_THIS_MACHINE, false);
    }

    /**
     * As {@link #of(List, AnalysisOptions)}, the downtime windows read by {@code rereading}. {@code wholeTraces}
     * tells that each host's report covers all of its traces (no time range limited it): its first and last events'
     * times then bound every event the traces hold, and a downtime that falls outside them is not read again, since
     * it holds nothing of that host (with a time range, the traces may hold events beyond the report's, and every
     * window is read).
     */
    public static Cluster of(List<HostAnalysis> hosts, AnalysisOptions options, Rereading rereading,
                             boolean wholeTraces) {
        long started = PhaseTimes.start();
        ClockSync.Result sync = synchronize(hosts, null);
        started = PhaseTimes.done("clock synchronization, " + hosts.size() + " hosts", started);
        Map<String, LongUnaryOperator> toReference = new LinkedHashMap<>();
        Map<String, LongUnaryOperator> fromReference = new LinkedHashMap<>();
        for (ClockSync.Transform transform : sync.transforms()) {
            toReference.put(transform.host(), transform::toReference);
            LinearMap inverse = transform.map().inverse();
            fromReference.put(transform.host(), inverse::apply);
        }
        List<Migrations.Migration> found = Migrations.find(hosts.stream()
                .map(host -> new Migrations.HostReport(host.host().name(), host.report(),
                        toReference.get(host.host().name())))
                .toList());
        // every migration's windows read in one go: one job of an engine, or threads side by side, not one by one
        List<List<Window>> windowsOf = new ArrayList<>();
        List<Window> allWindows = new ArrayList<>();
        for (Migrations.Migration migration : found) {
            List<Window> windows = downtimeWindows(hosts, fromReference, migration.lastPacketNs(),
                    migration.firstPacketNs(), wholeTraces);
            windowsOf.add(windows);
            allWindows.addAll(windows);
        }
        List<AnalysisReport> reread = allWindows.isEmpty() ? List.of() : rereading.analyse(allWindows, options);
        started = PhaseTimes.done(found.size() + " migrations, their downtime read again (" + allWindows.size()
                + " windows)", started);
        List<AnalysisReport> hostReports = hosts.stream().map(HostAnalysis::report).toList();
        List<Migrations.Migration> migrations = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < found.size(); i++) {
            int count = windowsOf.get(i).size();
            // the cluster's VM traffic over the downtime, the VMs those of the whole traces
            migrations.add(Migrations.withLoss(found.get(i),
                    ClusterTraffic.of(hostReports, reread.subList(next, next + count))));
            next += count;
        }
        List<CrossHostPaths.Path> crossHostPaths = CrossHostPaths.of(sync);
        PhaseTimes.done("cross-host paths", started);
        return new Cluster(hosts, sync, toReference, migrations, crossHostPaths);
    }

    /**
     * Each host's traces over a time range of the reference clock, on the host's own clock (their index files find
     * it without decoding what comes before); with {@code wholeTraces}, only the hosts whose events reach into it.
     * A window left out would have given no traffic: a VM's loss over the downtime is the traffic the windows saw.
     */
    private static List<Window> downtimeWindows(List<HostAnalysis> hosts, Map<String, LongUnaryOperator> fromReference,
                                                long beginNs, long endNs, boolean wholeTraces) {
        List<Window> windows = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            HostAnalysis host = hosts.get(i);
            LongUnaryOperator clock = fromReference.get(host.host().name());
            long begin = clock.applyAsLong(beginNs) + 1; // the last frame before is not part of the downtime
            long end = clock.applyAsLong(endNs) - 1;
            AnalysisReport report = host.report();
            // a report without events says 0 for both: nothing is known of its traces' times then, the window is read
            boolean eventsBeside = report.startNs() != 0 || report.endNs() != 0;
            if (wholeTraces && eventsBeside && (end < report.startNs() || begin > report.endNs())) {
                continue;
            }
            if (end >= begin) {
                windows.add(new Window(i, host, begin, end));
            }
        }
        return windows;
    }
}
