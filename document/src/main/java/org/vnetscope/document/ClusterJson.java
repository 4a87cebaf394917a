package org.vnetscope.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongUnaryOperator;
import org.vnetscope.analysis.cluster.ClusterTraffic;
import org.vnetscope.analysis.cluster.CrossHostPaths;
import org.vnetscope.analysis.cluster.Migrations;
import org.vnetscope.analysis.paths.PacketPath;

/**
 * The JSON document of {@code analyze --format json} over several hosts' traces: the sections of the one-host
 * document (docs/schema/analyze.schema.json), each row with the {@code host} it belongs to (two hosts'
 * {@code eth0} are two interfaces), every time on the reference host's clock, and {@code hosts[]}. Each path's
 * hops name their host, and the paths packets took from one host to another are rows of {@code paths[]} too.
 */
public final class ClusterJson {

    /** The members whose numbers are instants (ns since the epoch on a host's clock), not durations. */
    private static final Set<String> INSTANTS = Set.of("start_ns", "end_ns", "begin_ns", "time_ns", "left_ns",
            "first_ns", "last_ns", "first_upcall_ns", "last_upcall_ns", "last_seen_ns", "removed_ns", "seen_ns",
            "until_ns");

    /** The sections that are lists of rows, each row taking its host. */
    private static final List<String> ROW_SECTIONS = List.of("interfaces", "streams", "drops", "offload", "paths",
            "datapaths", "lost_events");

    private ClusterJson() {
    }

    /**
     * The document of several hosts. {@code toReference} gives, per host name, how its clock's instants map to
     * the reference clock; a host it does not name keeps its own clock.
     */
    public static ObjectNode of(List<HostAnalysis> hosts, Map<String, LongUnaryOperator> toReference,
                         List<Migrations.Migration> migrations, List<CrossHostPaths.Path> crossHostPaths) {
        ObjectNode root = ReportJson.MAPPER.createObjectNode();
        root.put("trace", String.join(" ", hosts.stream().map(HostAnalysis::trace).toList()));
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        ArrayNode hostList = root.putArray("hosts");
        ObjectNode[] documents = new ObjectNode[hosts.size()];
        for (int i = 0; i < hosts.size(); i++) {
            HostAnalysis host = hosts.get(i);
            String name = host.host().name();
            ObjectNode document = ReportJson.of(host.report());
            shift(document, toReference.getOrDefault(name, LongUnaryOperator.identity()));
            documents[i] = document;
            ObjectNode entry = hostList.addObject();
            entry.put("name", name);
            entry.put("trace", host.trace());
            entry.put("clock_uuid", host.host().clockUuid());
            entry.put("start_ns", document.path("start_ns").asLong());
            entry.put("end_ns", document.path("end_ns").asLong());
            if (host.report().endNs() > 0) {
                start = Math.min(start, document.path("start_ns").asLong());
                end = Math.max(end, document.path("end_ns").asLong());
            }
        }
        root.put("start_ns", start == Long.MAX_VALUE ? 0 : start);
        root.put("end_ns", end == Long.MIN_VALUE ? 0 : end);
        root.put("bin_ns", hosts.get(0).report().binNs());
        for (String section : ROW_SECTIONS) {
            ArrayNode rows = root.putArray(section);
            for (int i = 0; i < hosts.size(); i++) {
                if (section.equals("paths")) {
                    addHostPaths(rows, documents[i].path(section), hosts.get(i).host().name());
                } else {
                    addRows(rows, documents[i].path(section), hosts.get(i).host().name());
                }
            }
            if (section.equals("paths")) {
                crossHostPaths.forEach(path -> addCrossHostPath(rows, path));
            }
        }
        ObjectNode topology = root.putObject("topology");
        for (int i = 0; i < hosts.size(); i++) {
            JsonNode hostTopology = documents[i].path("topology");
            for (Iterator<Map.Entry<String, JsonNode>> it = hostTopology.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> member = it.next();
                ArrayNode rows = topology.has(member.getKey()) ? (ArrayNode) topology.get(member.getKey())
                        : topology.putArray(member.getKey());
                addRows(rows, member.getValue(), hosts.get(i).host().name());
            }
        }
        ArrayNode changes = topology.has("changes") ? (ArrayNode) topology.get("changes") : topology.putArray("changes");
        for (Migrations.Migration migration : migrations) {
            ObjectNode change = changes.addObject();
            change.put("host", migration.toHost());
            change.put("time_ns", migration.firstPacketNs());
            change.put("kind", "migrated");
            change.put("mac", migration.mac());
            change.put("ip", migration.ipv4().isEmpty() ? null : migration.ipv4().get(0));
            change.put("from", migration.fromPort());
            change.put("to", migration.toPort());
            change.put("left_ns", migration.lastPacketNs());
            change.put("vm", migration.vm());
            change.put("from_host", migration.fromHost());
            change.put("to_host", migration.toHost());
            change.put("last_packet_ns", migration.lastPacketNs());
            if (migration.announceNs() == null) {
                change.putNull("announce_ns");
            } else {
                change.put("announce_ns", migration.announceNs());
            }
            change.put("first_packet_ns", migration.firstPacketNs());
            change.put("downtime_ns", migration.downtimeNs());
            if (migration.lostPackets() == null) {
                change.putNull("lost_packets");
                change.putNull("lost_bytes");
            } else {
                change.put("lost_packets", migration.lostPackets());
                change.put("lost_bytes", migration.lostBytes());
            }
        }
        ObjectNode chains = root.putObject("chains");
        ArrayNode chainsByHost = ReportJson.MAPPER.createArrayNode();
        for (int i = 0; i < hosts.size(); i++) {
            ObjectNode hostChains = withHost(hosts.get(i).host().name());
            hostChains.setAll((ObjectNode) documents[i].path("chains"));
            chainsByHost.add(hostChains);
            for (Iterator<Map.Entry<String, JsonNode>> it = documents[i].path("chains").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> member = it.next();
                long value = member.getValue().asLong();
                long sum = chains.path(member.getKey()).asLong();
                // the most live chains at once is a host's own peak; the others are counts that add up
                chains.put(member.getKey(), member.getKey().startsWith("max") ? Math.max(sum, value) : sum + value);
            }
        }
        chains.set("by_host", chainsByHost);
        ArrayNode hostMatrix = root.putArray("host_vm_matrix");
        for (int i = 0; i < hosts.size(); i++) {
            addRows(hostMatrix, documents[i].path("vm_matrix"), hosts.get(i).host().name());
        }
        vmMatrix(root.putArray("vm_matrix"), hosts, toReference, migrations);
        ArrayNode notes = root.putArray("notes");
        for (int i = 0; i < hosts.size(); i++) {
            String name = hosts.get(i).host().name();
            documents[i].path("notes").forEach(note -> notes.add(name + ": " + note.asText()));
        }
        return root;
    }

    /**
     * The cluster's VM pairs: each VM with the host(s) it ran on, the pair's traffic (each packet counted once, where
     * it was sent) and the part of it that crossed hosts, bin by bin, from where each VM ran then.
     */
    private static void vmMatrix(ArrayNode rows, List<HostAnalysis> hosts,
                                 Map<String, LongUnaryOperator> toReference, List<Migrations.Migration> migrations) {
        List<org.vnetscope.analysis.AnalysisReport> reports = hosts.stream().map(HostAnalysis::report)
                .toList();
        ClusterTraffic.Result traffic = ClusterTraffic.of(reports, reports, toReference);
        Map<String, ClusterTraffic.Vm> vms = new java.util.HashMap<>();
        traffic.vms().forEach(vm -> vms.put(vm.name(), vm));
        // each VM's own migrations, once: over hundreds of hosts, looking them up again for every pair and bin took
        // longer than every host's analyses
        Map<String, List<Migrations.Migration>> moves = new java.util.HashMap<>();
        traffic.vms().forEach(vm -> moves.put(vm.name(), migrations.stream()
                .filter(migration -> migration.mac() != null && vm.macs().contains(migration.mac())).toList()));
        for (ClusterTraffic.Pair pair : traffic.pairs()) {
            ClusterTraffic.Vm a = vms.get(pair.a());
            ClusterTraffic.Vm b = vms.get(pair.b());
            List<Migrations.Migration> movesOfA = moves.get(a.name());
            List<Migrations.Migration> movesOfB = moves.get(b.name());
            long cross = 0;
            long[] bins = pair.binBytes();
            for (int i = 0; i < bins.length; i++) {
                long middle = pair.firstBinNs() + i * pair.binNs() + pair.binNs() / 2;
                if (!hostAt(a, movesOfA, middle).equals(hostAt(b, movesOfB, middle))) {
                    cross += bins[i];
                }
            }
            ObjectNode row = rows.addObject();
            row.put("from", pair.a());
            row.put("to", pair.b());
            row.put("packets", pair.packets());
            row.put("bytes", pair.bytes());
            row.putNull("dropped");
            ArrayNode fromHosts = row.putArray("from_hosts");
            a.hosts().forEach(fromHosts::add);
            ArrayNode toHosts = row.putArray("to_hosts");
            b.hosts().forEach(toHosts::add);
            row.put("from_host", a.host());
            row.put("to_host", b.host());
            row.put("cross_host_bytes", cross);
            row.put("cross_host_share", pair.bytes() == 0 ? 0.0 : (double) cross / pair.bytes());
        }
    }

    /**
     * Where a VM ran at a time: before its migration's last frame on the old host, there; else its final host.
     *
     * @param moves the VM's migrations (those of one of its MACs), in the cluster's order
     */
    private static String hostAt(ClusterTraffic.Vm vm, List<Migrations.Migration> moves, long timeNs) {
        String host = vm.host();
        long latest = Long.MIN_VALUE;
        for (Migrations.Migration migration : moves) {
            if (timeNs <= migration.lastPacketNs()) {
                return migration.fromHost();
            }
            if (migration.lastPacketNs() > latest) {
                latest = migration.lastPacketNs();
                host = migration.toHost();
            }
        }
        return host;
    }

    private static void addRows(ArrayNode rows, JsonNode section, String host) {
        for (JsonNode row : section) {
            ObjectNode withHost = withHost(host);
            if (row.isObject()) {
                withHost.setAll((ObjectNode) row);
            } else {
                withHost.set("value", row);
            }
            rows.add(withHost);
        }
    }

    /**
     * A host's own paths as rows of the cluster's: each hop an object naming its device and host, as a cross-host
     * path's are, so that every path reads the same way; the hop latencies and drops say their host too.
     */
    private static void addHostPaths(ArrayNode rows, JsonNode paths, String host) {
        for (JsonNode path : paths) {
            ObjectNode row = withHost(host);
            row.put("cross_host", false);
            row.putArray("hosts").add(host);
            row.setAll((ObjectNode) path);
            ArrayNode hops = ReportJson.MAPPER.createArrayNode();
            path.path("hops").forEach(hop -> hop(hops, hop.asText(), host));
            row.set("hops", hops);
            for (JsonNode entry : row.path("hop_latency_ns")) {
                ((ObjectNode) entry).put("from_host", host);
                ((ObjectNode) entry).put("to_host", host);
            }
            for (JsonNode drop : row.path("drops")) {
                ((ObjectNode) drop).put("host", host);
            }
            rows.add(row);
        }
    }

    private static void hop(ArrayNode hops, String device, String host) {
        ObjectNode hop = hops.addObject();
        hop.put("device", device);
        hop.put("host", host);
    }

    /** A path from one host to another, its hop between the hosts marked {@code wire}. */
    private static void addCrossHostPath(ArrayNode rows, CrossHostPaths.Path path) {
        ObjectNode row = withHost(path.fromHost());
        row.put("cross_host", true);
        ArrayNode hosts = row.putArray("hosts");
        path.hosts().forEach(hosts::add);
        ArrayNode hops = row.putArray("hops");
        path.hops().forEach(hop -> hop(hops, hop.device(), hop.host()));
        row.put("packets", path.packets());
        row.put("bytes", path.bytes());
        row.put("delivered", path.delivered());
        row.put("dropped", path.dropped());
        row.put("unterminated", path.unterminated());
        row.put("segmented", path.segmented());
        row.set("latency_ns", latency(path.latencyNs()));
        ArrayNode hopLatency = row.putArray("hop_latency_ns");
        for (CrossHostPaths.HopLatency hop : path.hopLatencyNs()) {
            ObjectNode entry = hopLatency.addObject();
            entry.put("from", hop.from());
            entry.put("to", hop.to());
            entry.set("latency_ns", latency(hop.latencyNs()));
            entry.put("from_host", hop.fromHost());
            entry.put("to_host", hop.toHost());
            if (hop.wire()) {
                entry.put("wire", true);
            }
        }
        ArrayNode drops = row.putArray("drops");
        for (CrossHostPaths.Drop drop : path.drops()) {
            ObjectNode entry = drops.addObject();
            entry.put("at", drop.at());
            entry.put("reason", drop.reason());
            entry.put("packets", drop.packets());
            entry.put("host", drop.host());
        }
        row.set("wire_latency_ns", latency(path.wireLatencyNs()));
        row.put("payload_bytes", path.payloadBytes());
        row.put("arrived_before_sent", path.arrivedBeforeSent());
        ObjectNode protocols = row.putObject("protocols");
        path.protocols().forEach(protocols::put);
        rows.add(row);
    }

    private static ObjectNode latency(PacketPath.Latency latency) {
        ObjectNode node = ReportJson.MAPPER.createObjectNode();
        node.put("samples", latency.samples());
        node.put("p50", latency.p50());
        node.put("p90", latency.p90());
        node.put("p99", latency.p99());
        node.put("max", latency.max());
        return node;
    }

    private static ObjectNode withHost(String host) {
        ObjectNode node = ReportJson.MAPPER.createObjectNode();
        node.put("host", host);
        return node;
    }

    /** Maps every instant of a host's document onto the reference clock, in place. */
    public static void shift(JsonNode node, LongUnaryOperator toReference) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> member = it.next();
                JsonNode value = member.getValue();
                if (INSTANTS.contains(member.getKey()) && value.isIntegralNumber() && value.asLong() != 0) {
                    member.setValue(object.numberNode(toReference.applyAsLong(value.asLong())));
                } else if (value.isContainerNode()) {
                    shift(value, toReference);
                }
            }
        } else if (node.isArray()) {
            node.forEach(element -> shift(element, toReference));
        }
    }
}
