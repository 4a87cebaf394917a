package org.vnetscope.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A UDP stream received from another host and bridged to a VM: virtio-net's receive events read a transport header
 * of zeros (no layer had set it yet), so the datagrams show no ports. They belong to the one UDP stream between the
 * two addresses, whose first datagrams (and the sender's trace) show them.
 */
class PortlessDatagramsTest {

    private static final Path UPLINK = Path.of(System.getProperty("vnetscope.repo", ".."))
            .resolve("samples/lab5/recordings/mh-uplink");

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
}
