package org.vnetscope.analysis;

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
import org.vnetscope.analysis.topology.Topology;

/**
 * The real traces bundled under samples/lab2 against their ground truth: interface counters, iperf3's own
 * figures, lttng's and babeltrace2's count of discarded events, and the scenario's topology. They are in the
 * repository, so these tests run on a fresh clone.
 */
class Lab2GroundTruthTest {

    /**
     * The counter snapshots bracket more than the trace: `pre` is taken before the session is created and `post`
     * after it is stopped, so the kernel also counted the few link-layer frames (ARP, neighbour discovery, MLD)
     * sent while lttng was setting up or tearing down. Every flow runs inside the trace. So the trace never has
     * more than the counters, and the difference is a handful of small frames, no flow data.
     */
    private static final long MAX_PACKETS_OUTSIDE_THE_TRACE = 8;
    /** ARP is 42-60 bytes, neighbour and MLD messages 70-90: a flow's data frames are ten times larger. */
    private static final long MAX_BYTES_PER_PACKET_OUTSIDE_THE_TRACE = 100;

    /** iperf3 opens its data connection with a 37-byte cookie, payload the client does not count. */
    private static final long IPERF3_COOKIE = 37;
    private static final long IPV6_AND_TCP_HEADERS = 40 + 20;
    private static final long IPV6_AND_UDP_HEADERS = 40 + 8;
    private static final long IPV6_AND_ICMPV6_ECHO_HEADERS = 40 + 8;
    /** iperf3's UDP handshake datagram: 4 bytes of payload each way. */
    private static final long IPERF3_UDP_HANDSHAKE = 4;
    /** A neighbour solicitation or advertisement with its link-layer address option, as an IPv6 packet. */
    private static final long NEIGHBOUR_MESSAGE = 40 + 24 + 8;

    private static final Map<String, AnalysisReport> REPORTS = new ConcurrentHashMap<>();

    private static AnalysisReport report(String scenario) {
        return REPORTS.computeIfAbsent(scenario, name -> NetworkAnalysis.analyze(
                GroundTruth.lab2(name).resolve("trace/kernel"), AnalysisOptions.defaults()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"record-dryrun", "record-live", "ipv6"})
    void countersDifferOnlyByTheSnapshotsWiderWindow(String scenario) {
        Path folder = GroundTruth.lab2(scenario);
        Map<String, long[]> differences = differences(report(scenario), folder);
        assertThat(differences).isNotEmpty();
        differences.forEach((iface, diff) -> {
            assertThat(diff[0]).as("%s: packets the counters have and the trace not", iface)
                    .isBetween(0L, MAX_PACKETS_OUTSIDE_THE_TRACE);
            assertThat(diff[1]).as("%s: their bytes", iface)
                    .isBetween(0L, diff[0] * MAX_BYTES_PER_PACKET_OUTSIDE_THE_TRACE);
        });
    }

    /** The dry run's VMs sent nothing outside the trace (IPv6 off, no neighbour traffic): their eth0 match. */
    @Test
    void recordDryrunVmSideEqualsItsCountersExactly() {
        List<String> mismatches = InterfaceGroundTruthTest.compare(report("record-dryrun"),
                GroundTruth.lab2("record-dryrun"));
        assertThat(mismatches).isNotEmpty().allMatch(line -> line.startsWith("root/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"record-dryrun", "record-live"})
    void sessionsSetUpByRecordMissNoEvents(String scenario) {
        AnalysisReport report = report(scenario);
        assertThat(report.lostEvents()).isEmpty();
        assertThat(report.chains().overlappingLostEvents()).isZero();
        // the only note left is the standing one: nothing the session should have enabled is missing
        assertThat(report.notes()).singleElement().asString().startsWith("NIC ring drops");
    }

    /** Every lost event is one lttng counted, in the ranges babeltrace2 warns about, stream by stream. */
    @Test
    void lostEventsEqualLttngAndBabeltrace2() throws IOException {
        Path folder = GroundTruth.lab2("discards");
        AnalysisReport report = report("discards");
        long lttng = GroundTruth.read(folder.resolve("scenario.json")).at("/lttng/discarded_events_reported_by_lttng")
                .asLong();
        assertThat(report.lostEvents().stream().mapToLong(LostRange::count).sum()).isEqualTo(lttng);

        Pattern warning = Pattern.compile("^WARNING: Tracer discarded (\\d+) events? between .* within stream \"[^\"]*/"
                + "([^/\"]+)\"");
        Map<String, long[]> babeltrace = new HashMap<>();
        for (String line : Files.readAllLines(folder.resolve("babeltrace2.stderr"))) {
            Matcher matcher = warning.matcher(line);
            if (matcher.find()) {
                long[] seen = babeltrace.computeIfAbsent(matcher.group(2), s -> new long[2]);
                seen[0]++;
                seen[1] += Long.parseLong(matcher.group(1));
            }
        }
        Map<String, long[]> ours = new HashMap<>();
        for (LostRange range : report.lostEvents()) {
            long[] seen = ours.computeIfAbsent(range.stream(), s -> new long[2]);
            seen[0]++;
            seen[1] += range.count();
        }
        assertThat(ours).hasSameSizeAs(babeltrace);
        babeltrace.forEach((stream, seen) -> assertThat(ours.get(stream)).as(stream).containsExactly(seen));
    }

    /**
     * With 97% of the events lost, the counters are far above the trace's figures, never below: the trace holds
     * a share of what happened and invents nothing. The report says which figures that touches.
     */
    @Test
    void discardsFiguresAreShortAndSaySo() {
        Path folder = GroundTruth.lab2("discards");
        AnalysisReport report = report("discards");
        Map<String, long[]> differences = differences(report, folder);
        assertThat(differences).isNotEmpty().allSatisfy((iface, diff) -> {
            assertThat(diff[0]).as(iface).isNotNegative();
            assertThat(diff[1]).as(iface).isNotNegative();
        });
        assertThat(differences.values().stream().mapToLong(d -> d[0]).sum()).isGreaterThan(
                report.interfaces().stream().mapToLong(i -> i.rx().packets() + i.tx().packets()).sum());
        ChainStats chains = report.chains();
        assertThat(chains.overlappingLostEvents()).isPositive().isLessThan(chains.journeys());
        assertThat(report.notes().get(0)).contains(report.lostEvents().size() + " ranges")
                .contains((chains.journeys() - chains.overlappingLostEvents()) + " of " + chains.journeys());
    }

    /**
     * The topology from the chains the loss left intact: the scenario's bridge, every port a veth whose peer is
     * the VM's interface; a namespace only where intact chains gave enough votes, and then the right one.
     */
    @Test
    void discardsTopologyIsTheScenariosAsFarAsIntactChainsTell() {
        JsonNode scenario = GroundTruth.read(GroundTruth.lab2("discards").resolve("scenario.json"));
        Topology topology = report("discards").topology();
        assertThat(topology.bridges()).singleElement().extracting(Topology.Bridge::name)
                .isEqualTo(scenario.at("/bridges/0/name").asText());
        Map<String, Topology.Port> ports = new HashMap<>();
        topology.bridges().get(0).ports().forEach(port -> ports.put(port.name(), port));
        assertThat(ports).hasSize(scenario.path("vms").size());
        int namespaces = 0;
        for (JsonNode vm : scenario.path("vms")) {
            Topology.Port port = ports.get(vm.path("bridge_port").asText());
            assertThat(port.kind()).isEqualTo("veth");
            assertThat(port.peer().name()).isEqualTo(vm.path("guest_if").asText());
            if (port.peer().netns() != null) {
                assertThat(port.peer().netns()).isEqualTo(vm.path("netns_inode").asLong());
                namespaces++;
            }
        }
        assertThat(namespaces).isPositive();
    }

    /** The ipv6 trace's stream between the endpoints iperf3's client JSON says it connected. */
    private static StreamReport ipv6StreamOf(JsonNode client, String protocol) {
        JsonNode connected = client.at("/start/connected/0");
        String a = "[" + connected.path("local_host").asText() + "]:" + connected.path("local_port").asInt();
        String b = "[" + connected.path("remote_host").asText() + "]:" + connected.path("remote_port").asInt();
        return report("ipv6").streams().stream()
                .filter(s -> s.protocol().equals(protocol) && s.a().equals(a) && s.b().equals(b))
                .findFirst().orElseThrow(() -> new AssertionError("no " + protocol + " stream " + a + " - " + b));
    }

    /**
     * The IPv6 TCP flow against iperf3's client. The client counts bytes written to its socket; the server (B)
     * reset the connection once it had stopped counting, with the last bytes still in the client's send buffer,
     * never transmitted (vm1's eth0 counter confirms it: its only frame beyond the trace is 42 bytes). So the
     * trace's payload is the client's plus iperf3's 37-byte cookie, less a tail shorter than one segment.
     */
    @Test
    void ipv6TcpFlowEqualsIperf3Client() {
        JsonNode client = GroundTruth.read(GroundTruth.lab2("ipv6").resolve("groundtruth/iperf3-V2-client.json"));
        StreamReport stream = ipv6StreamOf(client, "tcp");
        long unsent = client.at("/end/sum_sent/bytes").asLong() + IPERF3_COOKIE - stream.payloadAb();
        assertThat(stream.closed()).isEqualTo("rst_b");
        assertThat(unsent).isBetween(0L, (long) AnalysisOptions.DEFAULT_MTU - IPV6_AND_TCP_HEADERS);
        assertThat(stream.retransmittedSegments()).isEqualTo(client.at("/end/sum_sent/retransmits").asLong());
    }

    /**
     * The IPv6 UDP flow against iperf3's client: every datagram it sent once, though the recorded UDP checksum
     * is the same for all of them (checksum offload), plus iperf3's handshake: the client opens with a 4-byte
     * datagram, the server answers with one.
     */
    @Test
    void ipv6UdpFlowEqualsIperf3Client() {
        JsonNode client = GroundTruth.read(GroundTruth.lab2("ipv6").resolve("groundtruth/iperf3-V3-client.json"));
        StreamReport stream = ipv6StreamOf(client, "udp");
        long datagrams = client.at("/end/sum/packets").asLong();
        long bytes = client.at("/end/sum/bytes").asLong();
        long handshake = stream.packetsAb() - datagrams;
        assertThat(handshake).isBetween(1L, 2L);
        assertThat(stream.payloadAb()).isEqualTo(bytes + handshake * IPERF3_UDP_HANDSHAKE);
        assertThat(stream.bytesAb()).isEqualTo(stream.payloadAb() + stream.packetsAb() * IPV6_AND_UDP_HEADERS);
        assertThat(stream.packetsBa()).isEqualTo(1);
        assertThat(stream.payloadBa()).isEqualTo(IPERF3_UDP_HANDSHAKE);
    }

    /**
     * ping6 against its own summary: LTTng records no ICMPv6 header, so the stream of the two addresses is listed
     * by addresses alone and also holds the neighbour discovery between them (72-byte solicitations and
     * advertisements); the echoes are the packets of the echo size, as many as ping sent and got back.
     */
    @Test
    void ipv6PingEqualsPingSummary() throws IOException {
        Path folder = GroundTruth.lab2("ipv6");
        JsonNode flow = null;
        for (JsonNode candidate : GroundTruth.read(folder.resolve("scenario.json")).path("flows")) {
            if (candidate.path("id").asText().equals("V1")) {
                flow = candidate;
            }
        }
        assertThat(flow).isNotNull();
        String source = null;
        for (JsonNode vm : GroundTruth.read(folder.resolve("scenario.json")).path("vms")) {
            if (vm.path("netns").asText().equals(flow.path("src_ns").asText())) {
                source = vm.path("ip6").asText();
            }
        }
        String destination = flow.path("dst_ip").asText();
        Matcher summary = Pattern.compile("(\\d+) packets transmitted, (\\d+) received")
                .matcher(Files.readString(folder.resolve("groundtruth/" + flow.path("summary").asText())));
        assertThat(summary.find()).isTrue();
        long requests = Long.parseLong(summary.group(1));
        long replies = Long.parseLong(summary.group(2));
        long echoSize = IPV6_AND_ICMPV6_ECHO_HEADERS + flow.path("icmp_payload_bytes").asLong();

        String from = source;
        StreamReport stream = report("ipv6").streams().stream()
                .filter(s -> s.protocol().equals("icmpv6") && (s.a().equals(from) && s.b().equals(destination)
                        || s.a().equals(destination) && s.b().equals(from)))
                .findFirst().orElseThrow();
        boolean forward = stream.a().equals(source);
        assertThat(echoes(forward ? stream.packetsAb() : stream.packetsBa(),
                forward ? stream.bytesAb() : stream.bytesBa(), echoSize)).isEqualTo(requests);
        assertThat(echoes(forward ? stream.packetsBa() : stream.packetsAb(),
                forward ? stream.bytesBa() : stream.bytesAb(), echoSize)).isEqualTo(replies);
    }

    /** Echoes among packets of echo size and neighbour discovery size, checking the sizes add up. */
    private static long echoes(long packets, long bytes, long echoSize) {
        long neighbourMessages = (echoSize * packets - bytes) / (echoSize - NEIGHBOUR_MESSAGE);
        assertThat(neighbourMessages).isBetween(0L, 4L);
        assertThat(bytes).isEqualTo((packets - neighbourMessages) * echoSize + neighbourMessages * NEIGHBOUR_MESSAGE);
        return packets - neighbourMessages;
    }

    /** Counters minus the trace, {packets, bytes} per interface and direction ("netns/name rx"). */
    private static Map<String, long[]> differences(AnalysisReport report, Path folder) {
        JsonNode scenario = GroundTruth.read(folder.resolve("scenario.json"));
        Map<String, String> portOfNetns = new HashMap<>();
        scenario.path("vms").forEach(vm -> portOfNetns.put(vm.path("netns").asText(), vm.path("bridge_port").asText()));
        Map<String, long[]> differences = new HashMap<>();
        for (JsonNode entry : GroundTruth.read(folder.resolve("groundtruth-summary.json")).get("interface_counter_deltas")) {
            String netns = entry.path("netns").asText();
            String name = entry.path("ifname").asText();
            JsonNode delta = entry.path("delta");
            if (delta.path("rx_packets").asLong() + delta.path("tx_packets").asLong() == 0) {
                continue;
            }
            InterfaceReport row = InterfaceGroundTruthTest.find(report, name, portOfNetns.get(netns));
            assertThat(row).as("%s/%s in the trace", netns, name).isNotNull();
            differences.put(netns + "/" + name + " rx", new long[] {
                delta.path("rx_packets").asLong() - row.rx().packets(), delta.path("rx_bytes").asLong() - row.rx().bytes()});
            differences.put(netns + "/" + name + " tx", new long[] {
                delta.path("tx_packets").asLong() - row.tx().packets(), delta.path("tx_bytes").asLong() - row.tx().bytes()});
        }
        return differences;
    }
}
