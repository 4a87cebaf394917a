package org.vnetscope.analysis.paths;

/** What a packet did at a device. */
public enum HopKind {
    /** {@code net_dev_queue}: handed to a device for transmit (before its qdisc). */
    QUEUE,
    /** {@code net_dev_xmit}: handed to the driver. */
    XMIT,
    /** {@code net_if_rx}: queued to a device's receive backlog (veth peers, non-NAPI drivers). */
    RX,
    /** {@code net_if_receive_skb}: received by the stack on a device. */
    RECEIVE;

    public boolean transmit() {
        return this == QUEUE || this == XMIT;
    }
}
