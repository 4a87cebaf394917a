package org.vnetscope.analysis;

/**
 * The IPv4 header fields that stay the same while one packet crosses devices: what tells two packets on the same
 * (reused) skb address apart. A chain keeps the first one its events showed, copied without allocating.
 */
final class Ipv4Header {

    boolean valid;
    int source;
    int destination;
    int id;
    int protocol;
    int sourcePort;
    int destinationPort;
    long sequence;

    /**
     * True when the event just read cannot be the packet this header (the chain's) belongs to: its header
     * differs, or it lost the IPv4 header the chain had.
     */
    boolean contradictedBy(PacketHeader seen) {
        if (!valid || seen.kind == PacketHeader.NONE) {
            return false;
        }
        if (seen.kind != PacketHeader.IPV4) {
            return true;
        }
        return !(source == (int) seen.sourceLow && destination == (int) seen.destinationLow && id == (int) seen.ipId
                && protocol == seen.protocol && sourcePort == seen.sourcePort
                && destinationPort == seen.destinationPort && sequence == sequenceOf(seen));
    }

    /** Takes the IPv4 header of the event just read. */
    void copyFrom(PacketHeader seen) {
        valid = true;
        source = (int) seen.sourceLow;
        destination = (int) seen.destinationLow;
        id = (int) seen.ipId;
        protocol = seen.protocol;
        sourcePort = seen.sourcePort;
        destinationPort = seen.destinationPort;
        sequence = sequenceOf(seen);
    }

    private static long sequenceOf(PacketHeader seen) {
        return seen.tcp ? seen.tcpSequence : 0;
    }
}
