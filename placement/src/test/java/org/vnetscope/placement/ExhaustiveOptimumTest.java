package org.vnetscope.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Small instances solved by enumerating every assignment (written here apart from the product's evaluation): the
 * exhaustive search proves the same optimum, and the local search alone reaches it.
 */
class ExhaustiveOptimumTest {

    record Best(long cross, int moves, boolean feasible) {
    }

    /** Every one of hosts^vms assignments, checked against the problem as given. */
    static Best enumerate(PlacementProblem problem) {
        int n = problem.vms().size();
        int hosts = problem.hosts().size();
        Map<String, Integer> hostIndex = new java.util.HashMap<>();
        for (int h = 0; h < hosts; h++) {
            hostIndex.put(problem.hosts().get(h).name(), h);
        }
        Map<String, Integer> vmIndex = new java.util.HashMap<>();
        for (int v = 0; v < n; v++) {
            vmIndex.put(problem.vms().get(v).name(), v);
        }
        int[] assignment = new int[n];
        long bestCross = Long.MAX_VALUE;
        int bestMoves = Integer.MAX_VALUE;
        long total = (long) Math.pow(hosts, n);
        for (long code = 0; code < total; code++) {
            long rest = code;
            for (int v = 0; v < n; v++) {
                assignment[v] = (int) (rest % hosts);
                rest /= hosts;
            }
            double[] cpu = new double[hosts];
            long[] memory = new long[hosts];
            int moves = 0;
            boolean ok = true;
            for (int v = 0; v < n; v++) {
                VmSpec vm = problem.vms().get(v);
                cpu[assignment[v]] += vm.cpu();
                memory[assignment[v]] += vm.memoryMib();
                if (vm.host() != null && hostIndex.get(vm.host()) != assignment[v]) {
                    moves++;
                }
                if (vm.pinnedTo() != null && hostIndex.get(vm.pinnedTo()) != assignment[v]) {
                    ok = false;
                }
            }
            for (int h = 0; h < hosts && ok; h++) {
                ok = cpu[h] <= problem.hosts().get(h).cpu() + 1e-9 && memory[h] <= problem.hosts().get(h).memoryMib();
            }
            if (!ok || problem.maxMoves() >= 0 && moves > problem.maxMoves()) {
                continue;
            }
            long cross = 0;
            for (Demand demand : problem.demands()) {
                if (assignment[vmIndex.get(demand.a())] != assignment[vmIndex.get(demand.b())]) {
                    cross += demand.bytes();
                }
            }
            if (cross < bestCross || cross == bestCross && moves < bestMoves) {
                bestCross = cross;
                bestMoves = moves;
            }
        }
        return new Best(bestCross, bestMoves, bestCross != Long.MAX_VALUE);
    }

    static PlacementProblem withRules(PlacementProblem problem, long seed) {
        java.util.Random random = new java.util.Random(seed);
        List<VmSpec> vms = problem.vms().stream()
                .map(vm -> random.nextInt(6) == 0 ? vm.pinned(vm.host()) : vm).collect(Collectors.toList());
        return problem.withVms(vms).withMaxMoves(seed % 3 == 0 ? 2 + random.nextInt(3) : -1);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void theSearchesReachTheOptimumOfEveryAssignment(long seed) {
        int vms = 6 + (int) (seed % 5);
        int hosts = 2 + (int) (seed % 3);
        PlacementProblem problem = withRules(Instances.random(seed, vms, hosts, 0.4), seed);
        Best truth = enumerate(problem);
        assertThat(truth.feasible()).isTrue();

        PlacementResult proven = Placer.solve(problem, PlacementOptions.defaults().withSeed(seed));
        assertThat(proven.stoppedBy()).isEqualTo("proven");
        assertThat(proven.optimal()).isTrue();
        assertThat(proven.after().crossHostBytes()).isEqualTo(truth.cross());
        assertThat(proven.after().moves()).isEqualTo(truth.moves());
        assertThat(proven.lowerBoundBytes()).isEqualTo(truth.cross());

        PlacementResult searched = Placer.solve(problem, PlacementOptions.defaults().withSeed(seed)
                .withExactNodeLimit(0).withUnimprovedSteps(3_000).withTimeLimit(Duration.ofSeconds(60)));
        assertThat(searched.after().feasible()).isTrue();
        assertThat(searched.after().crossHostBytes()).isEqualTo(truth.cross());
    }
}
