package org.vnetscope.analysis;

import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.FieldKey;

/**
 * Event names and field keys of the LTTng network instrumentation, across versions. Old metadata writes field
 * names with a leading underscore; the reader unescapes them, so one key serves every version. Event names did
 * change: {@code netif_receive_skb} and {@code netif_rx} before LTTng 2.7, {@code net_if_*} after.
 */
final class NetFields {
    private NetFields() {
    }

    static final String NET_DEV_QUEUE = "net_dev_queue";
    static final String NET_DEV_XMIT = "net_dev_xmit";
    static final String[] RECEIVE_SKB = {"net_if_receive_skb", "netif_receive_skb"};
    static final String[] NETIF_RX = {"net_if_rx", "netif_rx"};
    static final String[] GRO_ENTRY = {"net_napi_gro_receive_entry", "net_napi_gro_frags_entry"};
    static final String[] GRO_EXIT = {"net_napi_gro_receive_exit", "net_napi_gro_frags_exit"};
    static final String SKB_KFREE = "skb_kfree";
    static final String NAPI_POLL = "napi_poll";
    static final String SKB_CONSUME = "skb_consume";
    static final String SKB_COPY_DATAGRAM = "skb_copy_datagram_iovec";

    static final FieldKey SKBADDR = FieldKey.of("skbaddr");
    static final FieldKey LEN = FieldKey.of("len");
    static final FieldKey NAME = FieldKey.of("name");
    /** napi_poll's name of the device whose NAPI instance was polled ("(no_device)" for the backlog). */
    static final FieldKey DEV_NAME = FieldKey.of("dev_name");
    static final FieldKey RC = FieldKey.of("rc");
    static final FieldKey RET = FieldKey.of("ret");
    static final FieldKey LOCATION = FieldKey.of("location");
    static final FieldKey PROTOCOL = FieldKey.of("protocol");
    static final FieldKey REASON = FieldKey.of("reason");
    /** Context field: the network namespace of the task that was running, not of the device. */
    static final FieldKey NET_NS = FieldKey.of("net_ns");
    /** Context field: the process that was running (a relay's copies are made in its process). */
    static final FieldKey PID = FieldKey.of("pid");

    static final FieldKey NETWORK_HEADER_TYPE = FieldKey.of("network_header_type");
    static final FieldKey IP4_IHL = FieldKey.of("network_header", "ipv4", "ihl");
    static final FieldKey IP4_TOT_LEN = FieldKey.of("network_header", "ipv4", "tot_len");
    static final FieldKey IP4_ID = FieldKey.of("network_header", "ipv4", "id");
    static final FieldKey IP4_PROTOCOL = FieldKey.of("network_header", "ipv4", "protocol");
    static final FieldKey IP4_SADDR = FieldKey.of("network_header", "ipv4", "saddr");
    static final FieldKey IP4_DADDR = FieldKey.of("network_header", "ipv4", "daddr");
    static final Transport IP4_TRANSPORT = Transport.under("ipv4");
    static final Transport IP6_TRANSPORT = Transport.under("ipv6");

    /** The TCP and UDP header fields under one option of the network header ({@code ipv4} or {@code ipv6}). */
    record Transport(FieldKey tcpSport, FieldKey tcpDport, FieldKey tcpSeq, FieldKey tcpAck, FieldKey tcpDataOffset,
                     FieldKey tcpFlags, FieldKey udpSport, FieldKey udpDport, FieldKey udpCheck) {

        static Transport under(String network) {
            return new Transport(key(network, "tcp", "source_port"), key(network, "tcp", "dest_port"),
                    key(network, "tcp", "seq"), key(network, "tcp", "ack_seq"), key(network, "tcp", "data_offset"),
                    key(network, "tcp", "flags"), key(network, "udp", "source_port"), key(network, "udp", "dest_port"),
                    key(network, "udp", "check"));
        }

        private static FieldKey key(String network, String transport, String field) {
            return FieldKey.of("network_header", network, "transport_header", transport, field);
        }
    }

    static final FieldKey ICMP_TYPE = FieldKey.of("network_header", "ipv4", "transport_header", "icmp", "type");
    static final FieldKey ICMP_CODE = FieldKey.of("network_header", "ipv4", "transport_header", "icmp", "code");
    static final FieldKey ICMP_GATEWAY = FieldKey.of("network_header", "ipv4", "transport_header", "icmp", "gateway");

    static final FieldKey IP6_PAYLOAD_LEN = FieldKey.of("network_header", "ipv6", "payload_len");
    static final FieldKey IP6_NEXTHDR = FieldKey.of("network_header", "ipv6", "nexthdr");
    static final FieldKey IP6_SADDR = FieldKey.of("network_header", "ipv6", "saddr");
    static final FieldKey IP6_DADDR = FieldKey.of("network_header", "ipv6", "daddr");

    /** Values of {@code network_header_type}: 0 unknown, 1 ipv4, 2 ipv6. */
    static final int HEADER_IPV4 = 1;
    static final int HEADER_IPV6 = 2;
    static final int IPV6_HEADER = 40;
    static final int IPPROTO_ICMPV6 = 58;
    static final int TCP_FIN = 0x01;
    static final int TCP_RST = 0x04;
    static final int IPPROTO_ICMP = 1;
    static final int IPPROTO_TCP = 6;
    static final int IPPROTO_UDP = 17;
    /** Bytes of the Ethernet header the receive path pulls before the receive tracepoints fire. */
    static final int ETH_HEADER = 14;

    /** An IPv4 address field as an unsigned number, read through {@code scratch} (4 bytes or more). */
    static long ipv4Address(Event event, FieldKey key, byte[] scratch) {
        event.copyBytes(key, scratch);
        return (scratch[0] & 0xFFL) << 24 | (scratch[1] & 0xFFL) << 16 | (scratch[2] & 0xFFL) << 8 | (scratch[3] & 0xFFL);
    }
}
