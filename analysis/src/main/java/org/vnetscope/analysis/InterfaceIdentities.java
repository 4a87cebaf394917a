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
 * apart.
 *
 * <p>When both ends have repeated names (a user-space relay per VM copying between a tap and the VM's own
 * {@code eth0 <-> nic0}), no hand-over tells the pairs apart, but the relays do: the tracker counts a relay's
 * packets under ids with its {@link InterfaceId#relayPart part}, and each relay's pair is placed in the namespace
 * of the sockets that read what the relay delivered (or, with no such reader, of the tasks that created what it
 * copied out). A pair that several relays serve is reported once per namespace; packets no relay claimed stay on
 * the pair's plain id, or join the pair's only namespace when it has one.
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
    /** Raw ids of tunnels seen carrying Ethernet frames inside IP packets ({@link #frameTunnel}). */
    private final java.util.Set<InterfaceId> frameTunnels = new java.util.HashSet<>();
    private final Map<InterfaceId, Map<Long, long[]>> netnsVotes = new HashMap<>();
    /** Weaker votes: the task that created an skb sent on the interface (a softirq may run in any namespace). */
    private final Map<InterfaceId, Map<Long, long[]>> senderNetnsVotes = new HashMap<>();
    /** Per relay part: the namespaces of the sockets that read packets the relay delivered. */
    private final Map<Long, Map<Long, long[]>> relayReaderVotes = new HashMap<>();
    /** Per relay part: the namespaces of the tasks that created packets the relay copied out (weaker). */
    private final Map<Long, Map<Long, long[]>> relayCreatorVotes = new HashMap<>();
    /** Per relay part: the taps it wrote the VM's frames into, or read the VM's frames from. */
    private final Map<Long, Map<String, long[]>> relayTapVotes = new HashMap<>();
    /** Per interned part-less id, its ids with a relay part, by part. */
    private final Map<InterfaceId, LongObjectMap<InterfaceId>> partsOf = new java.util.IdentityHashMap<>();
    /** Reported owner per resolved pair, rebuilt when what it depends on changed. */
    private final Map<InterfaceId, Long> soleOwners = new HashMap<>();
    private final Map<Long, Long> ownerKeys = new HashMap<>();
    private boolean ownersStale;

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
    private final InterfaceId[] partBases = new InterfaceId[MEMO];
    private final long[] partKeys = new long[MEMO];
    private final InterfaceId[] partIds = new InterfaceId[MEMO];

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
        return intern(name, peer, 0);
    }

    private InterfaceId intern(String name, String peer, long part) {
        Map<String, InterfaceId> byPeer = interned.computeIfAbsent(name, n -> new HashMap<>(4));
        String key = (peer == null ? "" : peer) + (part == 0 ? "" : "#" + part);
        InterfaceId id = byPeer.get(key);
        if (id == null) {
            id = new InterfaceId(name, peer, part);
            byPeer.put(key, id);
        }
        return id;
    }

    /** The id a relay's packets on this interface are counted under: the interned id itself when part is 0. */
    InterfaceId withPart(InterfaceId id, long part) {
        if (part == 0) {
            return id;
        }
        int slot = (System.identityHashCode(id) * 31 + Long.hashCode(part) * 17) & (MEMO - 1);
        if (partBases[slot] == id && partKeys[slot] == part) {
            return partIds[slot];
        }
        LongObjectMap<InterfaceId> byPart = partsOf.computeIfAbsent(id, i -> new LongObjectMap<>());
        InterfaceId withPart = byPart.get(part);
        if (withPart == null) {
            withPart = intern(id.name(), id.peer(), part);
            byPart.put(part, withPart);
            ownersStale = true;
        }
        partBases[slot] = id;
        partKeys[slot] = part;
        partIds[slot] = withPart;
        return withPart;
    }

    /** A socket of this namespace read a packet that this relay delivered: the relay's pair is there. */
    void voteRelayReader(long part, long netns) {
        relayReaderVotes.computeIfAbsent(part, p -> new HashMap<>()).computeIfAbsent(netns, n -> new long[1])[0]++;
        ownersStale = true;
    }

    /** This relay copied a frame between its pair and this tap. */
    void voteRelayTap(long part, String tap) {
        relayTapVotes.computeIfAbsent(part, p -> new HashMap<>()).computeIfAbsent(tap, t -> new long[1])[0]++;
    }

    /**
     * The tap whose relay serves this reported pair (an id {@link #resolve} gave a part), or null: where the pair
     * reaches the bridge, as a bridge port's peer does for a plain veth VM.
     */
    public String relayTap(InterfaceId resolved) {
        if (resolved.part() == 0) {
            return null;
        }
        Map<String, long[]> taps = new HashMap<>();
        relayTapVotes.forEach((part, votes) -> {
            if (ownerKey(part) == resolved.part()) {
                votes.forEach((tap, count) -> taps.computeIfAbsent(tap, t -> new long[1])[0] += count[0]);
            }
        });
        return taps.entrySet().stream()
                .max(java.util.Comparator.<Map.Entry<String, long[]>>comparingLong(tap -> tap.getValue()[0])
                        .thenComparing(Map.Entry::getKey, java.util.Comparator.reverseOrder()))
                .map(Map.Entry::getKey).orElse(null);
    }

    /** A task of this namespace created a packet that this relay copied out: a weaker sign of where its pair is. */
    void voteRelayCreator(long part, long netns) {
        relayCreatorVotes.computeIfAbsent(part, p -> new HashMap<>()).computeIfAbsent(netns, n -> new long[1])[0]++;
        ownersStale = true;
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

    /** The device was seen wrapping the Ethernet frames it sends into IP packets (a VXLAN, Geneve or gretap tunnel). */
    void frameTunnel(InterfaceId id) {
        frameTunnels.add(id);
    }

    /**
     * Whether the device is a tunnel carrying Ethernet frames: its transmit counter counts the inner IP packet
     * ({@code iptunnel_xmit}), without the frame's Ethernet header.
     */
    public boolean encapsulatesFrames(InterfaceId resolved) {
        InterfaceId plain = resolved.part() == 0 ? resolved : id(resolved.name(), resolved.peer());
        for (InterfaceId raw : frameTunnels) {
            if (resolvePeer(raw).equals(plain)) {
                return true;
            }
        }
        return false;
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
        InterfaceId plain = resolvePeer(raw);
        if (plain.peer() == null) {
            return plain;
        }
        long owner = raw.part() != 0 ? ownerKey(raw.part()) : soleOwner(plain);
        if (owner < 0) {
            // A part no namespace could be placed for is a pair of its own only beside several placed ones: a
            // process that wrote a frame or two in its own context (arping, an announce) looks like a relay for
            // them, and must not split the one pair it used into rows that read the same.
            long placed = placedOwner(plain);
            owner = placed == -1 ? owner : placed;
        }
        return owner == 0 ? plain : intern(plain.name(), plain.peer(), owner);
    }

    /** The one namespace the relays of this pair were placed in (0 for none), or -1 when there are several. */
    private long placedOwner(InterfaceId plain) {
        long placed = 0;
        for (long owner : ownersOf(plain)) {
            if (owner > 0) {
                if (placed != 0 && placed != owner) {
                    return -1;
                }
                placed = owner;
            }
        }
        return placed;
    }

    /** {@link #resolve} without relays: the part-less id a raw id's name and peer stand for. */
    private InterfaceId resolvePeer(InterfaceId raw) {
        if (raw.part() != 0) {
            raw = id(raw.name(), raw.peer());
        }
        if (raw.peer() != null) {
            if (paired(raw.name(), raw.peer())) {
                return raw;
            }
            raw = id(raw.name(), null);
        }
        TreeSet<String> peers = peersByName.get(raw.name());
        return peers != null && peers.size() == 1 ? id(raw.name(), peers.first()) : raw;
    }

    /**
     * What a relay's pair is reported under: the namespace its readers (or, without readers, the creators of what
     * it copied) clearly name, else the negated part, which keeps the relay's pair apart without a namespace.
     */
    private long ownerKey(long part) {
        refreshOwners();
        return ownerKeys.computeIfAbsent(part, p -> {
            Long netns = majority(relayReaderVotes.get(p));
            if (netns == null) {
                netns = majority(relayCreatorVotes.get(p));
            }
            return netns != null ? netns : -p;
        });
    }

    /**
     * The owner of a pair that relays serve in one namespace only, for its packets no relay claimed; 0 for a pair
     * of several namespaces (those packets stay on the plain id) or of none.
     */
    private long soleOwner(InterfaceId plain) {
        refreshOwners();
        Long cached = soleOwners.get(plain);
        if (cached != null) {
            return cached;
        }
        java.util.Set<Long> owners = ownersOf(plain);
        long owner = owners.size() == 1 ? owners.iterator().next() : 0;
        soleOwners.put(plain, owner);
        return owner;
    }

    /** The owners of the relays whose packets crossed this pair, in either direction. */
    private java.util.Set<Long> ownersOf(InterfaceId plain) {
        java.util.Set<Long> owners = new TreeSet<>();
        InterfaceId mirror = id(plain.peer(), plain.name());
        partsOf.forEach((raw, byPart) -> {
            InterfaceId base = resolvePeer(raw);
            if (base.equals(plain) || base.equals(mirror)) {
                byPart.forEachValue(withPart -> owners.add(ownerKey(withPart.part())));
            }
        });
        return owners;
    }

    private void refreshOwners() {
        if (ownersStale) {
            ownersStale = false;
            soleOwners.clear();
            ownerKeys.clear();
        }
    }

    /**
     * The reported ids of the pair with these two names: one per namespace when relays serve it in several, else
     * the one id the pair resolves to.
     */
    public java.util.List<InterfaceId> pairs(String name, String peer) {
        InterfaceId plain = resolvePeer(id(name, peer));
        java.util.Set<Long> owners = plain.peer() == null ? java.util.Set.of() : ownersOf(plain);
        if (owners.size() < 2) {
            return java.util.List.of(resolve(plain));
        }
        java.util.List<InterfaceId> pairs = new java.util.ArrayList<>();
        owners.forEach(owner -> pairs.add(intern(plain.name(), plain.peer(), owner)));
        return pairs;
    }

    private static Long majority(Map<Long, long[]> votes) {
        if (votes == null) {
            return null;
        }
        long all = 0;
        for (long[] count : votes.values()) {
            all += count[0];
        }
        for (Map.Entry<Long, long[]> vote : votes.entrySet()) {
            if (vote.getValue()[0] >= MIN_NETNS_SHARE * all) {
                return vote.getKey();
            }
        }
        return null;
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

    /** The kind with the most evidence over every raw id that resolves to this one (or to its pair's plain id). */
    public DeviceKind kind(InterfaceId resolved) {
        InterfaceId plain = resolved.part() == 0 ? resolved : id(resolved.name(), resolved.peer());
        long[] total = new long[DeviceKind.values().length];
        kindEvidence.forEach((raw, counts) -> {
            if (resolvePeer(raw).equals(plain)) {
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
     * there are enough of them, else senders' votes, else the few socket readers' votes there are. A relay's pair
     * ({@link #resolve} gave it a part) is in the namespace its part names.
     */
    public Long netns(InterfaceId resolved) {
        if (resolved.part() != 0) {
            return resolved.part() > 0 ? resolved.part() : null;
        }
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
            if (resolvePeer(raw).equals(resolved)) {
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
        other.frameTunnels.forEach(raw -> frameTunnels.add(id(raw.name(), raw.peer())));
        mergeVotes(other.netnsVotes, netnsVotes);
        mergeVotes(other.senderNetnsVotes, senderNetnsVotes);
        other.partsOf.forEach((raw, byPart) ->
                byPart.forEachValue(withPart -> withPart(id(raw.name(), raw.peer()), withPart.part())));
        mergeRelayVotes(other.relayReaderVotes, relayReaderVotes);
        mergeRelayVotes(other.relayCreatorVotes, relayCreatorVotes);
        mergeRelayVotes(other.relayTapVotes, relayTapVotes);
        ownersStale = true;
    }

    private static <K> void mergeRelayVotes(Map<Long, Map<K, long[]>> from, Map<Long, Map<K, long[]>> into) {
        from.forEach((part, votes) -> {
            Map<K, long[]> mine = into.computeIfAbsent(part, p -> new HashMap<>());
            votes.forEach((key, count) -> mine.computeIfAbsent(key, k -> new long[1])[0] += count[0]);
        });
    }

    private void mergeVotes(Map<InterfaceId, Map<Long, long[]>> from, Map<InterfaceId, Map<Long, long[]>> into) {
        from.forEach((raw, votes) -> {
            Map<Long, long[]> mine = into.computeIfAbsent(id(raw.name(), raw.peer()), i -> new HashMap<>());
            votes.forEach((ns, count) -> mine.computeIfAbsent(ns, n -> new long[1])[0] += count[0]);
        });
    }
}
