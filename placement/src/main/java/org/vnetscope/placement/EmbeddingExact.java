package org.vnetscope.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Branch and bound over every node mapping and, for each, every choice of path for every demand between two
 * hosts; proves the least busiest-link utilization (then cross-host bytes, then migrations) of small instances
 * under every hard rule, within a node budget. VMs are taken as {@link ExactSearch} takes them; a VM placed, each
 * of its demands to VMs already placed elsewhere is given each of its paths in turn. Loads only grow as demands are
 * added (a percentile of a sum of non-negative series never falls when one more is added), so a link or NIC over
 * capacity prunes at once and the busiest link so far bounds the final one; the cross-host bytes are bounded as
 * in {@link ExactSearch}.
 */
final class EmbeddingExact {

    record Outcome(int[] assignment, int[] routes, Embedding.Score score, boolean complete, long nodes) {
    }

    private final Network net;
    private final Instance instance;
    private final Embedding state;
    private final int[] order;
    private final long nodeLimit;
    private final long deadlineNanos;
    private final long[] toHost;
    private int[] bestAssignment;
    private int[] bestRoutes;
    private Embedding.Score best;
    private long nodes;
    private boolean aborted;

    EmbeddingExact(Network net, long nodeLimit, long deadlineNanos) {
        this.net = net;
        instance = net.instance;
        int[] none = new int[instance.vms()];
        Arrays.fill(none, -1);
        state = new Embedding(net, none, null);
        order = ExactSearch.order(instance);
        this.nodeLimit = nodeLimit;
        this.deadlineNanos = deadlineNanos;
        toHost = new long[instance.hosts()];
    }

    /** Searches from a known embedding (its score is the first bound when it keeps every rule), or from none. */
    Outcome run(int[] incumbent, int[] incumbentRoutes) {
        if (incumbent != null) {
            Embedding.Score score = new Embedding(net, incumbent, incumbentRoutes).score();
            if (score.feasible()) {
                best = score;
                bestAssignment = incumbent.clone();
                bestRoutes = new Embedding(net, incumbent, incumbentRoutes).routes();
            }
        }
        placeNext(0, 0);
        return new Outcome(bestAssignment, bestRoutes, best, !aborted, nodes);
    }

    private boolean count() {
        if (++nodes > nodeLimit || (nodes & 0xfff) == 0 && System.nanoTime() - deadlineNanos > 0) {
            aborted = true;
        }
        return !aborted;
    }

    /** Whether a branch whose figures can only grow from these may still beat the best found. */
    private boolean promising(double max, long cross, int moves) {
        if (best == null) {
            return true;
        }
        int c = Double.compare(max, best.maxUtilization());
        if (c == 0) {
            c = Long.compare(cross, best.crossBytes());
        }
        if (c == 0) {
            c = Integer.compare(moves, best.moves());
        }
        return c < 0;
    }

    private void placeNext(int depth, double max) {
        if (!count()) {
            return;
        }
        if (depth == order.length) {
            Embedding.Score score = state.score();
            if (score.feasible() && (best == null || score.compareTo(best) < 0)) {
                best = score;
                bestAssignment = state.assignment();
                bestRoutes = state.routes();
            }
            return;
        }
        if (!promising(max, state.cross + remainingBound(depth), state.moves)) {
            return;
        }
        int v = order[depth];
        for (int h : candidates(v)) {
            if (state.cpu[h] + instance.vmCpu[v] > instance.hostCpu[h]
                    || state.memory[h] + instance.vmMemory[v] > instance.hostMemory[h]) {
                continue;
            }
            if (instance.maxMoves >= 0 && state.moves + (instance.moved(v, h) ? 1 : 0) > instance.maxMoves) {
                continue;
            }
            state.addVm(v, h);
            List<Integer> apart = new ArrayList<>();
            long pending = 0;
            for (int d : net.demandsByRate[v]) {
                if (state.apart(d)) {
                    apart.add(d);
                    pending += instance.demandBytes[d];
                }
            }
            routeNext(depth, apart, 0, pending, max);
            state.removeVm(v);
            if (aborted) {
                return;
            }
        }
    }

    private void routeNext(int depth, List<Integer> apart, int i, long pending, double max) {
        if (i == apart.size()) {
            placeNext(depth + 1, max);
            return;
        }
        if (!count()) {
            return;
        }
        int d = apart.get(i);
        int[][] paths = state.pathsOf(d);
        for (int p = 0; p < paths.length; p++) {
            state.connect(d, p);
            double reached = max;
            boolean within = nicWithin(d);
            for (int l : paths[p]) {
                within &= state.linkBps(l) <= state.topology.linkBps[l];
                reached = Math.max(reached, state.utilization(l));
            }
            long rest = pending - instance.demandBytes[d];
            if (within && promising(reached, state.cross + rest + remainingBound(depth + 1), state.moves)) {
                routeNext(depth, apart, i + 1, rest, reached);
            }
            state.disconnect(d);
            if (aborted) {
                return;
            }
        }
    }

    private boolean nicWithin(int d) {
        for (int h : new int[] {state.host[instance.demandA[d]], state.host[instance.demandB[d]]}) {
            if (instance.hostNicBps[h] > 0 && instance.bins > 0 && state.nicBps(h) > instance.hostNicBps[h]) {
                return false;
            }
        }
        return true;
    }

    /** Pinned VMs on their pin; others on every host, the one they send most to first, then their current. */
    private Integer[] candidates(int v) {
        if (instance.pinned[v] >= 0) {
            return new Integer[] {instance.pinned[v]};
        }
        Arrays.fill(toHost, 0);
        for (int d : instance.demandsOf[v]) {
            int other = state.host[instance.other(d, v)];
            if (other >= 0) {
                toHost[other] += instance.demandBytes[d];
            }
        }
        Integer[] hosts = new Integer[instance.hosts()];
        for (int h = 0; h < hosts.length; h++) {
            hosts[h] = h;
        }
        int current = instance.current[v];
        Arrays.sort(hosts, (a, b) -> toHost[a] != toHost[b] ? Long.compare(toHost[b], toHost[a])
                : a == current || b == current ? (a == current ? -1 : 1) : Integer.compare(a, b));
        return hosts;
    }

    /** For every VM not placed yet, the least of its bytes to those placed it must cut wherever it goes. */
    private long remainingBound(int depth) {
        long bound = 0;
        for (int k = depth; k < order.length; k++) {
            int v = order[k];
            long total = 0;
            Arrays.fill(toHost, 0);
            for (int d : instance.demandsOf[v]) {
                int other = state.host[instance.other(d, v)];
                if (other >= 0) {
                    toHost[other] += instance.demandBytes[d];
                    total += instance.demandBytes[d];
                }
            }
            if (total == 0) {
                continue;
            }
            long keep = 0;
            for (int h = 0; h < instance.hosts(); h++) {
                boolean allowed = instance.pinned[v] < 0 || instance.pinned[v] == h;
                if (allowed && state.cpu[h] + instance.vmCpu[v] <= instance.hostCpu[h]
                        && state.memory[h] + instance.vmMemory[v] <= instance.hostMemory[h]) {
                    keep = Math.max(keep, toHost[h]);
                }
            }
            bound += total - keep;
        }
        return bound;
    }
}
