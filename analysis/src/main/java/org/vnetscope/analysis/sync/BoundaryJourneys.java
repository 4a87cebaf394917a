package org.vnetscope.analysis.sync;

import java.util.List;
import org.vnetscope.analysis.paths.Outcome;

/**
 * The journeys behind one host's {@link BoundaryPackets}: for each, the path it took through the host (the device
 * sequence of that host's {@code paths[]}), when it reached each device and when it ended, how it ended, and, for
 * a packet a tunnel wrapped or unwrapped on its way (the tracker follows its inner and outer headers as two
 * journeys of one skb), the journey before and after that change. What joining a packet sent by one host to its
 * receive on another needs, so that cross-host paths can be aggregated as a host's own paths are. Columns, one
 * row per journey; immutable.
 */
public final class BoundaryJourneys implements java.io.Serializable {

    /** No journeys: a table of packets without them (a test's, or one from before journeys were kept). */
    public static final BoundaryJourneys NONE = new BoundaryJourneys(List.of(), new int[0], new long[0],
            new int[0], new int[0], new long[0], new short[0], new int[0], new int[0], new byte[0], new short[0], List.of(),
            new byte[0], new int[0], new int[0], 0);

    private final List<List<String>> pathHops;
    private final int[] paths;
    private final long[] firstNs;
    /** Where a journey's later steps and its end start in {@link #deltas}. */
    private final int[] deltaAt;
    /** ns after the journey's first step: of each later step, then of its end. */
    private final int[] deltas;
    private final long[] leftNs;
    private final short[] exitSteps;
    private final int[] bytes;
    private final int[] payloads;
    private final byte[] outcomes;
    private final short[] reasons;
    private final List<String> reasonNames;
    private final byte[] protocols;
    private final int[] before;
    private final int[] after;
    private final int size;

    BoundaryJourneys(List<List<String>> pathHops, int[] paths, long[] firstNs, int[] deltaAt, int[] deltas,
                     long[] leftNs, short[] exitSteps, int[] bytes, int[] payloads, byte[] outcomes, short[] reasons, List<String> reasonNames,
                     byte[] protocols, int[] before, int[] after, int size) {
        this.pathHops = List.copyOf(pathHops);
        this.paths = paths;
        this.firstNs = firstNs;
        this.deltaAt = deltaAt;
        this.deltas = deltas;
        this.leftNs = leftNs;
        this.exitSteps = exitSteps;
        this.bytes = bytes;
        this.payloads = payloads;
        this.outcomes = outcomes;
        this.reasons = reasons;
        this.reasonNames = List.copyOf(reasonNames);
        this.protocols = protocols;
        this.before = before;
        this.after = after;
        this.size = size;
    }

    /** How many journeys. */
    public int size() {
        return size;
    }

    /** How many distinct paths the journeys took. */
    public int pathCount() {
        return pathHops.size();
    }

    /** A path's device labels, as the host's {@code paths[]} names them. */
    public List<String> pathHops(int path) {
        return pathHops.get(path);
    }

    /** The path a journey took. */
    public int path(int journey) {
        return paths[journey];
    }

    /** How many devices its path has. */
    public int steps(int journey) {
        return pathHops.get(paths[journey]).size();
    }

    /** When the journey reached a device of its path: its first event there, on the host's clock. */
    public long stepNs(int journey, int step) {
        return step == 0 ? firstNs[journey] : firstNs[journey] + deltas[deltaAt[journey] + step - 1];
    }

    /** When the journey ended (its free, else its last event). */
    public long endNs(int journey) {
        return firstNs[journey] + deltas[deltaAt[journey] + steps(journey) - 1];
    }

    /** Its last queue when it left the host (what another host's receive came after), else 0. */
    public long leftNs(int journey) {
        return leftNs[journey];
    }

    /**
     * The step of the device it left the host through (its last queue), or -1 when it did not leave. Steps after it
     * are transmits returning after the packet was gone (a tunnel device's, whose NIC sent the packet it wrapped).
     */
    public int exitStep(int journey) {
        return exitSteps[journey];
    }

    /** Its frame length in bytes. */
    public int bytes(int journey) {
        return bytes[journey];
    }

    /**
     * The transport payload of the header it showed first (of a GRO-merged packet, all of it; TCP, UDP, ICMP),
     * else its IP payload.
     */
    public int payload(int journey) {
        return payloads[journey];
    }

    public Outcome outcome(int journey) {
        return Outcome.values()[outcomes[journey]];
    }

    /** Why a dropped journey was dropped ("unknown" when the trace does not say), else null. */
    public String dropReason(int journey) {
        return reasons[journey] < 0 ? null : reasonNames.get(reasons[journey]);
    }

    /** The IP protocol of the header it showed first (1 ICMP, 6 TCP, 17 UDP, ...). */
    public int protocol(int journey) {
        return protocols[journey] & 0xFF;
    }

    /** The journey of the same packet before its headers changed (its other header, a tunnel's), or -1. */
    public int before(int journey) {
        return before[journey];
    }

    /** The journey of the same packet after its headers changed, or -1. */
    public int after(int journey) {
        return after[journey];
    }
}
