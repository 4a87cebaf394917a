package org.vnetscope.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The placements an operator gets without vnetscope, which the solver must never do worse than: the current one,
 * a traffic-oblivious first-fit decreasing (what CPU/memory schedulers do), and greedy merging of the heaviest
 * pairs (what affinity rules written by hand approximate).
 */
final class Baselines {

    private Baselines() {
    }

    /** The placement now, pins applied, VMs with no host put where they first fit. */
    static int[] current(Instance instance) {
        int[] assignment = instance.start();
        long[][] used = used(instance, assignment);
        for (int v = 0; v < instance.vms(); v++) {
            if (assignment[v] < 0) {
                assignment[v] = firstFit(instance, used, v);
                take(instance, used, v, assignment[v]);
            }
        }
        return assignment;
    }

    /** Largest memory first (then CPU), each VM on the first host it fits; pinned VMs stay on their pins. */
    static int[] firstFitDecreasing(Instance instance) {
        int[] assignment = new int[instance.vms()];
        java.util.Arrays.fill(assignment, -1);
        long[][] used = new long[2][instance.hosts()];
        for (int v = 0; v < instance.vms(); v++) {
            if (instance.pinned[v] >= 0) {
                assignment[v] = instance.pinned[v];
                take(instance, used, v, assignment[v]);
            }
        }
        Integer[] order = IntStream.range(0, instance.vms()).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(order, Comparator.<Integer>comparingLong(v -> -instance.vmMemory[v])
                .thenComparingLong(v -> -instance.vmCpu[v]).thenComparingInt(v -> v));
        for (int v : order) {
            if (assignment[v] < 0) {
                assignment[v] = firstFit(instance, used, v);
                take(instance, used, v, assignment[v]);
            }
        }
        return assignment;
    }

    /**
     * Heaviest pairs first, each merging two groups of VMs when the group still fits the largest host (and holds
     * no two pins to different hosts); then the groups, largest first, each on the host that already runs most of
     * its memory and has room, else VM by VM where they fit.
     */
    static int[] greedyMerge(Instance instance) {
        int n = instance.vms();
        int[] parent = IntStream.range(0, n).toArray();
        long[] groupCpu = instance.vmCpu.clone();
        long[] groupMemory = instance.vmMemory.clone();
        int[] groupPin = instance.pinned.clone();
        long maxCpu = 0;
        long maxMemory = 0;
        for (int h = 0; h < instance.hosts(); h++) {
            maxCpu = Math.max(maxCpu, instance.hostCpu[h]);
            maxMemory = Math.max(maxMemory, instance.hostMemory[h]);
        }
        Integer[] demands = IntStream.range(0, instance.demands()).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(demands, Comparator.<Integer>comparingLong(d -> -instance.demandBytes[d])
                .thenComparingInt(d -> d));
        for (int d : demands) {
            int a = find(parent, instance.demandA[d]);
            int b = find(parent, instance.demandB[d]);
            if (a == b) {
                continue;
            }
            boolean pinsAgree = groupPin[a] < 0 || groupPin[b] < 0 || groupPin[a] == groupPin[b];
            int pin = groupPin[a] >= 0 ? groupPin[a] : groupPin[b];
            long cpu = groupCpu[a] + groupCpu[b];
            long memory = groupMemory[a] + groupMemory[b];
            long capCpu = pin >= 0 ? instance.hostCpu[pin] : maxCpu;
            long capMemory = pin >= 0 ? instance.hostMemory[pin] : maxMemory;
            if (pinsAgree && cpu <= capCpu && memory <= capMemory) {
                parent[b] = a;
                groupCpu[a] = cpu;
                groupMemory[a] = memory;
                groupPin[a] = pin;
            }
        }
        Map<Integer, List<Integer>> groups = new HashMap<>();
        for (int v = 0; v < n; v++) {
            groups.computeIfAbsent(find(parent, v), k -> new ArrayList<>()).add(v);
        }
        List<Integer> roots = new ArrayList<>(groups.keySet());
        roots.sort(Comparator.<Integer>comparingInt(r -> groupPin[r] >= 0 ? 0 : 1)
                .thenComparingLong(r -> -groupMemory[r]).thenComparingLong(r -> -groupCpu[r])
                .thenComparingInt(r -> r));
        int[] assignment = new int[n];
        java.util.Arrays.fill(assignment, -1);
        long[][] used = new long[2][instance.hosts()];
        for (int root : roots) {
            List<Integer> members = groups.get(root);
            int host = groupPin[root] >= 0 ? groupPin[root] : homeWithRoom(instance, used, members,
                    groupCpu[root], groupMemory[root]);
            for (int v : members) {
                int to = host >= 0 && fits(instance, used, v, host) ? host : firstFit(instance, used, v);
                if (instance.pinned[v] >= 0) {
                    to = instance.pinned[v];
                }
                assignment[v] = to;
                take(instance, used, v, to);
            }
        }
        return assignment;
    }

    private static int homeWithRoom(Instance instance, long[][] used, List<Integer> members, long cpu, long memory) {
        long[] memoryHere = new long[instance.hosts()];
        for (int v : members) {
            if (instance.current[v] >= 0) {
                memoryHere[instance.current[v]] += instance.vmMemory[v] + 1;
            }
        }
        int best = -1;
        for (int h = 0; h < instance.hosts(); h++) {
            boolean room = used[0][h] + cpu <= instance.hostCpu[h] && used[1][h] + memory <= instance.hostMemory[h];
            if (room && (best < 0 || memoryHere[h] > memoryHere[best])) {
                best = h;
            }
        }
        return best;
    }

    static int firstFit(Instance instance, long[][] used, int v) {
        for (int h = 0; h < instance.hosts(); h++) {
            if (fits(instance, used, v, h)) {
                return h;
            }
        }
        int roomiest = 0;
        for (int h = 1; h < instance.hosts(); h++) {
            if (instance.hostMemory[h] - used[1][h] > instance.hostMemory[roomiest] - used[1][roomiest]) {
                roomiest = h;
            }
        }
        return roomiest;
    }

    static boolean fits(Instance instance, long[][] used, int v, int h) {
        return used[0][h] + instance.vmCpu[v] <= instance.hostCpu[h]
                && used[1][h] + instance.vmMemory[v] <= instance.hostMemory[h];
    }

    static void take(Instance instance, long[][] used, int v, int h) {
        if (h >= 0) {
            used[0][h] += instance.vmCpu[v];
            used[1][h] += instance.vmMemory[v];
        }
    }

    private static long[][] used(Instance instance, int[] assignment) {
        long[][] used = new long[2][instance.hosts()];
        for (int v = 0; v < assignment.length; v++) {
            take(instance, used, v, assignment[v]);
        }
        return used;
    }

    private static int find(int[] parent, int v) {
        while (parent[v] != v) {
            parent[v] = parent[parent[v]];
            v = parent[v];
        }
        return v;
    }
}
