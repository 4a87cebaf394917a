package org.vnetscope.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Packets received from another host are traced before any layer set their transport header: bridged from
 * virtio-net, UDP datagrams show a header of zeros; out of a VXLAN tunnel, ICMP shows none. They still count in the
 * stream list, each once, in their own stream (samples/lab5).
 */
class UnsetTransportHeaderTest {

    private static final Path LAB5 = Path.of(System.getProperty("vnetscope.repo", "..")).resolve("samples/lab5");
    private static final Path UPLINK = LAB5.resolve("recordings/mh-uplink");

    @Test
    void theReceiversStreamListHasEveryDatagramOfTheFlowUnderItsPorts() throws Exception {
        JsonNode server = new ObjectMapper().readTree(UPLINK.resolve("hosta/groundtruth/iperf3-U1-server.json")
                .toFile()).path("end").path("sum");
        // iperf3 sends one more datagram before its measured ones: the 4-byte "connect" message
        long datagrams = server.path("packets").asLong() + 1;
        assertThat(datagrams).isEqualTo(2160);
        for (String host : List.of("hosta", "hostb")) {
            AnalysisReport report = NetworkAnalysis.analyze(UPLINK.resolve(host).resolve("trace/kernel"),
                    AnalysisOptions.defaults());
            List<StreamReport> udp = report.streams().stream()
                    .filter(s -> s.protocol().equals("udp") && s.a().startsWith("192.168.122.")).toList();
            assertThat(udp).as(host).hasSize(1);
            assertThat(udp.get(0).a()).isEqualTo("192.168.122.22:40617");
            assertThat(udp.get(0).b()).isEqualTo("192.168.122.12:5202");
            assertThat(udp.get(0).packetsAb()).as(host).isEqualTo(datagrams);
        }
    }

    @Test
    void pingsReceivedThroughTheTunnelCountInTheirStream() throws Exception {
        Path vxlan = LAB5.resolve("recordings/mh-vxlan");
        // P1: hosta's vmA1 pings hostb's vmB1; P2: the reverse; every echo answered (the ping outputs say so)
        long p1 = answered(vxlan.resolve("hosta/groundtruth/ping-P1.txt"));
        long p2 = answered(vxlan.resolve("hostb/groundtruth/ping-P2.txt"));
        assertThat(p1 + p2).isEqualTo(120);
        for (String host : List.of("hosta", "hostb")) {
            AnalysisReport report = NetworkAnalysis.analyze(vxlan.resolve(host).resolve("trace/kernel"),
                    AnalysisOptions.defaults());
            StreamReport icmp = report.streams().stream().filter(s -> s.protocol().equals("icmp")).findFirst()
                    .orElseThrow();
            // each way: one side's requests and the other side's replies, 84-byte IP packets
            assertThat(icmp.packetsAb()).as(host).isEqualTo(p1 + p2);
            assertThat(icmp.packetsBa()).as(host).isEqualTo(p1 + p2);
            assertThat(icmp.bytesAb()).as(host).isEqualTo((p1 + p2) * 84);
        }
    }

    private static long answered(Path pingOutput) throws Exception {
        return java.nio.file.Files.readAllLines(pingOutput).stream().filter(line -> line.contains("bytes from"))
                .count();
    }
}
