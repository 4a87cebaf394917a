package org.vnetscope.placement;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import ai.timefold.solver.core.api.score.calculator.IncrementalScoreCalculator;

/**
 * The placement's score, kept up to date move by move: hard, the capacity excess ({@link Scoring}) and migrations
 * over the budget; medium, the cross-host bytes; soft, the number of migrations. A VM's move touches only its own
 * demands, so a step costs its degree plus, where NIC capacities are known, a percentile over the time bins of
 * the hosts whose cross-host traffic changed.
 */
public class PlacementScoreCalculator implements IncrementalScoreCalculator<SolverPlacement, HardMediumSoftLongScore> {

    private Instance instance;
    private int[] host;
    private long[] cpu;
    private long[] memory;
    private long[][] nicBins;
    private long[] nicP95Bps;
    private boolean[] nicStale;
    private boolean checkNic;
    private long crossBytes;
    private int moves;

    @Override
    public void resetWorkingSolution(SolverPlacement solution) {
        instance = solution.instance();
        int hosts = instance.hosts();
        host = new int[instance.vms()];
        java.util.Arrays.fill(host, -1);
        cpu = new long[hosts];
        memory = new long[hosts];
        checkNic = instance.bins > 0;
        nicBins = new long[hosts][checkNic ? instance.bins : 0];
        nicP95Bps = new long[hosts];
        nicStale = new boolean[hosts];
        crossBytes = 0;
        moves = 0;
        for (SolverVm vm : solution.vms()) {
            insert(vm.index(), vm.host() == null ? -1 : vm.host().index());
        }
    }

    @Override
    public void beforeEntityAdded(Object entity) {
    }

    @Override
    public void afterEntityAdded(Object entity) {
        SolverVm vm = (SolverVm) entity;
        insert(vm.index(), vm.host() == null ? -1 : vm.host().index());
    }

    @Override
    public void beforeVariableChanged(Object entity, String variableName) {
        retract(((SolverVm) entity).index());
    }

    @Override
    public void afterVariableChanged(Object entity, String variableName) {
        SolverVm vm = (SolverVm) entity;
        insert(vm.index(), vm.host() == null ? -1 : vm.host().index());
    }

    @Override
    public void beforeEntityRemoved(Object entity) {
        retract(((SolverVm) entity).index());
    }

    @Override
    public void afterEntityRemoved(Object entity) {
    }

    private void insert(int vm, int to) {
        host[vm] = to;
        if (to < 0) {
            return;
        }
        cpu[to] += instance.vmCpu[vm];
        memory[to] += instance.vmMemory[vm];
        if (instance.moved(vm, to)) {
            moves++;
        }
        for (int d : instance.demandsOf[vm]) {
            int other = host[instance.other(d, vm)];
            if (other >= 0 && other != to) {
                crossBytes += instance.demandBytes[d];
                addNic(d, to, other, 1);
            }
        }
    }

    private void retract(int vm) {
        int from = host[vm];
        if (from < 0) {
            return;
        }
        cpu[from] -= instance.vmCpu[vm];
        memory[from] -= instance.vmMemory[vm];
        if (instance.moved(vm, from)) {
            moves--;
        }
        for (int d : instance.demandsOf[vm]) {
            int other = host[instance.other(d, vm)];
            if (other >= 0 && other != from) {
                crossBytes -= instance.demandBytes[d];
                addNic(d, from, other, -1);
            }
        }
        host[vm] = -1;
    }

    private void addNic(int demand, int a, int b, int sign) {
        long[] series = instance.demandBins[demand];
        if (!checkNic || series == null) {
            return;
        }
        long[] binsA = nicBins[a];
        long[] binsB = nicBins[b];
        for (int i = 0; i < series.length; i++) {
            binsA[i] += sign * series[i];
            binsB[i] += sign * series[i];
        }
        nicStale[a] = true;
        nicStale[b] = true;
    }

    @Override
    public HardMediumSoftLongScore calculateScore() {
        long hard = 0;
        for (int h = 0; h < cpu.length; h++) {
            if (nicStale[h]) {
                nicStale[h] = false;
                if (instance.hostNicBps[h] > 0) {
                    nicP95Bps[h] = instance.bitsPerSecond(Instance.p95(nicBins[h]));
                }
            }
            hard += Scoring.hostExcess(instance, h, cpu[h], memory[h], nicP95Bps[h]);
        }
        hard += Scoring.movesExcess(instance, moves);
        return HardMediumSoftLongScore.of(-hard, -crossBytes, -moves);
    }
}
