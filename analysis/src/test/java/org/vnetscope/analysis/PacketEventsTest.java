package org.vnetscope.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vnetscope.ctf.EventStream;
import org.vnetscope.ctf.TraceReader;

/** The packet events of a trace, pulled or pushed, with the headers the analyses read of them. */
class PacketEventsTest {

    private static final Path IPV6 = GroundTruth.lab2("ipv6").resolve("trace/kernel");

    @Test
    void pulledAndPushedAreTheSameEventsInTraceOrder() {
        List<PacketEvents.PacketEvent> pulled = new ArrayList<>();
        try (PacketEvents events = PacketEvents.of(TraceReader.open(IPV6, TraceReader.Warnings.IGNORE))) {
            for (PacketEvents.PacketEvent event = events.next(); event != null; event = events.next()) {
                pulled.add(event);
            }
        }
        List<PacketEvents.PacketEvent> pushed = new ArrayList<>();
        try (EventStream stream = EventStream.of(TraceReader.open(IPV6, TraceReader.Warnings.IGNORE))) {
            PacketEvents.subscribe(stream, pushed::add);
            stream.start();
        }
        assertThat(pulled).isNotEmpty().isEqualTo(pushed);
        assertThat(pulled).isSortedAccordingTo(java.util.Comparator.comparingLong(
                PacketEvents.PacketEvent::timestampNs));
        assertThat(pulled.stream().map(PacketEvents.PacketEvent::event).distinct())
                .containsExactlyInAnyOrder(PacketEvents.QUEUE, PacketEvents.XMIT, PacketEvents.NETIF_RX,
                        PacketEvents.RECEIVE_SKB);
    }

    @Test
    void headersAreThoseTheStreamListReads() {
        List<PacketEvents.PacketEvent> events = new ArrayList<>();
        try (PacketEvents reader = PacketEvents.of(TraceReader.open(IPV6, TraceReader.Warnings.IGNORE))) {
            for (PacketEvents.PacketEvent event = reader.next(); event != null; event = reader.next()) {
                events.add(event);
            }
        }
        Set<String> endpoints = new HashSet<>();
        for (PacketEvents.PacketEvent event : events) {
            if (event.event().equals(PacketEvents.XMIT)) {
                // a transmit event carries no header: its packet is the queue's before it
                assertThat(event.ethertype()).isNull();
                assertThat(event.source()).isNull();
                assertThat(event.rc()).isNotNull();
                continue;
            }
            assertThat(event.rc()).isNull();
            if (event.ethertype() != null && event.ethertype() == 0x86DD) {
                assertThat(event.source()).contains(":");
            }
            if (event.sourcePort() != null) {
                assertThat(event.protocol()).isIn("tcp", "udp");
                endpoints.add(endpoint(event.source(), event.sourcePort()));
                endpoints.add(endpoint(event.destination(), event.destinationPort()));
            }
        }
        assertThat(events).anyMatch(event -> event.ethertype() != null && event.ethertype() == 0x86DD
                && "tcp".equals(event.protocol()));
        // every TCP or UDP endpoint of the stream list is one some packet event shows, written the same way
        AnalysisReport report = NetworkAnalysis.analyze(IPV6, AnalysisOptions.defaults());
        List<String> streamEndpoints = report.streams().stream()
                .filter(stream -> stream.protocol().equals("tcp") || stream.protocol().equals("udp"))
                .flatMap(stream -> java.util.stream.Stream.of(stream.a(), stream.b())).toList();
        assertThat(streamEndpoints).isNotEmpty();
        assertThat(endpoints).containsAll(streamEndpoints);
    }

    /**
     * The device names and addresses kept from event to event are each event's own: its name field, its header's
     * addresses as text, on a trace of IPv6 and on one of many IPv4 addresses.
     */
    @Test
    void namesAndAddressesAreEachEventsOwn() {
        Path ipv4 = GroundTruth.sample().resolveSibling("lab4").resolve("recordings/nic1-virtio-gro-on/hostA/trace/kernel");
        for (Path trace : List.of(IPV6, ipv4)) {
            List<PacketEvents.PacketEvent> pushed = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            PacketHeader header = new PacketHeader();
            try (EventStream stream = EventStream.of(TraceReader.open(trace, TraceReader.Warnings.IGNORE))) {
                PacketEvents.subscribe(stream, pushed::add);
                for (String name : PacketHeader.EVENT_NAMES) {
                    stream.onEvent(name, event -> {
                        header.read(event);
                        boolean ip = header.kind == PacketHeader.IPV4 || header.kind == PacketHeader.IPV6;
                        expected.add(event.getString(NetFields.NAME) + " " + (ip ? StreamAnalysis.address(
                                header.sourceHigh, header.sourceLow) + " " + StreamAnalysis.address(
                                header.destinationHigh, header.destinationLow) : "null null"));
                    });
                }
                stream.start();
            }
            assertThat(pushed.stream().map(event -> event.device() + " " + event.source() + " " + event.destination())
                    .toList()).as(trace.toString()).isEqualTo(expected);
            assertThat(pushed.stream().map(PacketEvents.PacketEvent::source).distinct().count()).isGreaterThan(2);
        }
    }

    private static String endpoint(String address, int port) {
        return address.contains(":") ? "[" + address + "]:" + port : address + ":" + port;
    }
}
