package org.vnetscope.analysis.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A host's boundary packets written one by one, for cases no recording has (GSO ranges, retransmissions). */
final class SyntheticPackets {

    private final List<long[]> rows = new ArrayList<>();
    private final UUID clock;
    private final long clockOriginNs;

    /** Packets timed by a 1 GHz clock of this uuid, whose value 0 was at {@code clockOriginNs}. */
    SyntheticPackets(UUID clock, long clockOriginNs) {
        this.clock = clock;
        this.clockOriginNs = clockOriginNs;
    }

    SyntheticPackets(UUID clock) {
        this(clock, 0);
    }

    SyntheticPackets() {
        this(UUID.randomUUID());
    }

    /** A TCP segment (or super-packet) that left ({@code outgoing}) or entered the host. */
    SyntheticPackets tcp(boolean outgoing, long timeNs, long flow, long sequence, long ack, int ipId, int payload) {
        rows.add(new long[] {BoundaryPackets.TCP, outgoing ? 1 : 0, timeNs, flow, sequence << 32 | ack, ipId, payload});
        return this;
    }

    /** A packet matched by its IP header alone (UDP, ICMP): flow, IP id and total length. */
    SyntheticPackets ip(boolean outgoing, long timeNs, long flow, int ipId, int length) {
        rows.add(new long[] {BoundaryPackets.OTHER_IP, outgoing ? 1 : 0, timeNs, flow, 0, ipId, length});
        return this;
    }

    BoundaryPackets build() {
        int n = rows.size();
        byte[] kinds = new byte[n];
        long[] times = new long[n];
        long[] flows = new long[n];
        long[] sequences = new long[n];
        int[] ids = new int[n];
        int[] lengths = new int[n];
        short[] devices = new short[n];
        for (int i = 0; i < n; i++) {
            long[] row = rows.get(i);
            kinds[i] = (byte) (row[0] | (row[1] == 1 ? BoundaryPackets.OUTGOING : 0));
            times[i] = row[2];
            flows[i] = row[3];
            sequences[i] = row[4];
            ids[i] = (int) row[5];
            lengths[i] = (int) row[6];
        }
        return new BoundaryPackets("monotonic", clock, 1_000_000_000L, clockOriginNs, List.of("eth0"), n, kinds, times,
                flows, sequences, ids, lengths, devices);
    }
}
