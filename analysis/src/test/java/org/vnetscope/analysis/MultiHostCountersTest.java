package org.vnetscope.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The two-host recordings (samples/lab5): two guests whose bridges are joined by a virtio-net NIC ({@code phy0},
 * GRO on) as a bridge port (mh-uplink) or by VXLAN over it (mh-vxlan, {@code vxlan100}). Every interface of both
 * hosts, in every namespace, equals its counter delta from the {@code ip -s -j link} dumps taken around the trace:
 * the NIC with the packets GRO merged (some of them inside a tunnel's packets), the VXLAN device with what it counts
 * of the frames it wraps, the ports and the VMs' ends. A device deleted during the trace is read from its dump just
 * before the deletion, one created during it from zero. ctl0, the control wire, carried the hosts' messages outside
 * the trace window and is not under test.
 */
class MultiHostCountersTest {

    private static final Path LAB5 = Path.of(System.getProperty("vnetscope.repo", ".."))
            .resolve("samples/lab5/recordings");
    private static final Pattern LINK_DUMP = Pattern.compile("link-(pre|post|predelete)-(.+)\\.json");
    private static final String ROOT = "root";

    @ParameterizedTest
    @CsvSource({"mh-uplink, hosta", "mh-uplink, hostb", "mh-vxlan, hosta", "mh-vxlan, hostb"})
    void everyInterfaceOfTheHostMatchesItsCounters(String scenario, String host) throws IOException {
        Path folder = LAB5.resolve(scenario).resolve(host);
        AnalysisReport report = NetworkAnalysis.analyze(folder.resolve("trace/kernel"), AnalysisOptions.defaults());
        Map<String, long[]> deltas = counterDeltas(folder.resolve("groundtruth"));
        deltas.remove("ctl0");
        assertThat(deltas).containsKeys("phy0", "virbr0", "vnet0", "eth0<->vnet0", "lo");
        List<String> mismatches = new ArrayList<>();
        deltas.forEach((device, expected) -> {
            long[] actual = counted(report, device);
            if (!java.util.Arrays.equals(actual, expected)) {
                mismatches.add(device + ": rx/tx packets, rx/tx bytes " + java.util.Arrays.toString(actual)
                        + " vs counters " + java.util.Arrays.toString(expected));
            }
        });
        assertThat(mismatches).as(scenario + "/" + host).isEmpty();
        if (scenario.equals("mh-vxlan")) {
            // the tunnel counts the inner IP packet of each frame it wraps: the traced length less the link header
            InterfaceReport tunnel = InterfaceGroundTruthTest.find(report, "vxlan100", null);
            assertThat(tunnel.tx().packets()).isPositive();
            assertThat(tunnel.tx().skbBytes() - tunnel.tx().bytes()).isEqualTo(14 * tunnel.tx().packets());
        }
    }

    /**
     * What the report counts for a device of the ground truth: a device of the root namespace by its name (vnetN,
     * phy0: one row each), a VM's end by its name and peer, and {@code lo}, whose copies in every namespace share
     * one row since nothing tells them apart, over all its rows. In the order rx packets, tx packets, rx bytes, tx
     * bytes.
     */
    private static long[] counted(AnalysisReport report, String device) {
        String name = device.contains("<->") ? device.substring(0, device.indexOf("<->")) : device;
        String peer = device.contains("<->") ? device.substring(device.indexOf("<->") + 3) : null;
        List<InterfaceReport> rows = report.interfaces().stream()
                .filter(row -> row.name().equals(name) && (peer == null || peer.equals(row.peer()))).toList();
        assertThat(rows).as(device).isNotEmpty();
        if (!name.equals("lo")) {
            assertThat(rows).as(device + ": one row").hasSize(1);
        }
        long[] sums = new long[4];
        for (InterfaceReport row : rows) {
            sums[0] += row.rx().packets();
            sums[1] += row.tx().packets();
            sums[2] += row.rx().bytes();
            sums[3] += row.tx().bytes();
        }
        return sums;
    }

    /**
     * Counter deltas per device over the trace, from the link dumps of each namespace: the last dump (post, or
     * predelete for a device gone by then) less the first (pre; none for a device created during the trace). A VM's
     * end is named with its peer, the root device its link index names; {@code lo} is summed over namespaces.
     */
    static Map<String, long[]> counterDeltas(Path groundtruth) throws IOException {
        Map<String, Map<String, Map<String, JsonNode>>> dumps = new HashMap<>(); // namespace -> when -> device
        try (Stream<Path> files = Files.list(groundtruth)) {
            for (Path file : files.toList()) {
                Matcher m = LINK_DUMP.matcher(file.getFileName().toString());
                if (m.matches()) {
                    Map<String, JsonNode> devices = new HashMap<>();
                    GroundTruth.read(file).forEach(link -> devices.put(link.path("ifname").asText(), link));
                    dumps.computeIfAbsent(m.group(2), ns -> new HashMap<>()).put(m.group(1), devices);
                }
            }
        }
        Map<Long, String> rootByIndex = new HashMap<>();
        dumps.getOrDefault(ROOT, Map.of()).values().forEach(devices -> devices.values().forEach(link ->
                rootByIndex.put(link.path("ifindex").asLong(), link.path("ifname").asText())));
        Map<String, long[]> deltas = new TreeMap<>();
        dumps.forEach((namespace, byTime) -> {
            Map<String, JsonNode> pre = byTime.getOrDefault("pre", Map.of());
            Map<String, JsonNode> post = byTime.getOrDefault("post", Map.of());
            Map<String, JsonNode> predelete = byTime.getOrDefault("predelete", Map.of());
            TreeSet<String> devices = new TreeSet<>(post.keySet());
            devices.addAll(predelete.keySet());
            for (String device : devices) {
                JsonNode last = post.containsKey(device) ? post.get(device) : predelete.get(device);
                JsonNode first = pre.get(device);
                String key = device.equals("lo") || namespace.equals(ROOT) ? device
                        : device + "<->" + rootByIndex.get(last.path("link_index").asLong());
                long[] delta = new long[4];
                String[][] fields = {{"rx", "packets"}, {"tx", "packets"}, {"rx", "bytes"}, {"tx", "bytes"}};
                for (int i = 0; i < 4; i++) {
                    long to = last.path("stats64").path(fields[i][0]).path(fields[i][1]).asLong();
                    delta[i] = to - (first == null ? 0 : first.path("stats64").path(fields[i][0]).path(fields[i][1])
                            .asLong());
                }
                deltas.merge(key, delta, (a, b) -> {
                    for (int i = 0; i < 4; i++) {
                        a[i] += b[i];
                    }
                    return a;
                });
            }
        });
        return deltas;
    }
}
