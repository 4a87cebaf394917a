package org.vnetscope.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A node mapping (each VM on a host) with a link mapping (each demand between two hosts on one of their candidate
 * paths), and what it costs, kept up to date change by change: the hosts' CPU, memory and NIC series, every link's
 * series of the bytes routed over it and its p95, cross-host bytes, migrations. A trial ({@link #begin()} ...
 * {@link #rollback()}) undoes its changes exactly, the percentiles it made stale included, so that the search can
 * try a move for the price of the links and hosts it touches.
 */
final class Embedding {

    /** A demand's route when its VMs share a host (or one is not placed): it crosses no link. */
    static final int SAME_HOST = -1;
    /** A demand's route when no path joins its VMs' hosts. */
    static final int NO_PATH = -2;
    /** A demand no path can carry weighs as much as a broken pin. */
    static final long NO_PATH_PENALTY = Scoring.PIN_PENALTY;

    /**
     * What an embedding costs, smaller first: how far it breaks the hard rules (hosts' CPU, memory and NIC, links'
     * capacities at p95, each excess in millionths of its capacity; pins, the migration budget and demands no path
     * carries as fixed penalties), then the busiest link's
     * utilization, then the cross-host bytes, then the migrations, then, among equals, the evener spread (the sum
     * of the links' squared utilizations).
     */
    record Score(long hard, double maxUtilization, long crossBytes, int moves, double spread)
            implements Comparable<Score> {

        @Override
        public int compareTo(Score other) {
            int c = Long.compare(hard, other.hard);
            if (c == 0) {
                c = Double.compare(maxUtilization, other.maxUtilization);
            }
            if (c == 0) {
                c = Long.compare(crossBytes, other.crossBytes);
            }
            if (c == 0) {
                c = Integer.compare(moves, other.moves);
            }
            return c != 0 ? c : Double.compare(spread, other.spread);
        }

        boolean feasible() {
            return hard == 0;
        }

        /**
         * The order for routing a fixed placement: the busiest link first, then the rest as {@link #compareTo}.
         * Paths change only links' loads, so where every link is within capacity both orders agree; where links are
         * over, this one lowers the worst rather than the sum of the excesses.
         */
        static final java.util.Comparator<Score> ROUTING = java.util.Comparator.comparingDouble(Score::maxUtilization)
                .thenComparing(java.util.Comparator.naturalOrder());
    }

    private record VmMove(int vm, int from, int[] routes) {
    }

    private record Reroute(int demand, int path) {
    }

    final Network net;
    final Instance instance;
    final Topology topology;
    final int[] host;
    final int[] route;
    final long[] cpu;
    final long[] memory;
    private final boolean checkNic;
    private final long[][] nicBins;
    private final long[] nicBps;
    private final boolean[] nicStale;
    private final long[][] linkBins;
    private final long[] linkBps;
    private final boolean[] linkStale;
    /**
     * Per link, the p95 rates of the demands added (minus those taken off) since its p95 was last computed: with
     * the p95 itself, what choosing a path estimates a link's load by, so that routing one VM's demands does not
     * recompute the percentile of its host's link once per demand.
     */
    private final long[] linkPending;
    long cross;
    int moves;
    int pinBreaks;
    int noPath;

    private boolean inTrial;
    private int epoch;
    private final List<Object> undo = new ArrayList<>();
    private final int[] linkEpoch;
    private final long[] linkSaved;
    private final boolean[] linkSavedStale;
    private final long[] linkSavedPending;
    private final List<Integer> linksTouched = new ArrayList<>();
    private final int[] nicEpoch;
    private final long[] nicSaved;
    private final boolean[] nicSavedStale;
    private final List<Integer> nicsTouched = new ArrayList<>();

    /**
     * An embedding of the given placement (-1: not placed); the routes given where they are valid, the others
     * chosen greedily, the fastest demands first, each on the candidate path it loads least.
     */
    Embedding(Network net, int[] assignment, int[] routes) {
        this.net = net;
        instance = net.instance;
        topology = net.topology;
        int hosts = instance.hosts();
        int links = topology.links();
        host = new int[instance.vms()];
        Arrays.fill(host, -1);
        route = new int[instance.demands()];
        Arrays.fill(route, SAME_HOST);
        cpu = new long[hosts];
        memory = new long[hosts];
        checkNic = instance.bins > 0;
        nicBins = new long[hosts][checkNic ? instance.bins : 0];
        nicBps = new long[hosts];
        nicStale = new boolean[hosts];
        linkBins = new long[links][net.bins];
        linkBps = new long[links];
        linkStale = new boolean[links];
        linkPending = new long[links];
        linkEpoch = new int[links];
        linkSaved = new long[links];
        linkSavedStale = new boolean[links];
        linkSavedPending = new long[links];
        nicEpoch = new int[hosts];
        nicSaved = new long[hosts];
        nicSavedStale = new boolean[hosts];
        for (int v = 0; v < instance.vms(); v++) {
            addVm(v, assignment[v]);
        }
        Integer[] order = new Integer[instance.demands()];
        for (int d = 0; d < order.length; d++) {
            order[d] = d;
        }
        Arrays.sort(order, (x, y) -> net.demandBps[x] != net.demandBps[y] ? Long.compare(net.demandBps[y],
                net.demandBps[x]) : instance.demandBytes[x] != instance.demandBytes[y]
                ? Long.compare(instance.demandBytes[y], instance.demandBytes[x]) : Integer.compare(x, y));
        for (int d : order) {
            if (apart(d)) {
                int given = routes == null ? SAME_HOST : routes[d];
                boolean valid = given >= 0 && given < pathsOf(d).length || given == NO_PATH && pathsOf(d).length == 0;
                connect(d, valid ? given : choosePath(d, true));
            }
        }
    }

    Embedding copy() {
        return new Embedding(net, host, route);
    }

    int[] assignment() {
        return host.clone();
    }

    int[] routes() {
        return route.clone();
    }

    // ---- changes

    /** Moves a VM and routes its demands anew, the fastest first, each on the path it loads least. */
    void move(int v, int to) {
        int from = host[v];
        int[] saved = inTrial ? routesOf(v) : null;
        for (int d : instance.demandsOf[v]) {
            disconnect(d);
        }
        removeVm(v);
        addVm(v, to);
        for (int d : net.demandsByRate[v]) {
            if (apart(d)) {
                connect(d, choosePath(d, false));
            }
        }
        if (inTrial) {
            undo.add(new VmMove(v, from, saved));
        }
    }

    /** Puts a demand between two hosts on another of their paths. */
    void reroute(int d, int path) {
        int old = route[d];
        disconnect(d);
        connect(d, path);
        if (inTrial) {
            undo.add(new Reroute(d, old));
        }
    }

    void begin() {
        inTrial = true;
        epoch++;
        undo.clear();
        linksTouched.clear();
        nicsTouched.clear();
    }

    /** Undoes every change since {@link #begin()}, the cached percentiles included. */
    void rollback() {
        inTrial = false;
        for (int i = undo.size() - 1; i >= 0; i--) {
            Object change = undo.get(i);
            if (change instanceof VmMove m) {
                for (int d : instance.demandsOf[m.vm()]) {
                    disconnect(d);
                }
                removeVm(m.vm());
                addVm(m.vm(), m.from());
                int[] demands = instance.demandsOf[m.vm()];
                for (int k = 0; k < demands.length; k++) {
                    if (m.routes()[k] != SAME_HOST) {
                        connect(demands[k], m.routes()[k]);
                    }
                }
            } else if (change instanceof Reroute r) {
                disconnect(r.demand());
                connect(r.demand(), r.path());
            }
        }
        for (int l : linksTouched) {
            linkBps[l] = linkSaved[l];
            linkStale[l] = linkSavedStale[l];
            linkPending[l] = linkSavedPending[l];
        }
        for (int h : nicsTouched) {
            nicBps[h] = nicSaved[h];
            nicStale[h] = nicSavedStale[h];
        }
        undo.clear();
    }

    /** Keeps the changes since {@link #begin()}. */
    void commit() {
        inTrial = false;
        undo.clear();
    }

    private int[] routesOf(int v) {
        int[] demands = instance.demandsOf[v];
        int[] saved = new int[demands.length];
        for (int k = 0; k < demands.length; k++) {
            saved[k] = route[demands[k]];
        }
        return saved;
    }

    // ---- primitives, also the exhaustive search's

    void addVm(int v, int h) {
        host[v] = h;
        if (h < 0) {
            return;
        }
        cpu[h] += instance.vmCpu[v];
        memory[h] += instance.vmMemory[v];
        if (instance.moved(v, h)) {
            moves++;
        }
        if (instance.pinned[v] >= 0 && instance.pinned[v] != h) {
            pinBreaks++;
        }
    }

    void removeVm(int v) {
        int h = host[v];
        if (h >= 0) {
            cpu[h] -= instance.vmCpu[v];
            memory[h] -= instance.vmMemory[v];
            if (instance.moved(v, h)) {
                moves--;
            }
            if (instance.pinned[v] >= 0 && instance.pinned[v] != h) {
                pinBreaks--;
            }
        }
        host[v] = -1;
    }

    /** Whether a demand's VMs are both placed, on different hosts. */
    boolean apart(int d) {
        int a = host[instance.demandA[d]];
        int b = host[instance.demandB[d]];
        return a >= 0 && b >= 0 && a != b;
    }

    int[][] pathsOf(int d) {
        return topology.paths(host[instance.demandA[d]], host[instance.demandB[d]]);
    }

    /** The links a demand crosses now (none when it crosses none). */
    int[] pathNow(int d) {
        return route[d] >= 0 ? pathsOf(d)[route[d]] : new int[0];
    }

    /** Routes a demand whose VMs are apart on a path (an index into its candidates) or {@link #NO_PATH}. */
    void connect(int d, int path) {
        route[d] = path;
        int a = host[instance.demandA[d]];
        int b = host[instance.demandB[d]];
        cross += instance.demandBytes[d];
        nic(d, a, b, 1);
        if (path == NO_PATH) {
            noPath++;
        } else {
            load(d, topology.paths(a, b)[path], 1);
        }
    }

    /** Takes a demand off its path, if it has one. */
    void disconnect(int d) {
        int path = route[d];
        if (path == SAME_HOST) {
            return;
        }
        int a = host[instance.demandA[d]];
        int b = host[instance.demandB[d]];
        cross -= instance.demandBytes[d];
        nic(d, a, b, -1);
        if (path == NO_PATH) {
            noPath--;
        } else {
            load(d, topology.paths(a, b)[path], -1);
        }
        route[d] = SAME_HOST;
    }

    private void load(int d, int[] path, int sign) {
        long[] series = net.series[d];
        for (int l : path) {
            long[] bins = linkBins[l];
            for (int i = 0; i < series.length; i++) {
                bins[i] += sign * series[i];
            }
            touchLink(l);
            linkPending[l] += sign * net.demandBps[d];
        }
    }

    private void nic(int d, int a, int b, int sign) {
        long[] series = instance.demandBins[d];
        if (!checkNic || series == null) {
            return;
        }
        long[] binsA = nicBins[a];
        long[] binsB = nicBins[b];
        for (int i = 0; i < series.length; i++) {
            binsA[i] += sign * series[i];
            binsB[i] += sign * series[i];
        }
        touchNic(a);
        touchNic(b);
    }

    private void touchLink(int l) {
        if (inTrial && linkEpoch[l] != epoch) {
            linkEpoch[l] = epoch;
            linkSaved[l] = linkBps[l];
            linkSavedStale[l] = linkStale[l];
            linkSavedPending[l] = linkPending[l];
            linksTouched.add(l);
        }
        linkStale[l] = true;
    }

    private void touchNic(int h) {
        if (inTrial && nicEpoch[h] != epoch) {
            nicEpoch[h] = epoch;
            nicSaved[h] = nicBps[h];
            nicSavedStale[h] = nicStale[h];
            nicsTouched.add(h);
        }
        nicStale[h] = true;
    }

    /**
     * The candidate path this demand loads least: the least utilization its busiest link would reach with the
     * demand's own p95 added, then the fewest links, then the first. Each link's load is its p95 when
     * {@code exact} (building an embedding, once per demand), else estimated by its last p95 plus the p95s of the
     * demands added since (moving a VM: its host's link would otherwise be recomputed once per demand).
     */
    int choosePath(int d, boolean exact) {
        int[][] paths = pathsOf(d);
        if (paths.length == 0) {
            return NO_PATH;
        }
        int best = 0;
        double bestWorst = Double.MAX_VALUE;
        for (int p = 0; p < paths.length; p++) {
            double worst = 0;
            for (int l : paths[p]) {
                long estimate = exact ? linkBps(l) : linkBps[l] + Math.max(0, linkPending[l]);
                worst = Math.max(worst, (estimate + net.demandBps[d]) / (double) topology.linkBps[l]);
            }
            if (worst < bestWorst || worst == bestWorst && paths[p].length < paths[best].length) {
                best = p;
                bestWorst = worst;
            }
        }
        return best;
    }

    // ---- figures

    /** A link's load: the p95 of its binned rate, bits/s. */
    long linkBps(int l) {
        if (linkStale[l]) {
            linkStale[l] = false;
            linkPending[l] = 0;
            linkBps[l] = net.bitsPerSecond(Instance.p95(linkBins[l]));
        }
        return linkBps[l];
    }

    double utilization(int l) {
        return linkBps(l) / (double) topology.linkBps[l];
    }

    /** A host's NIC load: the p95 of its binned cross-host rate, bits/s (0 without bins). */
    long nicBps(int h) {
        if (nicStale[h]) {
            nicStale[h] = false;
            nicBps[h] = instance.bitsPerSecond(Instance.p95(nicBins[h]));
        }
        return nicBps[h];
    }

    /**
     * A host's excess over its CPU, memory and NIC (when its speed is known), each in millionths of the capacity:
     * unlike the plain placement's units (milli-vCPU, MiB, kbit/s), a host 30% over its CPU weighs more than a
     * link 20% over its capacity, which is what choosing the tenant to turn away needs.
     */
    long hostExcess(int h) {
        long excess = relativeExcess(cpu[h], instance.hostCpu[h]) + relativeExcess(memory[h], instance.hostMemory[h]);
        if (instance.hostNicBps[h] > 0 && checkNic) {
            excess += relativeExcess(nicBps(h), instance.hostNicBps[h]);
        }
        return excess;
    }

    long linkExcess(int l) {
        return relativeExcess(linkBps(l), topology.linkBps[l]);
    }

    /** How far a use exceeds a capacity, in millionths of the capacity, rounded up (0 when within). */
    static long relativeExcess(long used, long capacity) {
        if (used <= capacity) {
            return 0;
        }
        return capacity <= 0 ? Scoring.PIN_PENALTY : (long) Math.ceil((used - capacity) * 1e6 / capacity);
    }

    Score score() {
        long hard = 0;
        for (int h = 0; h < instance.hosts(); h++) {
            hard += hostExcess(h);
        }
        hard += pinBreaks * Scoring.PIN_PENALTY + Scoring.movesExcess(instance, moves) + noPath * NO_PATH_PENALTY;
        double max = 0;
        double spread = 0;
        for (int l = 0; l < topology.links(); l++) {
            hard += linkExcess(l);
            double u = utilization(l);
            max = Math.max(max, u);
            spread += u * u;
        }
        return new Score(hard, max, cross, moves, spread);
    }

    /** The p95 of what a set of demands puts on a link, bits/s. */
    long shareBps(int l, java.util.function.IntPredicate demands) {
        long[] sum = new long[net.bins];
        for (int d = 0; d < instance.demands(); d++) {
            if (demands.test(d) && route[d] >= 0 && contains(pathNow(d), l)) {
                long[] series = net.series[d];
                for (int i = 0; i < series.length; i++) {
                    sum[i] += series[i];
                }
            }
        }
        return net.bitsPerSecond(Instance.p95(sum));
    }

    static boolean contains(int[] path, int link) {
        for (int l : path) {
            if (l == link) {
                return true;
            }
        }
        return false;
    }
}
