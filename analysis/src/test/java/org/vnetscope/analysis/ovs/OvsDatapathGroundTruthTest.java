package org.vnetscope.analysis.ovs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.DropReport;
import org.vnetscope.analysis.LabTraces;
import org.vnetscope.analysis.NetworkAnalysis;
import org.vnetscope.analysis.paths.PacketPath;

/**
 * The Open vSwitch datapath of the ovs lab trace against what the datapath and the interfaces counted around it:
 * upcalls against the datapath's "missed" lookups, OUTPUT actions per port against the port device's counter,
 * and the datagrams the OpenFlow drop rule dropped against the flow that sent them.
 */
class OvsDatapathGroundTruthTest {

    private static final Pattern LOOKUPS = Pattern.compile("lookups: hit:(\\d+) missed:(\\d+) lost:(\\d+)");
    private static final Pattern PORT = Pattern.compile("port (\\d+): (\\S+)( \\(internal\\))?");

    private static Path folder;
    private static AnalysisReport report;
    private static Datapath datapath;
    /** Datapath port number by device name, from the scenario. */
    private static Map<String, Integer> portNumbers;

    @BeforeAll
    static void analyse() {
        folder = LabTraces.scenario("ovs");
        report = NetworkAnalysis.analyze(folder.resolve("trace/kernel"), AnalysisOptions.defaults());
        assertThat(report.datapaths()).hasSize(1);
        datapath = report.datapaths().get(0);
        portNumbers = new HashMap<>();
        LabTraces.json(folder.resolve("scenario.json")).get("bridges").get(0).get("datapath_port_numbers")
                .fields().forEachRemaining(entry -> portNumbers.put(entry.getKey(), entry.getValue().asInt()));
    }

    @Test
    void datapathAndItsPortsAreNamedAsTheScenarioNumbersThem() {
        assertThat(datapath.name()).isEqualTo("ovs-system");
        assertThat(datapath.bridge()).isEqualTo("ovsbr0");
        assertThat(datapath.ports()).isNotEmpty();
        for (Datapath.Port port : datapath.ports()) {
            assertThat(portNumbers.get(port.name())).as(port.name()).isEqualTo(port.number());
        }
        // every port but the datapath's own (which no packet crossed) shows up
        assertThat(datapath.ports()).extracting(Datapath.Port::name)
                .containsExactlyInAnyOrder("ovsbr0", "vnet0", "vnet1", "vnet2", "vnet3");
        assertThat(datapath.ports()).filteredOn(Datapath.Port::internal).extracting(Datapath.Port::name)
                .containsExactly("ovsbr0");
    }

    @Test
    void upcallsEqualTheDatapathsMissedLookups() throws IOException {
        long missed = lookups("post")[1] - lookups("pre")[1];
        assertThat(missed).isEqualTo(22);
        assertThat(datapath.upcalls()).isEqualTo(missed);
        assertThat(datapath.upcallList()).hasSize((int) missed);
        assertThat(datapath.ports().stream().mapToLong(Datapath.Port::upcalls).sum()).isEqualTo(missed);
        // per in_port, as counted from the trace by the recording's own check
        JsonNode byInPort = LabTraces.json(folder.resolve("checks-v2.json")).get("ovs").get("ovs_dp_upcall_by_in_port");
        for (Datapath.Port port : datapath.ports()) {
            assertThat(port.upcalls()).as(port.name()).isEqualTo(byInPort.path(Integer.toString(port.number())).asLong());
            assertThat(port.firstUpcallNs()).isBetween(report.startNs(), port.lastUpcallNs());
            assertThat(port.lastUpcallNs()).isLessThanOrEqualTo(report.endNs());
        }
        assertThat(datapath.upcallList()).isSortedAccordingTo((a, b) -> Long.compare(a.timeNs(), b.timeNs()));
    }

    @Test
    void outputActionsPerPortEqualThePortsCounter() throws IOException {
        Map<String, Boolean> internal = new HashMap<>();
        for (String line : Files.readAllLines(folder.resolve("groundtruth/ovs-dpctl-show-ports.txt"))) {
            Matcher port = PORT.matcher(line.trim());
            if (port.matches()) {
                internal.put(port.group(2), port.group(3) != null);
            }
        }
        Map<String, JsonNode> deltas = new HashMap<>();
        for (JsonNode iface : LabTraces.json(folder.resolve("groundtruth-summary.json")).get("interface_counter_deltas")) {
            if (iface.get("netns").asText().equals("root")) {
                deltas.put(iface.get("ifname").asText(), iface.get("delta"));
            }
        }
        long total = 0;
        for (Datapath.Port port : datapath.ports()) {
            // what the datapath outputs to an internal port, the device receives; to a netdev port, it transmits
            String counter = internal.get(port.name()) ? "rx_packets" : "tx_packets";
            long expected = deltas.get(port.name()).get(counter).asLong();
            assertThat(port.outputActions()).as(port.name() + " " + counter).isEqualTo(expected).isPositive();
            assertThat(port.internal()).as(port.name()).isEqualTo(internal.get(port.name()));
            total += expected;
        }
        assertThat(datapath.outputActions()).isEqualTo(total);
    }

    @Test
    void datagramsOfTheDropRuleAreDropsAtTheirInPort() {
        JsonNode dropped = null;
        for (JsonNode mechanism : LabTraces.json(folder.resolve("scenario.json")).get("drop_mechanisms")) {
            dropped = mechanism;
        }
        String flowId = dropped.get("flow").asText();
        long expected = dropped.get("expected_dropped").asLong();
        JsonNode flow = flow(flowId);
        assertThat(flow.get("datagrams").asLong()).isEqualTo(expected).isEqualTo(100);
        String inPort = bridgePortOf(flow.get("src_ns").asText());

        assertThat(datapath.drops()).isEqualTo(expected);
        for (Datapath.Port port : datapath.ports()) {
            assertThat(port.drops()).as(port.name()).isEqualTo(port.name().equals(inPort) ? expected : 0);
        }
        List<DropReport> ovsDrops = report.drops().stream()
                .filter(d -> OvsFields.NO_OUTPUT_REASON.equals(d.reason())).toList();
        assertThat(ovsDrops).hasSize(1);
        assertThat(ovsDrops.get(0).iface()).startsWith(inPort);
        assertThat(ovsDrops.get(0).packets()).isEqualTo(expected);
        assertThat(ovsDrops.get(0).ethertype()).isEqualTo(0x0800);

        // on the path: the datagrams enter the datapath at the port and die there
        List<PacketPath> paths = report.paths().stream().filter(p -> !p.drops().isEmpty()
                && p.drops().get(0).reason().equals(OvsFields.NO_OUTPUT_REASON)).toList();
        assertThat(paths).hasSize(1);
        PacketPath path = paths.get(0);
        assertThat(path.hops().get(path.hops().size() - 1)).isEqualTo(inPort);
        assertThat(path.dropped()).isEqualTo(expected);
        assertThat(path.drops()).containsExactly(new PacketPath.Drop(inPort, OvsFields.NO_OUTPUT_REASON, expected));

        // the one that went to user space first is among them: its flow key is the drop rule's, and no packet of
        // that key was ever executed
        List<Datapath.Upcall> toTheRule = datapath.upcallList().stream()
                .filter(u -> u.key().tpDst() == flow.get("dst_port").asInt()).toList();
        assertThat(toTheRule).hasSize(1);
        assertThat(toTheRule.get(0).port()).isEqualTo(inPort);
        assertThat(toTheRule.get(0).key().ipv4Src()).isEqualTo(flow.get("src_ip").asText());
        assertThat(datapath.flows()).noneMatch(f -> f.key().tpDst() == flow.get("dst_port").asInt());
    }

    @Test
    void executedFlowsCarryTheLabsConversations() {
        // the UDP iperf3 flow: 1000 datagrams and iperf3's start/end markers, from vm2's port to vm4's
        JsonNode udp = flow("O3");
        List<Datapath.Flow> flows = datapath.flows().stream()
                .filter(f -> f.key().ipProto() == 17 && f.key().tpDst() == udp.get("dst_port").asInt()
                        && f.key().ipv4Src().equals(udp.get("src_ip").asText()))
                .toList();
        assertThat(flows).hasSize(1);
        Datapath.Flow flow = flows.get(0);
        assertThat(flow.packets()).isBetween(1000L, 1004L);
        assertThat(flow.port()).isEqualTo(bridgePortOf(udp.get("src_ns").asText()));
        assertThat(flow.key().ethSrc()).isEqualTo(udp.get("src_mac").asText());
        assertThat(flow.outputPorts()).containsExactly(portNumbers.get(bridgePortOf(udp.get("dst_ns").asText())));
        assertThat(datapath.flows().get(0)).isEqualTo(flow);
    }

    private static JsonNode flow(String id) {
        try {
            for (String line : Files.readAllLines(folder.resolve("flows.jsonl"))) {
                JsonNode flow = LabTraces.MAPPER.readTree(line);
                if (flow.get("id").asText().equals(id)) {
                    return flow;
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError("flow " + id + " not in flows.jsonl");
    }

    private static String bridgePortOf(String netns) {
        for (JsonNode vm : LabTraces.json(folder.resolve("scenario.json")).get("vms")) {
            if (vm.get("netns").asText().equals(netns)) {
                return vm.get("bridge_port").asText();
            }
        }
        throw new AssertionError("no VM in " + netns);
    }

    /** hit, missed, lost of {@code ovs-dpctl show} at a snapshot. */
    private static long[] lookups(String snapshot) throws IOException {
        Matcher matcher = LOOKUPS.matcher(Files.readString(folder.resolve("groundtruth/ovs-dpctl-show-" + snapshot + ".txt")));
        assertThat(matcher.find()).as("lookups line of " + snapshot).isTrue();
        return new long[] {Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
            Long.parseLong(matcher.group(3))};
    }
}
