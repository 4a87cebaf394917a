package org.vnetscope.document;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.ChainStats;
import org.vnetscope.analysis.ovs.Datapath;
import org.vnetscope.analysis.paths.PacketPath;
import org.vnetscope.analysis.topology.Topology;
import org.vnetscope.analysis.topology.VmTraffic;

/**
 * The {@code topology}, {@code paths}, {@code chains}, {@code vm_matrix} and {@code datapaths} members shared by
 * {@code vnetscope analyze --format json} and {@code vnetscope topology --format json}: each record's components in
 * their order, named in snake_case, as {@code docs/schema/analyze.schema.json} describes them. Written field by
 * field, as {@link ReportJson} is: the shape is a public contract, and deriving it from the records through
 * Jackson's introspection cost a short run more than the rest of its document (60 ms of a 1.4 s analysis).
 */
public final class TopologyJson {

    private TopologyJson() {
    }

    public static void addTo(ObjectNode root, AnalysisReport report) {
        if (report.topology() == null) {
            root.putNull("topology");
        } else {
            topology(root.putObject("topology"), report.topology());
        }
        ArrayNode paths = root.putArray("paths");
        for (PacketPath path : report.paths()) {
            path(paths.addObject(), path); // without its devices: the labels in hops say the same for people
        }
        if (report.chains() == null) {
            root.putNull("chains");
        } else {
            chains(root.putObject("chains"), report.chains());
        }
        ArrayNode matrix = array(root, "vm_matrix", report.vmMatrix());
        for (VmTraffic pair : matrix == null ? List.<VmTraffic>of() : report.vmMatrix()) {
            ObjectNode node = matrix.addObject();
            node.put("from", pair.from());
            node.put("to", pair.to());
            node.put("packets", pair.packets());
            node.put("bytes", pair.bytes());
            node.put("dropped", pair.dropped());
        }
        ArrayNode datapaths = array(root, "datapaths", report.datapaths());
        for (Datapath datapath : datapaths == null ? List.<Datapath>of() : report.datapaths()) {
            datapath(datapaths.addObject(), datapath);
        }
    }

    private static void topology(ObjectNode node, Topology topology) {
        ArrayNode bridges = array(node, "bridges", topology.bridges());
        if (bridges != null) {
            for (Topology.Bridge bridge : topology.bridges()) {
                bridge(bridges.addObject(), bridge);
            }
        }
        ArrayNode pairs = array(node, "veth_pairs", topology.vethPairs());
        if (pairs != null) {
            for (Topology.VethPair pair : topology.vethPairs()) {
                ObjectNode p = pairs.addObject();
                p.put("a", pair.a());
                p.put("b", pair.b());
                p.put("netns", pair.netns());
                p.put("tap", pair.tap());
            }
        }
        ArrayNode interfaces = array(node, "interfaces", topology.interfaces());
        if (interfaces != null) {
            for (Topology.Interface iface : topology.interfaces()) {
                ObjectNode i = interfaces.addObject();
                i.put("name", iface.name());
                i.put("ipv4", iface.ipv4());
            }
        }
        ArrayNode changes = array(node, "changes", topology.changes());
        if (changes != null) {
            for (Topology.Change change : topology.changes()) {
                ObjectNode c = changes.addObject();
                c.put("time_ns", change.timeNs());
                c.put("kind", change.kind());
                c.put("mac", change.mac());
                c.put("ip", change.ip());
                c.put("from", change.from());
                c.put("to", change.to());
                c.put("left_ns", change.leftNs());
            }
        }
    }

    private static void bridge(ObjectNode node, Topology.Bridge bridge) {
        node.put("name", bridge.name());
        strings(node, "ipv4", bridge.ipv4());
        ArrayNode ports = array(node, "ports", bridge.ports());
        if (ports != null) {
            for (Topology.Port port : bridge.ports()) {
                port(ports.addObject(), port);
            }
        }
        node.put("vlan_filtering", bridge.vlanFiltering());
        node.put("default_pvid", bridge.defaultPvid());
        node.put("default_pvid_source", bridge.defaultPvidSource());
        vlans(node, "vlan_membership", bridge.vlanMembership());
        ArrayNode groups = array(node, "forwarding_groups", bridge.forwardingGroups());
        if (groups != null) {
            for (List<String> group : bridge.forwardingGroups()) {
                if (group == null) {
                    groups.addNull();
                } else {
                    ArrayNode members = groups.addArray();
                    group.forEach(members::add);
                }
            }
        }
    }

    private static void port(ObjectNode node, Topology.Port port) {
        node.put("name", port.name());
        node.put("kind", port.kind());
        node.put("vm", port.vm());
        ArrayNode macs = array(node, "macs", port.macs());
        if (macs != null) {
            for (Topology.Mac mac : port.macs()) {
                ObjectNode m = macs.addObject();
                m.put("mac", mac.mac());
                m.put("vlan", mac.vlan());
            }
        }
        ArrayNode vids = array(node, "vlans", port.vlans());
        if (vids != null) {
            port.vlans().forEach(vids::add);
        }
        vlans(node, "vlan_membership", port.vlanMembership());
        Topology.Peer peer = port.peer();
        if (peer == null) {
            node.putNull("peer");
        } else {
            ObjectNode p = node.putObject("peer");
            p.put("name", peer.name());
            p.put("netns", peer.netns());
        }
        strings(node, "ipv4", port.ipv4());
        node.put("last_seen_ns", port.lastSeenNs());
        node.put("removed_ns", port.removedNs());
        node.put("first_seen_ns", port.firstSeenNs());
    }

    private static void vlans(ObjectNode node, String name, List<Topology.Vlan> vlans) {
        ArrayNode array = array(node, name, vlans);
        if (array == null) {
            return;
        }
        for (Topology.Vlan vlan : vlans) {
            ObjectNode v = array.addObject();
            v.put("vid", vlan.vid());
            v.put("pvid", vlan.pvid());
            v.put("untagged", vlan.untagged());
            v.put("source", vlan.source());
            v.put("flags_source", vlan.flagsSource());
            v.put("seen_ns", vlan.seenNs());
            v.put("until_ns", vlan.untilNs());
        }
    }

    private static void path(ObjectNode node, PacketPath path) {
        strings(node, "hops", path.hops());
        node.put("packets", path.packets());
        node.put("bytes", path.bytes());
        node.put("delivered", path.delivered());
        node.put("dropped", path.dropped());
        node.put("unterminated", path.unterminated());
        node.put("segmented", path.segmented());
        latency(node, "latency_ns", path.latencyNs());
        ArrayNode hops = array(node, "hop_latency_ns", path.hopLatencyNs());
        if (hops != null) {
            for (PacketPath.HopLatency hop : path.hopLatencyNs()) {
                ObjectNode h = hops.addObject();
                h.put("from", hop.from());
                h.put("to", hop.to());
                latency(h, "latency_ns", hop.latencyNs());
            }
        }
        ArrayNode drops = array(node, "drops", path.drops());
        if (drops != null) {
            for (PacketPath.Drop drop : path.drops()) {
                ObjectNode d = drops.addObject();
                d.put("at", drop.at());
                d.put("reason", drop.reason());
                d.put("packets", drop.packets());
            }
        }
    }

    private static void latency(ObjectNode node, String name, PacketPath.Latency latency) {
        if (latency == null) {
            node.putNull(name);
            return;
        }
        ObjectNode l = node.putObject(name);
        l.put("samples", latency.samples());
        l.put("p50", latency.p50());
        l.put("p90", latency.p90());
        l.put("p99", latency.p99());
        l.put("max", latency.max());
    }

    private static void chains(ObjectNode node, ChainStats chains) {
        node.put("journeys", chains.journeys());
        node.put("split_on_headers", chains.splitOnHeaders());
        node.put("ambiguous", chains.ambiguous());
        node.put("unterminated", chains.unterminated());
        node.put("max_live", chains.maxLive());
        node.put("overlapping_lost_events", chains.overlappingLostEvents());
    }

    private static void datapath(ObjectNode node, Datapath datapath) {
        node.put("name", datapath.name());
        node.put("bridge", datapath.bridge());
        ArrayNode ports = node.putArray("ports");
        for (Datapath.Port port : datapath.ports()) {
            ObjectNode p = ports.addObject();
            p.put("number", port.number());
            p.put("name", port.name());
            p.put("internal", port.internal());
            p.put("output_actions", port.outputActions());
            p.put("upcalls", port.upcalls());
            p.put("first_upcall_ns", port.firstUpcallNs());
            p.put("last_upcall_ns", port.lastUpcallNs());
            p.put("drops", port.drops());
        }
        node.put("upcalls", datapath.upcalls());
        ArrayNode upcalls = node.putArray("upcall_list");
        for (Datapath.Upcall upcall : datapath.upcallList()) {
            ObjectNode u = upcalls.addObject();
            u.put("time_ns", upcall.timeNs());
            u.put("in_port", upcall.inPort());
            u.put("port", upcall.port());
            u.put("cmd", upcall.cmd());
            flowKey(u, upcall.key());
        }
        node.put("executed_packets", datapath.executedPackets());
        node.put("output_actions", datapath.outputActions());
        node.put("drops", datapath.drops());
        ArrayNode flows = node.putArray("flows");
        for (Datapath.Flow flow : datapath.flows()) {
            ObjectNode f = flows.addObject();
            f.put("in_port", flow.inPort());
            f.put("port", flow.port());
            flowKey(f, flow.key());
            f.put("packets", flow.packets());
            f.put("bytes", flow.bytes());
            ArrayNode outputs = f.putArray("output_ports");
            flow.outputPorts().forEach(outputs::add);
            f.put("first_ns", flow.firstNs());
            f.put("last_ns", flow.lastNs());
        }
    }

    private static void flowKey(ObjectNode node, Datapath.FlowKey key) {
        if (key == null) {
            node.putNull("key");
            return;
        }
        ObjectNode k = node.putObject("key");
        k.put("eth_src", key.ethSrc());
        k.put("eth_dst", key.ethDst());
        k.put("eth_type", key.ethType());
        k.put("ip_proto", key.ipProto());
        k.put("ipv4_src", key.ipv4Src());
        k.put("ipv4_dst", key.ipv4Dst());
        k.put("tp_src", key.tpSrc());
        k.put("tp_dst", key.tpDst());
    }

    /** A member for a list: an array to fill, or null written and null returned for a null list. */
    private static ArrayNode array(ObjectNode node, String name, List<?> list) {
        if (list == null) {
            node.putNull(name);
            return null;
        }
        return node.putArray(name);
    }

    private static void strings(ObjectNode node, String name, List<String> values) {
        ArrayNode array = array(node, name, values);
        if (array != null) {
            values.forEach(array::add);
        }
    }
}
