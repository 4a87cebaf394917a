package org.vnetscope.analysis;

import java.io.Serializable;

/** One time bin of an interface's traffic; bytes counted as {@link TrafficCounts#bytes()}. */
public record TimelineBin(long startNs, long rxPackets, long rxBytes, long txPackets, long txBytes,
                          long dropPackets) implements Serializable {
}
