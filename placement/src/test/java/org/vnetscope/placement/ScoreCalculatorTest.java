package org.vnetscope.placement;

import static org.assertj.core.api.Assertions.assertThat;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The incremental score, which applies a VM's change of host to the two hosts' NIC series at once, equals the
 * placement's figures computed from scratch ({@link Loads}: every demand's series added to both ends when cut)
 * after every move, swap, removal and re-insertion of a random walk over instances whose NICs are often over
 * capacity, with pins, a migration budget and demands with and without series.
 */
class ScoreCalculatorTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void theIncrementalScoreEqualsTheScoreFromScratch(long seed) {
        Random random = new Random(seed);
        PlacementProblem problem = binnedProblem(random, 30 + random.nextInt(20), 3 + random.nextInt(5), 16);
        Instance instance = new Instance(problem);
        int[] assignment = Baselines.current(instance);
        SolverPlacement solution = new SolverPlacement(instance, assignment);
        PlacementScoreCalculator calculator = new PlacementScoreCalculator();
        calculator.resetWorkingSolution(solution);
        assertSameAsFromScratch(instance, solution, calculator.calculateScore());

        List<SolverVm> vms = solution.vms();
        List<SolverHost> hosts = solution.hosts();
        int overloaded = 0;
        SolverVm lastMoved = null;
        SolverHost lastFrom = null;
        for (int step = 0; step < 3_000; step++) {
            int kind = random.nextInt(12);
            SolverVm vm = vms.get(random.nextInt(vms.size()));
            if (kind < 5) { // a change of host, sometimes to none
                SolverHost to = random.nextInt(40) == 0 ? null : hosts.get(random.nextInt(hosts.size()));
                lastMoved = vm;
                lastFrom = vm.host();
                change(calculator, vm, to);
            } else if (kind < 8 && lastMoved != null) { // a trial undone, as the library evaluates a move
                SolverHost back = lastFrom;
                lastFrom = lastMoved.host();
                change(calculator, lastMoved, back);
            } else if (kind < 11) { // a swap, as the library does it: one change after the other
                SolverVm other = vms.get(random.nextInt(vms.size()));
                SolverHost left = vm.host();
                change(calculator, vm, other.host());
                change(calculator, other, left);
            } else { // both announced before either changes
                SolverVm other = vms.get(random.nextInt(vms.size()));
                if (other == vm) {
                    continue;
                }
                SolverHost left = vm.host();
                calculator.beforeVariableChanged(vm, "host");
                calculator.beforeVariableChanged(other, "host");
                vm.setHost(other.host());
                other.setHost(left);
                calculator.afterVariableChanged(vm, "host");
                calculator.afterVariableChanged(other, "host");
            }
            HardMediumSoftLongScore score = calculator.calculateScore();
            assertSameAsFromScratch(instance, solution, score);
            if (score.hardScore() < 0) {
                overloaded++;
            }
        }
        // the walk met placements that break a rule, or the NIC part of the score was not exercised
        assertThat(overloaded).isGreaterThan(100);

        PlacementScoreCalculator fresh = new PlacementScoreCalculator();
        fresh.resetWorkingSolution(solution);
        assertThat(fresh.calculateScore()).isEqualTo(calculator.calculateScore());
    }

    /**
     * The library's full assertion mode recomputes the score from scratch after every move it tries, and checks
     * that undoing a move gives back the score before it: the search's own moves (a VM to a partner's host, a swap
     * with a VM there) and the incremental score agree with both.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {5, 6})
    void theSearchsMovesKeepTheScoreExactUnderTheLibrarysAssertions(long seed) {
        PlacementProblem problem = binnedProblem(new Random(seed), 24, 4, 8);
        Instance instance = new Instance(problem);
        PlacementOptions options = PlacementOptions.defaults().withSeed(seed).withUnimprovedSteps(150)
                .withIdleRounds(2).withTimeLimit(java.time.Duration.ofSeconds(60));
        int[] searched = LocalSearch.run(instance, List.of(Baselines.current(instance)), options,
                ai.timefold.solver.core.config.solver.EnvironmentMode.FULL_ASSERT);
        assertThat(searched).hasSize(instance.vms());
    }

    private static void change(PlacementScoreCalculator calculator, SolverVm vm, SolverHost to) {
        calculator.beforeVariableChanged(vm, "host");
        vm.setHost(to);
        calculator.afterVariableChanged(vm, "host");
    }

    private static void assertSameAsFromScratch(Instance instance, SolverPlacement solution,
                                                HardMediumSoftLongScore score) {
        Loads loads = new Loads(instance, solution.assignment());
        assertThat(score).isEqualTo(HardMediumSoftLongScore.of(-loads.hardExcess, -loads.crossBytes, -loads.moves));
    }

    /**
     * Hosts with NICs that the random traffic overloads about half the time, a few pinned VMs, a migration budget,
     * one demand in five without series.
     */
    static PlacementProblem binnedProblem(Random random, int vmCount, int hostCount, int bins) {
        long binNs = 1_000_000_000L;
        List<HostSpec> hosts = new ArrayList<>();
        for (int h = 0; h < hostCount; h++) {
            hosts.add(new HostSpec("h" + h, 8, 16_384, h == 0 ? 0 : 400_000 + random.nextInt(400_000)));
        }
        List<VmSpec> vms = new ArrayList<>();
        for (int v = 0; v < vmCount; v++) {
            String on = "h" + random.nextInt(hostCount);
            vms.add(new VmSpec("vm" + v, on, 1 + random.nextInt(2), 1024L * (1 + random.nextInt(4)),
                    random.nextInt(10) == 0 ? on : null));
        }
        List<Demand> demands = new ArrayList<>();
        for (int a = 0; a < vmCount; a++) {
            for (int b = a + 1; b < vmCount; b++) {
                if (random.nextInt(6) == 0) {
                    long[] series = new long[bins];
                    long total = 0;
                    for (int i = 0; i < bins; i++) {
                        series[i] = random.nextInt(4) == 0 ? random.nextInt(20_000) : random.nextInt(2_000);
                        total += series[i];
                    }
                    boolean binned = random.nextInt(5) > 0;
                    demands.add(new Demand("vm" + a, "vm" + b, total, binned ? series : null));
                }
            }
        }
        return new PlacementProblem(hosts, vms, demands, binNs, bins * binNs, vmCount / 3);
    }
}
