package org.vnetscope.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every interface's Rx/Tx packets and bytes against the kernel's own counters ({@code ip -s link} before and
 * after the trace, {@code groundtruth-summary.json}). Where a figure cannot match, the test shows why.
 */
class InterfaceGroundTruthTest {

    @Test
    void bundledSampleMatchesItsCountersOnAFreshClone() {
        Path sample = GroundTruth.sample();
        AnalysisReport report = NetworkAnalysis.analyze(sample.resolve("trace/kernel"), AnalysisOptions.defaults());
        List<String> unexplained = compare(report, sample);
        assertThat(unexplained).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bridge-basic", "bridge-basic-fdb", "migration", "migration-fdb", "ovs"})
    void everyInterfaceMatchesItsCounters(String scenario) {
        Path folder = GroundTruth.lab().resolve(scenario);
        AnalysisReport report = analyze(folder);
        assertThat(compare(report, folder)).isEmpty();
    }

    /**
     * vlan-drops: the bridge counted 5 ARP frames as received and then dropped them in br_pass_frame_up (their
     * VLAN is not configured on the bridge device): no receive event names virbr0 for them, but their 5 frees do.
     */
    @Test
    void vlanDropsMatchesExceptBridgeFramesDroppedAfterCounting() {
        Path folder = GroundTruth.lab().resolve("vlan-drops");
        Path kallsyms = GroundTruth.lab().resolve("kallsyms.txt.gz");
        AnalysisReport report = NetworkAnalysis.analyze(folder.resolve("trace/kernel"),
                new AnalysisOptions(AnalysisOptions.DEFAULT_BIN_NS, 1500, Kallsyms.read(kallsyms), null));
        List<String> unexplained = compare(report, folder);
        assertThat(unexplained).containsExactly("root/virbr0: rx 0/0 vs counters 5/140");
        long freedInBridgeInput = report.drops().stream()
                .filter(d -> d.location().startsWith("br_pass_frame_up "))
                .mapToLong(DropReport::packets).sum();
        assertThat(freedInBridgeInput).isEqualTo(5);
        // ARP requests: 28 bytes after the Ethernet header, as a bridge counts them
        assertThat(140 / freedInBridgeInput).isEqualTo(28);
    }

    /**
     * tap-vms: the VM side of vm1..vm3 is a veth pair eth0/nic0 inside the VM's namespace, and a user-space relay
     * copies frames between nic0 and the tap: no skb crosses from nic0 to the tap, so nothing tells vm1's eth0
     * from vm2's. Those interfaces are reported as one pair whose figures are the sum of theirs; every other
     * interface (taps, bridge, the plain veth VM) matches on its own.
     */
    @Test
    void tapVmsMatchesWithRelayedPairsSummed() {
        Path folder = GroundTruth.lab().resolve("tap-vms");
        AnalysisReport report = analyze(folder);
        List<String> unexplained = compare(report, folder);
        assertThat(unexplained).isNotEmpty().allMatch(line -> !line.startsWith("vm4/")
                && (line.contains("/eth0:") || line.contains("/nic0:")));
        for (String name : List.of("eth0", "nic0")) {
            String peer = name.equals("eth0") ? "nic0" : "eth0";
            InterfaceReport pair = find(report, name, peer);
            long[] expected = new long[4];
            for (JsonNode delta : deltas(folder)) {
                boolean relayed = delta.get("ifname").asText().equals(name) && !delta.get("netns").asText().equals("vm4");
                if (relayed) {
                    expected[0] += delta.at("/delta/rx_packets").asLong();
                    expected[1] += delta.at("/delta/rx_bytes").asLong();
                    expected[2] += delta.at("/delta/tx_packets").asLong();
                    expected[3] += delta.at("/delta/tx_bytes").asLong();
                }
            }
            assertThat(new long[] {pair.rx().packets(), pair.rx().bytes(), pair.tx().packets(), pair.tx().bytes()})
                    .as(name + " of vm1..vm3 together").containsExactly(expected);
        }
        // the relays (in the root namespace) read whole frames through packet sockets, often from addresses whose
        // last packet was a TCP ack vm4 consumed without a tracepoint: such copies, longer than the payload the
        // chain's packet could hold, are no votes, so vm4's own readers name its namespace
        long vm4 = GroundTruth.read(folder.resolve("scenario.json")).path("vms").get(3).path("netns_inode").asLong();
        assertThat(find(report, "eth0", "vnet3").netns()).isEqualTo(vm4);
    }

    @Test
    void oldTraceTotalsEqualLttngIousagetop() {
        Path trace = GroundTruth.shared().resolve("public/tc-bug446190");
        JsonNode reference = GroundTruth.read(GroundTruth.shared()
                .resolve("public/reference/tc-bug446190.lttng-iousagetop-mi.json"));
        long[] iousagetop = iousagetopNetTotals(reference, "eth0");
        AnalysisReport report = NetworkAnalysis.analyze(trace, AnalysisOptions.defaults());
        InterfaceReport eth0 = find(report, "eth0", null);
        // lttng-iousagetop sums the traced skb lengths
        assertThat(eth0.rx().skbBytes()).isEqualTo(iousagetop[0]);
        assertThat(eth0.tx().skbBytes()).isEqualTo(iousagetop[1]);
        // and our counter-style bytes add the Ethernet header the receive path pulled
        assertThat(eth0.rx().bytes()).isEqualTo(eth0.rx().skbBytes() + 14 * eth0.rx().packets());
    }

    /** {received, sent} bytes of an interface in lttng-iousagetop's machine-interface output. */
    private static long[] iousagetopNetTotals(JsonNode reference, String iface) {
        long[] totals = {-1, -1};
        for (JsonNode result : reference.get("results")) {
            String title = result.at("/class/title").asText("").toLowerCase();
            if (!title.contains("network")) {
                continue;
            }
            for (JsonNode row : result.get("data")) {
                String text = row.toString();
                if (!text.contains("\"" + iface + "\"")) {
                    continue;
                }
                long bytes = -1;
                for (JsonNode cell : row) {
                    if (cell.has("value") && "size".equals(cell.path("class").asText())) {
                        bytes = cell.get("value").asLong();
                    }
                }
                totals[title.contains("received") || title.contains("recv") ? 0 : 1] = bytes;
            }
        }
        return totals;
    }

    private static AnalysisReport analyze(Path folder) {
        Path trace = folder.resolve("trace/kernel");
        return NetworkAnalysis.analyze(trace, AnalysisOptions.defaults());
    }

    private static List<JsonNode> deltas(Path folder) {
        List<JsonNode> deltas = new ArrayList<>();
        GroundTruth.read(folder.resolve("groundtruth-summary.json")).get("interface_counter_deltas")
                .forEach(deltas::add);
        return deltas;
    }

    /**
     * Compares every counted interface with the report; returns one line per mismatch. A VM-side interface
     * is found by its veth peer, the bridge port the scenario names (before or after a migration).
     */
    static List<String> compare(AnalysisReport report, Path folder) {
        JsonNode scenario = GroundTruth.read(folder.resolve("scenario.json"));
        Map<String, String> portByNetns = new HashMap<>();
        Map<String, String> portBeforeMigration = new HashMap<>();
        for (String list : List.of("vms", "vms_after_migration")) {
            scenario.path(list).forEach(vm -> portByNetns.put(vm.get("netns").asText(), vm.get("bridge_port").asText()));
        }
        scenario.path("vms_before_migration").forEach(vm ->
                portBeforeMigration.put(vm.get("netns").asText(), vm.get("bridge_port").asText()));
        List<String> mismatches = new ArrayList<>();
        for (JsonNode entry : deltas(folder)) {
            String netns = entry.get("netns").asText();
            String name = entry.get("ifname").asText();
            JsonNode delta = entry.get("delta");
            long[] expected = {delta.get("rx_packets").asLong(), delta.get("rx_bytes").asLong(),
                    delta.get("tx_packets").asLong(), delta.get("tx_bytes").asLong()};
            String peer = null;
            if (!netns.equals("root") && portByNetns.containsKey(netns) && name.equals("eth0")) {
                peer = entry.get("deleted_during_trace").asBoolean() ? portBeforeMigration.get(netns)
                        : portByNetns.get(netns);
            }
            InterfaceReport row = find(report, name, peer);
            long[] actual = row == null ? new long[4] : new long[] {row.rx().packets(), row.rx().bytes(),
                    row.tx().packets(), row.tx().bytes()};
            if (expected[0] + expected[2] == 0 && row == null) {
                continue;
            }
            if (actual[0] != expected[0] || actual[1] != expected[1]) {
                mismatches.add(netns + "/" + name + ": rx " + actual[0] + "/" + actual[1] + " vs counters "
                        + expected[0] + "/" + expected[1]);
            }
            if (actual[2] != expected[2] || actual[3] != expected[3]) {
                mismatches.add(netns + "/" + name + ": tx " + actual[2] + "/" + actual[3] + " vs counters "
                        + expected[2] + "/" + expected[3]);
            }
        }
        return mismatches;
    }

    /** The row of that name and peer; with a null peer, the only row of that name. */
    static InterfaceReport find(AnalysisReport report, String name, String peer) {
        List<InterfaceReport> rows = report.interfaces().stream()
                .filter(r -> r.name().equals(name) && (peer == null || peer.equals(r.peer()))).toList();
        return rows.size() == 1 ? rows.get(0) : null;
    }
}
