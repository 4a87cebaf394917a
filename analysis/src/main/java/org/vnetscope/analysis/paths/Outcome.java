package org.vnetscope.analysis.paths;

/** How a packet's journey ended. */
public enum Outcome {
    /** {@code skb_consume}: freed normally. */
    DELIVERED,
    /** {@code skb_kfree}: freed as a drop. */
    DROPPED,
    /**
     * {@code skb_consume} of a packet queued on a device and not yet sent: software GSO cut it into segments
     * there, new skbs that go on as packets of their own from that device's transmit.
     */
    SEGMENTED,
    /** No free was seen: the address was reused by another packet, or the trace ended. */
    UNTERMINATED
}
