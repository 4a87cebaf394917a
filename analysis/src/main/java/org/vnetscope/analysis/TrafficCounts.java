package org.vnetscope.analysis;

import java.io.Serializable;

/**
 * Packets and bytes of one direction of an interface.
 *
 * @param packets  skbs, as the interface counters count them (a GSO skb is one)
 * @param bytes    bytes as {@code ip -s link} reports them (frames without FCS; see {@link DeviceKind})
 * @param skbBytes the sum of the {@code len} fields as traced (receive lengths exclude the Ethernet header)
 */
public record TrafficCounts(long packets, long bytes, long skbBytes) implements Serializable {
}
