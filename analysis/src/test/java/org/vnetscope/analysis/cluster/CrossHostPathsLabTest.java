package org.vnetscope.analysis.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.LabTraces;
import org.vnetscope.analysis.NetworkAnalysis;
import org.vnetscope.analysis.StreamReport;
import org.vnetscope.analysis.sync.ClockSync;

/**
 * Packets followed from one host to the other on the two-host recordings (samples/lab5), against what the
 * recording's own tools reported: ping's transmitted and received counts and the times of its replies, iperf3's
 * datagrams and bytes. Each flow that crossed the hosts must have its path through both hosts, its packets joined
 * one by one, and a wire hop that the synchronized clocks never make negative.
 */
class CrossHostPathsLabTest {

    private static final Path RECORDINGS = Path.of(System.getProperty("vnetscope.repo", ".."))
            .resolve("samples/lab5/recordings");
    private static final Map<String, AnalysisReport> REPORTS = new ConcurrentHashMap<>();
    private static final List<String> VM1_OUT = List.of("eth0@vnet0", "vnet0", "phy0");
    private static final List<String> VM1_IN = List.of("phy0", "vnet0", "eth0@vnet0");
    private static final List<String> VM2_OUT = List.of("eth0@vnet1", "vnet1", "phy0");
    private static final List<String> VM2_IN = List.of("phy0", "vnet1", "eth0@vnet1");
    private static final List<String> VM3_OUT = List.of("eth0@vnet2", "vnet2", "phy0");
    private static final List<String> VM3_IN = List.of("phy0", "vnet2", "eth0@vnet2");
    /** Through VXLAN: the bridge port is the tunnel device, whose packets leave and arrive on phy0. */
    private static final List<String> VX1_OUT = List.of("eth0@vnet0", "vnet0", "vxlan100", "phy0");
    private static final List<String> VX1_IN = List.of("phy0", "vxlan100", "vnet0", "eth0@vnet0");
    private static final List<String> VX2_OUT = List.of("eth0@vnet1", "vnet1", "vxlan100", "phy0");
    private static final List<String> VX2_IN = List.of("phy0", "vxlan100", "vnet1", "eth0@vnet1");
    private static final String VM_A2 = "192.168.122.12";
    private static final String VM_B2 = "192.168.122.22";

    static AnalysisReport report(String scenario, String host) {
        return REPORTS.computeIfAbsent(scenario + "/" + host, key -> NetworkAnalysis.analyze(
                RECORDINGS.resolve(scenario).resolve(host).resolve("trace/kernel"), AnalysisOptions.defaults()));
    }

    private static List<CrossHostPaths.Path> paths(String scenario) {
        return CrossHostPaths.of(ClockSync.of(List.of(report(scenario, "hosta"), report(scenario, "hostb"))));
    }

    @Test
    void everyFlowBetweenTheHostsOfTheUplinkScenarioHasItsPathThroughBoth() throws IOException {
        List<CrossHostPaths.Path> paths = paths("mh-uplink");
        Path a = RECORDINGS.resolve("mh-uplink/hosta/groundtruth");
        Path b = RECORDINGS.resolve("mh-uplink/hostb/groundtruth");
        Ping p1 = Ping.read(a.resolve("ping-P1.txt"));
        Ping m1 = Ping.read(b.resolve("ping-M1.txt"));
        Ping m2 = Ping.read(a.resolve("ping-M2.txt"));
        Map<String, Long> timesA = times(a.resolve("times.txt"));
        Map<String, Long> timesB = times(b.resolve("times.txt"));

        // P1, vmA1 -> vmB1: each request crossed, each reply came back
        assertThat(icmp(path(paths, "hosta", VM1_OUT, "hostb", VM1_IN))).isEqualTo(p1.transmitted()).isEqualTo(100);
        // with the replies, vmB1's M1 requests sent while the VM it pinged was away: hosta's bridge no longer knew
        // its MAC and flooded them, to vmA1 among others, which dropped them (README, "The migration")
        CrossHostPaths.Path replies = path(paths, "hostb", VM1_OUT, "hosta", VM1_IN);
        assertThat(icmp(replies)).isEqualTo(p1.received() + m1.unanswered()).isEqualTo(125);
        // M1, vmB1 -> vmA3: across the hosts while vmA3 ran on hosta, that is for the replies vmB1 got before
        // hostb recreated it
        long m1Across = m1.repliesBefore(timesB.get("RECREATE_NS"));
        assertThat(m1Across).isPositive().isLessThan(m1.received());
        assertThat(icmp(path(paths, "hostb", VM1_OUT, "hosta", VM3_IN))).isEqualTo(m1Across);
        assertThat(icmp(path(paths, "hosta", VM3_OUT, "hostb", VM1_IN))).isEqualTo(m1Across);
        // M2, vmA1 -> vmA3: across once hosta took vmA3's port down and hostb held it
        long m2Across = m2.received() - m2.repliesBefore(timesA.get("DOWN_NS"));
        assertThat(m2Across).isPositive().isLessThan(m2.received());
        assertThat(icmp(path(paths, "hosta", VM1_OUT, "hostb", VM3_IN))).isEqualTo(m2Across);
        assertThat(icmp(path(paths, "hostb", VM3_OUT, "hosta", VM1_IN))).isEqualTo(m2Across);
        // M2's requests while the VM was away: flooded out of hosta's uplink (a copy of its own), dropped by
        // hostb's bridge, whose forwarding database still pointed back to the uplink
        CrossHostPaths.Path lost = path(paths, "hosta", List.of("phy0"), "hostb", List.of("phy0"));
        assertThat(lost.dropped()).isEqualTo(lost.packets()).isEqualTo(m2.unanswered()).isEqualTo(25);
        assertThat(lost.drops()).extracting(CrossHostPaths.Drop::host).containsOnly("hostb");

        // T1, vmA2 -> vmB2 over TCP: its data, and its ACKs back with U1 (vmB2 -> vmA2 over UDP)
        tcpData(path(paths, "hosta", VM2_OUT, "hostb", VM2_IN), RECORDINGS.resolve("mh-uplink/hosta"));
        CrossHostPaths.Path back = path(paths, "hostb", VM2_OUT, "hosta", VM2_IN);
        ackPackets(back, report("mh-uplink", "hostb"));
        // iperf3's UDP client first sends one datagram of 4 bytes, so that the server learns where to answer
        JsonNode u1 = LabTraces.json(b.resolve("iperf3-U1-client.json")).path("end").path("sum");
        assertThat(back.protocols().get("udp")).isEqualTo(u1.path("packets").asLong() + 1).isEqualTo(2160);
        assertThat(u1.path("lost_packets").asLong()).isZero();

        for (CrossHostPaths.Path path : List.of(path(paths, "hosta", VM1_OUT, "hostb", VM1_IN), replies, back)) {
            wireHop(path);
        }
    }

    @Test
    void everyFlowBetweenTheHostsOfTheVxlanScenarioReadsThroughTheTunnelAndTheNic() throws IOException {
        List<CrossHostPaths.Path> paths = paths("mh-vxlan");
        Ping p1 = Ping.read(RECORDINGS.resolve("mh-vxlan/hosta/groundtruth/ping-P1.txt"));
        Ping p2 = Ping.read(RECORDINGS.resolve("mh-vxlan/hostb/groundtruth/ping-P2.txt"));
        // P1 vmA1 -> vmB1 and P2 vmB1 -> vmA1: the same two ports, requests one way and replies the other
        CrossHostPaths.Path aToB = path(paths, "hosta", VX1_OUT, "hostb", VX1_IN);
        CrossHostPaths.Path bToA = path(paths, "hostb", VX1_OUT, "hosta", VX1_IN);
        assertThat(icmp(aToB)).isEqualTo(p1.transmitted() + p2.received()).isEqualTo(120);
        assertThat(icmp(bToA)).isEqualTo(p1.received() + p2.transmitted()).isEqualTo(120);
        assertThat(aToB.packets()).isEqualTo(icmp(aToB));
        // an ICMP echo's 84 bytes arrive in a VXLAN packet: 50 bytes of outer headers before its Ethernet frame
        assertThat(aToB.bytes()).isEqualTo(aToB.packets() * (84 + 14 + 50));
        assertThat(aToB.payloadBytes()).isEqualTo(aToB.packets() * 56); // ping's "56(84) bytes of data"
        CrossHostPaths.Path data = path(paths, "hosta", VX2_OUT, "hostb", VX2_IN);
        tcpData(data, RECORDINGS.resolve("mh-vxlan/hosta"));
        ackPackets(path(paths, "hostb", VX2_OUT, "hosta", VX2_IN), report("mh-vxlan", "hostb"));
        for (CrossHostPaths.Path path : List.of(aToB, bToA, data)) {
            wireHop(path);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mh-uplink", "mh-vxlan"})
    void everyReceiveOfTheVmPortsPathsIsJoinedToItsSend(String scenario) {
        // what entered hostb through its uplink toward a VM port is what the cross-host paths delivered there
        List<CrossHostPaths.Path> paths = paths(scenario);
        for (String host : List.of("hosta", "hostb")) {
            for (org.vnetscope.analysis.paths.PacketPath own : report(scenario, host).paths()) {
                if (!own.hops().get(0).equals("phy0") || own.hops().size() < 3) {
                    continue; // the uplink's own traffic (the tunnel's outer packets, the control wire)
                }
                long joined = paths.stream().filter(path -> path.toHost().equals(host)
                        && path.toHops().equals(own.hops())).mapToLong(CrossHostPaths.Path::packets).sum();
                // a TCP packet whose receive event recorded no TCP header (no GRO set it) has nothing to be found
                // by: two of hosta's 2,540 from vmB2
                assertThat(joined).as(host + " " + own.hops()).isBetween(own.packets() - 2, own.packets());
            }
        }
    }

    @Test
    void timePartsOfOneHostMergeIntoTheOnePassCrossHostPaths() {
        Path trace = RECORDINGS.resolve("mh-vxlan/hosta/trace/kernel");
        AnalysisReport parts = LabTraces.inTimeParts(trace, 2);
        List<CrossHostPaths.Path> whole = paths("mh-vxlan");
        List<CrossHostPaths.Path> fromParts = CrossHostPaths.of(ClockSync.of(List.of(parts,
                report("mh-vxlan", "hostb"))));
        for (CrossHostPaths.Path path : whole) {
            if (path.packets() < 10) {
                continue;
            }
            // a packet in flight at the cut is two journeys there, each half of its tunnel's: a few may differ
            CrossHostPaths.Path same = path(fromParts, path.fromHost(), path.fromHops(), path.toHost(), path.toHops());
            assertThat(same.packets()).as(path.fromHops() + " -> " + path.toHops())
                    .isBetween(path.packets() - 2, path.packets());
        }
    }

    /** The TCP data of iperf3's test: every byte it reported sent was received, once or retransmitted. */
    private static void tcpData(CrossHostPaths.Path data, Path recording) {
        JsonNode sent = LabTraces.json(recording.resolve("groundtruth/iperf3-T1-client.json")).path("end")
                .path("sum_sent");
        long bytes = sent.path("bytes").asLong();
        assertThat(bytes).isEqualTo(12_582_912);
        // beyond them: iperf3's control connection between the same VMs, a few retransmitted segments
        assertThat(data.payloadBytes()).isBetween(bytes, bytes + 65_536);
        assertThat(data.protocols().get("tcp")).isGreaterThan(data.packets() - 2);
    }

    /**
     * The ACKs (and iperf3's control messages) vmB2 sent vmA2: as many TCP packets as hostb's own stream list
     * counts from vmB2 to vmA2, each TCP packet counted once where it was sent.
     */
    private static void ackPackets(CrossHostPaths.Path back, AnalysisReport sender) {
        long sentByB2 = 0;
        for (StreamReport stream : sender.streams()) {
            if (stream.protocol().equals("tcp")) {
                if (stream.a().startsWith(VM_B2 + ":") && stream.b().startsWith(VM_A2 + ":")) {
                    sentByB2 += stream.packetsAb();
                } else if (stream.a().startsWith(VM_A2 + ":") && stream.b().startsWith(VM_B2 + ":")) {
                    sentByB2 += stream.packetsBa();
                }
            }
        }
        assertThat(sentByB2).isGreaterThan(300);
        assertThat(back.protocols().get("tcp")).isEqualTo(sentByB2);
    }

    /** The hop between the hosts: from the sender's uplink to the receiver's, positive and shorter than a few ms. */
    private static void wireHop(CrossHostPaths.Path path) {
        assertThat(path.hosts()).containsExactly(path.fromHost(), path.toHost());
        assertThat(path.arrivedBeforeSent()).isZero();
        List<CrossHostPaths.HopLatency> wires = path.hopLatencyNs().stream().filter(CrossHostPaths.HopLatency::wire)
                .toList();
        assertThat(wires).hasSize(1);
        CrossHostPaths.HopLatency wire = wires.get(0);
        assertThat(path.hopLatencyNs().indexOf(wire)).isEqualTo(path.fromHops().size() - 1);
        assertThat(wire.from()).isEqualTo("phy0");
        assertThat(wire.to()).isEqualTo("phy0");
        assertThat(wire.fromHost()).isEqualTo(path.fromHost());
        assertThat(wire.toHost()).isEqualTo(path.toHost());
        assertThat(wire.latencyNs()).isEqualTo(path.wireLatencyNs());
        assertThat(wire.latencyNs().samples()).isEqualTo(path.packets());
        // two emulated guests joined by a socket: hundreds of microseconds, a few ms under a TCP burst
        assertThat(wire.latencyNs().p50()).isPositive().isLessThan(5_000_000);
        assertThat(path.latencyNs().p50()).isGreaterThan(wire.latencyNs().p50());
        assertThat(path.hopLatencyNs()).hasSize(path.fromHops().size() + path.toHops().size());
        assertThat(path.hopLatencyNs().get(path.hopLatencyNs().size() - 1).to()).isEqualTo("end");
    }

    private static long icmp(CrossHostPaths.Path path) {
        return path.protocols().getOrDefault("icmp", 0L);
    }

    private static CrossHostPaths.Path path(List<CrossHostPaths.Path> paths, String from, List<String> fromHops,
                                            String to, List<String> toHops) {
        List<CrossHostPaths.Path> found = paths.stream().filter(path -> path.fromHost().equals(from)
                && path.toHost().equals(to) && path.fromHops().equals(fromHops) && path.toHops().equals(toHops))
                .toList();
        assertThat(found).as(from + " " + fromHops + " -> " + to + " " + toHops + " among " + paths.stream()
                .map(path -> path.fromHost() + path.fromHops() + "->" + path.toHost() + path.toHops()).toList())
                .hasSize(1);
        return found.get(0);
    }

    /** What a ping run printed: its summary, and the time of each reply ({@code ping -D}, the host's clock). */
    private record Ping(long transmitted, long received, long unanswered, List<Long> replyNs) {

        private static final Pattern SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
        private static final Pattern REPLY = Pattern.compile("^\\[(\\d+)\\.(\\d+)\\] \\d+ bytes from");

        static Ping read(Path file) throws IOException {
            long transmitted = -1;
            long received = -1;
            long unanswered = 0;
            List<Long> replies = new java.util.ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                Matcher summary = SUMMARY.matcher(line);
                if (summary.find()) {
                    transmitted = Long.parseLong(summary.group(1));
                    received = Long.parseLong(summary.group(2));
                }
                Matcher reply = REPLY.matcher(line);
                if (reply.find()) {
                    String fraction = (reply.group(2) + "000000000").substring(0, 9);
                    replies.add(Long.parseLong(reply.group(1)) * 1_000_000_000L + Long.parseLong(fraction));
                }
                unanswered += line.contains("no answer yet") ? 1 : 0;
            }
            assertThat(transmitted).as(file.toString()).isPositive();
            assertThat(replies).hasSize((int) received);
            return new Ping(transmitted, received, unanswered, replies);
        }

        long repliesBefore(long timeNs) {
            return replyNs.stream().filter(t -> t < timeNs).count();
        }
    }

    private static Map<String, Long> times(Path file) throws IOException {
        Map<String, Long> times = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2) {
                times.put(parts[0], Long.parseLong(parts[1]));
            }
        }
        return times;
    }
}
