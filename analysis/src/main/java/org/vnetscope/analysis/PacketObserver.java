package org.vnetscope.analysis;

import org.vnetscope.analysis.paths.Journey;

/**
 * What {@link PacketTracker} tells the analyses, once per packet and direction on each interface. Ids are raw:
 * resolve them through {@link InterfaceIdentities#resolve} when reporting.
 */
interface PacketObserver {

    /** A packet received: {@code len} as traced, without the Ethernet header. */
    default void received(long timeNs, InterfaceId iface, long len) {
    }

    /**
     * A packet its driver received and GRO merged into another before the stack saw it: a receive as the driver
     * counts it ({@code len} its own headers, without the Ethernet header), but no skb of its own.
     */
    default void receivedMerged(long timeNs, InterfaceId iface, long len) {
        received(timeNs, iface, len);
    }

    /** A packet handed to the driver successfully: {@code len} as traced, with the Ethernet header. */
    default void transmitted(long timeNs, InterfaceId iface, long len) {
    }

    /**
     * Beside {@link #transmitted}, for a TCP super-packet (GSO/TSO) handed whole to a driver: the segments the
     * device will put on the wire beyond the first, and their header bytes, which a driver that counts what it
     * sends (not the skbs it was given) adds to its counters.
     */
    default void transmittedSegments(long timeNs, InterfaceId iface, long extraSegments, long extraBytes) {
    }

    /** A packet queued for transmit (before the qdisc and any software segmentation). */
    default void queued(long timeNs, InterfaceId iface, long len) {
    }

    /** A packet entering GRO on a device. */
    default void groEntered(long timeNs, String deviceName) {
    }

    /**
     * An skb freed as a drop.
     *
     * @param iface       where it was last seen, or null when the trace never showed it on an interface
     * @param reason      the reason's label from the trace's enum, its number when unmapped, or null without field
     * @param location    the kernel address that freed it
     * @param ethertype   the skb's protocol field
     */
    default void dropped(long timeNs, InterfaceId iface, String reason, long location, int ethertype) {
    }

    /**
     * A chain ended (freed, split, cut, gone stale, or the trace ended): its journey across devices. The view is
     * reused afterwards; copy what you keep.
     */
    default void journeyEnded(Journey journey) {
    }
}
