package org.vnetscope.analysis.sync;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.IntStream;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.cluster.ClusterTraffic;

/**
 * Synchronizes several hosts' traces from the packets they exchanged: the same packet found leaving one host and
 * entering another ({@link PacketMatcher}), the clocks' relation of each pair of hosts fitted by the convex-hull
 * method ({@link HullFit}), and every host tied to one reference through the most accurate pairs.
 *
 * <p>The pairs form a graph weighted by how well each ties its two clocks (quality first, then accuracy): its
 * minimum spanning tree keeps, for every host, the most accurate chain of pairs to the others (the tree minimizes
 * the worst link of every path). The reference is the host at the tree's centre, whose worst summed accuracy to
 * the others is least (unless the caller names one), so that no host's time goes through a long chain. A host's
 * transform composes the pairs along its path; its accuracy is the sum of theirs. Traces timed by one clock (the
 * same clock uuid, LTTng's boot id) are tied exactly. A host no packet ties to the others keeps its trace's own
 * clock, and a note says so.
 */
public final class ClockSync {

    /**
     * One host's trace, as synchronization sees it.
     *
     * @param name      the host's name (its trace's hostname, else its folder's)
     * @param trace     the trace path as given
     * @param clockUuid its clock's uuid, or null
     * @param startNs   its first event, on its own clock
     * @param endNs     its last event
     * @param packets   the packets that left or entered it
     */
    public record Host(String name, String trace, UUID clockUuid, long startNs, long endNs, BoundaryPackets packets) {

        public static Host of(AnalysisReport report) {
            return new Host(ClusterTraffic.hostName(report), report.trace(), report.boundaryPackets().clockUuid(),
                    report.startNs(), report.endNs(), report.boundaryPackets());
        }

        /** The middle of the trace, on its own clock. */
        public long middleNs() {
            return startNs + (endNs - startNs) / 2;
        }
    }

    /**
     * A piece of a host's transform: where one linear relation holds.
     *
     * @param fromNs     where it starts on the host's clock, null for the first piece (it reaches back)
     * @param toNs       where the next one starts, null for the last
     * @param map        the relation
     * @param accuracyNs how far off the reference time can be at the piece's middle, -1 when unbounded
     * @param quality    what it is worth
     * @param matches    the packets its segment was fitted on
     */
    public record Segment(Long fromNs, Long toNs, LinearMap map, long accuracyNs, SyncQuality quality, int matches) {

        public double slope() {
            return map.slope();
        }

        public long offsetNs() {
            return map.offsetNs();
        }
    }

    /**
     * A host's clock expressed on the reference's: {@code time_in_reference_ns = slope * time_on_host_ns + offset_ns}
     * (both ns since the epoch as each trace's clock gives them), from the segment with the most packets.
     *
     * @param host             the host's name
     * @param map              that segment's relation (exact form: see {@link LinearMap})
     * @param matches          packets matched between the host and the one it was tied to, both ways
     * @param matchesSent      of those, sent by this host
     * @param matchesReceived  received by this host
     * @param accuracyNs       how far off a reference time can be at the middle of the packets, -1 when unbounded
     * @param accuracyAtEndsNs how far off at the first and last packet, -1 when unbounded
     * @param quality          what the transform is worth
     * @param via              the host it was tied to (its parent toward the reference), null for the reference
     * @param segments         every piece, in time order (one unless the relation changed)
     */
    public record Transform(String host, LinearMap map, int matches, int matchesSent, int matchesReceived,
                            long accuracyNs, long accuracyAtEndsNs, SyncQuality quality, String via,
                            List<Segment> segments) {

        public double slope() {
            return map.slope();
        }

        public long offsetNs() {
            return map.offsetNs();
        }

        /** The drift in parts per million: how much faster the reference clock runs than the host's. */
        public double driftPpm() {
            return map.drift() * 1e6;
        }

        /** The host time the relation is anchored at: the middle of the packets it was fitted on. */
        public long middleNs() {
            return map.anchorNs();
        }

        /** {@code time_in_reference - time_on_host} at {@link #middleNs()}, to the nearest ns. */
        public long middleOffsetNs() {
            return Math.round(map.shiftAtAnchor());
        }

        /** A host time on the reference's clock, by the segment that holds then. */
        public long toReference(long timeNs) {
            for (Segment segment : segments) {
                if ((segment.fromNs() == null || segment.fromNs() <= timeNs)
                        && (segment.toNs() == null || timeNs < segment.toNs())) {
                    return segment.map().apply(timeNs);
                }
            }
            return map.apply(timeNs);
        }
    }

    /**
     * What two hosts' packets gave, whether or not the pair ties them in the end.
     *
     * @param a                one host
     * @param b                the other
     * @param aToB             packets {@code a} sent that {@code b} received, matched
     * @param bToA             the other way
     * @param droppedKeys      keys that stood for several packets, dropped
     * @param rejected         matched packets that fit no line their neighbours fit, left out
     * @param segments         how many linear pieces the pair's relation took
     * @param quality          what the pair's largest segment is worth ({@link SyncQuality#FAILED} without matches,
     *                         {@link SyncQuality#EXACT} for traces of one clock)
     * @param accuracyNs       that segment's accuracy, -1 when unbounded
     * @param inTree           whether the pair ties its hosts in the result
     * @param violations       matched packets that, with the final transforms, arrive before they left
     * @param minDelayAToBNs   the shortest trip from a to b with the final transforms, Long.MIN_VALUE without one
     * @param minDelayBToANs   the shortest from b to a
     */
    public record Pair(String a, String b, int aToB, int bToA, int droppedKeys, int rejected, int segments,
                       SyncQuality quality, long accuracyNs, boolean inTree, int violations, long minDelayAToBNs,
                       long minDelayBToANs) {
    }

    /**
     * @param reference  the host whose clock the others are expressed on
     * @param hosts      the hosts, in the order given
     * @param transforms one per host, in the same order
     * @param pairs      every pair of hosts
     * @param notes      what limits the result, for the user
     * @param matches    the packets matched, pair by pair and way by way, whether the fit used them or not
     */
    public record Result(String reference, List<Host> hosts, List<Transform> transforms, List<Pair> pairs,
                         List<String> notes, List<PairMatches> matches) {

        /** A host's time on the reference's clock, by the piece of its transform that holds then. */
        public long toReference(String host, long timeNs) {
            for (Transform transform : transforms) {
                if (transform.host().equals(host)) {
                    return transform.toReference(timeNs);
                }
            }
            throw new IllegalArgumentException("no host named " + host);
        }
    }

    /**
     * The packets matched between two hosts: sent on {@code sender} at {@code sentNs[i]}, received on
     * {@code receiver} at {@code receivedNs[i]}; {@code sentIndexes[i]} and {@code receivedIndexes[i]} are the
     * packet's rows in the two hosts' {@link BoundaryPackets} (one send matches each segment received from it).
     */
    public record PairMatches(String sender, String receiver, long[] sentNs, long[] receivedNs, int[] sentIndexes,
                              int[] receivedIndexes) {

        public int size() {
            return sentNs.length;
        }
    }

    private ClockSync() {
    }

    /** Synchronizes the hosts of these reports (one per host), the reference chosen as the tree's centre. */
    public static Result of(List<AnalysisReport> reports) {
        return synchronize(reports.stream().map(Host::of).toList(), null);
    }

    /**
     * Synchronizes these hosts.
     *
     * @param reference the host to take as reference, or null for the tree's centre
     * @throws IllegalArgumentException when no host has that name
     */
    public static Result synchronize(List<Host> given, String reference) {
        List<Host> hosts = uniqueNames(given);
        int n = hosts.size();
        if (reference != null && hosts.stream().noneMatch(host -> host.name().equals(reference))) {
            throw new IllegalArgumentException("no host named " + reference + " among "
                    + hosts.stream().map(Host::name).toList());
        }
        List<String> notes = new ArrayList<>();
        if (n == 1) {
            notes.add("one host: nothing to synchronize it with");
        }
        List<Edge> all = new ArrayList<>();
        List<PairMatches> matches = new ArrayList<>();
        Matching matching = new Matching(hosts);
        // every pair of hosts matched and fitted on its own, several at once (hundreds of hosts: thousands of
        // pairs), then taken in pair order, so that what follows does not depend on which finished first
        int[] firstOf = new int[n * (n - 1) / 2];
        int[] secondOf = new int[firstOf.length];
        for (int i = 0, pair = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++, pair++) {
                firstOf[pair] = i;
                secondOf[pair] = j;
            }
        }
        Edge[] edges = new Edge[firstOf.length];
        IntStream.range(0, edges.length).parallel().forEach(pair -> edges[pair] = edge(hosts.get(firstOf[pair]),
                hosts.get(secondOf[pair]), firstOf[pair], secondOf[pair], matching));
        for (Edge edge : edges) {
            all.add(edge);
            Host a = hosts.get(edge.a);
            Host b = hosts.get(edge.b);
            matches.add(new PairMatches(a.name(), b.name(), edge.aToB.sentNs(), edge.aToB.receivedNs(),
                    edge.aToB.sentIndexes(), edge.aToB.receivedIndexes()));
            matches.add(new PairMatches(b.name(), a.name(), edge.bToA.sentNs(), edge.bToA.receivedNs(),
                    edge.bToA.sentIndexes(), edge.bToA.receivedIndexes()));
        }
        // Kruskal: best quality first, then the smallest accuracy
        List<Edge> usable = new ArrayList<>(all.stream().filter(edge -> edge.quality != SyncQuality.FAILED).toList());
        usable.sort(Comparator.comparingInt((Edge edge) -> edge.quality.ordinal()).thenComparingLong(Edge::weight));
        int[] component = new int[n];
        for (int i = 0; i < n; i++) {
            component[i] = i;
        }
        List<List<Edge>> tree = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tree.add(new ArrayList<>());
        }
        for (Edge edge : usable) {
            int ca = find(component, edge.a);
            int cb = find(component, edge.b);
            if (ca != cb) {
                component[ca] = cb;
                edge.inTree = true;
                tree.get(edge.a).add(edge);
                tree.get(edge.b).add(edge);
            }
        }
        int root = reference != null ? indexOf(hosts, reference) : centre(hosts, tree, component);
        PiecewiseMap[] maps = new PiecewiseMap[n];
        int[] parent = new int[n];
        Arrays.fill(parent, -1);
        Edge[] parentEdge = new Edge[n];
        maps[root] = PiecewiseMap.shift(0, hosts.get(root).middleNs(), SyncQuality.EXACT, 0);
        walk(root, tree, maps, parent, parentEdge);
        for (int i = 0; i < n; i++) {
            if (maps[i] == null) {
                // a group of hosts tied among themselves but not to the reference: from its own centre, whose
                // trace's clock is taken as it is
                int groupRoot = groupCentre(i, hosts, tree, component);
                maps[groupRoot] = PiecewiseMap.shift(0, hosts.get(groupRoot).middleNs(), SyncQuality.FAILED, -1);
                walk(groupRoot, tree, maps, parent, parentEdge);
            }
        }
        List<Transform> transforms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            transforms.add(transform(hosts, i, maps[i], parent[i], parentEdge[i]));
        }
        List<Pair> pairs = new ArrayList<>();
        for (Edge edge : all) {
            pairs.add(pair(hosts, edge, maps));
        }
        notes.addAll(notes(hosts, transforms, pairs, root));
        return new Result(hosts.get(root).name(), List.copyOf(hosts), List.copyOf(transforms), List.copyOf(pairs),
                List.copyOf(notes), List.copyOf(matches));
    }

    /** What one pair of hosts gave: the fit of b's clock onto a's. */
    private static final class Edge {
        final int a;
        final int b;
        final PacketMatcher.Matches aToB;
        final PacketMatcher.Matches bToA;
        final HullFit.Result fit;
        /** b's clock to a's. */
        final PiecewiseMap map;
        final SyncQuality quality;
        final long accuracyNs;
        boolean inTree;

        Edge(int a, int b, PacketMatcher.Matches aToB, PacketMatcher.Matches bToA, HullFit.Result fit,
             PiecewiseMap map, SyncQuality quality, long accuracyNs) {
            this.a = a;
            this.b = b;
            this.aToB = aToB;
            this.bToA = bToA;
            this.fit = fit;
            this.map = map;
            this.quality = quality;
            this.accuracyNs = accuracyNs;
        }

        long weight() {
            return accuracyNs < 0 ? Long.MAX_VALUE : accuracyNs;
        }

        /** The map from one end's clock to the other's. */
        PiecewiseMap from(int host) {
            return host == b ? map : map.inverse();
        }
    }

    /** Each ordered pair's matches, worked out in full only for the pairs that can have any. */
    private static final class Matching {
        private final List<Host> hosts;
        private final MatchCandidates candidates;
        /**
         * Each host's result against a host that received none of its keys, once worked out (pairs are matched on
         * several threads: two may work out the same, equal, result; one is kept).
         */
        private final AtomicReferenceArray<PacketMatcher.Matches> unmatched;

        Matching(List<Host> hosts) {
            this.hosts = hosts;
            this.candidates = MatchCandidates.of(hosts.stream().map(Host::packets).toList());
            this.unmatched = new AtomicReferenceArray<>(hosts.size());
        }

        PacketMatcher.Matches match(int sender, int receiver) {
            BoundaryPackets sent = hosts.get(sender).packets();
            if (candidates.possible(sender, receiver)) {
                return PacketMatcher.match(sent, hosts.get(receiver).packets());
            }
            PacketMatcher.Matches known = unmatched.get(sender);
            if (known == null) {
                unmatched.compareAndSet(sender, null, PacketMatcher.unmatched(sent));
                known = unmatched.get(sender);
            }
            return known;
        }
    }

    private static Edge edge(Host a, Host b, int ia, int ib, Matching matching) {
        if (sameClock(a.packets(), b.packets())) {
            // one clock, its value turned into epoch time from two samples of the realtime clock: nothing to fit
            // (and a packet between them is one host's, seen twice)
            PacketMatcher.Matches none = PacketMatcher.Matches.NONE;
            long shift = a.packets().clockOriginNs() - b.packets().clockOriginNs();
            PiecewiseMap exact = PiecewiseMap.shift(shift, b.middleNs(), SyncQuality.EXACT, 0);
            return new Edge(ia, ib, none, none, new HullFit.Result(List.of(), 0), exact, SyncQuality.EXACT, 0);
        }
        PacketMatcher.Matches aToB = matching.match(ia, ib);
        PacketMatcher.Matches bToA = matching.match(ib, ia);
        // a is the reference side of the fit: b sent what a received, and a sent what b received
        HullFit.Result fit = HullFit.fit(bToA.sentNs(), bToA.receivedNs(), aToB.sentNs(), aToB.receivedNs());
        if (fit.segments().isEmpty()) {
            return new Edge(ia, ib, aToB, bToA, fit, PiecewiseMap.shift(0, b.middleNs(), SyncQuality.FAILED, -1),
                    SyncQuality.FAILED, -1);
        }
        HullFit.Segment largest = largest(fit.segments());
        return new Edge(ia, ib, aToB, bToA, fit, PiecewiseMap.of(fit.segments()), largest.quality(),
                largest.accuracyNs());
    }

    /** Whether two traces were timed by one clock: the same uuid (LTTng: the boot id) and frequency. */
    private static boolean sameClock(BoundaryPackets a, BoundaryPackets b) {
        return a.clockUuid() != null && a.clockUuid().equals(b.clockUuid()) && a.clockFrequency() == b.clockFrequency();
    }

    private static HullFit.Segment largest(List<HullFit.Segment> segments) {
        HullFit.Segment best = segments.get(0);
        for (HullFit.Segment segment : segments) {
            if (segment.matches() > best.matches()) {
                best = segment;
            }
        }
        return best;
    }

    private static int find(int[] component, int i) {
        while (component[i] != i) {
            component[i] = component[component[i]];
            i = component[i];
        }
        return i;
    }

    private static int indexOf(List<Host> hosts, String name) {
        for (int i = 0; i < hosts.size(); i++) {
            if (hosts.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Sums of accuracy along the tree from {@code from} to every host it reaches (-1 unreached, MAX unbounded). */
    private static long[] distances(int from, List<List<Edge>> tree, int n) {
        long[] distance = new long[n];
        Arrays.fill(distance, -1);
        distance[from] = 0;
        Deque<Integer> queue = new ArrayDeque<>(List.of(from));
        while (!queue.isEmpty()) {
            int host = queue.poll();
            for (Edge edge : tree.get(host)) {
                int other = edge.a == host ? edge.b : edge.a;
                if (distance[other] < 0) {
                    long weight = edge.weight();
                    distance[other] = distance[host] == Long.MAX_VALUE || weight == Long.MAX_VALUE ? Long.MAX_VALUE
                            : distance[host] + weight;
                    queue.add(other);
                }
            }
        }
        return distance;
    }

    /**
     * The reference when none is named: in the largest group of tied hosts (the first such group in the order
     * given), the host whose worst summed accuracy to the others is least (the first such host).
     */
    private static int centre(List<Host> hosts, List<List<Edge>> tree, int[] component) {
        int n = hosts.size();
        int[] sizes = new int[n];
        for (int i = 0; i < n; i++) {
            sizes[find(component, i)]++;
        }
        int bestGroup = find(component, 0);
        for (int i = 0; i < n; i++) {
            if (sizes[find(component, i)] > sizes[bestGroup]) {
                bestGroup = find(component, i);
            }
        }
        return groupCentre(firstOf(bestGroup, component), hosts, tree, component);
    }

    private static int firstOf(int group, int[] component) {
        for (int i = 0; i < component.length; i++) {
            if (find(component, i) == group) {
                return i;
            }
        }
        return group;
    }

    private static int groupCentre(int member, List<Host> hosts, List<List<Edge>> tree, int[] component) {
        int n = hosts.size();
        int group = find(component, member);
        int best = -1;
        long bestWorst = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            if (find(component, i) != group) {
                continue;
            }
            long worst = 0;
            for (long distance : distances(i, tree, n)) {
                worst = Math.max(worst, distance);
            }
            if (best < 0 || worst < bestWorst) {
                best = i;
                bestWorst = worst;
            }
        }
        return best;
    }

    /** Composes every host below {@code root} in the tree onto {@code root}'s clock. */
    private static void walk(int root, List<List<Edge>> tree, PiecewiseMap[] maps, int[] parent, Edge[] parentEdge) {
        Deque<Integer> queue = new ArrayDeque<>(List.of(root));
        Set<Integer> seen = new HashSet<>(List.of(root));
        while (!queue.isEmpty()) {
            int host = queue.poll();
            for (Edge edge : tree.get(host)) {
                int child = edge.a == host ? edge.b : edge.a;
                if (seen.add(child)) {
                    maps[child] = edge.from(child).then(maps[host]);
                    parent[child] = host;
                    parentEdge[child] = edge;
                    queue.add(child);
                }
            }
        }
    }

    private static Transform transform(List<Host> hosts, int index, PiecewiseMap map, int parent, Edge edge) {
        int best = 0;
        for (int i = 1; i < map.pieces.size(); i++) {
            if (map.pieces.get(i).matches() > map.pieces.get(best).matches()) {
                best = i;
            }
        }
        PiecewiseMap.Piece headline = map.pieces.get(best);
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < map.pieces.size(); i++) {
            PiecewiseMap.Piece piece = map.pieces.get(i);
            long end = map.endOf(i);
            segments.add(new Segment(piece.fromNs() == Long.MIN_VALUE ? null : piece.fromNs(),
                    end == Long.MAX_VALUE ? null : end, piece.map(), piece.accuracyNs(), piece.quality(),
                    piece.matches()));
        }
        int sent = 0;
        int received = 0;
        if (edge != null) {
            boolean isA = edge.a == index;
            for (HullFit.Segment segment : edge.fit.segments()) {
                // the fit's host side is b: hostToReference is what b sent
                sent += isA ? segment.referenceToHost() : segment.hostToReference();
                received += isA ? segment.hostToReference() : segment.referenceToHost();
            }
            if (edge.quality == SyncQuality.EXACT) {
                sent = 0;
                received = 0;
            }
        }
        return new Transform(hosts.get(index).name(), headline.map(), sent + received, sent, received,
                headline.accuracyNs(), headline.accuracyAtEndsNs(), headline.quality(),
                parent < 0 ? null : hosts.get(parent).name(), List.copyOf(segments));
    }

    private static Pair pair(List<Host> hosts, Edge edge, PiecewiseMap[] maps) {
        int violations = 0;
        long minAToB = Long.MAX_VALUE;
        long minBToA = Long.MAX_VALUE;
        PacketMatcher.Matches aToB = edge.aToB;
        for (int i = 0; i < aToB.size(); i++) {
            long delay = maps[edge.b].apply(aToB.receivedNs()[i]) - maps[edge.a].apply(aToB.sentNs()[i]);
            violations += delay < 0 ? 1 : 0;
            minAToB = Math.min(minAToB, delay);
        }
        PacketMatcher.Matches bToA = edge.bToA;
        for (int i = 0; i < bToA.size(); i++) {
            long delay = maps[edge.a].apply(bToA.receivedNs()[i]) - maps[edge.b].apply(bToA.sentNs()[i]);
            violations += delay < 0 ? 1 : 0;
            minBToA = Math.min(minBToA, delay);
        }
        return new Pair(hosts.get(edge.a).name(), hosts.get(edge.b).name(), aToB.size(), bToA.size(),
                aToB.droppedKeys() + bToA.droppedKeys(), edge.fit.rejected(), edge.fit.segments().size(), edge.quality,
                edge.accuracyNs, edge.inTree, violations, minAToB == Long.MAX_VALUE ? Long.MIN_VALUE : minAToB,
                minBToA == Long.MAX_VALUE ? Long.MIN_VALUE : minBToA);
    }

    private static List<String> notes(List<Host> hosts, List<Transform> transforms, List<Pair> pairs, int root) {
        List<String> notes = new ArrayList<>();
        for (Transform transform : transforms) {
            String host = transform.host();
            switch (transform.quality()) {
                case FAILED -> notes.add(host + ": no packet ties it to " + hosts.get(root).name()
                        + ": its trace's own clock is used as it is (as NTP set it, at best)");
                case INCOMPLETE -> notes.add(host + ": packets went one way only: the offset is bounded on one side,"
                        + " and its trace's own clock is kept where that bound allows");
                case APPROXIMATE -> notes.add(host + ": the packets do not bound the drift: it is assumed within"
                        + " ±" + Math.round(HullFit.ASSUMED_DRIFT * 1e6) + " ppm");
                default -> {
                }
            }
            if (transform.segments().size() > 1) {
                notes.add(host + ": the clocks' relation changed during the trace (NTP slewing, a VM's clock):"
                        + " " + transform.segments().size() + " segments, each with its own line");
            }
        }
        for (Pair pair : pairs) {
            if (pair.rejected() > 0) {
                notes.add(pair.a() + " - " + pair.b() + ": " + pair.rejected() + " matched packets fit no line the"
                        + " others fit and were left out");
            }
        }
        return notes;
    }

    /** The hosts with names made unique ({@code name#2}, ...): transforms are told apart by name. */
    private static List<Host> uniqueNames(List<Host> hosts) {
        List<Host> unique = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (Host host : hosts) {
            String name = Objects.requireNonNullElse(host.name(), "host");
            String candidate = name;
            for (int k = 2; !taken.add(candidate.toLowerCase(Locale.ROOT)); k++) {
                candidate = name + "#" + k;
            }
            unique.add(candidate.equals(host.name()) ? host
                    : new Host(candidate, host.trace(), host.clockUuid(), host.startNs(), host.endNs(), host.packets()));
        }
        return unique;
    }
}
