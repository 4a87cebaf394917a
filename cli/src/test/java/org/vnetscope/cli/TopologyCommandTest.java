package org.vnetscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetscope.analysis.paths.DeviceRef;
import org.vnetscope.analysis.paths.PacketPath;
import org.vnetscope.analysis.paths.PacketTracker;
import org.vnetscope.analysis.topology.NetworkAnalysis;
import org.vnetscope.analysis.topology.Topology;
import org.vnetscope.analysis.topology.VmTraffic;

/** The JSON names of the topology output are a public contract; the DOT output must be a valid graph. */
class TopologyCommandTest {

    private static NetworkAnalysis.Result sample() {
        Topology.Port port = new Topology.Port("vnet0", "veth", "vm1",
                List.of(new Topology.Mac("52:54:00:00:00:01", 10)), List.of(10),
                new Topology.Peer("eth0", 4026532139L), List.of("192.168.122.11"), 5L, null);
        Topology topology = new Topology(List.of(new Topology.Bridge("virbr0", List.of("192.168.122.1"), List.of(port))),
                List.of(), List.of(), List.of(new Topology.Change(7L, "move", "52:54:00:00:00:02", null, "vnet1",
                "vnet3", 3L)));
        PacketPath.Latency latency = new PacketPath.Latency(2, 100, 200, 300, 400);
        PacketPath path = new PacketPath(List.of("eth0@vm1", "vnet0"), 2, 196, 1, 1, 0, latency,
                List.of(new PacketPath.HopLatency("eth0@vm1", "vnet0", latency), new PacketPath.HopLatency("vnet0",
                        "end", latency)), List.of(new PacketPath.Drop("vnet0", "NOT_SPECIFIED", 1)),
                List.of(new DeviceRef("eth0", "vnet0", true), new DeviceRef("vnet0", "eth0", false)));
        return new NetworkAnalysis.Result(topology, List.of(path), new PacketTracker.ChainStats(2, 0, 0, 0, 1),
                List.of(new VmTraffic("vm1", "none", 2, 196, 1)));
    }

    @Test
    void jsonUsesTheContractNames() throws Exception {
        JsonNode json = TopologyCommand.json().valueToTree(TopologyCommand.asJson(sample()));
        JsonNode port = json.at("/topology/bridges/0/ports/0");
        assertThat(json.at("/topology/bridges/0/name").asText()).isEqualTo("virbr0");
        assertThat(port.path("name").asText()).isEqualTo("vnet0");
        assertThat(port.at("/macs/0/mac").asText()).isEqualTo("52:54:00:00:00:01");
        assertThat(port.at("/macs/0/vlan").asInt()).isEqualTo(10);
        assertThat(port.at("/peer/name").asText()).isEqualTo("eth0");
        JsonNode change = json.at("/topology/changes/0");
        assertThat(change.path("time_ns").asLong()).isEqualTo(7);
        assertThat(change.path("kind").asText()).isEqualTo("move");
        assertThat(change.path("from").asText()).isEqualTo("vnet1");
        assertThat(change.path("to").asText()).isEqualTo("vnet3");
        assertThat(change.has("mac")).isTrue();
        JsonNode path = json.at("/paths/0");
        assertThat(path.path("hops")).hasSize(2);
        assertThat(path.path("packets").asLong()).isEqualTo(2);
        assertThat(path.path("bytes").asLong()).isEqualTo(196);
        assertThat(path.at("/latency_ns/p50").asLong()).isEqualTo(100);
        assertThat(path.at("/latency_ns/p90").asLong()).isEqualTo(200);
        assertThat(path.at("/latency_ns/p99").asLong()).isEqualTo(300);
        assertThat(path.at("/latency_ns/max").asLong()).isEqualTo(400);
        assertThat(path.at("/latency_ns/samples").asLong()).isEqualTo(2);
        assertThat(json.at("/vm_matrix/0/from").asText()).isEqualTo("vm1");
    }

    @Test
    void dotIsOneGraphWithEveryPortAndPeer() {
        String dot = TopologyCommand.dot(sample().topology());
        assertThat(dot).startsWith("graph topology {").endsWith("}\n")
                .contains("\"virbr0\" -- \"vnet0\"", "\"vnet0\" -- \"eth0@vnet0\" [label=veth]");
    }

    @Test
    void treeShowsPortsPeersChangesAndPaths() {
        String tree = TopologyCommand.tree(sample());
        assertThat(tree).contains("virbr0", "└── vnet0 (veth) vm vm1 ↔ eth0 netns 4026532139",
                "mac 52:54:00:00:00:01 vlan 10", "move 52:54:00:00:00:02 from vnet1 to vnet3",
                "eth0@vm1 → vnet0", "1 dropped at vnet0: NOT_SPECIFIED");
    }
}
