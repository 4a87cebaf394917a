package org.vnetscope.placement;

import ai.timefold.solver.core.api.score.director.ScoreDirector;
import ai.timefold.solver.core.impl.heuristic.move.AbstractMove;
import ai.timefold.solver.core.impl.heuristic.move.Move;
import ai.timefold.solver.core.impl.heuristic.selector.move.factory.MoveIteratorFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Moves aimed at the traffic: a VM to the host of a VM it talks to (the partner drawn in proportion to the bytes
 * between them), alone, swapped with a VM there, or with the VMs of its own host it talks to most (a group, moved
 * alone or swapped with VMs of the other host holding as much memory). Among 100 hosts, a change move to a random host
 * rarely lands where any of the VM's partners run, so the library's own moves mostly try what cannot help; these
 * try what can (what a nearby selection would, which the library's community edition does not have), and a group
 * moves a community's part at once, where one VM at a time would pass through worse placements.
 */
public class PartnerMoves implements MoveIteratorFactory<SolverPlacement, Move<SolverPlacement>> {

    private static final String VARIABLE = "host";

    /** One try in this many is a swap with a VM on the partner's host rather than a change. */
    private static final int SWAP_ONE_IN = 3;
    /** One try in this many moves a group: the VM and VMs of its host it talks to (alone, or swapped). */
    private static final int GROUP_ONE_IN = 4;
    private static final int MAX_GROUP = 8;

    /** The instance the tables below were built for (once per instance, not per step). */
    private Instance preparedFor;
    /** Per VM, the running sum of its demands' bytes in the order of {@code demandsOf}. */
    private long[][] cumulativeBytes;
    /** Per VM, its demands by bytes, the heaviest first. */
    private int[][] heaviestFirst;
    private int[] movable;

    public PartnerMoves() {
    }

    private void prepare(SolverPlacement solution) {
        Instance instance = solution.instance();
        if (preparedFor != instance) {
            movable = solution.movableVms();
            cumulativeBytes = new long[instance.vms()][];
            heaviestFirst = new int[instance.vms()][];
            for (int v = 0; v < instance.vms(); v++) {
                heaviestFirst[v] = Arrays.stream(instance.demandsOf[v]).boxed()
                        .sorted((x, y) -> Long.compare(instance.demandBytes[y], instance.demandBytes[x]))
                        .mapToInt(Integer::intValue).toArray();
                int[] demands = instance.demandsOf[v];
                long[] sums = new long[demands.length];
                long sum = 0;
                for (int i = 0; i < demands.length; i++) {
                    sum += Math.max(1, instance.demandBytes[demands[i]]);
                    sums[i] = sum;
                }
                cumulativeBytes[v] = sums;
            }
            preparedFor = instance;
        }
    }

    @Override
    public long getSize(ScoreDirector<SolverPlacement> scoreDirector) {
        Instance instance = scoreDirector.getWorkingSolution().instance();
        return 2L * instance.demands();
    }

    /** Every VM to every host one of its partners runs on (not a random order: for completeness only). */
    @Override
    public Iterator<Move<SolverPlacement>> createOriginalMoveIterator(ScoreDirector<SolverPlacement> scoreDirector) {
        SolverPlacement solution = scoreDirector.getWorkingSolution();
        Instance instance = solution.instance();
        List<Move<SolverPlacement>> moves = new ArrayList<>();
        for (SolverVm vm : solution.vms()) {
            if (vm.pinned()) {
                continue;
            }
            boolean[] seen = new boolean[instance.hosts()];
            for (int d : instance.demandsOf[vm.index()]) {
                SolverHost to = solution.vms().get(instance.other(d, vm.index())).host();
                if (to != null && to != vm.host() && !seen[to.index()]) {
                    seen[to.index()] = true;
                    moves.add(new Change(vm, to));
                }
            }
        }
        return moves.iterator();
    }

    @Override
    public Iterator<Move<SolverPlacement>> createRandomMoveIterator(ScoreDirector<SolverPlacement> scoreDirector,
                                                                     Random random) {
        SolverPlacement solution = scoreDirector.getWorkingSolution();
        prepare(solution);
        return new Sampler(solution, random, cumulativeBytes, heaviestFirst, movable);
    }

    /** An endless stream of moves drawn at random; the solution is read as it is when each is drawn. */
    private static final class Sampler implements Iterator<Move<SolverPlacement>> {

        private final SolverPlacement solution;
        private final Instance instance;
        private final Random random;
        private final int[] movable;
        /** Per VM, the running sum of its demands' bytes, in the order of {@code demandsOf}. */
        private final long[][] cumulativeBytes;
        /** Per VM, its demands by bytes, the heaviest first. */
        private final int[][] heaviestFirst;

        Sampler(SolverPlacement solution, Random random, long[][] cumulativeBytes, int[][] heaviestFirst,
                int[] movable) {
            this.solution = solution;
            this.heaviestFirst = heaviestFirst;
            this.instance = solution.instance();
            this.random = random;
            this.cumulativeBytes = cumulativeBytes;
            this.movable = movable;
        }

        @Override
        public boolean hasNext() {
            return movable.length > 0;
        }

        @Override
        public Move<SolverPlacement> next() {
            List<SolverVm> vms = solution.vms();
            List<SolverHost> hosts = solution.hosts();
            SolverVm vm = vms.get(movable[random.nextInt(movable.length)]);
            SolverHost to = partnerHost(vm);
            if (to == null) {
                to = hosts.get(random.nextInt(hosts.size()));
            }
            // a group moved becomes tabu whole: an eighth of the VMs at most, or a small instance has no move left
            int largestGroup = Math.min(MAX_GROUP, movable.length / 8);
            if (largestGroup >= 2 && random.nextInt(GROUP_ONE_IN) == 0) {
                List<SolverVm> group = groupAround(vm, 2 + random.nextInt(largestGroup - 1));
                if (group.size() > 1) {
                    SolverVm there = random.nextBoolean() ? movableOn(to) : null;
                    if (there != null) { // room made for the group: VMs of that host with as much memory back
                        long memory = 0;
                        for (SolverVm member : group) {
                            memory += instance.vmMemory[member.index()];
                        }
                        return new GroupSwap(group, groupAround(there, largestGroup, memory));
                    }
                    return new GroupChange(group, to);
                }
            }
            if (random.nextInt(SWAP_ONE_IN) == 0) {
                SolverVm there = movableOn(to);
                if (there != null) {
                    return new Swap(vm, there);
                }
            }
            return new Change(vm, to);
        }

        /** The VM and the movable VMs on its host it talks to, breadth first and heaviest first, up to a size. */
        private List<SolverVm> groupAround(SolverVm first, int size) {
            return groupAround(first, size, Long.MAX_VALUE);
        }

        /** The same, stopping once the group's memory reaches a figure. */
        private List<SolverVm> groupAround(SolverVm first, int size, long memoryEnough) {
            List<SolverVm> vms = solution.vms();
            List<SolverVm> group = new ArrayList<>(size);
            group.add(first);
            long memory = instance.vmMemory[first.index()];
            for (int at = 0; at < group.size() && group.size() < size && memory < memoryEnough; at++) {
                int v = group.get(at).index();
                for (int d : heaviestFirst[v]) {
                    SolverVm partner = vms.get(instance.other(d, v));
                    if (partner.host() == first.host() && !partner.pinned() && !group.contains(partner)) {
                        group.add(partner);
                        memory += instance.vmMemory[partner.index()];
                        if (group.size() == size || memory >= memoryEnough) {
                            break;
                        }
                    }
                }
            }
            return group;
        }

        /** The host of a partner drawn by bytes, other than the VM's own; null when a few draws find none. */
        private SolverHost partnerHost(SolverVm vm) {
            long[] sums = cumulativeBytes[vm.index()];
            if (sums.length == 0) {
                return null;
            }
            for (int attempt = 0; attempt < 4; attempt++) {
                long pick = (long) (random.nextDouble() * sums[sums.length - 1]);
                int at = Arrays.binarySearch(sums, pick + 1);
                int i = at >= 0 ? at : -at - 1;
                int partner = instance.other(instance.demandsOf[vm.index()][i], vm.index());
                SolverHost host = solution.vms().get(partner).host();
                if (host != null && host != vm.host()) {
                    return host;
                }
            }
            return null;
        }

        /** A movable VM on the host, found by drawing VMs at random (about as many draws as hosts suffice). */
        private SolverVm movableOn(SolverHost host) {
            List<SolverVm> vms = solution.vms();
            for (int attempt = 0; attempt < 2 * instance.hosts(); attempt++) {
                SolverVm vm = vms.get(movable[random.nextInt(movable.length)]);
                if (vm.host() == host) {
                    return vm;
                }
            }
            return null;
        }
    }

    /** A VM to another host. */
    static final class Change extends AbstractMove<SolverPlacement> {

        private final SolverVm vm;
        private final SolverHost to;

        Change(SolverVm vm, SolverHost to) {
            this.vm = vm;
            this.to = to;
        }

        @Override
        public boolean isMoveDoable(ScoreDirector<SolverPlacement> scoreDirector) {
            return vm.host() != to;
        }

        @Override
        protected void doMoveOnGenuineVariables(ScoreDirector<SolverPlacement> scoreDirector) {
            scoreDirector.beforeVariableChanged(vm, VARIABLE);
            vm.setHost(to);
            scoreDirector.afterVariableChanged(vm, VARIABLE);
        }

        @Override
        public Change rebase(ScoreDirector<SolverPlacement> destination) {
            return new Change(destination.lookUpWorkingObject(vm), destination.lookUpWorkingObject(to));
        }

        @Override
        public Collection<?> getPlanningEntities() {
            return List.of(vm);
        }

        @Override
        public Collection<?> getPlanningValues() {
            return List.of(to);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Change c && c.vm == vm && c.to == to;
        }

        @Override
        public int hashCode() {
            return 31 * vm.hashCode() + to.hashCode();
        }

        @Override
        public String toString() {
            return vm + " -> " + to;
        }
    }

    /** Several VMs of one host to another. */
    static final class GroupChange extends AbstractMove<SolverPlacement> {

        private final List<SolverVm> group;
        private final SolverHost to;

        GroupChange(List<SolverVm> group, SolverHost to) {
            this.group = group;
            this.to = to;
        }

        @Override
        public boolean isMoveDoable(ScoreDirector<SolverPlacement> scoreDirector) {
            SolverHost from = group.get(0).host();
            for (SolverVm vm : group) {
                if (vm.host() != from) {
                    return false;
                }
            }
            return from != to;
        }

        @Override
        protected void doMoveOnGenuineVariables(ScoreDirector<SolverPlacement> scoreDirector) {
            for (SolverVm vm : group) {
                scoreDirector.beforeVariableChanged(vm, VARIABLE);
                vm.setHost(to);
                scoreDirector.afterVariableChanged(vm, VARIABLE);
            }
        }

        @Override
        public GroupChange rebase(ScoreDirector<SolverPlacement> destination) {
            return new GroupChange(rebaseList(group, destination), destination.lookUpWorkingObject(to));
        }

        @Override
        public Collection<?> getPlanningEntities() {
            return group;
        }

        @Override
        public Collection<?> getPlanningValues() {
            return List.of(to);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof GroupChange g && g.group.equals(group) && g.to == to;
        }

        @Override
        public int hashCode() {
            return 31 * group.hashCode() + to.hashCode();
        }

        @Override
        public String toString() {
            return group + " -> " + to;
        }
    }

    /** A group of VMs of one host and a group of another trade places. */
    static final class GroupSwap extends AbstractMove<SolverPlacement> {

        private final List<SolverVm> left;
        private final List<SolverVm> right;

        GroupSwap(List<SolverVm> left, List<SolverVm> right) {
            this.left = left;
            this.right = right;
        }

        @Override
        public boolean isMoveDoable(ScoreDirector<SolverPlacement> scoreDirector) {
            SolverHost leftHost = left.get(0).host();
            SolverHost rightHost = right.get(0).host();
            return leftHost != rightHost && left.stream().allMatch(vm -> vm.host() == leftHost)
                    && right.stream().allMatch(vm -> vm.host() == rightHost);
        }

        @Override
        protected void doMoveOnGenuineVariables(ScoreDirector<SolverPlacement> scoreDirector) {
            SolverHost leftHost = left.get(0).host();
            SolverHost rightHost = right.get(0).host();
            for (SolverVm vm : left) {
                scoreDirector.beforeVariableChanged(vm, VARIABLE);
                vm.setHost(rightHost);
                scoreDirector.afterVariableChanged(vm, VARIABLE);
            }
            for (SolverVm vm : right) {
                scoreDirector.beforeVariableChanged(vm, VARIABLE);
                vm.setHost(leftHost);
                scoreDirector.afterVariableChanged(vm, VARIABLE);
            }
        }

        @Override
        public GroupSwap rebase(ScoreDirector<SolverPlacement> destination) {
            return new GroupSwap(rebaseList(left, destination), rebaseList(right, destination));
        }

        @Override
        public Collection<?> getPlanningEntities() {
            List<SolverVm> all = new ArrayList<>(left);
            all.addAll(right);
            return all;
        }

        @Override
        public Collection<?> getPlanningValues() {
            return Arrays.asList(left.get(0).host(), right.get(0).host());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof GroupSwap g && g.left.equals(left) && g.right.equals(right);
        }

        @Override
        public int hashCode() {
            return 31 * left.hashCode() + right.hashCode();
        }

        @Override
        public String toString() {
            return left + " <-> " + right;
        }
    }

    /** Two VMs on different hosts trade places. */
    static final class Swap extends AbstractMove<SolverPlacement> {

        private final SolverVm left;
        private final SolverVm right;

        Swap(SolverVm left, SolverVm right) {
            this.left = left;
            this.right = right;
        }

        @Override
        public boolean isMoveDoable(ScoreDirector<SolverPlacement> scoreDirector) {
            return left.host() != right.host();
        }

        @Override
        protected void doMoveOnGenuineVariables(ScoreDirector<SolverPlacement> scoreDirector) {
            SolverHost leftHost = left.host();
            SolverHost rightHost = right.host();
            scoreDirector.beforeVariableChanged(left, VARIABLE);
            left.setHost(rightHost);
            scoreDirector.afterVariableChanged(left, VARIABLE);
            scoreDirector.beforeVariableChanged(right, VARIABLE);
            right.setHost(leftHost);
            scoreDirector.afterVariableChanged(right, VARIABLE);
        }

        @Override
        public Swap rebase(ScoreDirector<SolverPlacement> destination) {
            return new Swap(destination.lookUpWorkingObject(left), destination.lookUpWorkingObject(right));
        }

        @Override
        public Collection<?> getPlanningEntities() {
            return List.of(left, right);
        }

        @Override
        public Collection<?> getPlanningValues() {
            return Arrays.asList(left.host(), right.host());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Swap s && s.left == left && s.right == right;
        }

        @Override
        public int hashCode() {
            return 31 * left.hashCode() + right.hashCode();
        }

        @Override
        public String toString() {
            return left + " <-> " + right;
        }
    }
}
