package org.vnetscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.ChainStats;
import org.vnetscope.analysis.paths.DeviceRef;
import org.vnetscope.analysis.paths.PacketPath;
import org.vnetscope.analysis.topology.Topology;
import org.vnetscope.analysis.topology.VmTraffic;
import org.vnetscope.document.ReportJson;

/**
 * {@code vnetscope topology}: the JSON names are a public contract, the DOT output a valid graph; on the bundled
 * sample the discovered network equals its scenario.
 */
class TopologyCommandTest {

    private static final Path REPO = Path.of(System.getProperty("vnetscope.repo", ".."));
    private static final Path SAMPLE = REPO.resolve("samples/bridge-basic");

    static final Topology TOPOLOGY = new Topology(List.of(new Topology.Bridge("virbr0", List.of("192.168.122.1"),
            List.of(new Topology.Port("vnet0", "veth", "vm1", List.of(new Topology.Mac("52:54:00:00:00:01", 10)),
                    List.of(10), List.of(new Topology.Vlan(10, null, null, "fdb", null, 4L, null)),
                    new Topology.Peer("eth0", 4026532139L), List.of("192.168.122.11"), 5L, null)),
            true, null, null, List.of(), List.of())),
            List.of(), List.of(), List.of(new Topology.Change(7L, "move", "52:54:00:00:00:02", null, "vnet1",
            "vnet3", 3L)));
    private static final PacketPath.Latency LATENCY = new PacketPath.Latency(2, 100, 200, 300, 400);
    static final PacketPath PATH = new PacketPath(List.of("eth0@vm1", "vnet0"), 2, 196, 1, 1, 0, 0, LATENCY,
            List.of(new PacketPath.HopLatency("eth0@vm1", "vnet0", LATENCY),
                    new PacketPath.HopLatency("vnet0", "end", LATENCY)),
            List.of(new PacketPath.Drop("vnet0", "NOT_SPECIFIED", 1)),
            List.of(new DeviceRef("eth0", "vnet0", true), new DeviceRef("vnet0", "eth0", false)));

    private static AnalysisReport sample() {
        return new AnalysisReport("t", 1, 2, 1, List.of(), List.of(), List.of(), List.of(), TOPOLOGY, List.of(PATH),
                new ChainStats(2, 0, 0, 0, 1, 0), List.of(new VmTraffic("vm1", "none", 2, 196, 1)), List.of(),
                List.of(), List.of());
    }

    @Test
    void jsonUsesTheContractNames() {
        JsonNode json = ReportJson.of(sample());
        JsonNode port = json.at("/topology/bridges/0/ports/0");
        assertThat(json.at("/topology/bridges/0/name").asText()).isEqualTo("virbr0");
        assertThat(port.path("name").asText()).isEqualTo("vnet0");
        assertThat(port.at("/macs/0/mac").asText()).isEqualTo("52:54:00:00:00:01");
        assertThat(port.at("/macs/0/vlan").asInt()).isEqualTo(10);
        assertThat(port.at("/vlan_membership/0/vid").asInt()).isEqualTo(10);
        assertThat(port.at("/vlan_membership/0/source").asText()).isEqualTo("fdb");
        assertThat(port.at("/vlan_membership/0/pvid").isNull()).isTrue();
        assertThat(port.at("/vlan_membership/0/flags_source").isNull()).isTrue();
        assertThat(port.at("/vlan_membership/0/seen_ns").asLong()).isEqualTo(4);
        assertThat(json.at("/topology/bridges/0/vlan_filtering").asBoolean()).isTrue();
        assertThat(json.at("/topology/bridges/0/default_pvid").isNull()).isTrue();
        assertThat(json.at("/topology/bridges/0/forwarding_groups").isArray()).isTrue();
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
        assertThat(path.at("/hop_latency_ns/1/to").asText()).isEqualTo("end");
        assertThat(path.at("/hop_latency_ns/0/latency_ns/samples").asLong()).isEqualTo(2);
        assertThat(path.has("devices")).isFalse();
        assertThat(json.at("/chains/split_on_headers").isNumber()).isTrue();
        assertThat(json.at("/vm_matrix/0/from").asText()).isEqualTo("vm1");
    }

    @Test
    void dotIsOneGraphWithEveryPortAndPeer() {
        String dot = TopologyCommand.dot(TOPOLOGY);
        assertThat(dot).startsWith("graph topology {").endsWith("}\n")
                .contains("\"virbr0\" -- \"vnet0\"", "\"vnet0\" -- \"eth0@vnet0\" [label=veth]",
                        "\"vnet0\" [label=\"vnet0\\nvm1\\nvlan 10 (seen)\"]");
    }

    @Test
    void treeShowsPortsPeersChangesPathsAndHopSamples() {
        String tree = TopologyCommand.tree(sample());
        assertThat(tree).contains("virbr0", "└── vnet0 (veth) vm vm1 ↔ eth0 netns 4026532139",
                "vlan filtering on", "mac 52:54:00:00:00:01 vlan 10", "    vlan 10 (seen)\n", "move 52:54:00:00:00:02 from vnet1 to vnet3",
                "eth0@vm1 → vnet0", "1 dropped at vnet0: NOT_SPECIFIED", "p50 100ns p90 200ns p99 300ns max 400ns (2 samples)");
    }

    @Test
    void treeNamesTheForwardingGroupsOfABridgeWithSeveral() {
        Topology.Port port = TOPOLOGY.bridges().get(0).ports().get(0);
        Topology split = new Topology(List.of(new Topology.Bridge("br0", List.of(), List.of(port), null, null,
                null, List.of(), List.of(List.of("vnet0", "vnet1"), List.of("vnet2", "vnet3")))), List.of(), List.of(),
                List.of());
        AnalysisReport report = new AnalysisReport("t", 1, 2, 1, List.of(), List.of(), List.of(), List.of(), split,
                List.of(), new ChainStats(0, 0, 0, 0, 0, 0), List.of(), List.of(), List.of(), List.of());
        assertThat(TopologyCommand.tree(report))
                .contains("│   forwarding groups (inferred, no frame crossed between them): vnet0 vnet1 | vnet2 vnet3\n");
        assertThat(TopologyCommand.tree(sample())).doesNotContain("forwarding groups");
    }

    /** The bundled sample, no shared traces needed: bridge, ports, veth peers and their namespaces. */
    @Test
    void sampleTopologyEqualsItsScenario() throws Exception {
        StringWriter out = new StringWriter();
        int code = Main.run(new String[] {"topology", "--format", "json", SAMPLE.resolve("trace/kernel").toString()},
                new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertThat(code).isZero();
        JsonNode json = ReportJson.MAPPER.readTree(out.toString());
        JsonNode scenario = ReportJson.MAPPER.readTree(SAMPLE.resolve("scenario.json").toFile());
        assertThat(json.at("/topology/bridges")).hasSize(1);
        JsonNode bridge = json.at("/topology/bridges/0");
        assertThat(bridge.path("name").asText()).isEqualTo(scenario.at("/bridges/0/name").asText());
        Set<String> expected = new TreeSet<>();
        scenario.path("vms").forEach(vm -> expected.add(vm.path("bridge_port").asText() + " " + vm.path("guest_if")
                .asText() + " " + vm.path("netns_inode").asLong()));
        Set<String> actual = new TreeSet<>();
        bridge.path("ports").forEach(port -> actual.add(port.path("name").asText() + " "
                + port.at("/peer/name").asText() + " " + port.at("/peer/netns").asLong()));
        assertThat(actual).isEqualTo(expected);
        // the UDP flow vm2 -> vm3 crosses eth0@vnet1, vnet1, vnet2, eth0@vnet2
        List<String> hops = new ArrayList<>();
        json.at("/paths/0/hops").forEach(h -> hops.add(h.asText()));
        assertThat(json.at("/paths").findValuesAsText("packets")).isNotEmpty();
        assertThat(json.at("/chains/journeys").asLong()).isPositive();
        StringWriter dot = new StringWriter();
        assertThat(Main.run(new String[] {"topology", "--format", "dot", SAMPLE.resolve("trace/kernel").toString()},
                new PrintWriter(dot), new PrintWriter(new StringWriter()))).isZero();
        assertThat(dot.toString()).startsWith("graph topology {");
    }
}
