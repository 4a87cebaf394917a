package org.vnetscope.analysis;

/**
 * The header fields that stay the same while one packet crosses devices: what tells two packets on the same
 * (reused) skb address apart. IPv4 and IPv6 alike; a frame with no IP header (ARP, a VLAN tag the tracer could
 * not look through) is told from one with. Copied into a reusable instance, without allocating.
 */
final class IpHeader {

    /** The event had no network header field at all (xmit, frees): it tells nothing. */
    static final int NONE = -1;
    /** Values of the trace's {@code network_header_type}. */
    static final int NOT_IP = 0;
    static final int IPV4 = NetFields.HEADER_IPV4;
    static final int IPV6 = NetFields.HEADER_IPV6;

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
    /**
     * What matching the packet on another host needs beyond telling it apart here, filled once per chain
     * ({@link #details}) from the event that first showed the header: the IP total length (IPv6: header and
     * payload), the IP header's length, and of TCP the acknowledgment number and the header's length.
     */
    int length;
    int headerLength;
    long ack;
    int tcpHeaderLength;
    /** Which transport header the event recorded: {@link #NO_TRANSPORT}, {@link #TCP} or {@link #UDP}. */
    int transport;

    static final int NO_TRANSPORT = 0;
    static final int TCP = 1;
    static final int UDP = 2;

    /** Takes the header of the event being handled, as {@link PacketHeader} read it; {@link #type} tells what it had. */
    void read(PacketHeader event) {
        switch (event.kind) {
            case PacketHeader.IPV4 -> {
                type = IPV4;
                source = event.sourceLow & 0xFFFF_FFFFL;
                sourceHigh = 0;
                destination = event.destinationLow & 0xFFFF_FFFFL;
                destinationHigh = 0;
                id = (int) event.ipId;
                readTransport(event);
            }
            case PacketHeader.IPV6 -> {
                type = IPV6;
                source = event.sourceLow;
                sourceHigh = event.sourceHigh;
                destination = event.destinationLow;
                destinationHigh = event.destinationHigh;
                id = event.tcp ? event.tcpAck : event.ipLength - NetFields.IPV6_HEADER;
                readTransport(event);
            }
            case PacketHeader.NONE -> type = NONE;
            default -> type = NOT_IP;
        }
    }

    /** Takes the details of the same event's header, which {@link PacketHeader#readDetails} read. */
    void details(PacketHeader event) {
        length = (int) event.ipLength;
        headerLength = (int) event.ipHeaderLength;
        transport = event.tcp ? TCP : event.udp ? UDP : NO_TRANSPORT;
        ack = event.tcp ? event.tcpAck : 0;
        tcpHeaderLength = event.tcp ? event.tcpHeaderLength : 0;
    }

    private void readTransport(PacketHeader event) {
        protocol = event.protocol;
        sourcePort = event.sourcePort;
        destinationPort = event.destinationPort;
        sequence = event.tcp ? event.tcpSequence : 0;
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

    /** A hash of these fields and a frame length: where a copy of the same frame is looked up. */
    long fingerprint(int frameBytes) {
        long hash = type * 31L + frameBytes;
        if (ip()) {
            hash = hash * 0x9E3779B97F4A7C15L + source;
            hash = hash * 0x9E3779B97F4A7C15L + sourceHigh;
            hash = hash * 0x9E3779B97F4A7C15L + destination;
            hash = hash * 0x9E3779B97F4A7C15L + destinationHigh;
            hash = hash * 0x9E3779B97F4A7C15L + id;
            hash = hash * 0x9E3779B97F4A7C15L + protocol;
            hash = hash * 0x9E3779B97F4A7C15L + ((long) sourcePort << 16 | destinationPort);
            hash = hash * 0x9E3779B97F4A7C15L + sequence;
        }
        return hash;
    }

    /** True when both hold the same fields: the same frame, or a byte copy of it. */
    boolean sameAs(IpHeader other) {
        if (type != other.type) {
            return false;
        }
        return !ip() || source == other.source && sourceHigh == other.sourceHigh
                && destination == other.destination && destinationHigh == other.destinationHigh
                && id == other.id && protocol == other.protocol && sourcePort == other.sourcePort
                && destinationPort == other.destinationPort && sequence == other.sequence;
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
        length = other.length;
        headerLength = other.headerLength;
        ack = other.ack;
        tcpHeaderLength = other.tcpHeaderLength;
        transport = other.transport;
    }
}
