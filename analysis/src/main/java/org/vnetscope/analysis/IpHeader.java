package org.vnetscope.analysis;

import org.vnetscope.ctf.Event;

/**
 * The header fields that stay the same while one packet crosses devices: what tells two packets on the same
 * (reused) skb address apart. IPv4 and IPv6 alike; a frame with no IP header (ARP, a VLAN tag the tracer could
 * not look through) is told from one with. Read into a reusable instance, without allocating.
 */
final class IpHeader {

    /** The event had no network header field at all (xmit, frees): it tells nothing. */
    static final int NONE = -1;
    /** Values of the trace's {@code network_header_type}. */
    static final int NOT_IP = 0;
    static final int IPV4 = NetFields.HEADER_IPV4;
    static final int IPV6 = NetFields.HEADER_IPV6;

    private final byte[] address = new byte[16];
    int type = NONE;
    /** IPv4: the address. IPv6: its last eight bytes (the interface id), with {@link #sourceHigh} the first. */
    long source;
    long sourceHigh;
    long destination;
    long destinationHigh;
    /**
     * IPv4: the IP id. IPv6 has none: for TCP the acknowledgment number (pure acks repeat the sequence number, and
     * GRO merges only segments with equal ones), else the payload length.
     */
    long id;
    int protocol;
    int sourcePort;
    int destinationPort;
    long sequence;

    /** Reads the event's header; {@link #type} tells what it had. */
    void read(Event event) {
        type = NONE;
        if (!event.has(NetFields.NETWORK_HEADER_TYPE)) {
            return;
        }
        long recorded = event.getLong(NetFields.NETWORK_HEADER_TYPE);
        if (recorded == IPV4 && event.has(NetFields.IP4_SADDR)) {
            type = IPV4;
            source = NetFields.ipv4Address(event, NetFields.IP4_SADDR, address);
            sourceHigh = 0;
            destination = NetFields.ipv4Address(event, NetFields.IP4_DADDR, address);
            destinationHigh = 0;
            id = (int) event.getLong(NetFields.IP4_ID);
            protocol = (int) event.getLong(NetFields.IP4_PROTOCOL);
            readTransport(event, NetFields.IP4_TRANSPORT);
        } else if (recorded == IPV6 && event.has(NetFields.IP6_SADDR)) {
            type = IPV6;
            event.copyBytes(NetFields.IP6_SADDR, address);
            sourceHigh = half(0);
            source = half(8);
            event.copyBytes(NetFields.IP6_DADDR, address);
            destinationHigh = half(0);
            destination = half(8);
            protocol = (int) event.getLong(NetFields.IP6_NEXTHDR);
            readTransport(event, NetFields.IP6_TRANSPORT);
            id = event.has(NetFields.IP6_TRANSPORT.tcpAck()) ? event.getLong(NetFields.IP6_TRANSPORT.tcpAck())
                    : event.getLong(NetFields.IP6_PAYLOAD_LEN);
        } else {
            type = NOT_IP;
        }
    }

    private void readTransport(Event event, NetFields.Transport keys) {
        sequence = 0;
        if (event.has(keys.tcpSport())) {
            sourcePort = (int) event.getLong(keys.tcpSport());
            destinationPort = (int) event.getLong(keys.tcpDport());
            sequence = event.getLong(keys.tcpSeq());
        } else if (event.has(keys.udpSport())) {
            sourcePort = (int) event.getLong(keys.udpSport());
            destinationPort = (int) event.getLong(keys.udpDport());
        } else {
            sourcePort = 0;
            destinationPort = 0;
        }
    }

    /** Eight bytes of the IPv6 address last copied (network order), from byte {@code first}. */
    private long half(int first) {
        long half = 0;
        for (int i = first; i < first + 8; i++) {
            half = half << 8 | (address[i] & 0xFFL);
        }
        return half;
    }

    boolean ip() {
        return type == IPV4 || type == IPV6;
    }

    /**
     * True when the event just read cannot be the packet this header (the chain's) belongs to: another IP
     * header, or none where the chain had one. A frame first seen without an IP header may show one later (a
     * VLAN tag the tracer could not look through, then stripped).
     */
    boolean contradictedBy(IpHeader seen) {
        if (!ip() || seen.type == NONE) {
            return false;
        }
        if (type != seen.type) {
            return true;
        }
        return !(source == seen.source && sourceHigh == seen.sourceHigh
                && destination == seen.destination && destinationHigh == seen.destinationHigh && id == seen.id
                && protocol == seen.protocol && sourcePort == seen.sourcePort
                && destinationPort == seen.destinationPort && sequence == seen.sequence);
    }

    void copyFrom(IpHeader other) {
        type = other.type;
        source = other.source;
        sourceHigh = other.sourceHigh;
        destination = other.destination;
        destinationHigh = other.destinationHigh;
        id = other.id;
        protocol = other.protocol;
        sourcePort = other.sourcePort;
        destinationPort = other.destinationPort;
        sequence = other.sequence;
    }
}
