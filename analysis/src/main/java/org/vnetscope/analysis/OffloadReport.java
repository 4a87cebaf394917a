package org.vnetscope.analysis;

import java.io.Serializable;

/**
 * Offload use of one interface.
 *
 * @param iface        interface label
 * @param mtu          the MTU used to tell super-packets from frames
 * @param queued       skbs queued for transmit and their bytes (with the Ethernet header)
 * @param gso          of those, the GSO/TSO super-packets: larger than MTU plus Ethernet header
 * @param gsoByteShare share of the queued bytes that went as super-packets
 * @param groEntered   packets that entered GRO on this device (0 when the trace has no GRO entry events)
 * @param received     skbs the device delivered to the stack
 * @param netns        the interface's namespace inode as the interface table shows it, or null
 */
public record OffloadReport(String iface, int mtu, TrafficCounts queued, TrafficCounts gso, double gsoByteShare,
                            long groEntered, long received, Long netns) implements Serializable {
}
