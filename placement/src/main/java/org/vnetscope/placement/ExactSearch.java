package org.vnetscope.placement;

import java.util.Arrays;

/**
 * Branch and bound over every assignment, smallest cross-host bytes then fewest migrations, under every hard rule;
 * proves the optimum of small and medium instances within a node budget. VMs are taken in an order where each next
 * VM talks most to those already placed, so that bounds bite early; the bound adds to the bytes already cut, for
 * every VM not placed yet, the least it must cut to the placed ones wherever it goes (those demands are its own,
 * so the sum is a bound). Empty hosts of equal capacity that no remaining VM runs on or is pinned to are
 * interchangeable, and only the first is tried.
 */
final class ExactSearch {

    /** The outcome: the best assignment found (null if none is feasible), and whether the search was complete. */
    record Outcome(int[] assignment, long crossBytes, int moves, boolean complete, long nodes) {
    }

    private final Instance instance;
    private final long nodeLimit;
    /** System.nanoTime() after which the search gives up proving, as when its node budget runs out. */
    private final long deadlineNanos;
    private final int[] order;
    /** The last position in {@link #order} of a VM that runs on or is pinned to each host. */
    private final int[] lastClaim;
    private final int[] assignment;
    private final long[] cpu;
    private final long[] memory;
    private final int[] vmsOn;
    private final long[][] nicBins;
    private final boolean checkNic;
    /** Per VM, its bytes to the VMs placed so far on each host, and their sum: kept as VMs are placed. */
    private final long[][] placedBytesTo;
    private final long[] placedBytes;
    private int[] best;
    private long bestCross = Long.MAX_VALUE;
    private int bestMoves = Integer.MAX_VALUE;
    private long nodes;
    private boolean aborted;

    ExactSearch(Instance instance, long nodeLimit, long deadlineNanos) {
        this.instance = instance;
        this.nodeLimit = nodeLimit;
        this.deadlineNanos = deadlineNanos;
        int hosts = instance.hosts();
        order = order(instance);
        lastClaim = new int[hosts];
        Arrays.fill(lastClaim, -1);
        for (int k = 0; k < order.length; k++) {
            int v = order[k];
            if (instance.current[v] >= 0) {
                lastClaim[instance.current[v]] = k;
            }
            if (instance.pinned[v] >= 0) {
                lastClaim[instance.pinned[v]] = k;
            }
        }
        assignment = new int[instance.vms()];
        Arrays.fill(assignment, -1);
        cpu = new long[hosts];
        memory = new long[hosts];
        vmsOn = new int[hosts];
        checkNic = instance.bins > 0 && Arrays.stream(instance.hostNicBps).anyMatch(c -> c > 0);
        nicBins = new long[hosts][checkNic ? instance.bins : 0];
        placedBytesTo = new long[instance.vms()][hosts];
        placedBytes = new long[instance.vms()];
    }

    /** Searches from a known feasible solution (its cost is the first bound), or from none. */
    Outcome run(int[] incumbent) {
        if (incumbent != null) {
            Loads loads = new Loads(instance, incumbent);
            if (loads.feasible()) {
                best = incumbent.clone();
                bestCross = loads.crossBytes;
                bestMoves = loads.moves;
            }
        }
        search(0, 0, 0);
        return new Outcome(best, best == null ? -1 : bestCross, best == null ? -1 : bestMoves, !aborted, nodes);
    }

    private void search(int depth, long cross, int moves) {
        if (aborted) {
            return;
        }
        if (++nodes > nodeLimit || (nodes & 0xfff) == 0 && System.nanoTime() - deadlineNanos > 0) {
            aborted = true;
            return;
        }
        if (depth == order.length) {
            if (cross < bestCross || cross == bestCross && moves < bestMoves) {
                best = assignment.clone();
                bestCross = cross;
                bestMoves = moves;
            }
            return;
        }
        long bound = cross + remainingBound(depth);
        if (bound > bestCross || bound == bestCross && moves >= bestMoves) {
            return;
        }
        int v = order[depth];
        Integer[] hosts = candidates(v, depth);
        for (int h : hosts) {
            if (cpu[h] + instance.vmCpu[v] > instance.hostCpu[h] || memory[h] + instance.vmMemory[v] > instance.hostMemory[h]) {
                continue;
            }
            int nextMoves = moves + (instance.moved(v, h) ? 1 : 0);
            if (instance.maxMoves >= 0 && nextMoves > instance.maxMoves) {
                continue;
            }
            long added = place(v, h);
            if (!checkNic || nicWithinCapacity(v, h)) {
                search(depth + 1, cross + added, nextMoves);
            }
            unplace(v, h);
            if (aborted) {
                return;
            }
        }
    }

    private Integer[] candidates(int v, int depth) {
        if (instance.pinned[v] >= 0) {
            return new Integer[] {instance.pinned[v]};
        }
        long[] toHost = placedBytesTo[v];
        java.util.List<Integer> list = new java.util.ArrayList<>();
        for (int h = 0; h < instance.hosts(); h++) {
            if (vmsOn[h] == 0 && lastClaim[h] < depth && interchangeableEarlier(h, depth)) {
                continue;
            }
            list.add(h);
        }
        list.sort((a, b) -> toHost[a] != toHost[b] ? Long.compare(toHost[b], toHost[a])
                : Boolean.compare(b == instance.current[v], a == instance.current[v]) != 0
                ? Boolean.compare(b == instance.current[v], a == instance.current[v]) : Integer.compare(a, b));
        return list.toArray(Integer[]::new);
    }

    /** An empty, unclaimed host of the same capacities comes before h: h would only repeat its subtree. */
    private boolean interchangeableEarlier(int h, int depth) {
        for (int g = 0; g < h; g++) {
            if (vmsOn[g] == 0 && lastClaim[g] < depth && instance.hostCpu[g] == instance.hostCpu[h]
                    && instance.hostMemory[g] == instance.hostMemory[h] && instance.hostNicBps[g] == instance.hostNicBps[h]) {
                return true;
            }
        }
        return false;
    }

    private long remainingBound(int depth) {
        long bound = 0;
        for (int k = depth; k < order.length; k++) {
            int v = order[k];
            long total = placedBytes[v];
            if (total == 0) {
                continue;
            }
            long[] toHost = placedBytesTo[v];
            long keep = 0;
            for (int h = 0; h < instance.hosts(); h++) {
                boolean allowed = instance.pinned[v] < 0 || instance.pinned[v] == h;
                if (allowed && cpu[h] + instance.vmCpu[v] <= instance.hostCpu[h]
                        && memory[h] + instance.vmMemory[v] <= instance.hostMemory[h]) {
                    keep = Math.max(keep, toHost[h]);
                }
            }
            bound += total - keep;
        }
        return bound;
    }

    private long place(int v, int h) {
        assignment[v] = h;
        cpu[h] += instance.vmCpu[v];
        memory[h] += instance.vmMemory[v];
        vmsOn[h]++;
        long added = 0;
        for (int d : instance.demandsOf[v]) {
            int partner = instance.other(d, v);
            placedBytesTo[partner][h] += instance.demandBytes[d];
            placedBytes[partner] += instance.demandBytes[d];
            int other = assignment[partner];
            if (other >= 0 && other != h) {
                added += instance.demandBytes[d];
                nic(d, h, other, 1);
            }
        }
        return added;
    }

    private void unplace(int v, int h) {
        for (int d : instance.demandsOf[v]) {
            int partner = instance.other(d, v);
            placedBytesTo[partner][h] -= instance.demandBytes[d];
            placedBytes[partner] -= instance.demandBytes[d];
            int other = assignment[partner];
            if (other >= 0 && other != h) {
                nic(d, h, other, -1);
            }
        }
        assignment[v] = -1;
        cpu[h] -= instance.vmCpu[v];
        memory[h] -= instance.vmMemory[v];
        vmsOn[h]--;
    }

    private void nic(int d, int a, int b, int sign) {
        long[] series = instance.demandBins[d];
        if (!checkNic || series == null) {
            return;
        }
        for (int i = 0; i < series.length; i++) {
            nicBins[a][i] += sign * series[i];
            nicBins[b][i] += sign * series[i];
        }
    }

    /** Cut demands only add to a NIC's bins, so a percentile over capacity stays over: prune. */
    private boolean nicWithinCapacity(int v, int h) {
        for (int d : instance.demandsOf[v]) {
            int other = assignment[instance.other(d, v)];
            if (other >= 0 && other != h && (over(h) || over(other))) {
                return false;
            }
        }
        return true;
    }

    private boolean over(int h) {
        if (instance.hostNicBps[h] <= 0) {
            return false;
        }
        return instance.bitsPerSecond(Instance.p95(nicBins[h])) > instance.hostNicBps[h];
    }

    /** Pinned VMs first, then each next VM the one with the most bytes to those already ordered. */
    static int[] order(Instance instance) {
        int n = instance.vms();
        int[] order = new int[n];
        boolean[] taken = new boolean[n];
        long[] affinity = new long[n];
        long[] degree = new long[n];
        for (int d = 0; d < instance.demands(); d++) {
            degree[instance.demandA[d]] += instance.demandBytes[d];
            degree[instance.demandB[d]] += instance.demandBytes[d];
        }
        for (int k = 0; k < n; k++) {
            int next = -1;
            for (int v = 0; v < n; v++) {
                if (taken[v]) {
                    continue;
                }
                if (next < 0 || better(instance, v, next, affinity, degree)) {
                    next = v;
                }
            }
            order[k] = next;
            taken[next] = true;
            for (int d : instance.demandsOf[next]) {
                affinity[instance.other(d, next)] += instance.demandBytes[d];
            }
        }
        return order;
    }

    private static boolean better(Instance instance, int v, int w, long[] affinity, long[] degree) {
        boolean pv = instance.pinned[v] >= 0;
        boolean pw = instance.pinned[w] >= 0;
        if (pv != pw) {
            return pv;
        }
        if (affinity[v] != affinity[w]) {
            return affinity[v] > affinity[w];
        }
        return degree[v] > degree[w];
    }
}
