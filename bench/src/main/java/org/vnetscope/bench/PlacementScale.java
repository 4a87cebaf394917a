package org.vnetscope.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vnetscope.placement.PlacementOptions;
import org.vnetscope.placement.PlacementProblem;
import org.vnetscope.placement.PlacementResult;
import org.vnetscope.placement.Placer;

/**
 * The placement solver at scale, on {@link CloudInstances}: for each seed, the time to a first feasible proposal
 * (the baselines and a 1 ms local search; the first one in the JVM, cold, and again warm), optionally the default
 * exhaustive search's cost, then one solve per time limit, and optionally long runs whose search goes round until
 * their time is up. The best known cut of a seed is the least of every run's (and of the planted placement's when it
 * fits, and of one given with {@code --best}); gaps are given against it. Prints one line per run (wall and CPU
 * time), then medians over the seeds, then the JVM's peak heap, collections and peak RSS.
 *
 * <pre>
 * java -Xmx512m -cp bench/target/benchmarks.jar org.vnetscope.bench.PlacementScale --vms 1000 --hosts 100 \
 *     --seeds 0,1,2 --limits 1,10,60
 * </pre>
 *
 * Options: {@code --vms N --hosts N --pairs N} (10 per VM unless given), {@code --bins N} (60; 0 for totals only,
 * no NIC rule), {@code --seeds 0,1,2}, {@code --limits 1,10,60} (seconds), {@code --long S} (a run of S seconds
 * whose local search keeps going round until the time is up, 0 for none), {@code --long-runs K} (K such runs, the
 * k-th with the solver seed seed + 1000 k: more tries at the best known), {@code --best SEED:BYTES,...} (best
 * cuts known from other runs, e.g. earlier long ones), {@code --exact} (also time the default 2M-node exhaustive
 * search), {@code --exact-nodes N} (node limit of the timed runs, 0 by default), {@code --unimproved N} (0: the
 * solver's default).
 */
public final class PlacementScale {

    private PlacementScale() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String key = args[i].replaceFirst("^--", "");
            if (key.equals("exact")) {
                opts.put(key, "true");
            } else {
                opts.put(key, args[++i]);
            }
        }
        int vms = Integer.parseInt(opts.getOrDefault("vms", "200"));
        int hosts = Integer.parseInt(opts.getOrDefault("hosts", "20"));
        int pairs = Integer.parseInt(opts.getOrDefault("pairs", String.valueOf(10 * vms)));
        int bins = Integer.parseInt(opts.getOrDefault("bins", "60"));
        long[] seeds = Arrays.stream(opts.getOrDefault("seeds", "0,1,2").split(",")).mapToLong(Long::parseLong)
                .toArray();
        double[] limits = Arrays.stream(opts.getOrDefault("limits", "1,10,60").split(","))
                .mapToDouble(Double::parseDouble).toArray();
        double longRun = Double.parseDouble(opts.getOrDefault("long", "0"));
        int longRuns = Integer.parseInt(opts.getOrDefault("long-runs", "1"));
        Map<Long, Long> given = new LinkedHashMap<>();
        for (String entry : opts.getOrDefault("best", "").split(",")) {
            if (!entry.isBlank()) {
                String[] parts = entry.split(":");
                given.put(Long.parseLong(parts[0].trim()), Long.parseLong(parts[1].trim().replace("_", "")));
            }
        }
        boolean exact = opts.containsKey("exact");
        long exactNodes = Long.parseLong(opts.getOrDefault("exact-nodes", "0"));
        int unimproved = Integer.parseInt(opts.getOrDefault("unimproved", "0"));

        System.out.printf(Locale.ROOT, "# %d VMs x %d hosts, %d pairs, %d bins, seeds %s, limits %s s, exact nodes %d,"
                + " unimproved %s, max heap %d MiB, %d processors%n", vms, hosts, pairs, bins, Arrays.toString(seeds),
                Arrays.toString(limits), exactNodes, unimproved == 0 ? "default" : unimproved,
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        Map<String, List<Double>> gaps = new LinkedHashMap<>();
        Map<String, List<Double>> walls = new LinkedHashMap<>();
        Map<String, List<Double>> cpus = new LinkedHashMap<>();
        List<Double> plantedGaps = new ArrayList<>();
        List<Double> bestVsPlanted = new ArrayList<>();
        boolean cold = true;
        for (long seed : seeds) {
            long began = System.nanoTime();
            CloudInstances.Generated generated = CloudInstances.generate(seed, vms, hosts, pairs, bins);
            PlacementProblem problem = generated.problem();
            System.out.printf(Locale.ROOT, "seed %d: generated in %d ms, memory use %.1f%%, CPU use %.1f%%, %d pairs,"
                    + " planted cut %d (%s)%n", seed, (System.nanoTime() - began) / 1_000_000,
                    100 * generated.memoryUse(), 100 * generated.cpuUse(), problem.demands().size(),
                    generated.plantedCross(), generated.plantedFits() ? "fits" : "does not fit");
            Map<String, Long> cuts = new LinkedHashMap<>();
            PlacementOptions base = PlacementOptions.defaults().withSeed(seed).withExactNodeLimit(exactNodes)
                    .withUnimprovedSteps(unimproved);

            Run first = run(problem, base.withExactNodeLimit(0).withTimeLimit(Duration.ofMillis(1)));
            print(seed, cold ? "first feasible (cold JVM)" : "first feasible", first);
            if (cold) {
                first = run(problem, base.withExactNodeLimit(0).withTimeLimit(Duration.ofMillis(1)));
                print(seed, "first feasible (warm)", first);
                cold = false;
            }
            walls.computeIfAbsent("first", k -> new ArrayList<>()).add(first.ms);
            for (PlacementResult.Baseline b : first.result.baselines()) {
                System.out.printf(Locale.ROOT, "seed %d: baseline %-22s cut %,d %s moves %d%n", seed, b.name(),
                        b.crossHostBytes(), b.feasible() ? "feasible" : "INFEASIBLE", b.moves());
            }
            Run probe = null;
            if (exact) {
                probe = run(problem, base.withExactNodeLimit(PlacementOptions.defaults().exactNodeLimit())
                        .withTimeLimit(Duration.ofMillis(1)));
                print(seed, "exact 2M nodes + 1 ms", probe);
                System.out.printf(Locale.ROOT, "seed %d: exact search cost about %.0f ms more than the first proposal%n",
                        seed, probe.ms - first.ms);
            }
            Map<String, Run> runs = new LinkedHashMap<>();
            if (probe != null) {
                runs.put("exact 2M nodes + 1 ms", probe);
            }
            for (double limit : limits) {
                String name = fmt(limit) + " s";
                Run r = run(problem, base.withTimeLimit(Duration.ofMillis((long) (limit * 1000))));
                print(seed, name, r);
                runs.put(name, r);
            }
            for (int k = 0; longRun > 0 && k < longRuns; k++) {
                String name = "long " + fmt(longRun) + " s" + (k == 0 ? "" : " #" + (k + 1));
                Run r = run(problem, base.withTimeLimit(Duration.ofMillis((long) (longRun * 1000)))
                        .withIdleRounds(Integer.MAX_VALUE).withSeed(seed + 1000L * k));
                print(seed, name, r);
                runs.put(name, r);
            }
            long best = Long.MAX_VALUE;
            for (Run r : runs.values()) {
                if (r.result.after().feasible()) {
                    best = Math.min(best, r.result.after().crossHostBytes());
                }
            }
            if (generated.plantedFits()) {
                best = Math.min(best, generated.plantedCross());
            }
            if (given.containsKey(seed)) {
                best = Math.min(best, given.get(seed));
            }
            System.out.printf(Locale.ROOT, "seed %d: best known %,d; planted %,d; lower bound %,d%n", seed, best,
                    generated.plantedCross(), first.result.lowerBoundBytes());
            for (Map.Entry<String, Run> e : runs.entrySet()) {
                long cut = e.getValue().result.after().crossHostBytes();
                gaps.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(gap(cut, best));
                walls.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue().ms);
                cpus.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue().cpuMs);
            }
            gaps.computeIfAbsent("current", k -> new ArrayList<>())
                    .add(gap(first.result.before().crossHostBytes(), best));
            for (PlacementResult.Baseline b : first.result.baselines()) {
                if (!b.name().equals("current")) {
                    gaps.computeIfAbsent(b.name(), k -> new ArrayList<>()).add(gap(b.crossHostBytes(), best));
                }
            }
            plantedGaps.add(gap(generated.plantedCross(), best));
            bestVsPlanted.add(100.0 * best / generated.plantedCross());
        }

        System.out.println("# medians over the seeds");
        System.out.printf(Locale.ROOT, "median first feasible proposal: %.0f ms%n", median(walls.get("first")));
        for (Map.Entry<String, List<Double>> e : gaps.entrySet()) {
            List<Double> wall = walls.get(e.getKey());
            System.out.printf(Locale.ROOT, "median gap %-22s %8.2f%%%s%n", e.getKey(), median(e.getValue()),
                    wall == null ? "" : String.format(Locale.ROOT, "   (wall %.1f s, CPU %.1f s)", median(wall) / 1000,
                            median(cpus.get(e.getKey())) / 1000));
        }
        System.out.printf(Locale.ROOT, "median gap planted placement      %8.2f%%; best known / planted %.1f%%%n",
                median(plantedGaps), median(bestVsPlanted));
        memory();
    }

    /** A solve's wall time and the CPU time its thread got (the machine may be shared: the two differ). */
    private record Run(PlacementResult result, double ms, double cpuMs) {
    }

    private static Run run(PlacementProblem problem, PlacementOptions options) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuBegan = threads.getCurrentThreadCpuTime();
        long began = System.nanoTime();
        PlacementResult result = Placer.solve(problem, options);
        double cpuMs = (threads.getCurrentThreadCpuTime() - cpuBegan) / 1e6;
        return new Run(result, (System.nanoTime() - began) / 1e6, cpuMs);
    }

    private static void print(long seed, String name, Run r) {
        PlacementResult.Figures after = r.result.after();
        System.out.printf(Locale.ROOT, "seed %d: %-26s %8.0f ms (CPU %6.0f ms)  cut %,d (%s)  from %,d  moves %d"
                        + "  NIC max %.0f%%  stopped by %s  nodes %d%n", seed, name, r.ms, r.cpuMs,
                after.crossHostBytes(), after.feasible() ? "feasible" : "INFEASIBLE", r.result.before().crossHostBytes(),
                after.moves(),
                100 * after.maxNicUtilization(), r.result.stoppedBy(), r.result.searchNodes());
    }

    private static double gap(long cut, long best) {
        return best <= 0 ? 0 : 100.0 * (cut - best) / best;
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String fmt(double seconds) {
        return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds);
    }

    /** Peak heap (the sum of the heap pools' peaks, an upper bound), collections, peak RSS. */
    private static void memory() throws Exception {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        long count = 0;
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += gc.getCollectionCount();
            ms += gc.getCollectionTime();
        }
        String hwm = "?";
        Path status = Path.of("/proc/self/status");
        if (Files.exists(status)) {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    hwm = line.substring(6).trim();
                }
            }
        }
        System.out.printf(Locale.ROOT, "# heap: max %d MiB, sum of pool peaks %d MiB; %d collections, %d ms;"
                + " peak RSS %s%n", Runtime.getRuntime().maxMemory() >> 20, peak >> 20, count, ms, hwm);
    }
}
