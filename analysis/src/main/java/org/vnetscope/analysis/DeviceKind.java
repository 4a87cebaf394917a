package org.vnetscope.analysis;

/**
 * How a device receives packets, inferred from the events around its receives. It decides how the receive-side
 * {@code len} (measured after the Ethernet header was pulled) relates to the device's own byte counters, which
 * count what {@code ip -s link} shows.
 */
public enum DeviceKind {
    /** The peer end of a veth pair: the sender counted the whole frame, before the Ethernet header was pulled. */
    VETH(true),
    /** A fresh skb entering the stack through {@code netif_receive_skb} (a NIC driver, a tap written by user space): counted as a whole frame. */
    DRIVER(true),
    /** An upper device (bridge, VLAN) receiving the skb a lower device received: counted after the pull. */
    UPPER(false),
    /** Loopback: one device queues and receives the same skb and counts both directions after the pull. */
    LOOPBACK(false),
    /** A fresh skb handed to {@code netif_rx} by software (e.g. an Open vSwitch internal port): counted after the pull. */
    SOFTWARE(false),
    /** Transmit only: no receive seen. */
    UNKNOWN(false);

    private final boolean countsEthernetHeader;

    DeviceKind(boolean countsEthernetHeader) {
        this.countsEthernetHeader = countsEthernetHeader;
    }

    /** True when the device's rx byte counter includes the 14-byte Ethernet header the receive events leave out. */
    public boolean countsEthernetHeaderOnRx() {
        return countsEthernetHeader;
    }
}
