package org.vnetscope.cli;

import java.io.PrintWriter;
import java.util.List;
import org.vnetscope.analysis.cluster.CrossHostPaths;
import org.vnetscope.analysis.cluster.Migrations;
import org.vnetscope.document.Cluster;
import org.vnetscope.document.HostAnalysis;

/**
 * The text form of what several hosts' traces tell together: the hosts, the cluster's VM traffic matrix, the
 * heaviest paths from one host to another with their wire latency, and the VMs that moved.
 */
final class ClusterText {

    private ClusterText() {
    }

    static void print(Cluster cluster, PrintWriter out) {
        List<HostAnalysis> hosts = cluster.hosts();
        out.println("=== cluster: " + hosts.size() + " hosts");
        for (HostAnalysis host : hosts) {
            out.printf("  %-16s %s  clock %s%n", host.host().name(), host.trace(),
                    host.host().clockUuid() == null ? "?" : host.host().clockUuid());
        }
        out.println();
        out.print(SyncReport.text(cluster.sync()));
        com.fasterxml.jackson.databind.JsonNode matrix = cluster.document().get("vm_matrix");
        out.println();
        out.println("VM traffic matrix (each packet counted once, where it was sent)");
        out.printf("  %-24s %-24s %12s %14s  %s%n", "vm", "vm", "packets", "bytes", "across hosts");
        for (com.fasterxml.jackson.databind.JsonNode pair : matrix) {
            out.printf("  %-24s %-24s %,12d %14s  %5.1f%%%n", pair.get("from").asText(), pair.get("to").asText(),
                    pair.get("packets").asLong(), ReportText.bytes(pair.get("bytes").asLong()),
                    100 * pair.get("cross_host_share").asDouble());
        }
        out.println();
        crossHostPaths(cluster.crossHostPaths(), out);
        out.println();
        migrations(cluster.migrations(), hosts.get(0).report().startNs(), out);
    }

    /** How many cross-host paths the text lists; the JSON document has them all. */
    static final int CROSS_HOST_PATHS_SHOWN = 10;

    /** The heaviest paths from one host to another, with the hop between the hosts on its own. */
    static void crossHostPaths(List<CrossHostPaths.Path> paths, PrintWriter out) {
        if (paths.isEmpty()) {
            out.println("No packet was followed from one host to another (no packet matched between the hosts).");
            return;
        }
        out.println("Paths between hosts (most packets first; wire: last queue on the sender to first receive on the"
                + " receiver, reference clock)");
        out.printf("  %10s %10s %10s %10s %10s  %s%n", "packets", "bytes", "wire p50", "wire p99", "total p50", "path");
        for (CrossHostPaths.Path path : paths.subList(0, Math.min(CROSS_HOST_PATHS_SHOWN, paths.size()))) {
            out.printf("  %,10d %10s %10s %10s %10s  %s%s%n", path.packets(), ReportText.bytes(path.bytes()),
                    ReportText.duration(path.wireLatencyNs().p50()), ReportText.duration(path.wireLatencyNs().p99()),
                    ReportText.duration(path.latencyNs().p50()), hops(path),
                    path.dropped() == 0 ? "" : "  (" + path.dropped() + " dropped on " + path.toHost() + ")");
        }
        if (paths.size() > CROSS_HOST_PATHS_SHOWN) {
            out.println("  ... " + (paths.size() - CROSS_HOST_PATHS_SHOWN) + " more in --format json (paths[] with"
                    + " cross_host)");
        }
    }

    /** {@code eth0@vm1 -> vnet0 -> phy0 [hosta] -> phy0 -> vnet3 -> eth0@vm7 [hostb]}. */
    static String hops(CrossHostPaths.Path path) {
        return String.join(" -> ", path.fromHops()) + " [" + path.fromHost() + "] -> "
                + String.join(" -> ", path.toHops()) + " [" + path.toHost() + "]";
    }

    /** Each VM that moved between hosts: from where to where, and how long it was gone. */
    static void migrations(List<Migrations.Migration> migrations, long originNs, PrintWriter out) {
        // originNs: the first host's start, on its own clock; the reference is usually that host
        if (migrations.isEmpty()) {
            out.println("No VM moved between hosts.");
            return;
        }
        out.println("VMs that moved between hosts (times on the reference clock)");
        for (Migrations.Migration m : migrations) {
            out.printf("  %s%s: %s %s -> %s %s, last frame on %s at %s, first on %s at %s%s, downtime %s%n", m.vm(),
                    m.ipv4().isEmpty() ? "" : " (" + String.join(", ", m.ipv4()) + ")", m.fromHost(), m.fromPort(),
                    m.toHost(), m.toPort(), m.fromHost(), ReportText.instant(m.lastPacketNs(), originNs), m.toHost(),
                    ReportText.instant(m.firstPacketNs(), originNs),
                    m.announceNs() == null ? "" : ", announced at " + ReportText.instant(m.announceNs(), originNs),
                    ReportText.duration(m.downtimeNs()) + (m.lostPackets() == null ? ""
                            : ", " + m.lostPackets() + " packets (" + ReportText.bytes(m.lostBytes())
                            + ") sent to it meanwhile, lost"));
        }
    }
}
