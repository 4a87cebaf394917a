package org.vnetscope.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same problem and seed give the same plan; the lower bound is a minimum cut and never above a result. */
class DeterminismTest {

    static final PlacementOptions LOCAL = PlacementOptions.defaults().withExactNodeLimit(0)
            .withUnimprovedSteps(3_000).withTimeLimit(Duration.ofSeconds(60));

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void theSameSeedGivesTheSamePlan(long seed) {
        PlacementProblem problem = Instances.random(300 + seed, 30, 5, 0.15);
        PlacementResult first = Placer.solve(problem, LOCAL.withSeed(seed));
        PlacementResult second = Placer.solve(problem, LOCAL.withSeed(seed));

        assertThat(first.stoppedBy()).isEqualTo("converged");
        assertThat(second.placement()).isEqualTo(first.placement());
        assertThat(second.moves()).isEqualTo(first.moves());
        assertThat(second.unordered()).isEqualTo(first.unordered());
        assertThat(second.after().crossHostBytes()).isEqualTo(first.after().crossHostBytes());
        assertThat(second.remaining()).isEqualTo(first.remaining());
    }

    /** Stoer and Wagner's example graph: its minimum cut, 4, separates {1, 2, 5, 6} from {3, 4, 7, 8}. */
    @Test
    void minimumCutOfTheStoerWagnerExample() {
        int[][] edges = {{1, 2, 2}, {1, 5, 3}, {2, 3, 3}, {2, 5, 2}, {2, 6, 2}, {3, 4, 4}, {3, 7, 2}, {4, 7, 2},
                {4, 8, 2}, {5, 6, 3}, {6, 7, 1}, {7, 8, 3}};
        Instance instance = graph(8, edges);
        List<Integer> all = IntStream.range(0, 8).boxed().toList();
        assertThat(LowerBound.minimumCut(instance, all)).isEqualTo(4).isEqualTo(bruteForceMinimumCut(8, edges));
    }

    @Test
    void minimumCutOfTwoCliquesJoinedByTwoLightEdges() {
        List<int[]> edges = new ArrayList<>();
        for (int a = 1; a <= 5; a++) {
            for (int b = a + 1; b <= 5; b++) {
                edges.add(new int[] {a, b, 10});
                edges.add(new int[] {a + 5, b + 5, 10});
            }
        }
        edges.add(new int[] {1, 6, 3});
        edges.add(new int[] {2, 7, 4});
        int[][] array = edges.toArray(int[][]::new);
        Instance instance = graph(10, array);
        List<Integer> all = IntStream.range(0, 10).boxed().toList();
        assertThat(LowerBound.minimumCut(instance, all)).isEqualTo(7).isEqualTo(bruteForceMinimumCut(10, array));
        // a pendant vertex: its one edge is the minimum cut
        int[][] pendant = java.util.Arrays.copyOf(array, array.length + 1);
        pendant[array.length] = new int[] {10, 11, 2};
        assertThat(LowerBound.minimumCut(graph(11, pendant), IntStream.range(0, 11).boxed().toList())).isEqualTo(2);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void theLowerBoundIsNeverAboveAResult(long seed) {
        PlacementProblem problem = Instances.random(400 + seed, 8 + (int) (seed % 3), 2 + (int) (seed % 2), 0.5);
        Instance instance = new Instance(problem);
        long bound = LowerBound.of(instance);
        ExhaustiveOptimumTest.Best truth = ExhaustiveOptimumTest.enumerate(problem);
        assertThat(bound).isLessThanOrEqualTo(truth.cross());
        for (int[] baseline : List.of(Baselines.current(instance), Baselines.firstFitDecreasing(instance),
                Baselines.greedyMerge(instance))) {
            Loads loads = new Loads(instance, baseline);
            if (loads.feasible()) {
                assertThat(bound).isLessThanOrEqualTo(loads.crossBytes);
            }
        }
        PlacementResult result = Placer.solve(problem, LOCAL.withSeed(seed));
        assertThat(bound).isLessThanOrEqualTo(result.after().crossHostBytes());
        assertThat(result.lowerBoundBytes()).isLessThanOrEqualTo(result.after().crossHostBytes());
        System.out.printf("lower bound seed %d: %d VMs, %d hosts: bound %d, optimum %d, local search %d%n", seed,
                problem.vms().size(), problem.hosts().size(), bound, truth.cross(), result.after().crossHostBytes());
    }

    @Test
    void theLowerBoundIsAboveZeroWhenNoHostHoldsAConnectedGroup() {
        // a dense group that fits no single host must be split: the bound is its minimum cut, not 0
        PlacementProblem problem = Instances.random(410, 20, 4, 0.6);
        Instance instance = new Instance(problem);
        long bound = LowerBound.of(instance);
        assertThat(bound).isPositive();
        PlacementResult result = Placer.solve(problem, LOCAL.withSeed(1));
        assertThat(result.after().feasible()).isTrue();
        assertThat(bound).isLessThanOrEqualTo(result.after().crossHostBytes());
    }

    /** VMs v1..vn (no sizes), one host, demands as the edges. */
    static Instance graph(int vms, int[][] edges) {
        List<VmSpec> vmList = new ArrayList<>();
        for (int v = 1; v <= vms; v++) {
            vmList.add(new VmSpec("v" + v, "h", 0, 0, null));
        }
        List<Demand> demands = new ArrayList<>();
        for (int[] edge : edges) {
            demands.add(new Demand("v" + edge[0], "v" + edge[1], edge[2]));
        }
        return new Instance(new PlacementProblem(List.of(new HostSpec("h", 1, 1, 0)), vmList, demands, 0, 0, -1));
    }

    static long bruteForceMinimumCut(int vms, int[][] edges) {
        long best = Long.MAX_VALUE;
        // vertex 1 always on side 0; every non-empty other side
        for (int mask = 1; mask < 1 << (vms - 1); mask++) {
            long cut = 0;
            for (int[] edge : edges) {
                boolean a = edge[0] > 1 && (mask >> (edge[0] - 2) & 1) == 1;
                boolean b = edge[1] > 1 && (mask >> (edge[1] - 2) & 1) == 1;
                if (a != b) {
                    cut += edge[2];
                }
            }
            best = Math.min(best, cut);
        }
        return best;
    }
}
