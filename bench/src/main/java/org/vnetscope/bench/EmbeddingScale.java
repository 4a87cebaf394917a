package org.vnetscope.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vnetscope.placement.MappingResult;
import org.vnetscope.placement.NetworkMapper;
import org.vnetscope.placement.PlacementOptions;
import org.vnetscope.placement.PlacementProblem;
import org.vnetscope.placement.Substrate;
import org.vnetscope.placement.VmSpec;

/**
 * The virtual network mapping on {@link CloudInstances} set in a leaf-spine fabric: {@code --leaves} leaves of
 * hosts (in the generator's order, as many per leaf as divide evenly), {@code --spines} spines, every leaf joined to
 * every spine by {@code --uplink} bits/s, every host to its leaf by its NIC's 10 Gbit/s. For each seed and time
 * limit, one solve: the busiest link before (the current, random placement) and after, the baselines', the
 * planted placement's (each community whole on a host, routed as the proposal is: a reference, not a bound), the
 * cross-host bytes, the tenants embedded, and the wall time.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar org.vnetscope.bench.EmbeddingScale --vms 100 --hosts 16 --leaves 4 \
 *     --spines 2 --uplink 10e9 --seeds 0,1,2 --limits 1,10
 * </pre>
 */
public final class EmbeddingScale {

    private EmbeddingScale() {
    }

    public static void main(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int vms = Integer.parseInt(opts.getOrDefault("vms", "100"));
        int hosts = Integer.parseInt(opts.getOrDefault("hosts", "16"));
        int pairs = Integer.parseInt(opts.getOrDefault("pairs", String.valueOf(10 * vms)));
        int leaves = Integer.parseInt(opts.getOrDefault("leaves", "4"));
        int spines = Integer.parseInt(opts.getOrDefault("spines", "2"));
        long uplink = (long) Double.parseDouble(opts.getOrDefault("uplink", "10e9"));
        int paths = Integer.parseInt(opts.getOrDefault("paths", String.valueOf(NetworkMapper.DEFAULT_PATHS)));
        long[] seeds = Arrays.stream(opts.getOrDefault("seeds", "0,1,2").split(",")).mapToLong(Long::parseLong)
                .toArray();
        double[] limits = Arrays.stream(opts.getOrDefault("limits", "1,10").split(","))
                .mapToDouble(Double::parseDouble).toArray();
        System.out.printf(Locale.ROOT, "# %d VMs x %d hosts, %d pairs, 60 bins of 10 s; %d leaves, %d spines, uplinks "
                + "%.1f Gbit/s, host links 10 Gbit/s; %d paths per pair; %d processors%n", vms, hosts, pairs, leaves,
                spines, uplink / 1e9, paths, Runtime.getRuntime().availableProcessors());
        boolean warm = false;
        for (long seed : seeds) {
            CloudInstances.Generated generated = CloudInstances.generate(seed, vms, hosts, pairs, 60);
            PlacementProblem problem = generated.problem();
            Substrate fabric = fabric(problem, leaves, spines, uplink);
            if (!warm) {
                NetworkMapper.solve(problem, fabric, PlacementOptions.defaults().withSeed(seed)
                        .withTimeLimit(Duration.ofSeconds(1)), paths);
                warm = true;
            }
            MappingResult planted = NetworkMapper.solve(plantedAsCurrent(generated), fabric, PlacementOptions.defaults()
                    .withSeed(seed).withExactNodeLimit(0).withTimeLimit(Duration.ofMillis(1)), paths);
            System.out.printf(Locale.ROOT, "seed %d: planted placement (%s): busiest link %.1f%%, cross %.1f GB%n",
                    seed, generated.plantedFits() ? "fits hosts" : "breaks a host", 100 * planted.maxLinkUtilizationBefore(),
                    planted.placement().before().crossHostBytes() / 1e9);
            for (double limit : limits) {
                long began = System.nanoTime();
                MappingResult result = NetworkMapper.solve(problem, fabric, PlacementOptions.defaults().withSeed(seed)
                        .withTimeLimit(Duration.ofMillis((long) (limit * 1000))), paths);
                long ms = (System.nanoTime() - began) / 1_000_000;
                StringBuilder baselines = new StringBuilder();
                for (MappingResult.Baseline b : result.baselines()) {
                    baselines.append(String.format(Locale.ROOT, " %s %.1f%%%s", b.name(), 100 * b.maxLinkUtilization(),
                            b.feasible() ? "" : " (breaks a rule)"));
                }
                long embedded = result.tenants().stream().filter(MappingResult.TenantOutcome::embedded).count();
                System.out.printf(Locale.ROOT, "seed %d, limit %s s: busiest link %.1f%% -> %.1f%% (%s), cross %.1f -> "
                                + "%.1f GB, %d moves, tenants %d/%d embedded, %s, %d ms;%s%n", seed, limit,
                        100 * result.maxLinkUtilizationBefore(), 100 * result.maxLinkUtilizationAfter(),
                        result.placement().after().feasible() ? "feasible" : "INFEASIBLE",
                        result.placement().before().crossHostBytes() / 1e9,
                        result.placement().after().crossHostBytes() / 1e9, result.placement().moves().size(), embedded,
                        result.tenants().size(), result.placement().stoppedBy(), ms, baselines);
            }
        }
    }

    static Substrate fabric(PlacementProblem problem, int leaves, int spines, long uplink) {
        int hosts = problem.hosts().size();
        int perLeaf = (hosts + leaves - 1) / leaves;
        List<String> switches = new ArrayList<>();
        List<Substrate.Link> links = new ArrayList<>();
        for (int s = 1; s <= spines; s++) {
            switches.add("spine" + s);
        }
        for (int l = 1; l <= leaves; l++) {
            switches.add("leaf" + l);
            for (int s = 1; s <= spines; s++) {
                links.add(new Substrate.Link("leaf" + l, "spine" + s, uplink));
            }
        }
        for (int h = 0; h < hosts; h++) {
            links.add(new Substrate.Link(problem.hosts().get(h).name(), "leaf" + (h / perLeaf + 1),
                    problem.hosts().get(h).nicBitsPerSecond()));
        }
        return new Substrate(List.of(), switches, links, List.of());
    }

    private static PlacementProblem plantedAsCurrent(CloudInstances.Generated generated) {
        PlacementProblem problem = generated.problem();
        List<VmSpec> vms = new ArrayList<>();
        for (int v = 0; v < problem.vms().size(); v++) {
            VmSpec vm = problem.vms().get(v);
            vms.add(new VmSpec(vm.name(), problem.hosts().get(generated.planted()[v]).name(), vm.cpu(), vm.memoryMib(),
                    null));
        }
        return problem.withVms(vms);
    }
}
