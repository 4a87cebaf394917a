package org.vnetscope.analysis;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Tells interfaces with equal names apart, and learns what kind of device each one is.
 *
 * <p>Names repeat across network namespaces (every VM has an {@code eth0}) and the {@code net_ns} context of an
 * event is the namespace of whatever task was running, often unrelated to the device: a softirq delivering to a
 * VM's {@code eth0} runs in the sending VM's task. What does identify a device is a <em>hand-over</em>: a veth
 * pair passes the very same skb from one end to the other, so {@code net_dev_queue} on {@code eth0} followed by
 * {@code net_if_rx} on {@code vnet1} for the same {@code skbaddr} says that this {@code eth0} is the one whose
 * peer is {@code vnet1}. Events are first attributed to an {@link InterfaceId} with the peer they revealed (or
 * none); {@link #resolve} then folds an id without peer into the only peer its name ever had. When a name has
 * several peers (three VMs' {@code eth0}), packets that crossed no hand-over stay on the peerless id, reported
 * apart; when both ends have repeated names (a relay process copying between namespaces), the pairs cannot be
 * told apart and share one id.
 *
 * <p>The namespace of an interface is a vote: the {@code net_ns} of tasks that created an skb sent on it, and of
 * tasks that copied to user space an skb it received. Only a clear majority names it; otherwise it is unknown.
 *
 * <p>Not thread-safe; {@link #merge} combines identities learned from separate parts of a trace.
 */
public final class InterfaceIdentities {

    /** Votes needed before a namespace is reported, and the share the winner must have. */
    private static final int MIN_NETNS_VOTES = 8;
    private static final double MIN_NETNS_SHARE = 0.8;

    private final Map<String, Map<String, InterfaceId>> interned = new HashMap<>();
    private final Map<String, TreeSet<String>> peersByName = new HashMap<>();
    private final Map<InterfaceId, long[]> kindEvidence = new HashMap<>();
    private final Map<InterfaceId, Map<Long, long[]>> netnsVotes = new HashMap<>();
    /** Weaker votes: the task that created an skb sent on the interface (a softirq may run in any namespace). */
    private final Map<InterfaceId, Map<Long, long[]>> senderNetnsVotes = new HashMap<>();

    // The tracker asks the same few questions for every packet, with the same name instances (from DeviceNames):
    // direct-mapped memos compared by reference answer them without hashing strings or walking tree sets.
    private static final int MEMO = 64;
    private final String[] idNames = new String[MEMO];
    private final String[] idPeers = new String[MEMO];
    private final InterfaceId[] ids = new InterfaceId[MEMO];
    private final String[] pairedA = new String[MEMO];
    private final String[] pairedB = new String[MEMO];
    private final InterfaceId[] evidenceIds = new InterfaceId[MEMO];
    private final long[][] evidenceCounts = new long[MEMO][];
    private final InterfaceId[] senderVoteIds = new InterfaceId[MEMO];
    private final long[] senderVoteNetns = new long[MEMO];
    private final long[][] senderVoteCounts = new long[MEMO][];

    /** The id for a name and peer (null), the same instance every time. */
    public InterfaceId id(String name, String peer) {
        int slot = memoSlot(name, peer);
        if (idNames[slot] == name && idPeers[slot] == peer && ids[slot] != null) {
            return ids[slot];
        }
        InterfaceId id = intern(name, peer);
        idNames[slot] = name;
        idPeers[slot] = peer;
        ids[slot] = id;
        return id;
    }

    private static int memoSlot(Object a, Object b) {
        int h = System.identityHashCode(a) * 31 + System.identityHashCode(b);
        return (h ^ h >>> 16) & (MEMO - 1);
    }

    private InterfaceId intern(String name, String peer) {
        Map<String, InterfaceId> byPeer = interned.computeIfAbsent(name, n -> new HashMap<>(4));
        String key = peer == null ? "" : peer;
        InterfaceId id = byPeer.get(key);
        if (id == null) {
            id = new InterfaceId(name, peer);
            byPeer.put(key, id);
        }
        return id;
    }

    /** Records that a veth pair handed an skb between these two names. */
    void pair(String a, String b) {
        int slot = memoSlot(a, b);
        if (pairedA[slot] == a && pairedB[slot] == b) {
            return;
        }
        pairedA[slot] = a;
        pairedB[slot] = b;
        peersByName.computeIfAbsent(a, n -> new TreeSet<>()).add(b);
        peersByName.computeIfAbsent(b, n -> new TreeSet<>()).add(a);
    }

    /** Whether a hand-over already paired these two names. */
    boolean paired(String a, String b) {
        TreeSet<String> peers = peersByName.get(a);
        return peers != null && peers.contains(b);
    }

    void evidence(InterfaceId id, DeviceKind kind, long delta) {
        int slot = memoSlot(id, null);
        long[] counts = evidenceIds[slot] == id ? evidenceCounts[slot] : null;
        if (counts == null) {
            counts = kindEvidence.computeIfAbsent(id, i -> new long[DeviceKind.values().length]);
            evidenceIds[slot] = id;
            evidenceCounts[slot] = counts;
        }
        counts[kind.ordinal()] += delta;
    }

    void voteNetns(InterfaceId id, long netns) {
        netnsVotes.computeIfAbsent(id, i -> new HashMap<>()).computeIfAbsent(netns, n -> new long[1])[0]++;
    }

    void voteSenderNetns(InterfaceId id, long netns) {
        int slot = memoSlot(id, null);
        long[] count = senderVoteIds[slot] == id && senderVoteNetns[slot] == netns ? senderVoteCounts[slot] : null;
        if (count == null) {
            count = senderNetnsVotes.computeIfAbsent(id, i -> new HashMap<>()).computeIfAbsent(netns, n -> new long[1]);
            senderVoteIds[slot] = id;
            senderVoteNetns[slot] = netns;
            senderVoteCounts[slot] = count;
        }
        count[0]++;
    }

    /**
     * The id a raw id is reported under: a peerless id takes its name's only peer, when there is exactly one. A
     * peer shown only by chains that lost events (never {@link #pair paired}) is no proof: such an id is taken
     * as peerless.
     */
    public InterfaceId resolve(InterfaceId raw) {
        if (raw.peer() != null) {
            if (paired(raw.name(), raw.peer())) {
                return raw;
            }
            raw = id(raw.name(), null);
        }
        TreeSet<String> peers = peersByName.get(raw.name());
        return peers != null && peers.size() == 1 ? id(raw.name(), peers.first()) : raw;
    }

    /** Every name that a hand-over paired with another. */
    public java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(peersByName.keySet());
    }

    /** The names a hand-over paired with this one. */
    public java.util.Set<String> peers(String name) {
        TreeSet<String> peers = peersByName.get(name);
        return peers == null ? java.util.Set.of() : java.util.Collections.unmodifiableSet(peers);
    }

    /** True when the name belongs to several interfaces that the hand-overs told apart. */
    public boolean ambiguous(String name) {
        TreeSet<String> peers = peersByName.get(name);
        return peers != null && peers.size() > 1;
    }

    /** The kind with the most evidence over every raw id that resolves to this one. */
    public DeviceKind kind(InterfaceId resolved) {
        long[] total = new long[DeviceKind.values().length];
        kindEvidence.forEach((raw, counts) -> {
            if (resolve(raw).equals(resolved)) {
                for (int i = 0; i < total.length; i++) {
                    total[i] += counts[i];
                }
            }
        });
        DeviceKind best = DeviceKind.UNKNOWN;
        long bestCount = 0;
        for (DeviceKind kind : DeviceKind.values()) {
            if (total[kind.ordinal()] > bestCount) {
                best = kind;
                bestCount = total[kind.ordinal()];
            }
        }
        return best;
    }

    /**
     * The namespace inode a clear majority of votes gives this interface, or null: socket readers' votes when
     * there are enough of them, else senders' votes, else the few socket readers' votes there are.
     */
    public Long netns(InterfaceId resolved) {
        Long byReaders = majority(netnsVotes, resolved, MIN_NETNS_VOTES);
        if (byReaders != null) {
            return byReaders;
        }
        Long bySenders = majority(senderNetnsVotes, resolved, MIN_NETNS_VOTES);
        return bySenders != null ? bySenders : majority(netnsVotes, resolved, 1);
    }

    private Long majority(Map<InterfaceId, Map<Long, long[]>> votesById, InterfaceId resolved, int minVotes) {
        Map<Long, Long> totals = new HashMap<>();
        votesById.forEach((raw, votes) -> {
            if (resolve(raw).equals(resolved)) {
                votes.forEach((ns, count) -> totals.merge(ns, count[0], Long::sum));
            }
        });
        long all = totals.values().stream().mapToLong(Long::longValue).sum();
        for (Map.Entry<Long, Long> vote : totals.entrySet()) {
            if (all >= minVotes && vote.getValue() >= MIN_NETNS_SHARE * all) {
                return vote.getKey();
            }
        }
        return null;
    }

    /** Adds what another part of the trace taught. */
    public void merge(InterfaceIdentities other) {
        other.peersByName.forEach((name, peers) -> peers.forEach(peer -> pair(name, peer)));
        other.kindEvidence.forEach((raw, counts) -> {
            InterfaceId id = id(raw.name(), raw.peer());
            for (DeviceKind kind : DeviceKind.values()) {
                evidence(id, kind, counts[kind.ordinal()]);
            }
        });
        mergeVotes(other.netnsVotes, netnsVotes);
        mergeVotes(other.senderNetnsVotes, senderNetnsVotes);
    }

    private void mergeVotes(Map<InterfaceId, Map<Long, long[]>> from, Map<InterfaceId, Map<Long, long[]>> into) {
        from.forEach((raw, votes) -> {
            Map<Long, long[]> mine = into.computeIfAbsent(id(raw.name(), raw.peer()), i -> new HashMap<>());
            votes.forEach((ns, count) -> mine.computeIfAbsent(ns, n -> new long[1])[0] += count[0]);
        });
    }
}
