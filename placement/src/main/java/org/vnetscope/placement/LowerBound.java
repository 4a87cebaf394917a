package org.vnetscope.placement;

import java.util.ArrayList;
import java.util.List;

/**
 * Cross-host bytes no placement can avoid, cheap to compute when the search could not prove its optimum: a group of
 * VMs that talk to each other (a connected component of the traffic graph) and do not fit on any one host must be
 * split, so it cuts at least its minimum cut (Stoer and Wagner); traffic between VMs pinned to different hosts is
 * cut too. Components are disjoint, so their cuts add; the pins' bound is taken when larger.
 */
final class LowerBound {

    /** Components above this size are left out of the bound (the minimum cut is cubic in their size). */
    static final int MAX_COMPONENT = 400;

    private LowerBound() {
    }

    static long of(Instance instance) {
        long pinned = 0;
        for (int d = 0; d < instance.demands(); d++) {
            int pa = instance.pinned[instance.demandA[d]];
            int pb = instance.pinned[instance.demandB[d]];
            if (pa >= 0 && pb >= 0 && pa != pb) {
                pinned += instance.demandBytes[d];
            }
        }
        long maxCpu = 0;
        long maxMemory = 0;
        for (int h = 0; h < instance.hosts(); h++) {
            maxCpu = Math.max(maxCpu, instance.hostCpu[h]);
            maxMemory = Math.max(maxMemory, instance.hostMemory[h]);
        }
        long split = 0;
        for (List<Integer> component : components(instance)) {
            long cpu = 0;
            long memory = 0;
            for (int v : component) {
                cpu += instance.vmCpu[v];
                memory += instance.vmMemory[v];
            }
            if ((cpu > maxCpu || memory > maxMemory) && component.size() <= MAX_COMPONENT) {
                split += minimumCut(instance, component);
            }
        }
        return Math.max(pinned, split);
    }

    private static List<List<Integer>> components(Instance instance) {
        int n = instance.vms();
        int[] label = new int[n];
        java.util.Arrays.fill(label, -1);
        List<List<Integer>> components = new ArrayList<>();
        for (int start = 0; start < n; start++) {
            if (label[start] >= 0 || instance.demandsOf[start].length == 0) {
                continue;
            }
            List<Integer> component = new ArrayList<>();
            java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
            queue.add(start);
            label[start] = components.size();
            while (!queue.isEmpty()) {
                int v = queue.poll();
                component.add(v);
                for (int d : instance.demandsOf[v]) {
                    int w = instance.other(d, v);
                    if (label[w] < 0) {
                        label[w] = components.size();
                        queue.add(w);
                    }
                }
            }
            components.add(component);
        }
        return components;
    }

    /** Stoer-Wagner on the component's traffic graph. */
    static long minimumCut(Instance instance, List<Integer> component) {
        int n = component.size();
        if (n < 2) {
            return 0;
        }
        java.util.Map<Integer, Integer> local = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            local.put(component.get(i), i);
        }
        long[][] weight = new long[n][n];
        for (int v : component) {
            for (int d : instance.demandsOf[v]) {
                int i = local.get(v);
                int j = local.get(instance.other(d, v));
                if (i < j) {
                    weight[i][j] += instance.demandBytes[d];
                    weight[j][i] += instance.demandBytes[d];
                }
            }
        }
        boolean[] merged = new boolean[n];
        long best = Long.MAX_VALUE;
        for (int phase = n; phase > 1; phase--) {
            long[] link = new long[n];
            boolean[] added = new boolean[n];
            int previous = -1;
            int last = -1;
            for (int k = 0; k < phase; k++) {
                int next = -1;
                for (int i = 0; i < n; i++) {
                    if (!merged[i] && !added[i] && (next < 0 || link[i] > link[next])) {
                        next = i;
                    }
                }
                added[next] = true;
                previous = last;
                last = next;
                for (int i = 0; i < n; i++) {
                    if (!merged[i] && !added[i]) {
                        link[i] += weight[next][i];
                    }
                }
            }
            best = Math.min(best, link[last]);
            merged[last] = true;
            for (int i = 0; i < n; i++) {
                weight[previous][i] += weight[last][i];
                weight[i][previous] = weight[previous][i];
            }
        }
        return best;
    }
}
