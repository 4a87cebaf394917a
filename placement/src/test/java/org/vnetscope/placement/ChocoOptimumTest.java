package org.vnetscope.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.chocosolver.solver.Model;
import org.chocosolver.solver.Solution;
import org.chocosolver.solver.Solver;
import org.chocosolver.solver.search.SearchState;
import org.chocosolver.solver.search.strategy.Search;
import org.chocosolver.solver.variables.BoolVar;
import org.chocosolver.solver.variables.IntVar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Instances too large to enumerate, solved to proven optimality by a constraint solver (Choco) from the problem as
 * given: one host variable per VM, CPU and memory per host by bin packing, pins, one reified boolean per demand for
 * "on different hosts", the weighted sum of those booleans minimised. The local search alone must reach that
 * optimum (or come within 1% of it); Choco's minimum is checked against the product's own evaluation of Choco's
 * assignment.
 */
class ChocoOptimumTest {

    /** Choco's time per instance; an instance it cannot prove in it is skipped, not failed. */
    static final long CHOCO_LIMIT_MS = 20_000;

    private static final List<String> REPORT = new ArrayList<>();

    record Oracle(long optimum, int[] assignment, boolean proven, long millis) {
    }

    static Stream<Arguments> instances() {
        return Stream.of(
                Arguments.of("random s=101", Instances.random(101, 15, 3, 0.3)),
                Arguments.of("random s=102 pins", withPins(Instances.random(102, 18, 3, 0.25), 102)),
                Arguments.of("random s=104", Instances.random(104, 16, 4, 0.3)),
                Arguments.of("random s=106", Instances.random(106, 20, 3, 0.2)),
                Arguments.of("random s=101 budget 3", Instances.random(101, 15, 3, 0.3).withMaxMoves(3)),
                Arguments.of("planted s=201 4x6", Instances.planted(201, 4, 6)),
                Arguments.of("planted s=202 5x5", Instances.planted(202, 5, 5)),
                Arguments.of("planted s=203 3x10", Instances.planted(203, 3, 10)));
    }

    /** Every sixth VM (seeded) pinned to its current host. */
    static PlacementProblem withPins(PlacementProblem problem, long seed) {
        java.util.Random random = new java.util.Random(seed);
        List<VmSpec> vms = new ArrayList<>();
        for (VmSpec vm : problem.vms()) {
            vms.add(random.nextInt(6) == 0 ? vm.pinned(vm.host()) : vm);
        }
        return problem.withVms(vms);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("instances")
    void theLocalSearchReachesTheProvenOptimum(String name, PlacementProblem problem) {
        double gap = compare(name, problem);
        assertThat(gap).isLessThanOrEqualTo(0.01);
    }

    /**
     * Every vCPU of every host taken (17 VMs of 1 or 2 vCPUs fill the 27 vCPUs; 7 more of no size): a feasible
     * placement changes only through swaps of equal sizes or chains through overloaded hosts. The tabu search alone
     * stalled 11% to 31% above the optimum here (seeds 0 to 5, even with 100,000 steps); the exact re-placement of
     * host pairs and triples makes those chains in one solve. Of seeds 100 to 109 of this shape, Choco proves 103
     * and 107 within 20 s and the local search reaches both optima (on the eight others it finds less than Choco's
     * best in 20 s, or as much).
     */
    @org.junit.jupiter.api.Test
    void fullyPackedHosts() {
        PlacementProblem problem = Instances.random(107, 24, 5, 0.12);
        double gap = compare("random s=107 full", problem);
        assertThat(gap).as("local search gap on fully packed hosts").isLessThanOrEqualTo(0.01);
    }

    /** Choco's proven optimum against the local search alone and the whole solver; the local search's gap. */
    private static double compare(String name, PlacementProblem problem) {
        Oracle oracle = choco(problem, CHOCO_LIMIT_MS);
        assumeThat(oracle.proven()).as("Choco proved %s within %d ms", name, CHOCO_LIMIT_MS).isTrue();

        // Choco's minimum is what the product's evaluation gives Choco's assignment, and that assignment keeps
        // every rule by the product's judgement too
        Instance instance = new Instance(problem);
        Loads chocoLoads = new Loads(instance, oracle.assignment());
        assertThat(chocoLoads.crossBytes).isEqualTo(oracle.optimum());
        assertThat(chocoLoads.feasible()).isTrue();
        assertThat(crossBytes(problem, oracle.assignment())).isEqualTo(oracle.optimum());

        PlacementOptions options = PlacementOptions.defaults().withSeed(7).withUnimprovedSteps(20_000)
                .withTimeLimit(Duration.ofSeconds(60));
        long began = System.nanoTime();
        PlacementResult ours = Placer.solve(problem, options.withExactNodeLimit(0));
        long ourMillis = (System.nanoTime() - began) / 1_000_000;
        PlacementResult whole = Placer.solve(problem, options);
        long cross = ours.after().crossHostBytes();
        double gap = oracle.optimum() == 0 ? (cross == 0 ? 0 : 1) : (cross - oracle.optimum()) / (double) oracle.optimum();
        String line = String.format("%-22s vms %2d hosts %d optimum %6d ours %6d gap %7.3f%% choco %5d ms ours %5d ms"
                        + " | with exact search %6d %s", name, problem.vms().size(), problem.hosts().size(),
                oracle.optimum(), cross, 100 * gap, oracle.millis(), ourMillis, whole.after().crossHostBytes(),
                whole.stoppedBy());
        REPORT.add(line);
        System.out.println(line);

        assertThat(ours.stoppedBy()).isEqualTo("converged");
        assertThat(ours.after().feasible()).isTrue();
        assertThat(cross).isGreaterThanOrEqualTo(oracle.optimum());
        assertThat(ours.lowerBoundBytes()).isLessThanOrEqualTo(oracle.optimum());
        // the exhaustive search, when it completes, proves Choco's optimum; otherwise it never goes below it
        assertThat(whole.after().feasible()).isTrue();
        if (whole.stoppedBy().equals("proven")) {
            assertThat(whole.after().crossHostBytes()).isEqualTo(oracle.optimum());
            assertThat(whole.optimal()).isTrue();
        } else {
            assertThat(whole.after().crossHostBytes()).isGreaterThanOrEqualTo(oracle.optimum());
        }
        return gap;
    }

    @AfterAll
    static void report() {
        System.out.println("Choco optimum vs local search:");
        REPORT.forEach(System.out::println);
    }

    /** Cross-host bytes of an assignment, from the problem's demands as given. */
    static long crossBytes(PlacementProblem problem, int[] assignment) {
        Map<String, Integer> vmIndex = new HashMap<>();
        for (int v = 0; v < problem.vms().size(); v++) {
            vmIndex.put(problem.vms().get(v).name(), v);
        }
        long cross = 0;
        for (Demand demand : problem.demands()) {
            if (assignment[vmIndex.get(demand.a())] != assignment[vmIndex.get(demand.b())]) {
                cross += demand.bytes();
            }
        }
        return cross;
    }

    /** The constraint model, minimised within the time limit. */
    static Oracle choco(PlacementProblem problem, long limitMillis) {
        int n = problem.vms().size();
        int hosts = problem.hosts().size();
        Map<String, Integer> hostIndex = new HashMap<>();
        for (int h = 0; h < hosts; h++) {
            hostIndex.put(problem.hosts().get(h).name(), h);
        }
        Map<String, Integer> vmIndex = new HashMap<>();
        for (int v = 0; v < n; v++) {
            vmIndex.put(problem.vms().get(v).name(), v);
        }
        // demands merged per unordered pair, as weights of the cut booleans
        Map<Long, Long> pairs = new java.util.LinkedHashMap<>();
        for (Demand demand : problem.demands()) {
            int a = vmIndex.get(demand.a());
            int b = vmIndex.get(demand.b());
            pairs.merge((long) Math.min(a, b) << 32 | Math.max(a, b), demand.bytes(), Long::sum);
        }
        long total = pairs.values().stream().mapToLong(Long::longValue).sum();
        assertThat(total).as("total bytes fit Choco's int domains").isLessThan(Integer.MAX_VALUE / 2);

        assertThat(problem.hosts()).as("the model has no NIC rule").allMatch(h -> h.nicBitsPerSecond() == 0);

        Model model = new Model("placement");
        IntVar[] host = model.intVarArray("host", n, 0, hosts - 1);
        int[] cpu = new int[n];
        int[] memory = new int[n];
        for (int v = 0; v < n; v++) {
            VmSpec vm = problem.vms().get(v);
            cpu[v] = Math.toIntExact(Math.round(vm.cpu() * 1000));
            memory[v] = Math.toIntExact(vm.memoryMib());
            if (vm.pinnedTo() != null) {
                model.arithm(host[v], "=", hostIndex.get(vm.pinnedTo())).post();
            }
        }
        IntVar[] cpuLoad = new IntVar[hosts];
        IntVar[] memoryLoad = new IntVar[hosts];
        for (int h = 0; h < hosts; h++) {
            HostSpec spec = problem.hosts().get(h);
            cpuLoad[h] = model.intVar("cpu" + h, 0, Math.toIntExact(Math.round(spec.cpu() * 1000)));
            memoryLoad[h] = model.intVar("mem" + h, 0, Math.toIntExact(spec.memoryMib()));
        }
        model.binPacking(host, cpu, cpuLoad, 0).post();
        model.binPacking(host, memory, memoryLoad, 0).post();
        if (problem.maxMoves() >= 0) {
            BoolVar[] moved = new BoolVar[n];
            for (int v = 0; v < n; v++) {
                String now = problem.vms().get(v).host();
                moved[v] = now == null ? model.boolVar(false) : model.arithm(host[v], "!=", hostIndex.get(now)).reify();
            }
            model.sum(moved, "<=", problem.maxMoves()).post();
        }
        breakHostSymmetry(model, problem, host);

        BoolVar[] cut = new BoolVar[pairs.size()];
        int[] weight = new int[pairs.size()];
        int i = 0;
        for (Map.Entry<Long, Long> pair : pairs.entrySet()) {
            int a = (int) (pair.getKey() >>> 32);
            int b = (int) (pair.getKey() & 0xffffffffL);
            cut[i] = model.arithm(host[a], "!=", host[b]).reify();
            weight[i] = Math.toIntExact(pair.getValue());
            i++;
        }
        IntVar objective = model.intVar("cross", 0, (int) total);
        model.scalar(cut, weight, "=", objective).post();
        model.setObjective(Model.MINIMIZE, objective);

        Solver solver = model.getSolver();
        solver.setSearch(Search.lastConflict(Search.domOverWDegSearch(host)));
        solver.limitTime(limitMillis);
        org.chocosolver.solver.variables.Variable[] kept = java.util.Arrays.copyOf(host, n + 1,
                org.chocosolver.solver.variables.Variable[].class);
        kept[n] = objective;
        Solution best = new Solution(model, kept);
        long began = System.nanoTime();
        while (solver.solve()) {
            best.record();
        }
        long millis = (System.nanoTime() - began) / 1_000_000;
        boolean proven = solver.getSearchState() == SearchState.TERMINATED && !solver.isStopCriterionMet()
                && best.exists();
        int[] assignment = new int[n];
        long optimum = -1;
        if (best.exists()) {
            for (int v = 0; v < n; v++) {
                assignment[v] = best.getIntVal(host[v]);
            }
            optimum = crossFromPairs(pairs, assignment);
            assertThat(optimum).as("Choco's objective").isEqualTo(best.getIntVal(objective));
        }
        return new Oracle(optimum, assignment, proven, millis);
    }

    private static long crossFromPairs(Map<Long, Long> pairs, int[] assignment) {
        long cross = 0;
        for (Map.Entry<Long, Long> pair : pairs.entrySet()) {
            if (assignment[(int) (pair.getKey() >>> 32)] != assignment[(int) (pair.getKey() & 0xffffffffL)]) {
                cross += pair.getValue();
            }
        }
        return cross;
    }

    /**
     * Hosts of equal capacities that no VM is pinned to are interchangeable when no migration budget ties VMs to
     * where they run: within each such group, a host is used only after the one before it.
     */
    private static void breakHostSymmetry(Model model, PlacementProblem problem, IntVar[] host) {
        if (problem.maxMoves() >= 0) {
            return;
        }
        java.util.Set<String> pinnedTo = new java.util.HashSet<>();
        problem.vms().forEach(vm -> {
            if (vm.pinnedTo() != null) {
                pinnedTo.add(vm.pinnedTo());
            }
        });
        Map<String, List<Integer>> groups = new java.util.LinkedHashMap<>();
        for (int h = 0; h < problem.hosts().size(); h++) {
            HostSpec spec = problem.hosts().get(h);
            if (!pinnedTo.contains(spec.name())) {
                groups.computeIfAbsent(spec.cpu() + "/" + spec.memoryMib(), k -> new ArrayList<>()).add(h);
            }
        }
        for (List<Integer> group : groups.values()) {
            if (group.size() > 1) {
                model.intValuePrecedeChain(host, group.stream().mapToInt(Integer::intValue).toArray()).post();
            }
        }
    }
}
