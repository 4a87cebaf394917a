package org.vnetscope.placement;

/**
 * What a placement costs: cross-host bytes, migrations, and each host's use against its capacity. Built from
 * scratch for any assignment (the baselines, the plan's steps, the results); the solver keeps the same figures
 * incrementally.
 */
final class Loads {

    final Instance instance;
    final int[] assignment;
    final long crossBytes;
    final int moves;
    final long[] cpu;
    final long[] memory;
    /** Each host's cross-host bytes (in plus out) per bin. */
    final long[][] nicBins;
    /** Each host's cross-host bytes (in plus out) over the window. */
    final long[] nicBytes;
    final long[][] hostMatrix;
    /** How far the placement breaks the hard rules, in the solver's units; 0 when it is feasible. */
    final long hardExcess;
    /** The part of {@link #hardExcess} that is NIC load over capacity. */
    final long nicExcess;

    Loads(Instance instance, int[] assignment) {
        this.instance = instance;
        this.assignment = assignment.clone();
        int hosts = instance.hosts();
        cpu = new long[hosts];
        memory = new long[hosts];
        nicBins = new long[hosts][instance.bins];
        nicBytes = new long[hosts];
        hostMatrix = new long[hosts][hosts];
        int movesSoFar = 0;
        for (int v = 0; v < instance.vms(); v++) {
            int h = assignment[v];
            if (h >= 0) {
                cpu[h] += instance.vmCpu[v];
                memory[h] += instance.vmMemory[v];
                if (instance.moved(v, h)) {
                    movesSoFar++;
                }
            }
        }
        moves = movesSoFar;
        long cross = 0;
        for (int d = 0; d < instance.demands(); d++) {
            int ha = assignment[instance.demandA[d]];
            int hb = assignment[instance.demandB[d]];
            if (ha < 0 || hb < 0) {
                continue;
            }
            hostMatrix[ha][hb] += instance.demandBytes[d];
            if (ha != hb) {
                hostMatrix[hb][ha] += instance.demandBytes[d];
                cross += instance.demandBytes[d];
                nicBytes[ha] += instance.demandBytes[d];
                nicBytes[hb] += instance.demandBytes[d];
                long[] series = instance.demandBins[d];
                if (series != null) {
                    for (int i = 0; i < series.length; i++) {
                        nicBins[ha][i] += series[i];
                        nicBins[hb][i] += series[i];
                    }
                }
            }
        }
        crossBytes = cross;
        long nics = 0;
        for (int h = 0; h < hosts; h++) {
            nics += Scoring.hostExcess(instance, h, 0, 0, instance.hostNicBps[h] > 0 ? nicP95Bps(h) : 0);
        }
        nicExcess = nics;
        hardExcess = computeHardExcess();
    }

    /** A host's NIC load: the 95th percentile of its binned cross-host rate, in bits/s. */
    long nicP95Bps(int host) {
        return instance.bitsPerSecond(Instance.p95(nicBins[host]));
    }

    /** The most used NIC's p95 load over its capacity; 0 when no capacity is known. */
    double maxNicUtilization() {
        double max = 0;
        for (int h = 0; h < instance.hosts(); h++) {
            if (instance.hostNicBps[h] > 0) {
                max = Math.max(max, nicP95Bps(h) / (double) instance.hostNicBps[h]);
            }
        }
        return max;
    }

    private long computeHardExcess() {
        long excess = 0;
        for (int h = 0; h < instance.hosts(); h++) {
            excess += Scoring.hostExcess(instance, h, cpu[h], memory[h], instance.hostNicBps[h] > 0 ? nicP95Bps(h) : 0);
        }
        for (int v = 0; v < instance.vms(); v++) {
            if (instance.pinned[v] >= 0 && assignment[v] != instance.pinned[v]) {
                excess += Scoring.PIN_PENALTY;
            }
        }
        return excess + Scoring.movesExcess(instance, moves);
    }

    boolean feasible() {
        return hardExcess == 0;
    }

    /** Within every CPU, memory, pin and the migration budget; NICs aside. */
    boolean feasibleButNics() {
        return hardExcess == nicExcess;
    }

    /** Hard excess, then cross-host bytes, then moves: smaller is better. */
    static int compare(Loads a, Loads b) {
        int c = Long.compare(a.hardExcess, b.hardExcess);
        if (c != 0) {
            return c;
        }
        c = Long.compare(a.crossBytes, b.crossBytes);
        return c != 0 ? c : Integer.compare(a.moves, b.moves);
    }
}
