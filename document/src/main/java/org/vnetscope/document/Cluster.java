package org.vnetscope.document;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
     * The hosts together; {@code options} are those the hosts were analysed with, for reading their traces again
     * over a migration's downtime.
     */
    public static Cluster of(List<HostAnalysis> hosts, AnalysisOptions options) {
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
            migrations.add(Migrations.withLoss(migration, downtimeTraffic(hosts, fromReference, options,
                    migration.lastPacketNs(), migration.firstPacketNs())));
        }
        return new Cluster(hosts, sync, toReference, migrations, CrossHostPaths.of(sync));
    }

    /**
     * The cluster's VM traffic over a time range of the reference clock: each host's traces read again over that
     * range alone (their index files find it without decoding what comes before), the VMs those of the whole traces.
     */
    private static ClusterTraffic.Result downtimeTraffic(List<HostAnalysis> hosts,
                                                         Map<String, LongUnaryOperator> fromReference,
                                                         AnalysisOptions options, long beginNs, long endNs) {
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
}
