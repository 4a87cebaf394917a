package org.vnetscope.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * IPv6 in the stream list, on events laid out as LTTng 2.13 records them (network_header variant option ipv6:
 * payload_len, nexthdr, saddr and daddr as eight 16-bit words, transport_header tcp or udp).
 */
class StreamAnalysisIpv6Test {

    private static final long[] CLIENT = {0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x11};
    private static final long[] SERVER = {0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x12};
    private static final int TCP_HEADER = 32;

    private final StreamAnalysis streams = new StreamAnalysis(1500);

    @Test
    void tcpOverIpv6CountsEachPacketOnceAcrossDevicesAndFindsRetransmissions() {
        long seq = 1000;
        // a 3-segment GSO super-packet, seen on the sender's eth0, the bridge port and the receiver's eth0
        for (int device = 0; device < 3; device++) {
            streams.onHeader(tcp(100 + device, CLIENT, 40000, SERVER, 5201, seq, 1, 3 * 1428, 0x18));
        }
        // its segments, cut by software GSO on the way: not new packets
        for (int segment = 0; segment < 3; segment++) {
            streams.onHeader(tcp(110 + segment, CLIENT, 40000, SERVER, 5201, seq + segment * 1428L, 1, 1428, 0x10));
        }
        // the receiver's acknowledgment, twice on the path
        streams.onHeader(tcp(120, SERVER, 5201, CLIENT, 40000, 1, seq + 3 * 1428, 0, 0x10));
        streams.onHeader(tcp(121, SERVER, 5201, CLIENT, 40000, 1, seq + 3 * 1428, 0, 0x10));
        // new data, then a retransmission of it with a new acknowledgment field
        streams.onHeader(tcp(2_000_000_000L, CLIENT, 40000, SERVER, 5201, seq + 3 * 1428, 1, 1000, 0x18));
        streams.onHeader(tcp(2_300_000_000L, CLIENT, 40000, SERVER, 5201, seq + 3 * 1428, 2, 1000, 0x18));
        streams.onHeader(tcp(2_400_000_000L, SERVER, 5201, CLIENT, 40000, 1, seq + 3 * 1428 + 1000, 0, 0x04));

        List<StreamReport> report = streams.report();
        assertThat(report).hasSize(1);
        StreamReport stream = report.get(0);
        assertThat(stream.protocol()).isEqualTo("tcp");
        assertThat(stream.a()).isEqualTo("[2001:db8::11]:40000");
        assertThat(stream.b()).isEqualTo("[2001:db8::12]:5201");
        assertThat(stream.packetsAb()).isEqualTo(3);
        assertThat(stream.payloadAb()).isEqualTo(3 * 1428 + 1000);
        assertThat(stream.bytesAb()).isEqualTo(40 + TCP_HEADER + 3 * 1428 + 2 * (40 + TCP_HEADER + 1000));
        assertThat(stream.packetsBa()).isEqualTo(2);
        assertThat(stream.retransmittedPackets()).isEqualTo(1);
        assertThat(stream.retransmittedBytes()).isEqualTo(1000);
        assertThat(stream.closed()).isEqualTo("rst_b");
    }

    @Test
    void udpOverIpv6() {
        for (int datagram = 0; datagram < 5; datagram++) {
            for (int device = 0; device < 2; device++) {
                streams.onHeader(new SyntheticEvent(datagram * 1000L + device)
                        .with(NetFields.NETWORK_HEADER_TYPE, (long) NetFields.HEADER_IPV6)
                        .with(NetFields.IP6_NEXTHDR, (long) NetFields.IPPROTO_UDP)
                        .with(NetFields.IP6_PAYLOAD_LEN, 8L + 100)
                        .with(NetFields.IP6_SADDR, CLIENT).with(NetFields.IP6_DADDR, new long[] {0xfe80, 0, 0, 0, 0, 0, 0, 1})
                        .with(NetFields.IP6_TRANSPORT.udpSport(), 5353L).with(NetFields.IP6_TRANSPORT.udpDport(), 5353L)
                        .with(NetFields.IP6_TRANSPORT.udpCheck(), 0x1000L + datagram));
            }
        }
        StreamReport stream = streams.report().get(0);
        assertThat(stream.a()).isEqualTo("[2001:db8::11]:5353");
        assertThat(stream.b()).isEqualTo("[fe80::1]:5353");
        assertThat(stream.packetsAb()).isEqualTo(5);
        assertThat(stream.payloadAb()).isEqualTo(500);
        assertThat(stream.bytesAb()).isEqualTo(5 * 148);
        assertThat(stream.closed()).isNull();
    }

    @Test
    void ipv6TextFollowsRfc5952() {
        assertThat(StreamAnalysis.endpoint(6, 0x20010db800000000L, 0x0000000000000001L, 80)).isEqualTo("[2001:db8::1]:80");
        assertThat(StreamAnalysis.endpoint(6, 0x20010db800000001L, 0x0000000000000001L, 80))
                .isEqualTo("[2001:db8:0:1::1]:80");
        assertThat(StreamAnalysis.endpoint(6, 0x20010db800000000L, 0x0001000000000001L, 80))
                .as("the first of equal zero runs").isEqualTo("[2001:db8::1:0:0:1]:80");
        assertThat(StreamAnalysis.endpoint(6, 0, 1, 22)).isEqualTo("[::1]:22");
        assertThat(StreamAnalysis.endpoint(1, 0, 0xFFFF_C000_0201L, 0)).as("IPv4 mapped").isEqualTo("192.0.2.1");
    }

    private static SyntheticEvent tcp(long timeNs, long[] source, long sourcePort, long[] destination,
                                      long destinationPort, long seq, long ack, int payload, int flags) {
        return new SyntheticEvent(timeNs)
                .with(NetFields.NETWORK_HEADER_TYPE, (long) NetFields.HEADER_IPV6)
                .with(NetFields.IP6_NEXTHDR, (long) NetFields.IPPROTO_TCP)
                .with(NetFields.IP6_PAYLOAD_LEN, (long) TCP_HEADER + payload)
                .with(NetFields.IP6_SADDR, source).with(NetFields.IP6_DADDR, destination)
                .with(NetFields.IP6_TRANSPORT.tcpSport(), sourcePort).with(NetFields.IP6_TRANSPORT.tcpDport(), destinationPort)
                .with(NetFields.IP6_TRANSPORT.tcpSeq(), seq).with(NetFields.IP6_TRANSPORT.tcpAck(), ack)
                .with(NetFields.IP6_TRANSPORT.tcpDataOffset(), (long) TCP_HEADER / 4).with(NetFields.IP6_TRANSPORT.tcpFlags(), (long) flags);
    }
}
