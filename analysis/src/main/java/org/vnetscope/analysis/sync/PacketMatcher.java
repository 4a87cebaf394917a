package org.vnetscope.analysis.sync;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds the packets one host sent that another received: the sender's outgoing {@link BoundaryPackets} against
 * the receiver's incoming ones, key by key. What a match gives is a pair of times on two clocks with a known order:
 * the packet was sent before it was received.
 *
 * <p>Every match must be true: one wrong pair can make the two clocks' relation impossible. So
 * <ul>
 * <li>a key seen twice on one side is one packet when its copies lie within {@link #SAME_PACKET_NS} (a flooded
 * frame leaving through two devices, a journey the tracker cut in two), its earliest time kept: the earliest send
 * of a packet is at or before any copy's, and its earliest receive after it; farther apart it is two packets with
 * one key (an IP id that wrapped) and the key is dropped on both sides;</li>
 * <li>TCP is matched by sequence range: a receive whose first byte lies in a send's range, on the same flow and
 * acknowledgment number, was sent by it or later, so that one GSO send matches each segment received from it,
 * and a GRO-merged receive matches the send of its first segment. With IPv4 the IP id must agree: GSO numbers
 * a send's segments one by one, so a receive {@code k} ids after the send starts {@code k} equal segments
 * after it. Where several sends qualify (a retransmission of the same bytes), the earliest one is kept: the
 * receive came after it whichever it was.</li>
 * </ul>
 */
final class PacketMatcher {

    /** Copies of one key this close are one packet seen twice on its way. */
    static final long SAME_PACKET_NS = 1_000_000L;
    /**
     * The smallest segment payload an IP id step may stand for: Linux sends no less than 48 bytes of MSS
     * ({@code net.ipv4.tcp_min_snd_mss}), options included, so 32 leaves room for those.
     */
    static final int MIN_SEGMENT = 32;
    private static final long MAX_IP_PAYLOAD = 65_536;

    /**
     * One direction's matches: packet {@code i} was sent at {@code sentNs[i]} on the sender's clock and received at
     * {@code receivedNs[i]} on the receiver's.
     *
     * @param kinds        each match's key kind ({@link BoundaryPackets#TCP} and the others)
     * @param droppedKeys  keys dropped because they stood for several packets
     * @param sentIndexes  each match's packet in the sender's table (the earliest copy of its key)
     * @param receivedIndexes its packet in the receiver's table
     */
    record Matches(long[] sentNs, long[] receivedNs, byte[] kinds, int droppedKeys, int[] sentIndexes,
                   int[] receivedIndexes) {

        static final Matches NONE = new Matches(new long[0], new long[0], new byte[0], 0, new int[0], new int[0]);

        int size() {
            return sentNs.length;
        }
    }

    private PacketMatcher() {
    }

    /** The packets {@code sender} sent that {@code receiver} received. */
    static Matches match(BoundaryPackets sender, BoundaryPackets receiver) {
        Builder found = new Builder();
        int[] dropped = new int[1];
        matchExact(sender, receiver, found, dropped);
        matchTcp(sender, receiver, found, dropped);
        return new Matches(Arrays.copyOf(found.sent, found.size), Arrays.copyOf(found.received, found.size),
                Arrays.copyOf(found.kinds, found.size), dropped[0], Arrays.copyOf(found.sentIndexes, found.size),
                Arrays.copyOf(found.receivedIndexes, found.size));
    }

    private static final class Builder {
        long[] sent = new long[64];
        long[] received = new long[64];
        byte[] kinds = new byte[64];
        int[] sentIndexes = new int[64];
        int[] receivedIndexes = new int[64];
        int size;

        void add(BoundaryPackets sender, int sentIndex, BoundaryPackets receiver, int receivedIndex, byte kind) {
            if (size == sent.length) {
                sent = Arrays.copyOf(sent, size * 2);
                received = Arrays.copyOf(received, size * 2);
                kinds = Arrays.copyOf(kinds, size * 2);
                sentIndexes = Arrays.copyOf(sentIndexes, size * 2);
                receivedIndexes = Arrays.copyOf(receivedIndexes, size * 2);
            }
            sent[size] = sender.times[sentIndex];
            received[size] = receiver.times[receivedIndex];
            kinds[size] = kind;
            sentIndexes[size] = sentIndex;
            receivedIndexes[size] = receivedIndex;
            size++;
        }
    }

    /** The earliest and latest time of a key on one side, and the first index that had it. */
    private static final class Seen {
        long earliest;
        long latest;
        int index;

        Seen(long time, int index) {
            this.earliest = time;
            this.latest = time;
            this.index = index;
        }

        void add(long time, int index) {
            if (time < earliest) {
                earliest = time;
                this.index = index;
            }
            latest = Math.max(latest, time);
        }

        boolean onePacket() {
            return latest - earliest <= SAME_PACKET_NS;
        }
    }

    private static long exactKey(BoundaryPackets packets, int i) {
        long key = BoundaryCollector.mix(packets.kind(i), packets.flows[i]);
        key = BoundaryCollector.mix(key, packets.sequences[i]);
        return BoundaryCollector.mix(key, (long) packets.ids[i] << 32 | (packets.lengths[i] & 0xFFFF_FFFFL));
    }

    private static void matchExact(BoundaryPackets sender, BoundaryPackets receiver, Builder found, int[] dropped) {
        Map<Long, Seen> sent = new HashMap<>();
        for (int i = 0; i < sender.size(); i++) {
            if (sender.isOutgoing(i) && sender.kind(i) != BoundaryPackets.TCP) {
                long time = sender.times[i];
                int index = i;
                sent.merge(exactKey(sender, i), new Seen(time, i), (a, b) -> {
                    a.add(time, index);
                    return a;
                });
            }
        }
        Map<Long, Seen> received = new HashMap<>();
        for (int i = 0; i < receiver.size(); i++) {
            if (!receiver.isOutgoing(i) && receiver.kind(i) != BoundaryPackets.TCP) {
                long key = exactKey(receiver, i);
                if (sent.containsKey(key)) {
                    long time = receiver.times[i];
                    int index = i;
                    received.merge(key, new Seen(time, i), (a, b) -> {
                        a.add(time, index);
                        return a;
                    });
                }
            }
        }
        for (Map.Entry<Long, Seen> entry : received.entrySet()) {
            Seen send = sent.get(entry.getKey());
            Seen receive = entry.getValue();
            if (!send.onePacket() || !receive.onePacket()) {
                dropped[0]++;
                continue;
            }
            found.add(sender, send.index, receiver, receive.index, receiver.kind(receive.index));
        }
    }

    /** A flow's sends with one acknowledgment number, in sequence order. */
    private static final class Group {
        int[] sends = new int[4];
        int size;
        long base = -1;

        void add(int index) {
            if (size == sends.length) {
                sends = Arrays.copyOf(sends, size * 2);
            }
            sends[size++] = index;
        }
    }

    private static long groupKey(BoundaryPackets packets, int i) {
        return BoundaryCollector.mix(BoundaryCollector.mix(BoundaryPackets.TCP, packets.flows[i]), packets.ack(i));
    }

    /** A sequence number as an offset from the group's first, so that a range across the 2^32 wrap still sorts. */
    private static long relative(long sequence, long base) {
        return (sequence - base + (1L << 31)) & 0xFFFF_FFFFL;
    }

    /**
     * What {@link #match} gives for a receiver that received none of the keys the sender sent (its TCP flows and
     * acknowledgments, the exact keys of its other packets): no match, and the sender's own repeated sends dropped.
     * {@link MatchCandidates} tells which pairs are so.
     */
    static Matches unmatched(BoundaryPackets sender) {
        int[] dropped = new int[1];
        tcpGroups(sender, dropped);
        return dropped[0] == 0 ? Matches.NONE
                : new Matches(new long[0], new long[0], new byte[0], dropped[0], new int[0], new int[0]);
    }

    /**
     * The key a packet is matched by, whichever side it is on: for TCP its flow and acknowledgment, for the others
     * its exact key ({@link MatchCandidates}).
     */
    static long matchKey(BoundaryPackets packets, int i) {
        return packets.kind(i) == BoundaryPackets.TCP ? groupKey(packets, i) : exactKey(packets, i);
    }

    private static void matchTcp(BoundaryPackets sender, BoundaryPackets receiver, Builder found, int[] dropped) {
        receiveTcp(sender, tcpGroups(sender, dropped), receiver, found, dropped);
    }

    /** The sender's TCP sends by flow and acknowledgment, each group in sequence order, repeated sends dropped. */
    private static Map<Long, Group> tcpGroups(BoundaryPackets sender, int[] dropped) {
        Map<Long, Group> groups = new HashMap<>();
        for (int i = 0; i < sender.size(); i++) {
            if (sender.isOutgoing(i) && sender.kind(i) == BoundaryPackets.TCP) {
                Group group = groups.computeIfAbsent(groupKey(sender, i), k -> new Group());
                if (group.base < 0) {
                    group.base = sender.sequence(i);
                }
                group.add(i);
            }
        }
        for (Group group : groups.values()) {
            long base = group.base;
            Integer[] order = new Integer[group.size];
            for (int i = 0; i < group.size; i++) {
                order[i] = group.sends[i];
            }
            Arrays.sort(order, (a, b) -> Long.compare(relative(sender.sequence(a), base),
                    relative(sender.sequence(b), base)));
            for (int i = 0; i < group.size; i++) {
                group.sends[i] = order[i];
            }
            dropRepeatedSends(sender, group, dropped);
        }
        return groups;
    }

    /**
     * The receiver's TCP packets against the sender's groups, each receive by its own key (flow, ack, first byte,
     * IP id): a repeat far apart is two packets.
     */
    private static void receiveTcp(BoundaryPackets sender, Map<Long, Group> groups, BoundaryPackets receiver,
                                   Builder found, int[] dropped) {
        Map<Long, Seen> receives = new HashMap<>();
        Map<Long, Integer> sendOfReceive = new HashMap<>();
        for (int i = 0; i < receiver.size(); i++) {
            if (receiver.isOutgoing(i) || receiver.kind(i) != BoundaryPackets.TCP) {
                continue;
            }
            long groupKey = groupKey(receiver, i);
            Group group = groups.get(groupKey);
            if (group == null) {
                continue;
            }
            int send = earliestSend(sender, group, receiver.sequence(i), receiver.ids[i]);
            if (send < 0) {
                continue;
            }
            long key = BoundaryCollector.mix(groupKey, receiver.sequence(i) << 32 | (receiver.ids[i] & 0xFFFF_FFFFL));
            long time = receiver.times[i];
            int index = i;
            receives.merge(key, new Seen(time, i), (a, b) -> {
                a.add(time, index);
                return a;
            });
            sendOfReceive.merge(key, send, (a, b) -> sender.times[b] < sender.times[a] ? b : a);
        }
        for (Map.Entry<Long, Seen> entry : receives.entrySet()) {
            if (!entry.getValue().onePacket()) {
                dropped[0]++;
                continue;
            }
            found.add(sender, sendOfReceive.get(entry.getKey()), receiver, entry.getValue().index, BoundaryPackets.TCP);
        }
    }

    /**
     * Sends with the same first byte and IP id are one packet seen twice when close (the earliest kept); far apart
     * with an IPv4 id they are two packets whose id wrapped, and both go. Without an id (IPv6) they are a
     * retransmission, and the earliest stays, which any receive of those bytes came after.
     */
    private static void dropRepeatedSends(BoundaryPackets sender, Group group, int[] dropped) {
        int kept = 0;
        int i = 0;
        while (i < group.size) {
            int first = group.sends[i];
            long earliest = sender.times[first];
            long latest = earliest;
            int earliestIndex = first;
            int j = i + 1;
            while (j < group.size && sender.sequence(group.sends[j]) == sender.sequence(first)
                    && sender.ids[group.sends[j]] == sender.ids[first]) {
                long time = sender.times[group.sends[j]];
                if (time < earliest) {
                    earliest = time;
                    earliestIndex = group.sends[j];
                }
                latest = Math.max(latest, time);
                j++;
            }
            boolean keep = latest - earliest <= SAME_PACKET_NS || sender.ids[first] < 0;
            if (keep) {
                group.sends[kept++] = earliestIndex;
            } else {
                dropped[0]++;
            }
            i = j;
        }
        group.size = kept;
    }

    /**
     * The earliest send of the group whose range holds {@code sequence} and whose IP id agrees with
     * {@code id} (its index in the sender's table), or -1.
     */
    private static int earliestSend(BoundaryPackets sender, Group group, long sequence, int id) {
        long target = relative(sequence, group.base);
        // the last send starting at or before the byte, then back while a send that long could still reach it
        int low = 0;
        int high = group.size - 1;
        int last = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (relative(sender.sequence(group.sends[middle]), group.base) <= target) {
                last = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        int earliest = -1;
        for (int k = last; k >= 0; k--) {
            int send = group.sends[k];
            long delta = target - relative(sender.sequence(send), group.base);
            if (delta >= MAX_IP_PAYLOAD) {
                break;
            }
            if (holds(sender, send, delta, id) && (earliest < 0 || sender.times[send] < sender.times[earliest])) {
                earliest = send;
            }
        }
        return earliest;
    }

    /** Whether a send's range holds the byte {@code delta} after its first, with its IP ids (IPv4) agreeing. */
    private static boolean holds(BoundaryPackets sender, int send, long delta, int receivedId) {
        int length = sender.lengths[send];
        if (delta != 0 && (length < 0 || delta >= length)) {
            return false;
        }
        int sentId = sender.ids[send];
        if (sentId < 0 || receivedId < 0) {
            return true;
        }
        int segmentsAfter = (receivedId - sentId) & 0xFFFF;
        if (segmentsAfter == 0) {
            return delta == 0;
        }
        return delta > 0 && delta % segmentsAfter == 0 && delta / segmentsAfter >= MIN_SEGMENT;
    }
}
