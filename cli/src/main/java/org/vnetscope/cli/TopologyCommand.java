package org.vnetscope.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.cluster.Migrations;
import org.vnetscope.analysis.ovs.Datapath;
import org.vnetscope.analysis.paths.PacketPath;
import org.vnetscope.analysis.topology.Topology;
import org.vnetscope.analysis.topology.VmTraffic;
import org.vnetscope.document.Cluster;
import org.vnetscope.document.HostAnalysis;
import org.vnetscope.document.ReportJson;
import org.vnetscope.document.TopologyJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vnetscope topology TRACE}: the virtual network, its changes, packet paths and VM traffic; the same
 * analysis (and the same JSON members) as {@code vnetscope analyze}, without the traffic tables.
 */
@Command(name = "topology", mixinStandardHelpOptions = true,
        description = "Bridges, ports, VMs and their changes over time, packet paths and the VM traffic matrix.",
        footerHeading = "%nExamples:%n",
        footer = {"  vnetscope topology samples/bridge-basic/trace/kernel",
                "  vnetscope topology --libvirt /etc/libvirt/qemu TRACE",
                "  vnetscope topology --format dot TRACE | dot -Tsvg > topology.svg"})
public final class TopologyCommand implements Callable<Integer> {

    enum Format { text, json, dot }

    @Parameters(paramLabel = "TRACE", arity = "1..*",
            description = "Trace directories or LTTng session folders; several hosts' traces are shown host by host.")
    List<Path> traces;

    @Option(names = "--format", defaultValue = "text",
            description = "text (a tree), json or dot (Graphviz) (default: ${DEFAULT-VALUE}).")
    Format format;

    /** The same analysis options as analyze and report (--vm-map and --libvirt name the VMs). */
    @Mixin
    TraceAnalysis analysis;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<HostAnalysis> hosts = analysis.runHosts(traces);
        PrintWriter out = spec.commandLine().getOut();
        if (hosts.size() > 1) {
            Cluster cluster = analysis.cluster(hosts);
            switch (format) {
                case json -> {
                    ObjectNode whole = cluster.document();
                    ObjectNode root = ReportJson.MAPPER.createObjectNode();
                    for (String member : List.of("trace", "hosts", "sync", "topology", "paths", "chains", "vm_matrix",
                            "datapaths")) {
                        if (whole.has(member)) {
                            root.set(member, whole.get(member));
                        }
                    }
                    ReportJson.print(root, out);
                }
                case dot -> out.print(dot(hosts, cluster.migrations()));
                case text -> {
                    for (HostAnalysis host : hosts) {
                        out.println("=== host " + host.host().name() + " (" + host.trace() + ")");
                        out.print(tree(host.report()));
                        out.println();
                    }
                    ClusterText.migrations(cluster.migrations(), hosts.get(0).report().startNs(), out);
                }
            }
            return 0;
        }
        AnalysisReport report = hosts.get(0).report();
        switch (format) {
            case json -> {
                ObjectNode root = ReportJson.MAPPER.createObjectNode();
                root.put("trace", report.trace());
                TopologyJson.addTo(root, report);
                ReportJson.print(root, out);
            }
            case dot -> out.print(dot(report.topology()));
            case text -> out.print(tree(report));
        }
        return 0;
    }

    static String tree(AnalysisReport result) {
        StringBuilder sb = new StringBuilder();
        Topology topology = result.topology();
        for (Topology.Bridge bridge : topology.bridges()) {
            sb.append(bridge.name()).append(bridge.ipv4().isEmpty() ? "" : " " + bridge.ipv4()).append('\n');
            String trunk = bridge.ports().isEmpty() ? "    " : "│   ";
            if (bridge.vlanFiltering() != null) {
                sb.append(trunk).append("vlan filtering ").append(bridge.vlanFiltering() ? "on" : "off")
                        .append(bridge.defaultPvid() == null ? "" : ", default pvid " + bridge.defaultPvid()
                                + (KERNEL_DEFAULT.equals(bridge.defaultPvidSource())
                                ? " (assumed: the kernel's default, no event carried a VLAN id)" : " (inferred)"))
                        .append('\n');
            }
            vlans(sb, trunk, bridge.vlanMembership(), result.startNs());
            if (bridge.forwardingGroups().size() > 1) {
                sb.append(trunk).append("forwarding groups (inferred, no frame crossed between them): ")
                        .append(String.join(" | ", bridge.forwardingGroups().stream()
                                .map(group -> String.join(" ", group)).toList())).append('\n');
            }
            for (int i = 0; i < bridge.ports().size(); i++) {
                Topology.Port port = bridge.ports().get(i);
                boolean last = i == bridge.ports().size() - 1;
                sb.append(last ? "└── " : "├── ").append(port.name()).append(" (").append(port.kind()).append(')');
                if (port.vm() != null) {
                    sb.append(" vm ").append(port.vm());
                }
                if (port.peer() != null) {
                    sb.append(" ↔ ").append(port.peer().name())
                            .append(port.peer().netns() == null ? "" : " netns " + port.peer().netns());
                }
                if (port.removedNs() != null) {
                    sb.append(" removed at ").append(ReportText.instant(port.removedNs(), result.startNs()));
                }
                sb.append('\n');
                String indent = last ? "    " : "│   ";
                for (Topology.Mac mac : port.macs()) {
                    sb.append(indent).append("mac ").append(mac.mac())
                            .append(mac.vlan() == null ? "" : " vlan " + mac.vlan()).append('\n');
                }
                vlans(sb, indent, port.vlanMembership(), result.startNs());
                if (!port.ipv4().isEmpty()) {
                    sb.append(indent).append("ipv4 ").append(String.join(", ", port.ipv4())).append('\n');
                }
            }
        }
        for (Topology.VethPair pair : topology.vethPairs()) {
            sb.append("veth ").append(pair.a()).append(" ↔ ").append(pair.b())
                    .append(pair.netns() == null ? "" : " netns " + pair.netns())
                    .append(pair.tap() == null ? "" : " relayed to " + pair.tap()).append('\n');
        }
        for (Datapath datapath : result.datapaths()) {
            datapath(sb, datapath);
        }
        if (!topology.changes().isEmpty()) {
            sb.append("\nchanges\n");
            for (Topology.Change change : topology.changes()) {
                sb.append("  ").append(ReportText.instant(change.timeNs(), result.startNs())).append(' ')
                        .append(change.kind()).append(change.mac() != null ? " " + change.mac()
                                : change.ip() != null ? " " + change.ip() : "")
                        .append(change.from() == null ? "" : " from " + change.from())
                        .append(change.to() == null ? "" : " to " + change.to()).append('\n');
            }
        }
        sb.append("\npaths (").append(result.chains().journeys()).append(" packets followed, ")
                .append(result.chains().splitOnHeaders()).append(" chains split on headers, ")
                .append(result.chains().ambiguous()).append(" ambiguous")
                .append(result.chains().overlappingLostEvents() == 0 ? ""
                        : ", " + result.chains().overlappingLostEvents() + " left out: the tracer lost events meanwhile")
                .append(")\n");
        sb.append("  latency: first event on the path to the free; per hop: one device to the next\n");
        for (PacketPath path : result.paths()) {
            PacketPath.Latency all = path.latencyNs();
            sb.append(String.format("  %8d pkts %10s  %s%n", path.packets(), ReportText.bytes(path.bytes()),
                    percentiles(all)));
            sb.append("      ").append(String.join(" → ", path.hops())).append('\n');
            for (PacketPath.HopLatency hop : path.hopLatencyNs()) {
                sb.append(String.format("        %s → %s: %s%n", hop.from(), hop.to(), percentiles(hop.latencyNs())));
            }
            for (PacketPath.Drop drop : path.drops()) {
                sb.append(String.format("        %d dropped at %s: %s%n", drop.packets(), drop.at(), drop.reason()));
            }
            if (path.segmented() > 0) {
                sb.append(String.format("        %d cut into GSO segments at %s%n", path.segmented(),
                        path.hops().get(path.hops().size() - 1)));
            }
        }
        sb.append("\nVM traffic\n");
        for (VmTraffic cell : result.vmMatrix()) {
            sb.append(String.format("  %-10s → %-10s %8d pkts %12d B %6d dropped%n", cell.from(), cell.to(),
                    cell.packets(), cell.bytes(), cell.dropped()));
        }
        return sb.toString();
    }

    private static void vlans(StringBuilder sb, String indent, List<Topology.Vlan> vlans, long startNs) {
        for (Topology.Vlan vlan : vlans) {
            sb.append(indent).append(vlanText(vlan));
            if (vlan.untilNs() != null) {
                sb.append(" until ").append(ReportText.instant(vlan.untilNs(), startNs));
            }
            sb.append('\n');
        }
    }

    /** How a VLAN or a default PVID is known when it is only the kernel's default, assumed. */
    private static final String KERNEL_DEFAULT = "kernel_default";

    /** "vlan 1 pvid untagged (seen, flags inferred)": what is known of a VLAN, and how. */
    static String vlanText(Topology.Vlan vlan) {
        StringBuilder sb = new StringBuilder("vlan ").append(vlan.vid());
        if (vlan.pvid() != null) {
            sb.append(vlan.pvid() ? " pvid" : " no-pvid");
        }
        if (vlan.untagged() != null) {
            sb.append(vlan.untagged() ? " untagged" : " tagged");
        }
        if (vlan.source().equals("fdb")) {
            sb.append(vlan.flagsSource() == null ? " (seen)" : " (seen, flags inferred)");
        } else if (vlan.source().equals(KERNEL_DEFAULT)) {
            sb.append(" (assumed: kernel default)");
        } else {
            sb.append(" (inferred)");
        }
        return sb.toString();
    }

    /** Flows listed under a datapath; the JSON and CSV forms have them all. */
    private static final int TOP_FLOWS = 10;

    private static void datapath(StringBuilder sb, Datapath datapath) {
        sb.append(String.format("%nOpen vSwitch datapath %s%s%n  %d upcalls, %d packets executed, %d OUTPUT actions, "
                        + "%d dropped (no output action)%n", datapath.name(),
                datapath.bridge() == null ? "" : " (bridge " + datapath.bridge() + ")", datapath.upcalls(),
                datapath.executedPackets(), datapath.outputActions(), datapath.drops()));
        for (Datapath.Port port : datapath.ports()) {
            sb.append(String.format("  port %d %s%s: %d output, %d upcalls, %d dropped%n", port.number(),
                    port.name() == null ? "?" : port.name(), port.internal() ? " (internal)" : "",
                    port.outputActions(), port.upcalls(), port.drops()));
        }
        if (!datapath.flows().isEmpty()) {
            sb.append(String.format("  flows executed (top %d of %d)%n", Math.min(TOP_FLOWS, datapath.flows().size()),
                    datapath.flows().size()));
        }
        datapath.flows().stream().limit(TOP_FLOWS).forEach(flow -> {
            sb.append(String.format("  %8d pkts %10s  in %s, out %s%n", flow.packets(), ReportText.bytes(flow.bytes()),
                    flow.port() == null ? Integer.toString(flow.inPort()) : flow.port(), flow.outputPorts()));
            sb.append("      ").append(describe(flow.key())).append('\n');
        });
    }

    /** A flow key in one line of at most 94 columns. */
    private static String describe(Datapath.FlowKey key) {
        String macs = key.ethSrc() + " > " + key.ethDst();
        if (key.ethType() == 0x0806) {
            return macs + " arp op " + key.ipProto() + " " + key.ipv4Src() + " > " + key.ipv4Dst();
        }
        if (key.ethType() != 0x0800) {
            return macs + String.format(" ethertype 0x%04x", key.ethType());
        }
        return switch (key.ipProto()) {
            case 6 -> macs + " tcp " + key.ipv4Src() + ":" + key.tpSrc() + " > " + key.ipv4Dst() + ":" + key.tpDst();
            case 17 -> macs + " udp " + key.ipv4Src() + ":" + key.tpSrc() + " > " + key.ipv4Dst() + ":" + key.tpDst();
            case 1 -> macs + " icmp " + key.ipv4Src() + " > " + key.ipv4Dst() + " type " + key.tpSrc();
            default -> macs + " proto " + key.ipProto() + " " + key.ipv4Src() + " > " + key.ipv4Dst();
        };
    }

    private static String percentiles(PacketPath.Latency latency) {
        return String.format("p50 %s p90 %s p99 %s max %s (%d samples)", duration(latency.p50()),
                duration(latency.p90()), duration(latency.p99()), duration(latency.max()), latency.samples());
    }

    /** A duration in ns with three significant digits and its unit: 850ns, 12.3us, 4.56ms, 1.20s. */
    static String duration(long ns) {
        if (ns < 1_000) {
            return ns + "ns";
        }
        String[] units = {"us", "ms", "s"};
        double value = ns / 1_000.0;
        int unit = 0;
        while (value >= 1_000 && unit < units.length - 1) {
            value /= 1_000;
            unit++;
        }
        return String.format(value >= 100 ? "%.0f%s" : value >= 10 ? "%.1f%s" : "%.2f%s", value, units[unit]);
    }

    static String dot(Topology topology) {
        StringBuilder sb = new StringBuilder("graph topology {\n  node [shape=box];\n");
        dotBody(sb, topology, "", "  ");
        return sb.append("}\n").toString();
    }

    /**
     * Several hosts: each a cluster of its own (node names prefixed with the host, since two hosts' {@code virbr0}
     * are two bridges), and each migration a dashed edge from the port the VM left to the one it arrived at.
     */
    static String dot(List<HostAnalysis> hosts, List<Migrations.Migration> migrations) {
        StringBuilder sb = new StringBuilder("graph topology {\n  node [shape=box];\n  compound=true;\n");
        for (int i = 0; i < hosts.size(); i++) {
            String host = hosts.get(i).host().name();
            sb.append("  subgraph ").append(quote("cluster_" + host)).append(" {\n    label=").append(quote(host))
                    .append(";\n");
            dotBody(sb, hosts.get(i).report().topology(), host + ":", "    ");
            sb.append("  }\n");
        }
        for (Migrations.Migration migration : migrations) {
            sb.append("  ").append(quote(migration.fromHost() + ":" + migration.fromPort())).append(" -- ")
                    .append(quote(migration.toHost() + ":" + migration.toPort()))
                    .append(" [style=dashed, label=").append(quote("migrated " + migration.vm() + "\\ndowntime "
                            + ReportText.duration(migration.downtimeNs()))).append("];\n");
        }
        return sb.append("}\n").toString();
    }

    private static void dotBody(StringBuilder sb, Topology topology, String prefix, String indent) {
        for (Topology.Bridge bridge : topology.bridges()) {
            sb.append(indent).append(quote(prefix + bridge.name())).append(" [shape=ellipse");
            if (!prefix.isEmpty() || !bridge.vlanMembership().isEmpty()) {
                sb.append(", label=").append(quote(bridge.name() + heldVlans(bridge.vlanMembership())));
            }
            sb.append("];\n");
            for (Topology.Port port : bridge.ports()) {
                String label = port.name() + (port.vm() == null ? "" : "\\n" + port.vm())
                        + heldVlans(port.vlanMembership());
                sb.append(indent).append(quote(prefix + port.name())).append(" [label=").append(quote(label))
                        .append(port.removedNs() != null ? ", style=dashed" : "").append("];\n");
                sb.append(indent).append(quote(prefix + bridge.name())).append(" -- ")
                        .append(quote(prefix + port.name())).append(";\n");
                if (port.peer() != null) {
                    String peer = prefix + port.peer().name() + "@" + port.name();
                    String peerLabel = port.peer().name()
                            + (port.peer().netns() == null ? "" : "\\nnetns " + port.peer().netns());
                    sb.append(indent).append(quote(peer)).append(" [label=").append(quote(peerLabel)).append("];\n");
                    sb.append(indent).append(quote(prefix + port.name())).append(" -- ").append(quote(peer))
                            .append(" [label=veth];\n");
                }
            }
        }
    }

    /** The VLANs a device held at the end (or at its removal), one label line each. */
    private static String heldVlans(List<Topology.Vlan> vlans) {
        StringBuilder sb = new StringBuilder();
        vlans.stream().filter(v -> v.untilNs() == null).forEach(v -> sb.append("\\n").append(vlanText(v)));
        return sb.toString();
    }

    private static String quote(String text) {
        // labels keep their \n escapes (DOT line breaks); only quotes need escaping
        return '"' + text.replace("\"", "\\\"") + '"';
    }
}
