package org.vnetscope.placement;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import ai.timefold.solver.core.api.score.calculator.IncrementalScoreCalculator;

/**
 * The placement's score, kept up to date move by move: hard, the capacity excess ({@link Scoring}) and migrations
 * over the budget; medium, the cross-host bytes; soft, the number of migrations.
 *
 * <p>The NIC series are where the time goes (a host's series is the sum of its cut demands' series), so they are
 * kept lazily. A VM that changes host touches the series of two hosts only: its demands towards any third host stay
 * cut. Neither host's series can rise in any bin by more than the VM's peak bin ({@link Instance#vmPeakBinBytes}),
 * so neither's p95 can either: while a host's last computed p95 plus the peaks of the moves not yet applied to it
 * stays within its capacity, its NIC excess is 0 without touching its series. The moves are logged instead; the
 * library's undo of a trial move is the log's last move backwards and cancels it, so most trials never add a series.
 * When a bound no longer proves a host within capacity, the log is applied (the VM's whole series out of the old
 * host and into the new, and twice the demands between the VM and either host's VMs, which change side) and the
 * exact p95 taken.
 */
public class PlacementScoreCalculator implements IncrementalScoreCalculator<SolverPlacement, HardMediumSoftLongScore> {

    /** Moves logged beyond this are applied: the bounds grow loose and the log long. */
    private static final int MAX_LOGGED = 64;

    private Instance instance;
    private int[] host;
    private long[] cpu;
    private long[] memory;
    private boolean checkNic;
    /** Each host's cross-host bytes per bin, with every move up to the log's applied. */
    private long[][] nicBins;
    /** The p95 of {@link #nicBins} in bytes per bin; valid where {@link #p95Known}. */
    private long[] nicP95Bytes;
    private boolean[] p95Known;
    /** Per host, the sum of the peaks of the logged moves that touch it: how far its p95 may have risen since. */
    private long[] loggedRise;
    private int[] loggedVm;
    private int[] loggedFrom;
    private int[] loggedTo;
    private int logged;
    /** Each host's excess in the hard units, up to date except for the hosts listed as stale. */
    private long[] hostExcess;
    private long hostExcessSum;
    private boolean[] stale;
    private int[] staleHosts;
    private int staleCount;
    private long crossBytes;
    private int moves;
    private long pinExcess;
    /** The VM announced as about to change host, whose removal is held until its new host is known; -1 if none. */
    private int pendingVm = -1;

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
        nicP95Bytes = new long[hosts];
        p95Known = new boolean[hosts];
        loggedRise = new long[hosts];
        loggedVm = new int[MAX_LOGGED];
        loggedFrom = new int[MAX_LOGGED];
        loggedTo = new int[MAX_LOGGED];
        logged = 0;
        hostExcess = new long[hosts];
        hostExcessSum = 0;
        stale = new boolean[hosts];
        staleHosts = new int[hosts];
        staleCount = 0;
        crossBytes = 0;
        moves = 0;
        pinExcess = 0;
        for (int v = 0; v < instance.vms(); v++) {
            if (instance.pinned[v] >= 0) {
                pinExcess += Scoring.PIN_PENALTY; // until it is inserted on its pin, as Loads counts a VM not placed
            }
        }
        pendingVm = -1;
        for (SolverVm vm : solution.vms()) {
            insert(vm.index(), hostOf(vm));
        }
    }

    @Override
    public void beforeEntityAdded(Object entity) {
        settlePending();
    }

    @Override
    public void afterEntityAdded(Object entity) {
        SolverVm vm = (SolverVm) entity;
        insert(vm.index(), hostOf(vm));
    }

    @Override
    public void beforeVariableChanged(Object entity, String variableName) {
        settlePending();
        pendingVm = ((SolverVm) entity).index();
    }

    @Override
    public void afterVariableChanged(Object entity, String variableName) {
        SolverVm vm = (SolverVm) entity;
        int v = vm.index();
        if (pendingVm == v) {
            pendingVm = -1;
            move(v, hostOf(vm));
        } else {
            settlePending();
            insert(v, hostOf(vm));
        }
    }

    @Override
    public void beforeEntityRemoved(Object entity) {
        settlePending();
        retract(((SolverVm) entity).index());
    }

    @Override
    public void afterEntityRemoved(Object entity) {
    }

    private static int hostOf(SolverVm vm) {
        return vm.host() == null ? -1 : vm.host().index();
    }

    /** A removal announced but not followed by its VM's new host: done the slow way. */
    private void settlePending() {
        if (pendingVm >= 0) {
            int v = pendingVm;
            pendingVm = -1;
            retract(v);
        }
    }

    /** A VM from one host to another: resources and bytes at once, the NIC series logged. */
    private void move(int vm, int to) {
        int from = host[vm];
        if (from == to) {
            return;
        }
        if (from < 0 || to < 0) {
            retract(vm);
            insert(vm, to);
            return;
        }
        resources(vm, from, -1);
        resources(vm, to, 1);
        host[vm] = to;
        for (int d : instance.demandsOf[vm]) {
            int other = host[instance.other(d, vm)];
            if (other == from) {
                crossBytes += instance.demandBytes[d];
            } else if (other == to) {
                crossBytes -= instance.demandBytes[d];
            }
        }
        if (checkNic && instance.vmSeries[vm] != null) {
            long peak = instance.vmPeakBinBytes[vm];
            if (logged > 0 && loggedVm[logged - 1] == vm && loggedFrom[logged - 1] == to
                    && loggedTo[logged - 1] == from) {
                logged--; // the undo of the last move: as if neither had happened
                loggedRise[from] -= peak;
                loggedRise[to] -= peak;
            } else {
                if (logged == MAX_LOGGED) {
                    host[vm] = from; // the log is applied as it was before this move
                    applyLog();
                    host[vm] = to;
                }
                loggedVm[logged] = vm;
                loggedFrom[logged] = from;
                loggedTo[logged] = to;
                logged++;
                loggedRise[from] += peak;
                loggedRise[to] += peak;
            }
        }
        touch(from);
        touch(to);
    }

    /** Every logged move's effect on the NIC series, in order, from the VMs' hosts as they were at each. */
    private void applyLog() {
        for (int i = logged - 1; i >= 0; i--) {
            host[loggedVm[i]] = loggedFrom[i];
        }
        for (int i = 0; i < logged; i++) {
            int vm = loggedVm[i];
            int from = loggedFrom[i];
            int to = loggedTo[i];
            applySeriesMove(vm, from, to);
            host[vm] = to;
            loggedRise[from] = 0;
            loggedRise[to] = 0;
            p95Known[from] = false;
            p95Known[to] = false;
        }
        logged = 0;
    }

    /**
     * The old host loses the VM's demands towards every other host and gains those towards its own VMs, which
     * the VM leaves behind: its whole series out, twice the latter in; the new host the opposite.
     */
    private void applySeriesMove(int vm, int from, int to) {
        addSeries(nicBins[from], instance.vmSeries[vm], -1);
        addSeries(nicBins[to], instance.vmSeries[vm], 1);
        for (int d : instance.demandsOf[vm]) {
            long[] bins = instance.demandBins[d];
            if (bins == null) {
                continue;
            }
            int other = host[instance.other(d, vm)];
            if (other == from) {
                addSeries(nicBins[from], bins, 2);
            } else if (other == to) {
                addSeries(nicBins[to], bins, -2);
            } else if (other < 0) { // never cut: take back what the whole series moved
                addSeries(nicBins[from], bins, 1);
                addSeries(nicBins[to], bins, -1);
            }
        }
    }

    private void insert(int vm, int to) {
        applyLog();
        host[vm] = to;
        if (to < 0) {
            return;
        }
        resources(vm, to, 1);
        for (int d : instance.demandsOf[vm]) {
            int other = host[instance.other(d, vm)];
            if (other >= 0 && other != to) {
                crossBytes += instance.demandBytes[d];
                addDemandToNics(d, to, other, 1);
            }
        }
        touch(to);
    }

    private void retract(int vm) {
        applyLog();
        int from = host[vm];
        if (from < 0) {
            return;
        }
        resources(vm, from, -1);
        for (int d : instance.demandsOf[vm]) {
            int other = host[instance.other(d, vm)];
            if (other >= 0 && other != from) {
                crossBytes -= instance.demandBytes[d];
                addDemandToNics(d, from, other, -1);
            }
        }
        host[vm] = -1;
        touch(from);
    }

    private void resources(int vm, int h, int sign) {
        cpu[h] += sign * instance.vmCpu[vm];
        memory[h] += sign * instance.vmMemory[vm];
        if (instance.moved(vm, h)) {
            moves += sign;
        }
        if (instance.pinned[vm] == h) {
            pinExcess -= sign * Scoring.PIN_PENALTY;
        }
    }

    private void addDemandToNics(int demand, int a, int b, int sign) {
        long[] series = instance.demandBins[demand];
        if (!checkNic || series == null) {
            return;
        }
        addSeries(nicBins[a], series, sign);
        addSeries(nicBins[b], series, sign);
        p95Known[a] = false;
        p95Known[b] = false;
        touch(b);
    }

    private static void addSeries(long[] target, long[] series, int factor) {
        for (int i = 0; i < series.length; i++) {
            target[i] += factor * series[i];
        }
    }

    private void touch(int h) {
        if (!stale[h]) {
            stale[h] = true;
            staleHosts[staleCount++] = h;
        }
    }

    @Override
    public HardMediumSoftLongScore calculateScore() {
        settlePending();
        for (int i = 0; i < staleCount; i++) {
            int h = staleHosts[i];
            stale[h] = false;
            long excess = Scoring.hostExcess(instance, h, cpu[h], memory[h], nicP95Bps(h));
            hostExcessSum += excess - hostExcess[h];
            hostExcess[h] = excess;
        }
        staleCount = 0;
        long hard = hostExcessSum + pinExcess + Scoring.movesExcess(instance, moves);
        return HardMediumSoftLongScore.of(-hard, -crossBytes, -moves);
    }

    /**
     * The host's NIC load at p95 as far as its excess needs it: 0 while the bound proves it within capacity, else
     * the percentile itself, the logged moves applied.
     */
    private long nicP95Bps(int h) {
        long capacity = instance.nicCapacityBinBytes[h];
        if (!checkNic || capacity == Long.MAX_VALUE) {
            return 0;
        }
        if (!p95Known[h]) {
            nicP95Bytes[h] = Instance.p95(nicBins[h]);
            p95Known[h] = true;
        }
        if (nicP95Bytes[h] + loggedRise[h] <= capacity) {
            return 0;
        }
        if (loggedRise[h] > 0) {
            applyLog();
            nicP95Bytes[h] = Instance.p95(nicBins[h]);
            p95Known[h] = true;
        }
        return instance.bitsPerSecond(nicP95Bytes[h]);
    }
}
