package org.vnetscope.placement;

import ai.timefold.solver.core.api.solver.Solver;
import ai.timefold.solver.core.api.solver.SolverConfigOverride;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.heuristic.selector.move.MoveSelectorConfig;
import ai.timefold.solver.core.config.heuristic.selector.move.composite.UnionMoveSelectorConfig;
import ai.timefold.solver.core.config.heuristic.selector.move.factory.MoveIteratorFactoryConfig;
import ai.timefold.solver.core.config.heuristic.selector.move.generic.ChangeMoveSelectorConfig;
import ai.timefold.solver.core.config.heuristic.selector.move.generic.SwapMoveSelectorConfig;
import ai.timefold.solver.core.config.localsearch.LocalSearchPhaseConfig;
import ai.timefold.solver.core.config.localsearch.decider.acceptor.LocalSearchAcceptorConfig;
import ai.timefold.solver.core.config.localsearch.decider.forager.LocalSearchForagerConfig;
import ai.timefold.solver.core.config.score.director.ScoreDirectorFactoryConfig;
import ai.timefold.solver.core.config.solver.EnvironmentMode;
import ai.timefold.solver.core.config.solver.SolverConfig;
import ai.timefold.solver.core.config.solver.termination.TerminationConfig;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The search when no proof comes: an iterated local search whose rounds are a tabu search on Timefold followed by
 * the exact re-placement of host groups ({@link HostGroupSearch}).
 *
 * <ol>
 *   <li>From the first start: the host groups (at 1,000 VMs x 100 hosts they take the greedy baseline to a quarter
 *       of its cut before any tabu step), a tabu search (single VMs, swaps, moves to a partner's host, groups of VMs
 *       that talk to each other) until it stops improving, the host groups again.</li>
 *   <li>Rounds: the best placement so far kicked (groups of VMs that talk to each other moved together to another
 *       host, more of them the longer no round has improved), a shorter tabu search, the host groups; the best is
 *       kept. After {@link #RESTART_AFTER} rounds without gain, a round starts over from the next start (the other
 *       baselines): one descent ends in one of many local optima, several per cent apart at 200 VMs x 20 hosts,
 *       and another start or a large kick reaches others.</li>
 * </ol>
 *
 * It stops after {@link #IDLE_ROUNDS} rounds in a row without a better placement (the same result on any machine
 * for a seed; {@link PlacementOptions#idleRounds} changes the figure) or at the time limit.
 */
final class LocalSearch {

    /** Rounds in a row without a better placement after which the search stops. */
    static final int IDLE_ROUNDS = 6;
    /** Rounds in a row without a better placement after which the next round restarts from another start. */
    static final int RESTART_AFTER = 2;
    /** The node budget of each host group's exact solve (20 to 30 VMs at 10 per host: most finish well within). */
    static final long GROUP_NODE_LIMIT = 100_000;
    /** Hosts per group at most: pairs, then triples. */
    static final int GROUP_HOSTS = 3;
    /** A kick moves (times its strength) one group of VMs per this many VMs... */
    private static final int VMS_PER_KICKED_GROUP = 200;
    /** ...each of at most this many VMs. */
    private static final int KICKED_GROUP_SIZE = 8;
    /** Non-tabu moves sampled per tabu step (fewer on small instances). */
    private static final int ACCEPTED_MOVES = 100;
    private static final int ENTITY_TABU = 7;

    private LocalSearch() {
    }

    /**
     * From the first start; the others are restarts, each begun in place of a kick once {@link #RESTART_AFTER}
     * rounds in a row have brought nothing.
     */
    static int[] run(Instance instance, List<int[]> starts, PlacementOptions options, EnvironmentMode mode) {
        int[] first = starts.get(0);
        if (instance.vms() == 0 || instance.hosts() < 2) {
            return first.clone();
        }
        long deadline = System.nanoTime() + options.timeLimit().toNanos();
        int unimproved = options.unimprovedSteps(instance.vms(), instance.hosts());
        SolverFactory<SolverPlacement> factory = SolverFactory.create(config(instance, options, mode));
        HostGroupSearch groups = new HostGroupSearch(instance, GROUP_NODE_LIMIT);
        Random random = new Random(options.seed());

        int[] best = descend(factory, groups, instance, first, deadline, unimproved);
        Loads bestLoads = new Loads(instance, best);
        int restarts = 1;
        int idle = 0;
        int idleRounds = options.idleRounds(IDLE_ROUNDS);
        while (idle < idleRounds && System.nanoTime() < deadline) {
            int[] found;
            if (idle >= RESTART_AFTER && restarts < starts.size()) {
                found = descend(factory, groups, instance, starts.get(restarts++), deadline, unimproved);
            } else {
                // the longer nothing comes, the more is kicked
                int[] kicked = kick(instance, best, random, 1 + idle);
                found = groups.improve(tabu(factory, instance, kicked, deadline, Math.max(1, unimproved / 4)),
                        GROUP_HOSTS, deadline);
            }
            Loads loads = new Loads(instance, found);
            if (Loads.compare(loads, bestLoads) < 0) {
                best = found;
                bestLoads = loads;
                idle = 0;
            } else {
                idle++;
            }
        }
        return best;
    }

    /** Host groups, a tabu search until it stalls, host groups again. */
    private static int[] descend(SolverFactory<SolverPlacement> factory, HostGroupSearch groups, Instance instance,
                                 int[] start, long deadline, int unimproved) {
        int[] placement = groups.improve(start, GROUP_HOSTS, deadline);
        placement = tabu(factory, instance, placement, deadline, unimproved);
        return groups.improve(placement, GROUP_HOSTS, deadline);
    }

    /** The tabu search from a placement until so many steps bring nothing better, or the deadline. */
    private static int[] tabu(SolverFactory<SolverPlacement> factory, Instance instance, int[] start, long deadline,
                              int unimprovedSteps) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            return start;
        }
        Solver<SolverPlacement> solver = factory.buildSolver(new SolverConfigOverride<SolverPlacement>()
                .withTerminationConfig(new TerminationConfig().withSpentLimit(Duration.ofMillis(left))
                        .withUnimprovedStepCountLimit(unimprovedSteps)));
        return solver.solve(new SolverPlacement(instance, start)).assignment();
    }

    /**
     * Groups moved whole, {@code strength} per 200 VMs: a VM drawn at random with the VMs on its host it talks to
     * (breadth first, up to {@link #KICKED_GROUP_SIZE}), all to the host of one of the group's partners elsewhere or
     * to any host. A single VM moved back is an improving step the tabu search takes at once; a group's members
     * return one by one only through worse placements, so the search may settle elsewhere. Capacities may break:
     * the hard score repairs them first.
     */
    static int[] kick(Instance instance, int[] assignment, Random random, int strength) {
        int[] next = assignment.clone();
        List<Integer> movable = new ArrayList<>();
        for (int v = 0; v < instance.vms(); v++) {
            if (instance.pinned[v] < 0 && next[v] >= 0) {
                movable.add(v);
            }
        }
        if (movable.isEmpty()) {
            return next;
        }
        int groups = strength * Math.max(1, instance.vms() / VMS_PER_KICKED_GROUP);
        for (int g = 0; g < groups; g++) {
            int first = movable.get(random.nextInt(movable.size()));
            int home = next[first];
            List<Integer> group = new ArrayList<>();
            ArrayDeque<Integer> queue = new ArrayDeque<>();
            boolean[] inGroup = new boolean[instance.vms()];
            queue.add(first);
            inGroup[first] = true;
            List<Integer> partnerHosts = new ArrayList<>();
            while (!queue.isEmpty() && group.size() < KICKED_GROUP_SIZE) {
                int v = queue.poll();
                group.add(v);
                for (int d : instance.demandsOf[v]) {
                    int u = instance.other(d, v);
                    if (next[u] == home && !inGroup[u] && instance.pinned[u] < 0) {
                        inGroup[u] = true;
                        queue.add(u);
                    } else if (next[u] != home && next[u] >= 0) {
                        partnerHosts.add(next[u]);
                    }
                }
            }
            int to = !partnerHosts.isEmpty() && random.nextBoolean()
                    ? partnerHosts.get(random.nextInt(partnerHosts.size())) : random.nextInt(instance.hosts());
            for (int v : group) {
                next[v] = to;
            }
        }
        return next;
    }

    private static SolverConfig config(Instance instance, PlacementOptions options, EnvironmentMode mode) {
        return new SolverConfig()
                .withSolutionClass(SolverPlacement.class)
                .withEntityClasses(SolverVm.class)
                .withScoreDirectorFactory(new ScoreDirectorFactoryConfig()
                        .withIncrementalScoreCalculatorClass(PlacementScoreCalculator.class))
                .withEnvironmentMode(mode)
                .withRandomSeed(options.seed())
                // Tabu search, as the library's cloud balancing example: every step takes the best of a sample
                // of non-tabu moves even when all are worse, so the search leaves a local optimum; late acceptance
                // (the default) can wait forever there for a move no worse than its history. A hundred moves per
                // step (not a thousand): with moves aimed at partners' hosts a larger sample mostly costs time
                .withPhases(new LocalSearchPhaseConfig()
                        .withMoveSelectorConfig(moveSelectors())
                        .withAcceptorConfig(new LocalSearchAcceptorConfig()
                                .withEntityTabuSize(Math.max(1, Math.min(ENTITY_TABU, instance.vms() / 4))))
                        .withForagerConfig(new LocalSearchForagerConfig().withAcceptedCountLimit(
                                Math.max(10, Math.min(ACCEPTED_MOVES, instance.vms() * instance.hosts() / 4)))));
    }

    /**
     * The library's change and swap moves, and twice as often as both together, moves aimed at the traffic
     * ({@link PartnerMoves}).
     */
    private static MoveSelectorConfig moveSelectors() {
        return new UnionMoveSelectorConfig().withMoveSelectors(
                new ChangeMoveSelectorConfig().withFixedProbabilityWeight(1.0),
                new SwapMoveSelectorConfig().withFixedProbabilityWeight(1.0),
                new MoveIteratorFactoryConfig().withMoveIteratorFactoryClass(PartnerMoves.class)
                        .withFixedProbabilityWeight(4.0));
    }
}
