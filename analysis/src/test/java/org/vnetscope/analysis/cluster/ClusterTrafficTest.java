package org.vnetscope.analysis.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.NetworkAnalysis;

/**
 * The VM traffic matrix of the two-host recording with the VXLAN uplink (samples/lab5 mh-vxlan): VMs found on
 * their hosts behind their ports, the vxlan port taken for an uplink, and each ping counted once, on the sender's
 * host, both directions in one pair.
 */
class ClusterTrafficTest {

    private static final Path VXLAN = Path.of(System.getProperty("vnetscope.repo", ".."))
            .resolve("samples/lab5/recordings/mh-vxlan");

    @Test
    void vmsAndPairsOfTwoHosts() {
        List<AnalysisReport> reports = List.of(
                NetworkAnalysis.analyze(VXLAN.resolve("hosta/trace/kernel"), AnalysisOptions.defaults()),
                NetworkAnalysis.analyze(VXLAN.resolve("hostb/trace/kernel"), AnalysisOptions.defaults()));
        ClusterTraffic.Result cluster = ClusterTraffic.of(reports);
        assertThat(cluster.hosts()).containsExactly("hosta", "hostb");
        Map<String, ClusterTraffic.Vm> vms = cluster.vms().stream()
                .collect(Collectors.toMap(ClusterTraffic.Vm::name, Function.identity()));
        assertThat(vms.keySet()).containsExactlyInAnyOrder("52:54:00:0a:00:11", "52:54:00:0a:00:12",
                "52:54:00:0b:00:21", "52:54:00:0b:00:22");
        assertThat(vms.get("52:54:00:0a:00:11").host()).isEqualTo("hosta");
        assertThat(vms.get("52:54:00:0a:00:11").ipv4()).containsExactly("192.168.122.11");
        assertThat(vms.get("52:54:00:0b:00:21").host()).isEqualTo("hostb");
        assertThat(cluster.vms()).noneMatch(vm -> vm.port().startsWith("vxlan"));

        ClusterTraffic.Pair ping = cluster.pairs().stream()
                .filter(p -> p.a().equals("52:54:00:0a:00:11") && p.b().equals("52:54:00:0b:00:21"))
                .findFirst().orElseThrow();
        // P1: 100 echo requests from vmA1 and 100 replies from vmB1; P2: 20 the other way and their replies;
        // 98-byte frames, each counted where sent
        assertThat(ping.packets()).isEqualTo(240);
        assertThat(ping.bytes()).isEqualTo(240 * 98);
        assertThat(ping.crossHost()).isTrue();
        long binned = 0;
        for (long bytes : ping.binBytes()) {
            binned += bytes;
        }
        assertThat(binned).isEqualTo(ping.bytes());
    }
}
