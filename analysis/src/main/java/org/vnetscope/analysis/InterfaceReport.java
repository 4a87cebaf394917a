package org.vnetscope.analysis;

import java.io.Serializable;
import java.util.List;

/**
 * The traffic of one interface.
 *
 * @param name     interface name
 * @param peer     the veth peer that identified it among equal names, or null
 * @param netns    network namespace inode when the trace shows it clearly, or null
 * @param kind     how it receives (decides how receive lengths map to counter bytes)
 * @param ambiguous true when several interfaces share this name and this row gathers packets that crossed no
 *                 hand-over telling them apart
 * @param rx       received
 * @param tx       transmitted
 * @param drops    skbs dropped while last seen on this interface
 * @param timeline per-bin traffic
 */
public record InterfaceReport(String name, String peer, Long netns, DeviceKind kind, boolean ambiguous,
                              TrafficCounts rx, TrafficCounts tx, DropCount drops, List<TimelineBin> timeline)
        implements Serializable {

    /** Dropped packets, and their share of what the interface received and sent. */
    public record DropCount(long packets, double rate) implements Serializable {
    }

    public InterfaceReport {
        timeline = List.copyOf(timeline);
    }

    /** The name with its peer, as tables show it. */
    public String label() {
        return peer == null ? name : name + "<->" + peer;
    }
}
