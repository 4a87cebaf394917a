package org.vnetscope.analysis;

import org.vnetscope.ctf.Event;

/**
 * The IPv4 header fields that stay the same while one packet crosses devices: what tells two packets on the same
 * (reused) skb address apart. Read into a reusable instance, without allocating.
 */
final class Ipv4Header {

    private final byte[] address = new byte[4];
    boolean valid;
    /** The event had a network header field, but not an IPv4 one. */
    boolean otherHeader;
    int source;
    int destination;
    int id;
    int protocol;
    int sourcePort;
    int destinationPort;
    long sequence;

    /** Reads the event's header; {@link #valid} tells whether it had an IPv4 one. */
    void read(Event event) {
        valid = false;
        otherHeader = false;
        if (!event.has(NetFields.NETWORK_HEADER_TYPE)) {
            return;
        }
        if (event.getLong(NetFields.NETWORK_HEADER_TYPE) != NetFields.HEADER_IPV4
                || !event.has(NetFields.IP4_SADDR)) {
            otherHeader = true;
            return;
        }
        valid = true;
        source = (int) NetFields.ipv4Address(event, NetFields.IP4_SADDR, address);
        destination = (int) NetFields.ipv4Address(event, NetFields.IP4_DADDR, address);
        id = (int) event.getLong(NetFields.IP4_ID);
        protocol = (int) event.getLong(NetFields.IP4_PROTOCOL);
        sequence = 0;
        if (event.has(NetFields.IP4_TRANSPORT.tcpSport())) {
            sourcePort = (int) event.getLong(NetFields.IP4_TRANSPORT.tcpSport());
            destinationPort = (int) event.getLong(NetFields.IP4_TRANSPORT.tcpDport());
            sequence = event.getLong(NetFields.IP4_TRANSPORT.tcpSeq());
        } else if (event.has(NetFields.IP4_TRANSPORT.udpSport())) {
            sourcePort = (int) event.getLong(NetFields.IP4_TRANSPORT.udpSport());
            destinationPort = (int) event.getLong(NetFields.IP4_TRANSPORT.udpDport());
        } else {
            sourcePort = 0;
            destinationPort = 0;
        }
    }

    /**
     * True when the event just read cannot be the packet this header (the chain's) belongs to: its header
     * differs, or it lost the IPv4 header the chain had.
     */
    boolean contradictedBy(Ipv4Header seen) {
        if (!valid) {
            return false;
        }
        if (seen.otherHeader) {
            return true;
        }
        return seen.valid && !(source == seen.source && destination == seen.destination && id == seen.id
                && protocol == seen.protocol && sourcePort == seen.sourcePort
                && destinationPort == seen.destinationPort && sequence == seen.sequence);
    }

    void copyFrom(Ipv4Header other) {
        valid = other.valid;
        source = other.source;
        destination = other.destination;
        id = other.id;
        protocol = other.protocol;
        sourcePort = other.sourcePort;
        destinationPort = other.destinationPort;
        sequence = other.sequence;
    }
}
