package org.vnetscope.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Generated instances of the shapes the product meets: planted communities (the planted cut is recovered), uniform
 * traffic, and tightly packed hosts and VMs of mixed sizes; the proposal always keeps the rules and is never worse
 * than the baselines; a migration budget and pins hold.
 */
class GeneratedInstancesTest {

    static PlacementOptions options(long seed) {
        return PlacementOptions.defaults().withSeed(seed).withExactNodeLimit(200_000).withUnimprovedSteps(5_000)
                .withTimeLimit(Duration.ofSeconds(60));
    }

    @ParameterizedTest(name = "planted seed {0}: {1} x {2}")
    @CsvSource({"11, 4, 6", "12, 4, 6", "13, 5, 8", "14, 5, 8", "15, 8, 10"})
    void plantedCommunitiesAreRecovered(long seed, int communities, int size) {
        PlacementProblem problem = Instances.planted(seed, communities, size);
        PlacementResult result = Placer.solve(problem, options(seed));

        assertFeasibleAndNoWorseThanBaselines(problem, result);
        assertThat(result.after().crossHostBytes()).isEqualTo(Instances.plantedCut(problem));
        for (PlacementResult.HostLoad host : result.after().hosts()) {
            assertThat(host.vms()).hasSize(size);
            assertThat(host.vms().stream().map(Instances::community).distinct()).hasSize(1);
        }
        System.out.printf("planted %d %dx%d: cut %d (planted %d), before %d, lower bound %d, %d moves, %s%n", seed,
                communities, size, result.after().crossHostBytes(), Instances.plantedCut(problem),
                result.before().crossHostBytes(), result.lowerBoundBytes(), result.after().moves(), result.stoppedBy());
    }

    @ParameterizedTest(name = "uniform seed {0}")
    @ValueSource(longs = {21, 22, 23})
    void uniformTrafficIsNoWorseThanTheBaselines(long seed) {
        PlacementProblem problem = uniform(seed, 18, 4);
        PlacementResult result = Placer.solve(problem, options(seed));

        assertFeasibleAndNoWorseThanBaselines(problem, result);
        // with every pair at 1000 to 1049 bytes, keeping together as many pairs as the capacities allow (hosts
        // of 6, 5, 4 and 3 VMs) is the least to cut; a placement keeping fewer pairs together cuts more
        long pairsTogether = 6 * 5 / 2 + 5 * 4 / 2 + 4 * 3 / 2 + 3 * 2 / 2;
        long pairs = 18 * 17 / 2;
        assertThat(result.after().crossHostBytes()).isLessThanOrEqualTo((pairs - pairsTogether) * 1049);
        System.out.printf("uniform %d: cut %d, baselines %s%n", seed, result.after().crossHostBytes(),
                result.baselines());
    }

    @ParameterizedTest(name = "cloud balancing seed {0}")
    @ValueSource(longs = {31, 32, 33, 34})
    void tightlyPackedMixedSizesAreNoWorseThanTheBaselines(long seed) {
        PlacementProblem problem = cloud(seed, 6, 0.88);
        PlacementResult result = Placer.solve(problem, options(seed));

        assertFeasibleAndNoWorseThanBaselines(problem, result);
        assertThat(result.lowerBoundBytes()).isLessThanOrEqualTo(result.after().crossHostBytes());
        if (result.unordered().isEmpty()) {
            assertThat(MigrationPlanTest.replay(problem, result.moves()))
                    .isEqualTo(MigrationPlanTest.placement(result));
        }
        System.out.printf("cloud %d: %d VMs, fill cpu %.2f, cut %d, before %d, baselines %s, %d moves, %d unordered%n",
                seed, problem.vms().size(), cpuFill(problem), result.after().crossHostBytes(),
                result.before().crossHostBytes(), result.baselines(), result.after().moves(), result.unordered().size());
    }

    @ParameterizedTest(name = "budget {0}")
    @ValueSource(ints = {0, 1, 3, 6})
    void theMigrationBudgetHolds(int budget) {
        PlacementProblem problem = Instances.planted(41, 4, 5).withMaxMoves(budget);
        PlacementResult result = Placer.solve(problem, options(41));

        assertThat(result.after().feasible()).isTrue();
        assertThat(result.after().moves()).isLessThanOrEqualTo(budget);
        assertThat(result.moves().stream().filter(m -> !m.transit()).count()).isLessThanOrEqualTo(budget);
        assertThat(result.moves().stream().map(PlacementResult.Move::vm).distinct().count())
                .isLessThanOrEqualTo(budget);
        if (budget == 0) {
            assertThat(result.after().crossHostBytes()).isEqualTo(result.before().crossHostBytes());
        }
        PlacementResult free = Placer.solve(problem.withMaxMoves(-1), options(41));
        assertThat(result.after().crossHostBytes()).isGreaterThanOrEqualTo(free.after().crossHostBytes());
        System.out.printf("budget %d: cut %d (no budget %d, %d moves), before %d%n", budget,
                result.after().crossHostBytes(), free.after().crossHostBytes(), free.after().moves(),
                result.before().crossHostBytes());
    }

    @Test
    void pinnedVmsEndOnTheirPins() {
        // one VM of each community pinned to a host other than where its community would go
        PlacementProblem planted = Instances.planted(51, 4, 5);
        List<VmSpec> vms = new ArrayList<>();
        Map<String, String> pins = new HashMap<>();
        for (VmSpec vm : planted.vms()) {
            if (vm.name().endsWith("-0")) {
                String pin = "h" + (Integer.parseInt(vm.name().substring(1, vm.name().indexOf('-'))) + 1) % 4;
                pins.put(vm.name(), pin);
                vms.add(vm.pinned(pin));
            } else {
                vms.add(vm);
            }
        }
        PlacementProblem problem = planted.withVms(vms);
        for (PlacementOptions options : List.of(options(51), options(51).withExactNodeLimit(0))) {
            PlacementResult result = Placer.solve(problem, options);
            assertThat(result.after().feasible()).isTrue();
            Map<String, String> placement = MigrationPlanTest.placement(result);
            pins.forEach((vm, pin) -> assertThat(placement.get(vm)).as(vm).isEqualTo(pin));
            assertFeasibleAndNoWorseThanBaselines(problem, result);
        }
    }

    static void assertFeasibleAndNoWorseThanBaselines(PlacementProblem problem, PlacementResult result) {
        assertThat(result.after().feasible()).isTrue();
        assertThat(result.baselines()).hasSize(3);
        long bestBaseline = result.baselines().stream().filter(PlacementResult.Baseline::feasible)
                .mapToLong(PlacementResult.Baseline::crossHostBytes).min().orElse(Long.MAX_VALUE);
        assertThat(result.after().crossHostBytes()).isLessThanOrEqualTo(bestBaseline);
        if (result.before().feasible()) {
            assertThat(result.after().crossHostBytes()).isLessThanOrEqualTo(result.before().crossHostBytes());
        }
        // the figures agree with the placement recomputed from the problem
        Map<String, Integer> hostOf = new HashMap<>();
        Map<String, Integer> hostIndex = new HashMap<>();
        for (int h = 0; h < problem.hosts().size(); h++) {
            hostIndex.put(problem.hosts().get(h).name(), h);
        }
        result.placement().forEach(a -> hostOf.put(a.vm(), hostIndex.get(a.host())));
        int[] assignment = problem.vms().stream().mapToInt(vm -> hostOf.get(vm.name())).toArray();
        assertThat(ChocoOptimumTest.crossBytes(problem, assignment)).isEqualTo(result.after().crossHostBytes());
        double[] cpu = new double[problem.hosts().size()];
        long[] memory = new long[problem.hosts().size()];
        for (int v = 0; v < assignment.length; v++) {
            cpu[assignment[v]] += problem.vms().get(v).cpu();
            memory[assignment[v]] += problem.vms().get(v).memoryMib();
            VmSpec vm = problem.vms().get(v);
            if (vm.pinnedTo() != null) {
                assertThat(problem.hosts().get(assignment[v]).name()).isEqualTo(vm.pinnedTo());
            }
        }
        for (int h = 0; h < cpu.length; h++) {
            assertThat(cpu[h]).isLessThanOrEqualTo(problem.hosts().get(h).cpu() + 1e-9);
            assertThat(memory[h]).isLessThanOrEqualTo(problem.hosts().get(h).memoryMib());
        }
    }

    /** Every pair talks, 1000 to 1049 bytes; hosts of 6, 5, 4 and 3 vCPUs, VMs of 1 vCPU, all exactly full. */
    static PlacementProblem uniform(long seed, int vms, int hosts) {
        Random random = new Random(seed);
        List<HostSpec> hostList = new ArrayList<>();
        int[] sizes = {6, 5, 4, 3};
        for (int h = 0; h < hosts; h++) {
            hostList.add(new HostSpec("h" + h, sizes[h % sizes.length], 1024L * sizes[h % sizes.length], 0));
        }
        List<Integer> slots = new ArrayList<>();
        for (int h = 0; h < hosts; h++) {
            for (int i = 0; i < sizes[h % sizes.length]; i++) {
                slots.add(h);
            }
        }
        java.util.Collections.shuffle(slots, random);
        List<VmSpec> vmList = new ArrayList<>();
        for (int v = 0; v < vms; v++) {
            vmList.add(new VmSpec("vm" + v, "h" + slots.get(v), 1, 1024, null));
        }
        List<Demand> demands = new ArrayList<>();
        for (int a = 0; a < vms; a++) {
            for (int b = a + 1; b < vms; b++) {
                demands.add(new Demand("vm" + a, "vm" + b, 1000 + random.nextInt(50)));
            }
        }
        return new PlacementProblem(hostList, vmList, demands, 0, 0, -1);
    }

    /**
     * As the planning library's cloud balancing example: hosts of different sizes, VMs of different sizes added
     * where they fit until the CPU is {@code fill} full, traffic within small services and a little between them.
     */
    static PlacementProblem cloud(long seed, int hosts, double fill) {
        Random random = new Random(seed);
        int[][] hostSizes = {{8, 16_384}, {16, 32_768}, {24, 65_536}, {32, 65_536}};
        int[][] vmSizes = {{1, 1_024}, {1, 2_048}, {2, 4_096}, {4, 8_192}, {4, 4_096}, {8, 16_384}};
        List<HostSpec> hostList = new ArrayList<>();
        double totalCpu = 0;
        for (int h = 0; h < hosts; h++) {
            int[] size = hostSizes[random.nextInt(hostSizes.length)];
            hostList.add(new HostSpec("host" + h, size[0], size[1], 0));
            totalCpu += size[0];
        }
        double[] cpuFree = hostList.stream().mapToDouble(HostSpec::cpu).toArray();
        long[] memoryFree = hostList.stream().mapToLong(HostSpec::memoryMib).toArray();
        List<VmSpec> vmList = new ArrayList<>();
        double used = 0;
        for (int tries = 0; used < fill * totalCpu && tries < 1_000; tries++) {
            int[] size = vmSizes[random.nextInt(vmSizes.length)];
            int start = random.nextInt(hosts);
            for (int k = 0; k < hosts; k++) {
                int h = (start + k) % hosts;
                if (cpuFree[h] >= size[0] && memoryFree[h] >= size[1]) {
                    cpuFree[h] -= size[0];
                    memoryFree[h] -= size[1];
                    used += size[0];
                    vmList.add(new VmSpec("vm" + vmList.size(), "host" + h, size[0], size[1], null));
                    break;
                }
            }
        }
        int n = vmList.size();
        List<Demand> demands = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (int service = 0; service * 5 < n; service++) {
            for (int a = service * 5; a < Math.min(n, service * 5 + 5); a++) {
                for (int b = a + 1; b < Math.min(n, service * 5 + 5); b++) {
                    if (random.nextDouble() < 0.6 && seen.add((long) a << 32 | b)) {
                        demands.add(new Demand("vm" + a, "vm" + b, 10_000 + random.nextInt(1_000_000)));
                    }
                }
            }
        }
        for (int k = 0; k < n; k++) {
            int a = random.nextInt(n);
            int b = random.nextInt(n);
            if (a != b && seen.add((long) Math.min(a, b) << 32 | Math.max(a, b))) {
                demands.add(new Demand("vm" + Math.min(a, b), "vm" + Math.max(a, b), 1 + random.nextInt(50_000)));
            }
        }
        return new PlacementProblem(hostList, vmList, demands, 0, 0, -1);
    }

    static double cpuFill(PlacementProblem problem) {
        return problem.vms().stream().mapToDouble(VmSpec::cpu).sum()
                / problem.hosts().stream().mapToDouble(HostSpec::cpu).sum();
    }
}
