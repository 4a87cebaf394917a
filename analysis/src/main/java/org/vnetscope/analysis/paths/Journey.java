package org.vnetscope.analysis.paths;

import java.util.List;
import org.vnetscope.analysis.InterfaceId;

/**
 * One packet's journey across devices, from its first net event to its free. A view handed to listeners when the
 * journey ends; it is reused afterwards, so a listener copies what it keeps.
 */
public interface Journey {

    int hopCount();

    /**
     * The hops grouped device by device ({@link DeviceStep#of}), read-only; a journey may keep them for every
     * listener that asks, so several listeners do not each group the hops again.
     */
    default List<DeviceStep> steps() {
        return DeviceStep.of(this);
    }

    /**
     * The device of a hop as the packet tracker attributed it: its name, and its veth peer once a hand-over in
     * this journey revealed it (resolve it through {@link org.vnetscope.analysis.InterfaceIdentities#resolve}
     * for reporting). Ids are interned, so equal devices are the same instance.
     */
    InterfaceId device(int hop);

    HopKind kind(int hop);

    long timeNs(int hop);

    /** The net_ns context of the task that ran a hop's event (not necessarily the device's namespace). */
    long contextNetns(int hop);

    /** The net_ns context of the task that copied the packet to user space, or 0 when none did. */
    long receiverNetns();

    /** The hop after which the packet was copied to user space, or -1. */
    int receiverHop();

    long endTimeNs();

    Outcome outcome();

    /** The drop reason of a dropped packet (the enum label, or "reason N" when the trace left it unnamed), else null. */
    String dropReason();

    /**
     * The tracer lost events while this packet was followed: its journey may be cut short or run on into another
     * packet, so it is no evidence of how devices connect.
     */
    boolean overlapsLostEvents();

    /**
     * Nonzero when this journey began where the tracker cut its packet's chain because the headers changed at the
     * same skb (a tunnel device wrapping the packet in an outer header, or handing up the inner one; or an address
     * reused after a free no event showed): the number the journey that ended there has as its
     * {@link #headerChangeAfter}. Unique within one tracker's pass.
     */
    default long headerChangeBefore() {
        return 0;
    }

    /** Nonzero when this journey ended because its skb's headers changed: see {@link #headerChangeBefore}. */
    default long headerChangeAfter() {
        return 0;
    }

    /** Frame length in bytes (Ethernet header included). */
    int bytes();

    /** Whether an IPv4 header was seen; then the addresses below are valid. */
    boolean hasIpv4();

    /**
     * The hop whose event first showed the IP header, or -1: a frame with no IP header of its own (ARP) that a
     * tunnel wraps shows the tunnel's outer header only from the underlay device on.
     */
    int ipHeaderHop();

    /** IPv4 source address as an unsigned 32-bit value. */
    int ipv4Source();

    int ipv4Destination();

    int ipProtocol();

    int sourcePort();

    int destinationPort();

    /** Whether an IPv6 header was seen; then the addresses are {@link #sourceAddressHigh} and the others. */
    boolean hasIpv6();

    /**
     * The source address as a 128-bit value, its first eight bytes: an IPv4 address maps into IPv6
     * ({@code ::ffff:a.b.c.d}), so that both kinds compare the same way.
     */
    long sourceAddressHigh();

    /** The source address's last eight bytes (see {@link #sourceAddressHigh}). */
    long sourceAddressLow();

    long destinationAddressHigh();

    long destinationAddressLow();

    /** The IPv4 identification (16 bits), or -1 for IPv6, which has none in its fixed header. */
    int ipId();

    /**
     * The IP total length as the event that first showed the header gave it (IPv6: its header and payload): of a
     * GSO super-packet or a GRO-merged one, the whole.
     */
    int ipLength();

    /** The IP header's length (IPv4 with its options; 40 for IPv6). */
    int ipHeaderLength();

    /** Whether that event recorded a TCP header: then the sequence numbers and TCP header length hold. */
    boolean hasTcp();

    /** Whether that event recorded a UDP header: then the ports hold. */
    boolean hasUdp();

    /** The TCP sequence number (unsigned 32 bits). */
    long tcpSequence();

    /** The TCP acknowledgment number (unsigned 32 bits). */
    long tcpAck();

    /** The TCP header's length with its options. */
    int tcpHeaderLength();
}
