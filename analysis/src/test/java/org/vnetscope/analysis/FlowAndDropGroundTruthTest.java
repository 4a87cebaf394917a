package org.vnetscope.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The stream list against the flows the lab ran, and the drops against the qdisc and nft counters. */
class FlowAndDropGroundTruthTest {

    @ParameterizedTest
    @ValueSource(strings = {"bridge-basic", "bridge-basic-fdb", "migration", "migration-fdb", "ovs", "vlan-drops",
        "tap-vms"})
    void everyFlowAppearsOnceWithItsCounts(String scenario) {
        Path folder = GroundTruth.lab().resolve(scenario);
        AnalysisReport report = analyze(folder);
        for (JsonNode flow : GroundTruth.read(folder.resolve("groundtruth-summary.json")).get("flows")) {
            checkFlow(report, flow);
        }
    }

    @Test
    void bundledSampleFlows() {
        Path sample = GroundTruth.sample();
        AnalysisReport report = analyze(sample);
        for (JsonNode flow : GroundTruth.read(sample.resolve("groundtruth-summary.json")).get("flows")) {
            checkFlow(report, flow);
        }
    }

    /**
     * One flow against the stream list. iperf3: its data connection is one stream, with iperf3's own figures (UDP
     * datagrams exact, TCP payload where both sides closed). ping: every ping between the same two addresses, in
     * either direction, shares one ICMP stream, which holds each echo request that reached a device and each reply
     * made; where every request got its reply (and no packet was fragmented), exactly two packets per request.
     */
    static void checkFlow(AnalysisReport report, JsonNode flow) {
        String protocol = flow.path("proto").asText();
        JsonNode results = flow.path("results");
        String id = flow.path("id").asText();
        if (results.path("data_connection").isObject()) {
            JsonNode connection = results.get("data_connection");
            String a = endpoint(connection.path("local_host").asText(), connection.path("local_port").asInt());
            String b = endpoint(connection.path("remote_host").asText(), connection.path("remote_port").asInt());
            List<StreamReport> matches = streams(report, protocol, a, b);
            assertThat(matches).as(id + " appears once").hasSize(1);
            StreamReport stream = matches.get(0);
            if (protocol.equals("tcp")) {
                // iperf3 counts what it wrote to the socket, plus its 37-byte cookie on the data connection
                long sent = results.get("client_sum_sent_bytes").asLong() + 37;
                if ("fin".equals(stream.closed())) {
                    assertThat((double) stream.payloadAb()).as(id + " TCP payload").isCloseTo(sent, within(sent * 0.01));
                } else {
                    // the server reset or closed first: what was still in the client's send buffer never left;
                    // or no close was traced at all (two IPv6 data connections of the generated scenarios)
                    assertThat(stream.closed()).as(id + " ended by the server, or not seen closing")
                            .isIn("rst_b", "fin_b", null);
                    assertThat(stream.payloadAb()).as(id + " TCP payload, between what the server read and sent")
                            .isBetween(results.get("server_sum_received_bytes").asLong(), sent);
                }
                long retransmits = results.get("client_retransmits").asLong();
                if (!"fin".equals(stream.closed())) {
                    // iperf3 reads its retransmission count when the test ends; a connection the server reset
                    // went on retransmitting after that (generated scenarios with netem loss on the path)
                    return;
                }
                if (retransmits == 0) {
                    assertThat(stream.retransmittedPackets()).as(id + " retransmissions").isZero();
                } else {
                    // segments, as the sender counts them; the connection lives on a little after iperf3 reads them
                    assertThat((double) stream.retransmittedSegments()).as(id + " retransmitted segments")
                            .isCloseTo(retransmits, within(Math.max(1.0, retransmits * 0.03)));
                }
            } else {
                long datagrams = results.get("datagrams").asLong();
                long size = results.get("udp_payload_len").asLong();
                // one extra 4-byte datagram each way: iperf3's UDP connect handshake
                assertThat(stream.packetsAb()).as(id + " datagrams").isEqualTo(datagrams + 1);
                assertThat(stream.payloadAb()).as(id + " UDP payload").isEqualTo(datagrams * size + 4);
                assertThat(stream.packetsBa()).isEqualTo(1);
            }
        } else if (flow.path("tool").asText().equals("ping") && protocol.equals("icmp")) {
            String x = flow.path("src_ip").asText();
            String y = flow.path("dst_ip").asText();
            long requests = 0;
            long replies = 0;
            boolean large = false;
            for (JsonNode other : pingsBetween(report, x, y)) {
                requests += other.at("/results/echo_requests_sent").asLong();
                replies += other.at("/results/echo_replies_received").asLong();
                large |= other.path("ip_packet_bytes").asLong() > 1500;
            }
            List<StreamReport> matches = streams(report, "icmp", x, y);
            if (matches.isEmpty()) {
                // no request reached a device: the neighbour was never resolved (vlan-drops B5, B6), so the
                // requests waited in the neighbour queue and were freed there
                assertThat(replies).as(id + " no stream, so no reply").isZero();
                return;
            }
            assertThat(matches).as(id + " one stream for the pair").hasSize(1);
            long seen = matches.get(0).packetsAb() + matches.get(0).packetsBa();
            if (large) {
                return; // fragments are packets of their own, and the MTUs on the way are not in the ground truth
            }
            if (replies == requests) {
                assertThat(seen).as(id + " requests and replies of the pair").isEqualTo(2 * requests);
            } else {
                assertThat(seen).as(id + " requests and replies of the pair, some lost")
                        .isBetween(2 * replies, 2 * requests);
            }
        }
    }

    /** iperf3's address as the stream list writes it: IPv6 in brackets. */
    private static String endpoint(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static List<JsonNode> pingsBetween(AnalysisReport report, String x, String y) {
        // the flow list of the same scenario, found again through the report's trace path
        Path folder = Path.of(report.trace()).getParent().getParent();
        List<JsonNode> same = new java.util.ArrayList<>();
        for (JsonNode other : GroundTruth.read(folder.resolve("groundtruth-summary.json")).get("flows")) {
            String src = other.path("src_ip").asText();
            String dst = other.path("dst_ip").asText();
            if (other.path("proto").asText().equals("icmp") && other.path("tool").asText().equals("ping")
                    && (src.equals(x) && dst.equals(y) || src.equals(y) && dst.equals(x))) {
                same.add(other);
            }
        }
        return same;
    }

    @Test
    void injectedDropsMatchQdiscAndNftCounters() {
        Path folder = GroundTruth.lab().resolve("vlan-drops");
        AnalysisReport report = analyze(folder);
        JsonNode reasons = GroundTruth.read(GroundTruth.lab().resolve("skb_drop_reason-6.1.176.json"));
        // lttng-modules 2.13 maps only a few reasons: the others appear as their numbers
        long qdisc = drops(report, "vnet1<->eth0", reasonNumber(reasons, "SKB_DROP_REASON_QDISC_DROP"));
        long netfilter = drops(report, null, reasonNumber(reasons, "SKB_DROP_REASON_NETFILTER_DROP"));
        assertThat(qdisc).as("netem loss on vnet1 egress").isEqualTo(160);
        assertThat(netfilter).as("nft bridge rule, all reasons on any interface").isEqualTo(100);
        assertThat(drops(report, "vnet2<->eth0", reasonNumber(reasons, "SKB_DROP_REASON_NETFILTER_DROP")))
                .as("dropped as they entered the bridge from vm3's port").isEqualTo(100);
        InterfaceReport vnet1 = InterfaceGroundTruthTest.find(report, "vnet1", null);
        assertThat(vnet1.drops().packets()).isEqualTo(160);
    }

    private static String reasonNumber(JsonNode reasons, String name) {
        for (var entry : (Iterable<java.util.Map.Entry<String, JsonNode>>) reasons::fields) {
            if (entry.getValue().asText().equals(name)) {
                return entry.getKey();
            }
        }
        throw new AssertionError(name + " not in the kernel's reason list");
    }

    private static long drops(AnalysisReport report, String iface, String reason) {
        return report.drops().stream()
                .filter(d -> reason.equals(d.reason()) && (iface == null || iface.equals(d.iface())))
                .mapToLong(DropReport::packets).sum();
    }

    private static List<StreamReport> streams(AnalysisReport report, String protocol, String a, String b) {
        return report.streams().stream().filter(s -> s.protocol().equals(protocol)
                && (s.a().equals(a) && s.b().equals(b) || s.a().equals(b) && s.b().equals(a))).toList();
    }

    private static AnalysisReport analyze(Path folder) {
        Path trace = folder.resolve("trace/kernel");
        return NetworkAnalysis.analyze(trace, AnalysisOptions.defaults());
    }
}
