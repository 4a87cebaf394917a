package org.vnetscope.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Two guests joined by a NIC enslaved to each one's bridge (samples/lab4): virtio-net with GRO on, e1000 with TSO
 * on and with GRO and TSO off. Every interface's counters, the NIC's above all (packets merged by GRO on receive,
 * segments and padding e1000 counts on transmit), equal ip -s link. The control wire (ctl0) carried the hosts'
 * handshakes around the snapshots and is not under test.
 */
class NicCountersTest {

    @Test
    void everyHostsNicAndPortsMatchTheirCounters() throws IOException {
        Path recordings = Path.of(System.getProperty("vnetscope.repo", "..")).resolve("samples/lab4/recordings");
        List<Path> hosts;
        try (Stream<Path> files = Files.walk(recordings, 2)) {
            hosts = files.filter(d -> Files.isRegularFile(d.resolve("groundtruth-summary.json"))).sorted().toList();
        }
        assertThat(hosts).hasSize(6);
        for (Path host : hosts) {
            AnalysisReport report = NetworkAnalysis.analyze(host.resolve("trace/kernel"), AnalysisOptions.defaults());
            List<String> mismatches = GeneratedScenariosTest.interfaceMismatches(report, host).stream()
                    .filter(line -> !line.startsWith("root/ctl0:")).toList();
            assertThat(mismatches).as(recordings.relativize(host).toString()).isEmpty();
            InterfaceReport nic = report.interfaces().stream().filter(r -> r.name().equals("phy0")).findFirst()
                    .orElseThrow();
            assertThat(nic.rx().packets()).as("phy0 received").isGreaterThan(1000);
        }
    }
}
