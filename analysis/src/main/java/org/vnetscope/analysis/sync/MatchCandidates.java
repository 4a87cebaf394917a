package org.vnetscope.analysis.sync;

import java.util.Arrays;
import java.util.List;

/**
 * Which ordered pairs of hosts can match packets at all: those where some key the sender's outgoing packets are
 * matched by ({@link PacketMatcher#matchKey}) is also a key of the receiver's incoming ones. Every other pair
 * matches nothing, and {@link PacketMatcher#unmatched} gives its result without building the sender's tables
 * again for that receiver: among hundreds of hosts most pairs exchanged nothing, and matching each pair in full
 * grew with the square of the hosts times their packets.
 *
 * <p>All the hosts' keys are sorted together, each with its host's index in its low 16 bits instead of the key's
 * own: two keys that are equal agree in the other 48, so no pair that could match is missed; the rare pair that
 * only agrees in those 48 bits is matched in full and finds what it finds. Beyond 65,536 hosts every pair is a
 * candidate.
 */
final class MatchCandidates {

    private static final int HOST_BITS = 16;
    private static final long HOST_MASK = (1L << HOST_BITS) - 1;

    private final int hosts;
    /** A bit per ordered pair, sender-major; null when every pair is a candidate. */
    private final long[] bits;

    private MatchCandidates(int hosts, long[] bits) {
        this.hosts = hosts;
        this.bits = bits;
    }

    static MatchCandidates of(List<BoundaryPackets> packets) {
        int hosts = packets.size();
        if (hosts > HOST_MASK + 1) {
            return new MatchCandidates(hosts, null);
        }
        long[] sent = tagged(packets, true);
        long[] received = tagged(packets, false);
        long[] bits = new long[(int) (((long) hosts * hosts + 63) >>> 6)];
        int i = 0;
        int j = 0;
        while (i < sent.length && j < received.length) {
            long key = sent[i] & ~HOST_MASK;
            long other = received[j] & ~HOST_MASK;
            if (key < other) {
                i++;
            } else if (key > other) {
                j++;
            } else {
                int sentEnd = groupEnd(sent, i);
                int receivedEnd = groupEnd(received, j);
                for (int s = i; s < sentEnd; s++) {
                    long row = (sent[s] & HOST_MASK) * hosts;
                    for (int r = j; r < receivedEnd; r++) {
                        long pair = row + (received[r] & HOST_MASK);
                        bits[(int) (pair >>> 6)] |= 1L << pair;
                    }
                }
                i = sentEnd;
                j = receivedEnd;
            }
        }
        return new MatchCandidates(hosts, bits);
    }

    /** Whether packets {@code sender} sent may have been received by {@code receiver}. */
    boolean possible(int sender, int receiver) {
        if (bits == null) {
            return true;
        }
        long pair = (long) sender * hosts + receiver;
        return (bits[(int) (pair >>> 6)] & 1L << pair) != 0;
    }

    /** Every host's outgoing (or incoming) packets' keys, each host's once, tagged with the host, sorted. */
    private static long[] tagged(List<BoundaryPackets> packets, boolean outgoing) {
        int total = 0;
        for (BoundaryPackets host : packets) {
            for (int i = 0; i < host.size(); i++) {
                total += host.isOutgoing(i) == outgoing ? 1 : 0;
            }
        }
        long[] keys = new long[total];
        int size = 0;
        for (int h = 0; h < packets.size(); h++) {
            BoundaryPackets host = packets.get(h);
            for (int i = 0; i < host.size(); i++) {
                if (host.isOutgoing(i) == outgoing) {
                    keys[size++] = PacketMatcher.matchKey(host, i) & ~HOST_MASK | h;
                }
            }
        }
        Arrays.sort(keys);
        // a key repeated within one host (a flow's many packets with one acknowledgment) counts once
        int distinct = 0;
        for (int i = 0; i < size; i++) {
            if (distinct == 0 || keys[i] != keys[distinct - 1]) {
                keys[distinct++] = keys[i];
            }
        }
        return Arrays.copyOf(keys, distinct);
    }

    /** The end of the run of keys that agree with {@code keys[from]} but for their hosts. */
    private static int groupEnd(long[] keys, int from) {
        long key = keys[from] & ~HOST_MASK;
        int end = from + 1;
        while (end < keys.length && (keys[end] & ~HOST_MASK) == key) {
            end++;
        }
        return end;
    }
}
