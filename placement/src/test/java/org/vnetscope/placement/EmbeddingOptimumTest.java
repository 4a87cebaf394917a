package org.vnetscope.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Small substrates (four hosts under two or three switches, 6 to 8 VMs) solved by enumerating every node mapping and,
 * for each, every choice of path for every demand between two hosts, written here apart from the product: every
 * simple path through switches is a candidate (the product is given more candidates per pair than these
 * substrates have, so its k shortest are all of them), a link's load is the nearest-rank p95 of the sum of the
 * series routed over it. The product's exhaustive search proves the same optimum, and its tabu search alone
 * reaches it.
 */
class EmbeddingOptimumTest {

    record Truth(boolean feasible, double maxUtilization, long cross, int moves, long mappings) {
    }

    static Truth enumerate(PlacementProblem problem, Substrate substrate) {
        List<String> nodes = new ArrayList<>();
        problem.hosts().forEach(h -> nodes.add(h.name()));
        nodes.addAll(substrate.switches());
        int hosts = problem.hosts().size();
        List<Substrate.Link> links = substrate.links();
        // every simple path between two hosts through switches only, as link indices
        List<List<int[]>> paths = new ArrayList<>();
        for (int a = 0; a < hosts; a++) {
            for (int b = 0; b < hosts; b++) {
                List<int[]> found = new ArrayList<>();
                if (a != b) {
                    walk(nodes, links, hosts, a, b, new boolean[nodes.size()], new ArrayList<>(), found);
                }
                paths.add(found);
            }
        }
        int n = problem.vms().size();
        Map<String, Integer> vmIndex = new HashMap<>();
        for (int v = 0; v < n; v++) {
            vmIndex.put(problem.vms().get(v).name(), v);
        }
        int bins = problem.demands().get(0).binBytes().length;
        int[] assignment = new int[n];
        boolean feasible = false;
        double bestMax = Double.MAX_VALUE;
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
            int moves = 0;
            boolean ok = true;
            for (int v = 0; v < n; v++) {
                VmSpec vm = problem.vms().get(v);
                cpu[assignment[v]] += vm.cpu();
                moves += vm.host().equals("h" + assignment[v]) ? 0 : 1;
                ok &= vm.pinnedTo() == null || vm.pinnedTo().equals("h" + assignment[v]);
            }
            for (int h = 0; h < hosts; h++) {
                ok &= cpu[h] <= problem.hosts().get(h).cpu();
            }
            if (!ok || problem.maxMoves() >= 0 && moves > problem.maxMoves()) {
                continue;
            }
            List<long[]> apart = new ArrayList<>();
            List<List<int[]>> choices = new ArrayList<>();
            long cross = 0;
            for (Demand demand : problem.demands()) {
                int ha = assignment[vmIndex.get(demand.a())];
                int hb = assignment[vmIndex.get(demand.b())];
                if (ha != hb) {
                    apart.add(demand.binBytes());
                    choices.add(paths.get(ha * hosts + hb));
                    cross += demand.bytes();
                }
            }
            if (choices.stream().anyMatch(List::isEmpty)) {
                continue;
            }
            int[] pick = new int[choices.size()];
            while (true) {
                long[][] load = new long[links.size()][bins];
                for (int i = 0; i < pick.length; i++) {
                    for (int l : choices.get(i).get(pick[i])) {
                        for (int t = 0; t < bins; t++) {
                            load[l][t] += apart.get(i)[t];
                        }
                    }
                }
                double max = 0;
                boolean within = true;
                for (int l = 0; l < links.size(); l++) {
                    long bps = 8 * nearestRankP95(load[l]);
                    within &= bps <= links.get(l).bitsPerSecond();
                    max = Math.max(max, bps / (double) links.get(l).bitsPerSecond());
                }
                if (within && (max < bestMax || max == bestMax && (cross < bestCross
                        || cross == bestCross && moves < bestMoves))) {
                    feasible = true;
                    bestMax = max;
                    bestCross = cross;
                    bestMoves = moves;
                }
                int i = 0;
                while (i < pick.length && ++pick[i] == choices.get(i).size()) {
                    pick[i++] = 0;
                }
                if (i == pick.length) {
                    break;
                }
            }
        }
        return new Truth(feasible, bestMax, bestCross, bestMoves, total);
    }

    private static void walk(List<String> nodes, List<Substrate.Link> links, int hosts, int at, int target,
                             boolean[] visited, List<Integer> path, List<int[]> found) {
        if (at == target) {
            found.add(path.stream().mapToInt(Integer::intValue).toArray());
            return;
        }
        if (!path.isEmpty() && at < hosts) {
            return; // a host forwards nothing
        }
        visited[at] = true;
        for (int l = 0; l < links.size(); l++) {
            int a = nodes.indexOf(links.get(l).a());
            int b = nodes.indexOf(links.get(l).b());
            int next = a == at ? b : b == at ? a : -1;
            if (next >= 0 && !visited[next]) {
                path.add(l);
                walk(nodes, links, hosts, next, target, visited, path, found);
                path.remove(path.size() - 1);
            }
        }
        visited[at] = false;
    }

    static long nearestRankP95(long[] series) {
        long[] sorted = series.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.ceil(0.95 * sorted.length) - 1];
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void theSearchesReachTheLeastBusiestLinkOfEveryMapping(long seed) {
        Substrates.Case c = Substrates.small(seed);
        Truth truth = enumerate(c.problem(), c.substrate());
        assertThat(truth.feasible()).as("the generated case has a feasible embedding").isTrue();

        MappingResult proven = NetworkMapper.solve(c.problem(), c.substrate(), PlacementOptions.defaults()
                .withSeed(seed).withTimeLimit(Duration.ofSeconds(60)), 8);
        assertThat(proven.placement().stoppedBy()).isEqualTo("proven");
        assertThat(proven.placement().optimal()).isTrue();
        assertThat(proven.tenants()).allMatch(MappingResult.TenantOutcome::embedded);
        assertThat(proven.maxLinkUtilizationAfter()).isCloseTo(truth.maxUtilization(), within(1e-12));
        assertThat(proven.placement().after().crossHostBytes()).isEqualTo(truth.cross());
        assertThat(proven.placement().after().moves()).isEqualTo(truth.moves());
        assertReportedLoadsFollowTheRoutes(c, proven);

        MappingResult searched = NetworkMapper.solve(c.problem(), c.substrate(), PlacementOptions.defaults()
                .withSeed(seed).withExactNodeLimit(0).withUnimprovedSteps(3_000)
                .withTimeLimit(Duration.ofSeconds(60)), 8);
        assertThat(searched.placement().after().feasible()).isTrue();
        assertThat(searched.maxLinkUtilizationAfter()).as("tabu search alone").isCloseTo(truth.maxUtilization(),
                within(1e-12));
        assertThat(searched.placement().after().crossHostBytes()).isEqualTo(truth.cross());
        assertThat(searched.placement().after().moves()).isEqualTo(truth.moves());
        assertReportedLoadsFollowTheRoutes(c, searched);
    }

    /** Each link's load after, recomputed from the routes the result gives: the p95 of the series routed over it. */
    static void assertReportedLoadsFollowTheRoutes(Substrates.Case c, MappingResult result) {
        Map<String, long[]> seriesOf = new HashMap<>();
        for (Demand demand : c.problem().demands()) {
            seriesOf.put(demand.a() + " " + demand.b(), demand.binBytes());
        }
        Map<String, long[]> load = new HashMap<>();
        for (MappingResult.Route route : result.routes()) {
            long[] series = seriesOf.get(route.a() + " " + route.b());
            assertThat(route.path().get(0)).isEqualTo(route.aHost());
            assertThat(route.path().get(route.path().size() - 1)).isEqualTo(route.bHost());
            for (int i = 0; i + 1 < route.path().size(); i++) {
                String x = route.path().get(i);
                String y = route.path().get(i + 1);
                long[] bins = load.computeIfAbsent(x.compareTo(y) < 0 ? x + " " + y : y + " " + x,
                        k -> new long[series.length]);
                for (int t = 0; t < series.length; t++) {
                    bins[t] += series[t];
                }
            }
        }
        double max = 0;
        for (MappingResult.LinkLoad link : result.links()) {
            String key = link.a().compareTo(link.b()) < 0 ? link.a() + " " + link.b() : link.b() + " " + link.a();
            long[] bins = load.get(key);
            long expected = bins == null ? 0 : 8 * nearestRankP95(bins);
            assertThat(link.afterBitsPerSecond()).as(key).isEqualTo(expected);
            max = Math.max(max, expected / (double) link.capacityBitsPerSecond());
        }
        assertThat(result.maxLinkUtilizationAfter()).isCloseTo(max, within(1e-12));
    }
}
