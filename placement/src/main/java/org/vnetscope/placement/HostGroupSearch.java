package org.vnetscope.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A large neighbourhood search over groups of hosts: the VMs of two hosts (then three) that exchange traffic are
 * placed again on those hosts by the exhaustive search ({@link ExactSearch}), everything else fixed, and the result
 * is kept when the whole placement is better. A VM's traffic to the VMs of other hosts is cut wherever it goes among
 * the group's hosts, so the small search only weighs the traffic inside the group, and the most it can save is what
 * crosses between the group's hosts: groups are tried in that order.
 *
 * <p>Where single-VM moves and swaps stall (hosts 75 to 85% full, whole communities of VMs to exchange between two
 * hosts), one exact solve of 20 or 30 VMs makes the exchange at once. A group solved without gain is not solved
 * again until one of its hosts changes. The sub-problem leaves the NIC rule out (the whole placement's check, which
 * has it, decides); the node limit bounds each solve.
 */
final class HostGroupSearch {

    private final Instance instance;
    private final long nodeLimit;
    /** The clock when each group (its hosts as a key) was last solved. */
    private final Map<Long, Long> solvedAt = new HashMap<>();
    /** The clock when each host's VMs last changed. */
    private final long[] changedAt;
    private long clock;
    /** The placement {@link #changedAt} describes. */
    private int[] known;
    private long solves;
    private long improvements;

    HostGroupSearch(Instance instance, long nodeLimit) {
        this.instance = instance;
        this.nodeLimit = nodeLimit;
        changedAt = new long[instance.hosts()];
    }

    long solves() {
        return solves;
    }

    long improvements() {
        return improvements;
    }

    /**
     * Groups of two hosts until none improves, then of up to {@code maxHosts}; again from two while the larger
     * groups improved anything. Stops at the deadline with the best so far.
     */
    int[] improve(int[] assignment, int maxHosts, long deadline) {
        int[] current = assignment.clone();
        forget(current);
        Loads loads = new Loads(instance, current);
        int largest = Math.min(maxHosts, instance.hosts());
        boolean again = true;
        while (again && System.nanoTime() < deadline) {
            again = false;
            for (int size = 2; size <= largest && System.nanoTime() < deadline; size++) {
                Loads before = loads;
                loads = sweep(loads, size, deadline);
                again |= size > 2 && Loads.compare(loads, before) < 0;
            }
        }
        known = loads.assignment.clone();
        return loads.assignment.clone();
    }

    /** Hosts whose VMs differ from the placement last seen count as changed. */
    private void forget(int[] assignment) {
        if (known == null) {
            known = assignment.clone();
            return;
        }
        clock++;
        for (int v = 0; v < assignment.length; v++) {
            if (assignment[v] != known[v]) {
                touch(known[v]);
                touch(assignment[v]);
            }
        }
        known = assignment.clone();
    }

    private void touch(int host) {
        if (host >= 0) {
            changedAt[host] = clock;
        }
    }

    /**
     * Every group of a size, by the traffic between its first two hosts, until a pass improves nothing. Groups of
     * three are the pair with the host that exchanges most with it, and when that brings nothing, the pair with the
     * hosts with most memory free (room a community split over the pair may fit in whole).
     */
    private Loads sweep(Loads start, int size, long deadline) {
        Loads loads = start;
        boolean improved = true;
        while (improved && System.nanoTime() < deadline) {
            improved = false;
            for (int[] pair : pairsByTraffic(loads)) {
                if (System.nanoTime() >= deadline) {
                    break;
                }
                if (loads.hostMatrix[pair[0]][pair[1]] == 0) {
                    continue;
                }
                Loads then = solveGroup(loads, connectedGroup(loads, pair[0], pair[1], size), deadline);
                if (then == null && size > 2) {
                    then = solveGroup(loads, roomyGroup(loads, pair[0], pair[1], size), deadline);
                }
                if (then != null) {
                    loads = then;
                    improved = true;
                }
            }
        }
        return loads;
    }

    /** The placement with the group's VMs placed again when that is better; null when not, or already tried. */
    private Loads solveGroup(Loads loads, int[] hosts, long deadline) {
        long key = key(hosts);
        long lastChange = 0;
        for (int h : hosts) {
            lastChange = Math.max(lastChange, changedAt[h]);
        }
        Long solved = solvedAt.get(key);
        if (solved != null && solved >= lastChange) {
            return null;
        }
        int[] current = loads.assignment;
        int[] candidate = resolve(current, hosts, deadline);
        solves++;
        Loads better = null;
        if (candidate != null && !Arrays.equals(candidate, current)) {
            Loads then = new Loads(instance, candidate);
            if (Loads.compare(then, loads) < 0) {
                clock++;
                for (int v = 0; v < candidate.length; v++) {
                    if (candidate[v] != current[v]) {
                        touch(current[v]);
                        touch(candidate[v]);
                    }
                }
                better = then;
                improvements++;
            }
        }
        solvedAt.put(key, clock);
        return better;
    }

    /** Host pairs with traffic between them, the most first. */
    private List<int[]> pairsByTraffic(Loads loads) {
        List<int[]> pairs = new ArrayList<>();
        for (int a = 0; a < instance.hosts(); a++) {
            for (int b = a + 1; b < instance.hosts(); b++) {
                if (loads.hostMatrix[a][b] > 0) {
                    pairs.add(new int[] {a, b});
                }
            }
        }
        pairs.sort((x, y) -> {
            int c = Long.compare(loads.hostMatrix[y[0]][y[1]], loads.hostMatrix[x[0]][x[1]]);
            return c != 0 ? c : x[0] != y[0] ? Integer.compare(x[0], y[0]) : Integer.compare(x[1], y[1]);
        });
        return pairs;
    }

    /** The pair and, one by one, the host that exchanges most with those already in the group. */
    private int[] connectedGroup(Loads loads, int a, int b, int size) {
        int[] hosts = new int[size];
        hosts[0] = a;
        hosts[1] = b;
        for (int g = 2; g < size; g++) {
            int next = -1;
            long most = -1;
            for (int h = 0; h < instance.hosts(); h++) {
                boolean in = false;
                long with = 0;
                for (int i = 0; i < g; i++) {
                    in |= hosts[i] == h;
                    with += loads.hostMatrix[hosts[i]][h];
                }
                if (!in && with > most) {
                    most = with;
                    next = h;
                }
            }
            hosts[g] = next;
        }
        return hosts;
    }

    /** The pair and the hosts with the most memory free. */
    private int[] roomyGroup(Loads loads, int a, int b, int size) {
        int[] hosts = new int[size];
        hosts[0] = a;
        hosts[1] = b;
        for (int g = 2; g < size; g++) {
            int next = -1;
            for (int h = 0; h < instance.hosts(); h++) {
                boolean in = false;
                for (int i = 0; i < g; i++) {
                    in |= hosts[i] == h;
                }
                if (!in && (next < 0 || free(loads, h) > free(loads, next))) {
                    next = h;
                }
            }
            hosts[g] = next;
        }
        return hosts;
    }

    private long free(Loads loads, int host) {
        return instance.hostMemory[host] - loads.memory[host];
    }

    private long key(int[] hosts) {
        int[] sorted = hosts.clone();
        Arrays.sort(sorted);
        long key = 0;
        for (int h : sorted) {
            key = key * instance.hosts() + h;
        }
        return key * 8 + hosts.length;
    }

    /** The VMs of the hosts placed again on them by the exhaustive search; null when it finds nothing. */
    private int[] resolve(int[] current, int[] hosts, long deadline) {
        int[] local = new int[instance.hosts()];
        Arrays.fill(local, -1);
        List<HostSpec> hostSpecs = new ArrayList<>();
        for (int i = 0; i < hosts.length; i++) {
            local[hosts[i]] = i;
            hostSpecs.add(new HostSpec("h" + i, instance.hostCpu[hosts[i]] / 1000.0, instance.hostMemory[hosts[i]], 0));
        }
        List<Integer> members = new ArrayList<>();
        for (int v = 0; v < instance.vms(); v++) {
            if (current[v] >= 0 && local[current[v]] >= 0) {
                members.add(v);
            }
        }
        int[] localVm = new int[instance.vms()];
        Arrays.fill(localVm, -1);
        List<VmSpec> vms = new ArrayList<>();
        int[] incumbent = new int[members.size()];
        for (int i = 0; i < members.size(); i++) {
            int v = members.get(i);
            localVm[v] = i;
            // a pinned VM stays where it is (on its pin, unless the start broke it)
            String pin = instance.pinned[v] < 0 ? null : "h" + local[current[v]];
            String now = instance.current[v] >= 0 && local[instance.current[v]] >= 0
                    ? "h" + local[instance.current[v]] : null;
            vms.add(new VmSpec("v" + i, now, instance.vmCpu[v] / 1000.0, instance.vmMemory[v], pin));
            incumbent[i] = local[current[v]];
        }
        List<Demand> demands = new ArrayList<>();
        for (int v : members) {
            for (int d : instance.demandsOf[v]) {
                int u = instance.other(d, v);
                if (localVm[u] > localVm[v]) {
                    demands.add(new Demand("v" + localVm[v], "v" + localVm[u], instance.demandBytes[d]));
                }
            }
        }
        Instance sub = new Instance(new PlacementProblem(hostSpecs, vms, demands, 0, 0, -1));
        ExactSearch.Outcome outcome = new ExactSearch(sub, nodeLimit, deadline).run(incumbent);
        if (outcome.assignment() == null) {
            return null;
        }
        int[] candidate = current.clone();
        for (int i = 0; i < members.size(); i++) {
            candidate[members.get(i)] = hosts[outcome.assignment()[i]];
        }
        return candidate;
    }
}
