package org.vnetscope.analysis.paths;

/** How a packet's journey ended. */
public enum Outcome {
    /** {@code skb_consume}: freed normally. */
    DELIVERED,
    /** {@code skb_kfree}: freed as a drop. */
    DROPPED,
    /** No free was seen: the address was reused by another packet, or the trace ended. */
    UNTERMINATED
}
