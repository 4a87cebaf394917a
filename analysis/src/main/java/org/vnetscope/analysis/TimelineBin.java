package org.vnetscope.analysis;

/** One time bin of an interface's traffic; bytes counted as {@link TrafficCounts#bytes()}. */
public record TimelineBin(long startNs, long rxPackets, long rxBytes, long txPackets, long txBytes,
                          long dropPackets) {
}
