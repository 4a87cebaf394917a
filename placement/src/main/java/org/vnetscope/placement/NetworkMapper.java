package org.vnetscope.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * Virtual network mapping: the tenants' networks (their VMs and measured demands) embedded in a substrate of hosts,
 * switches and links, each VM on a host and each demand between two hosts on one of their k shortest paths, so
 * that no host and no link exceeds its capacity (a link's load is the p95 of its binned rate, as a NIC's), the
 * busiest link as little used as can be, then the fewest cross-host bytes, then the fewest migrations.
 *
 * <p>Tenants are admitted as in the embedding literature's greedy admission: a tenant that cannot be embedded on
 * its own account (a VM bigger than any host, a demand no path can carry between VMs that cannot share a host) is
 * turned away at once; then all the others are embedded together, and while the best embedding a finished search
 * found breaks a rule, the tenant that puts most on the most overloaded resource is turned away, with the reason,
 * and the rest embedded again. A search the time limit cut short turns no tenant away.
 */
public final class NetworkMapper {

    public static final int DEFAULT_PATHS = 4;
    private static final int REMAINING_PAIRS = 10;
    /**
     * Beyond this many VMs the exhaustive search is not tried: each node routes demands over links' binned series,
     * and its budget would run out long before it proved anything (measured: 100 VMs x 16 hosts).
     */
    static final int EXACT_MAX_VMS = 40;

    /** A tenant network: its VMs (indices into the whole problem) and whether SUBSTRATE.json declares it. */
    record Group(String name, int[] vms, boolean declared) {
    }

    /** Some of the problem's VMs and the demands between them; {@code whole} maps its VMs to the problem's. */
    record Part(Instance instance, Network net, int[] whole) {
    }

    /** One optimization of a part. */
    record Solve(Part part, int[] assignment, int[] routes, Embedding.Score score, String stoppedBy, long nodes,
                 boolean proven, List<PlacementResult.Baseline> baselines, List<MappingResult.Baseline> linkBaselines) {
    }

    /**
     * The resource a failed embedding breaks most, and the tenant that puts most on it.
     *
     * @param group    that tenant
     * @param resource the resource with what is asked of it and what it has
     * @param share    that tenant's own part of it
     */
    record Blame(int group, String resource, String share) {
    }

    private NetworkMapper() {
    }

    public static MappingResult solve(PlacementProblem problem, Substrate substrate, PlacementOptions options,
                                      int pathsPerPair) {
        long deadline = System.nanoTime() + options.timeLimit().toNanos();
        Instance whole = new Instance(problem);
        substrate.checkTenants(whole.vmIndex.keySet());
        Topology topology = new Topology(problem.hosts(), substrate, pathsPerPair);
        Network wholeNet = new Network(whole, topology);
        List<String> warnings = Placer.warnings(whole);
        warnings.removeIf(w -> w.contains("no time bins"));
        warnings.addAll(substrateWarnings(whole, topology));
        List<Group> groups = groups(whole, substrate);
        int[] groupOf = new int[whole.vms()];
        for (int g = 0; g < groups.size(); g++) {
            for (int v : groups.get(g).vms()) {
                groupOf[v] = g;
            }
        }

        Embedding before = EmbeddingSearch.routed(wholeNet, whole.current, options.seed(), deadline);
        Embedding.Score beforeScore = before.score();

        String[] reasons = new String[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            reasons[g] = precheck(whole, wholeNet, groups.get(g));
        }
        Solve solved;
        int[] warm = null;
        while (true) {
            Part part = part(problem, wholeNet, keep(whole, groups, reasons));
            solved = optimize(part, options, deadline, warm);
            if (solved.score().feasible() || part.instance().vms() == 0) {
                break;
            }
            if (solved.stoppedBy().equals("time_limit")) {
                // a search cut short proves nothing: no tenant is turned away for want of time
                warnings.add("no embedding within every capacity was found before the time limit, and no tenant is "
                        + "turned away on a search that did not finish: give more --time-limit");
                break;
            }
            Embedding failed = new Embedding(part.net(), solved.assignment(), solved.routes());
            Blame blame = blame(part, failed, groups, groupOf);
            if (blame == null) {
                break;
            }
            reasons[blame.group()] = explain(problem, wholeNet, groups, groupOf, blame, options, deadline);
            warm = toWhole(part, solved.assignment(), whole.vms());
        }
        return compose(problem, whole, topology, groups, reasons, before, beforeScore, solved, options, warnings);
    }

    // ---- tenants

    /** The declared tenants, then the connected groups of the traffic graph among the VMs no tenant names. */
    static List<Group> groups(Instance whole, Substrate substrate) {
        List<Group> groups = new ArrayList<>();
        boolean[] declared = new boolean[whole.vms()];
        Set<String> names = new HashSet<>();
        for (Substrate.Tenant tenant : substrate.tenants()) {
            int[] vms = tenant.vms().stream().mapToInt(whole.vmIndex::get).toArray();
            for (int v : vms) {
                declared[v] = true;
            }
            groups.add(new Group(tenant.name(), vms, true));
            names.add(tenant.name());
        }
        int[] parent = IntStream.range(0, whole.vms()).toArray();
        for (int d = 0; d < whole.demands(); d++) {
            int a = whole.demandA[d];
            int b = whole.demandB[d];
            if (!declared[a] && !declared[b]) {
                parent[find(parent, a)] = find(parent, b);
            }
        }
        Map<Integer, List<Integer>> components = new HashMap<>();
        long[] bytes = new long[whole.vms()];
        for (int v = 0; v < whole.vms(); v++) {
            if (!declared[v]) {
                components.computeIfAbsent(find(parent, v), k -> new ArrayList<>()).add(v);
            }
        }
        for (int d = 0; d < whole.demands(); d++) {
            if (!declared[whole.demandA[d]] && !declared[whole.demandB[d]]) {
                bytes[find(parent, whole.demandA[d])] += whole.demandBytes[d];
            }
        }
        List<List<Integer>> ordered = new ArrayList<>(components.values());
        ordered.sort(Comparator.<List<Integer>>comparingLong(c -> -bytes[find(parent, c.get(0))])
                .thenComparingInt(c -> c.get(0)));
        int number = 1;
        for (List<Integer> component : ordered) {
            String name;
            do {
                name = "traffic-" + number++;
            } while (names.contains(name));
            groups.add(new Group(name, component.stream().mapToInt(Integer::intValue).toArray(), false));
        }
        return groups;
    }

    private static int find(int[] parent, int v) {
        while (parent[v] != v) {
            parent[v] = parent[parent[v]];
            v = parent[v];
        }
        return v;
    }

    private static boolean[] keep(Instance whole, List<Group> groups, String[] reasons) {
        boolean[] keep = new boolean[whole.vms()];
        for (int g = 0; g < groups.size(); g++) {
            if (reasons[g] == null) {
                for (int v : groups.get(g).vms()) {
                    keep[v] = true;
                }
            }
        }
        return keep;
    }

    /**
     * What makes a tenant impossible to embed whatever else runs: a VM bigger than every host it may run on, VMs
     * needing more than all hosts have, or a demand between two VMs that cannot share a host (their pins, or their
     * sizes) that no path between the hosts they may run on can carry. Null when none applies.
     */
    static String precheck(Instance whole, Network net, Group group) {
        long maxCpu = 0;
        long maxMemory = 0;
        long allCpu = 0;
        long allMemory = 0;
        for (int h = 0; h < whole.hosts(); h++) {
            maxCpu = Math.max(maxCpu, whole.hostCpu[h]);
            maxMemory = Math.max(maxMemory, whole.hostMemory[h]);
            allCpu += whole.hostCpu[h];
            allMemory += whole.hostMemory[h];
        }
        long cpu = 0;
        long memory = 0;
        for (int v : group.vms()) {
            int pin = whole.pinned[v];
            long cpuRoom = pin >= 0 ? whole.hostCpu[pin] : maxCpu;
            long memoryRoom = pin >= 0 ? whole.hostMemory[pin] : maxMemory;
            String where = pin >= 0 ? "its pin, host " + whole.hostNames[pin] + ", has" : "no host has more than";
            if (whole.vmCpu[v] > cpuRoom) {
                return String.format("VM %s needs %s vCPU; %s %s", whole.vmNames[v], cpus(whole.vmCpu[v]), where,
                        cpus(cpuRoom));
            }
            if (whole.vmMemory[v] > memoryRoom) {
                return String.format("VM %s needs %d MiB; %s %d MiB", whole.vmNames[v], whole.vmMemory[v], where,
                        memoryRoom);
            }
            cpu += whole.vmCpu[v];
            memory += whole.vmMemory[v];
        }
        if (cpu > allCpu) {
            return "its VMs need " + cpus(cpu) + " vCPU; the hosts have " + cpus(allCpu) + " in all";
        }
        if (memory > allMemory) {
            return "its VMs need " + memory + " MiB; the hosts have " + allMemory + " MiB in all";
        }
        Set<Integer> members = new HashSet<>();
        for (int v : group.vms()) {
            members.add(v);
        }
        for (int d = 0; d < whole.demands(); d++) {
            int a = whole.demandA[d];
            int b = whole.demandB[d];
            if (!members.contains(a) || !members.contains(b) || canShare(whole, a, b)) {
                continue;
            }
            String pair = whole.vmNames[a] + " - " + whole.vmNames[b];
            String apart = whole.pinned[a] >= 0 && whole.pinned[b] >= 0 ? " (pinned to " + whole.hostNames[whole.pinned[a]]
                    + " and " + whole.hostNames[whole.pinned[b]] + ")" : " (they cannot share a host)";
            long widest = -1;
            int narrowest = -1;
            for (int ha : allowed(whole, a)) {
                for (int hb : allowed(whole, b)) {
                    if (ha == hb) {
                        continue;
                    }
                    for (int[] path : net.topology.paths(ha, hb)) {
                        long bottleneck = net.topology.bottleneck(path);
                        if (path.length > 0 && bottleneck > widest) {
                            widest = bottleneck;
                            narrowest = net.topology.narrowest(path);
                        }
                    }
                }
            }
            if (narrowest < 0) {
                return "no path joins the hosts where " + pair + apart + " may run";
            }
            if (net.demandBps[d] > widest) {
                return String.format("link %s: needs %s at p95 for %s%s, capacity %s, and no path between their "
                                + "hosts is wider", net.topology.linkNames[narrowest], Rates.format(net.demandBps[d]),
                        pair, apart, Rates.format(widest));
            }
        }
        return null;
    }

    private static boolean canShare(Instance whole, int a, int b) {
        for (int h : allowed(whole, a)) {
            if ((whole.pinned[b] < 0 || whole.pinned[b] == h) && whole.vmCpu[a] + whole.vmCpu[b] <= whole.hostCpu[h]
                    && whole.vmMemory[a] + whole.vmMemory[b] <= whole.hostMemory[h]) {
                return true;
            }
        }
        return false;
    }

    private static int[] allowed(Instance whole, int v) {
        return whole.pinned[v] >= 0 ? new int[] {whole.pinned[v]} : IntStream.range(0, whole.hosts()).toArray();
    }

    /** Why a tenant is turned away: what it breaks alone, or what it puts on the resource the others break. */
    private static String explain(PlacementProblem problem, Network wholeNet, List<Group> groups, int[] groupOf,
                                  Blame blame, PlacementOptions options, long deadline) {
        Instance whole = wholeNet.instance;
        boolean[] only = new boolean[whole.vms()];
        for (int v : groups.get(blame.group()).vms()) {
            only[v] = true;
        }
        Part alone = part(problem, wholeNet, only);
        long now = System.nanoTime();
        Solve solo = optimize(alone, options, now + Math.max(0, deadline - now) / 4, null);
        if (solo.score().feasible()) {
            return blame.resource() + " with the other tenants embedded (" + blame.share() + ")";
        }
        Blame own = blame(alone, new Embedding(alone.net(), solo.assignment(), solo.routes()), groups, groupOf);
        String resource = own == null ? "no embedding keeps every rule" : own.resource();
        return resource + (solo.proven() ? ", even alone on the substrate (no embedding of it exists)"
                : ", even alone on the substrate (in the best embedding found)");
    }

    /**
     * The resource the embedding breaks most (a demand with no path first, then the largest excess over
     * capacity), and the tenant that puts most on it (the later one on a tie).
     */
    static Blame blame(Part part, Embedding e, List<Group> groups, int[] groupOfWhole) {
        Instance instance = part.instance();
        Topology topology = e.topology;
        int[] groupOf = new int[instance.vms()];
        for (int v = 0; v < instance.vms(); v++) {
            groupOf[v] = groupOfWhole[part.whole()[v]];
        }
        long[] share = new long[groups.size()];
        for (int d = 0; d < instance.demands(); d++) {
            if (e.route[d] == Embedding.NO_PATH) {
                int a = instance.demandA[d];
                int b = instance.demandB[d];
                int ha = e.host[a];
                int hb = e.host[b];
                return new Blame(Math.max(groupOf[a], groupOf[b]), "no path joins hosts " + instance.hostNames[ha]
                        + " and " + instance.hostNames[hb] + ", where " + instance.vmNames[a] + " and "
                        + instance.vmNames[b] + " run", "");
            }
        }
        double worst = 1;
        int kind = -1;
        int which = -1;
        for (int l = 0; l < topology.links(); l++) {
            double ratio = e.utilization(l);
            if (ratio > worst) {
                worst = ratio;
                kind = 1;
                which = l;
            }
        }
        for (int h = 0; h < instance.hosts(); h++) {
            double[] ratios = {instance.hostNicBps[h] > 0 && instance.bins > 0 ? e.nicBps(h) / (double) instance.hostNicBps[h] : 0,
                    e.cpu[h] / (double) Math.max(1, instance.hostCpu[h]), e.memory[h] / (double) Math.max(1, instance.hostMemory[h])};
            for (int k = 0; k < ratios.length; k++) {
                boolean over = k == 0 ? instance.hostNicBps[h] > 0 && instance.bins > 0 && e.nicBps(h) > instance.hostNicBps[h]
                        : k == 1 ? e.cpu[h] > instance.hostCpu[h] : e.memory[h] > instance.hostMemory[h];
                if (over && (ratios[k] > worst || kind < 0)) {
                    worst = Math.max(worst, ratios[k]);
                    kind = 2 + k;
                    which = h;
                }
            }
        }
        if (kind < 0 && instance.maxMoves >= 0 && e.moves > instance.maxMoves) {
            kind = 5;
        }
        if (kind < 0) {
            return null;
        }
        String resource;
        java.util.function.LongFunction<String> describe;
        switch (kind) {
            case 1 -> {
                int link = which;
                for (int g = 0; g < groups.size(); g++) {
                    int group = g;
                    share[g] = e.shareBps(link, d -> groupOf[instance.demandA[d]] == group
                            || groupOf[instance.demandB[d]] == group);
                }
                resource = String.format("link %s: needs %s at p95, capacity %s", topology.linkNames[link],
                        Rates.format(e.linkBps(link)), Rates.format(topology.linkBps[link]));
                describe = bps -> "its own traffic there: " + Rates.format(bps) + " at p95";
            }
            case 2 -> {
                int h = which;
                for (int g = 0; g < groups.size(); g++) {
                    int group = g;
                    share[g] = nicShareBps(e, h, d -> groupOf[instance.demandA[d]] == group
                            || groupOf[instance.demandB[d]] == group);
                }
                resource = String.format("host %s's NIC: needs %s at p95, capacity %s", instance.hostNames[h],
                        Rates.format(e.nicBps(h)), Rates.format(instance.hostNicBps[h]));
                describe = bps -> "its own traffic there: " + Rates.format(bps) + " at p95";
            }
            case 3, 4 -> {
                int h = which;
                boolean isCpu = kind == 3;
                for (int v = 0; v < instance.vms(); v++) {
                    if (e.host[v] == h) {
                        share[groupOf[v]] += isCpu ? instance.vmCpu[v] : instance.vmMemory[v];
                    }
                }
                resource = isCpu ? String.format("host %s: needs %s vCPU, has %s", instance.hostNames[h],
                        cpus(e.cpu[h]), cpus(instance.hostCpu[h])) : String.format("host %s: needs %d MiB, has %d MiB",
                        instance.hostNames[h], e.memory[h], instance.hostMemory[h]);
                describe = isCpu ? amount -> "its VMs there: " + cpus(amount) + " vCPU"
                        : amount -> "its VMs there: " + amount + " MiB";
            }
            default -> {
                for (int v = 0; v < instance.vms(); v++) {
                    if (e.host[v] >= 0 && instance.moved(v, e.host[v])) {
                        share[groupOf[v]]++;
                    }
                }
                resource = "the migration budget: needs " + e.moves + " migrations, --max-moves allows "
                        + instance.maxMoves;
                describe = count -> count + " of them its VMs'";
            }
        }
        int culprit = -1;
        for (int g = 0; g < groups.size(); g++) {
            if (share[g] > 0 && (culprit < 0 || share[g] >= share[culprit])) {
                culprit = g;
            }
        }
        return culprit < 0 ? null : new Blame(culprit, resource, describe.apply(share[culprit]));
    }

    private static long nicShareBps(Embedding e, int h, IntPredicate demands) {
        Instance instance = e.instance;
        long[] sum = new long[instance.bins];
        for (int d = 0; d < instance.demands(); d++) {
            long[] series = instance.demandBins[d];
            boolean touches = e.host[instance.demandA[d]] == h || e.host[instance.demandB[d]] == h;
            if (series != null && demands.test(d) && e.apart(d) && touches) {
                for (int i = 0; i < series.length; i++) {
                    sum[i] += series[i];
                }
            }
        }
        return instance.bitsPerSecond(Instance.p95(sum));
    }

    // ---- solving

    /** The problem restricted to some VMs and the demands between them, binned as the whole. */
    static Part part(PlacementProblem problem, Network wholeNet, boolean[] keep) {
        List<VmSpec> vms = new ArrayList<>();
        List<Integer> index = new ArrayList<>();
        Set<String> kept = new HashSet<>();
        for (int v = 0; v < problem.vms().size(); v++) {
            if (keep[v]) {
                vms.add(problem.vms().get(v));
                index.add(v);
                kept.add(problem.vms().get(v).name());
            }
        }
        int longest = 0;
        for (Demand demand : problem.demands()) {
            if (demand.binBytes() != null) {
                longest = Math.max(longest, demand.binBytes().length);
            }
        }
        List<Demand> demands = new ArrayList<>();
        for (Demand demand : problem.demands()) {
            if (kept.contains(demand.a()) && kept.contains(demand.b())) {
                long[] bins = demand.binBytes();
                // every part's series as long as the whole's, so that its bins are merged as the whole's are
                demands.add(bins == null || bins.length == longest ? demand
                        : new Demand(demand.a(), demand.b(), demand.bytes(), Arrays.copyOf(bins, longest)));
            }
        }
        PlacementProblem sub = new PlacementProblem(problem.hosts(), vms, demands, problem.binNs(), problem.windowNs(),
                problem.maxMoves());
        Instance instance = new Instance(sub);
        return new Part(instance, new Network(instance, wholeNet.topology, wholeNet),
                index.stream().mapToInt(Integer::intValue).toArray());
    }

    private static int[] toWhole(Part part, int[] assignment, int vms) {
        int[] whole = new int[vms];
        Arrays.fill(whole, -1);
        for (int v = 0; v < assignment.length; v++) {
            whole[part.whole()[v]] = assignment[v];
        }
        return whole;
    }

    /**
     * The baselines routed, the best of them (or of a warm start) as the start; the exhaustive search, which proves
     * the optimum when it finishes within its budget (a third of the time given at most); else the tabu search.
     */
    static Solve optimize(Part part, PlacementOptions options, long deadline, int[] warmWhole) {
        Instance instance = part.instance();
        Network net = part.net();
        String[] names = {"current", "first_fit_decreasing", "greedy_pairs"};
        int[][] candidates = {Baselines.current(instance), Baselines.firstFitDecreasing(instance),
                Baselines.greedyMerge(instance)};
        List<PlacementResult.Baseline> baselines = new ArrayList<>();
        List<MappingResult.Baseline> linkBaselines = new ArrayList<>();
        int[] start = null;
        int[] startRoutes = null;
        Embedding.Score startScore = null;
        for (int i = 0; i < names.length; i++) {
            Embedding e = EmbeddingSearch.routed(net, candidates[i], options.seed(), deadline);
            Embedding.Score score = e.score();
            baselines.add(new PlacementResult.Baseline(names[i], score.crossBytes(), score.feasible(), score.moves()));
            linkBaselines.add(new MappingResult.Baseline(names[i], score.maxUtilization(), score.crossBytes(),
                    score.feasible()));
            if (startScore == null || score.compareTo(startScore) < 0) {
                start = candidates[i];
                startRoutes = e.routes();
                startScore = score;
            }
        }
        if (warmWhole != null) {
            int[] warm = candidates[0].clone();
            for (int v = 0; v < warm.length; v++) {
                if (warmWhole[part.whole()[v]] >= 0) {
                    warm[v] = warmWhole[part.whole()[v]];
                }
            }
            Embedding e = EmbeddingSearch.routed(net, warm, options.seed(), deadline);
            if (e.score().compareTo(startScore) < 0) {
                start = warm;
                startRoutes = e.routes();
                startScore = e.score();
            }
        }
        long nodes = 0;
        boolean provenInfeasible = false;
        if (options.exactNodeLimit() > 0 && instance.vms() <= EXACT_MAX_VMS) {
            long now = System.nanoTime();
            EmbeddingExact.Outcome exact = new EmbeddingExact(net, options.exactNodeLimit(),
                    now + Math.max(0, deadline - now) / 3).run(start, startRoutes);
            nodes = exact.nodes();
            if (exact.complete() && exact.assignment() != null) {
                return new Solve(part, exact.assignment(), exact.routes(), exact.score(), "proven", nodes, true,
                        baselines, linkBaselines);
            }
            provenInfeasible = exact.complete();
            if (exact.assignment() != null && exact.score().compareTo(startScore) < 0) {
                start = exact.assignment();
                startRoutes = exact.routes();
                startScore = exact.score();
            }
        }
        EmbeddingSearch.Outcome searched = EmbeddingSearch.run(net, start, startRoutes, options.seed(), deadline,
                options.unimprovedSteps(instance.vms(), instance.hosts()));
        boolean better = searched.score().compareTo(startScore) < 0;
        String stoppedBy = provenInfeasible ? "proven" : searched.timedOut() ? "time_limit" : "converged";
        return new Solve(part, better ? searched.assignment() : start, better ? searched.routes() : startRoutes,
                better ? searched.score() : startScore, stoppedBy, nodes, provenInfeasible, baselines, linkBaselines);
    }

    // ---- the result

    private static MappingResult compose(PlacementProblem problem, Instance whole, Topology topology,
                                         List<Group> groups, String[] reasons, Embedding before,
                                         Embedding.Score beforeScore, Solve solved, PlacementOptions options,
                                         List<String> warnings) {
        Part part = solved.part();
        Instance instance = part.instance();
        Embedding after = new Embedding(part.net(), solved.assignment(), solved.routes());
        Embedding.Score afterScore = after.score();
        int[] afterWhole = toWhole(part, solved.assignment(), whole.vms());
        int[] target = afterWhole.clone();
        for (int v = 0; v < target.length; v++) {
            if (target[v] < 0) {
                target[v] = whole.current[v]; // a tenant not embedded is not moved
            }
        }
        PlacementResult.Figures beforeFigures = feasible(Placer.figures(new Loads(whole, whole.current)),
                beforeScore.feasible());
        PlacementResult.Figures afterFigures = feasible(Placer.figures(new Loads(whole, afterWhole)),
                afterScore.feasible());
        MigrationPlan.Plan plan = MigrationPlan.between(whole, whole.current, target);
        List<PlacementResult.Assignment> placement = new ArrayList<>();
        for (int v = 0; v < whole.vms(); v++) {
            placement.add(new PlacementResult.Assignment(whole.vmNames[v],
                    afterWhole[v] < 0 ? null : whole.hostNames[afterWhole[v]]));
        }
        int rejected = 0;
        for (String reason : reasons) {
            rejected += reason == null ? 0 : 1;
        }
        if (rejected > 0) {
            warnings.add(rejected + " of " + groups.size() + " tenant network(s) cannot be embedded: their VMs have "
                    + "no host in the proposal, are not migrated, and their traffic is left out of the figures after");
            long leftOut = 0;
            int pairs = 0;
            for (int d = 0; d < whole.demands(); d++) {
                boolean a = afterWhole[whole.demandA[d]] >= 0;
                boolean b = afterWhole[whole.demandB[d]] >= 0;
                if (a != b) {
                    leftOut += whole.demandBytes[d];
                    pairs++;
                }
            }
            if (pairs > 0) {
                warnings.add(pairs + " VM pair(s) between an embedded tenant and one that is not are left out ("
                        + leftOut + " bytes)");
            }
        }
        if (!afterScore.feasible()) {
            warnings.add("the proposal still breaks a capacity, a pin or the migration budget: no better was found");
        }
        long lowerBound = Math.min(LowerBound.of(instance), afterScore.crossBytes());
        PlacementResult result = new PlacementResult(beforeFigures, afterFigures, List.copyOf(placement),
                plan.moves(), plan.unordered(), lowerBound, solved.proven() && afterScore.feasible(),
                solved.baselines(), remaining(after, afterScore), whole.hostList(), solved.stoppedBy(),
                solved.nodes(), options.seed(), List.copyOf(warnings));

        long[] bytesBefore = linkBytes(before);
        long[] bytesAfter = linkBytes(after);
        List<MappingResult.LinkLoad> links = new ArrayList<>();
        for (int l = 0; l < topology.links(); l++) {
            links.add(new MappingResult.LinkLoad(topology.nodeNames[topology.linkA[l]],
                    topology.nodeNames[topology.linkB[l]], topology.linkBps[l], before.linkBps(l), after.linkBps(l),
                    before.utilization(l), after.utilization(l), bytesBefore[l], bytesAfter[l]));
        }
        List<MappingResult.Route> routes = new ArrayList<>();
        for (int d = 0; d < instance.demands(); d++) {
            if (after.route[d] >= 0) {
                int a = instance.demandA[d];
                int b = instance.demandB[d];
                List<String> path = new ArrayList<>(topology.nodesOf(after.host[a], after.host[b], after.pathNow(d)));
                if (after.host[a] > after.host[b]) {
                    java.util.Collections.reverse(path);
                }
                routes.add(new MappingResult.Route(instance.vmNames[a], instance.vmNames[b],
                        instance.hostNames[after.host[a]], instance.hostNames[after.host[b]], instance.demandBytes[d],
                        part.net().demandBps[d], List.copyOf(path)));
            }
        }
        List<MappingResult.TenantOutcome> tenants = new ArrayList<>();
        int[] groupOf = new int[whole.vms()];
        for (int g = 0; g < groups.size(); g++) {
            for (int v : groups.get(g).vms()) {
                groupOf[v] = g;
            }
        }
        long[] groupBytes = new long[groups.size()];
        for (int d = 0; d < whole.demands(); d++) {
            int ga = groupOf[whole.demandA[d]];
            int gb = groupOf[whole.demandB[d]];
            groupBytes[ga] += whole.demandBytes[d];
            if (gb != ga) {
                groupBytes[gb] += whole.demandBytes[d];
            }
        }
        boolean anyDeclared = false;
        boolean anyTraffic = false;
        for (int g = 0; g < groups.size(); g++) {
            Group group = groups.get(g);
            anyDeclared |= group.declared();
            anyTraffic |= !group.declared();
            List<String> vms = Arrays.stream(group.vms()).mapToObj(v -> whole.vmNames[v]).toList();
            tenants.add(new MappingResult.TenantOutcome(group.name(), vms, group.declared(), reasons[g] == null,
                    reasons[g], groupBytes[g]));
        }
        String from = anyDeclared && anyTraffic ? "declared and traffic" : anyDeclared ? "declared" : "traffic";
        return new MappingResult(result, topology.pathsPerPair, part.net().binNs, List.copyOf(links),
                beforeScore.maxUtilization(), afterScore.maxUtilization(), from, List.copyOf(tenants),
                List.copyOf(routes), solved.linkBaselines());
    }

    private static PlacementResult.Figures feasible(PlacementResult.Figures figures, boolean feasible) {
        return new PlacementResult.Figures(figures.crossHostBytes(), figures.maxNicUtilization(), feasible,
                figures.moves(), figures.hosts(), figures.hostMatrix());
    }

    private static long[] linkBytes(Embedding e) {
        long[] bytes = new long[e.topology.links()];
        for (int d = 0; d < e.instance.demands(); d++) {
            for (int l : e.pathNow(d)) {
                bytes[l] += e.instance.demandBytes[d];
            }
        }
        return bytes;
    }

    private static List<String> substrateWarnings(Instance whole, Topology topology) {
        List<String> warnings = new ArrayList<>();
        for (int h = 0; h < whole.hosts(); h++) {
            if (!topology.hasLinks(h)) {
                warnings.add("host " + whole.hostNames[h] + " has no link in the substrate: its VMs reach only VMs "
                        + "on the same host");
            }
        }
        if (whole.bins == 0) {
            warnings.add("the traffic has no time bins: a link's load is its mean rate over the window, not a p95, "
                    + "and NIC capacities are not checked");
        }
        return warnings;
    }

    /** The heaviest pairs left on different hosts, each with the rule or the cost that keeps either VM away. */
    private static List<PlacementResult.RemainingPair> remaining(Embedding e, Embedding.Score now) {
        Instance instance = e.instance;
        Integer[] cut = IntStream.range(0, instance.demands()).boxed().filter(e::apart)
                .sorted(Comparator.<Integer>comparingLong(d -> -instance.demandBytes[d]).thenComparingInt(d -> d))
                .limit(REMAINING_PAIRS).toArray(Integer[]::new);
        List<PlacementResult.RemainingPair> pairs = new ArrayList<>();
        for (int d : cut) {
            int a = instance.demandA[d];
            int b = instance.demandB[d];
            int ha = e.host[a];
            int hb = e.host[b];
            pairs.add(new PlacementResult.RemainingPair(instance.vmNames[a], instance.vmNames[b],
                    instance.demandBytes[d], instance.hostNames[ha], instance.hostNames[hb],
                    List.of(why(e, now, a, hb), why(e, now, b, ha))));
        }
        return List.copyOf(pairs);
    }

    /** Why a VM does not join a host: its pin, the host's room, or what the move would do to the links. */
    static String why(Embedding e, Embedding.Score now, int v, int h) {
        Instance instance = e.instance;
        String vm = instance.vmNames[v];
        String host = instance.hostNames[h];
        if (instance.pinned[v] >= 0) {
            return vm + " is pinned to " + instance.hostNames[instance.pinned[v]];
        }
        if (e.cpu[h] + instance.vmCpu[v] > instance.hostCpu[h]) {
            return String.format("%s has %s vCPU free, %s needs %s", host, cpus(instance.hostCpu[h] - e.cpu[h]), vm,
                    cpus(instance.vmCpu[v]));
        }
        if (e.memory[h] + instance.vmMemory[v] > instance.hostMemory[h]) {
            return String.format("%s has %d MiB free, %s needs %d MiB", host, instance.hostMemory[h] - e.memory[h],
                    vm, instance.vmMemory[v]);
        }
        e.score();
        e.begin();
        e.move(v, h);
        Embedding.Score then = e.score();
        String reason = null;
        if (then.hard() > now.hard()) {
            if (instance.maxMoves >= 0 && e.moves > instance.maxMoves && then.moves() > now.moves()) {
                reason = "moving " + vm + " would exceed the migration budget of " + instance.maxMoves;
            }
            for (int l = 0; l < e.topology.links() && reason == null; l++) {
                if (e.linkBps(l) > e.topology.linkBps[l]) {
                    reason = String.format("moving %s to %s would load link %s to %s (p95)", vm, host,
                            e.topology.linkNames[l], Rates.percent(e.utilization(l)));
                }
            }
            for (int g = 0; g < instance.hosts() && reason == null; g++) {
                if (instance.hostNicBps[g] > 0 && instance.bins > 0 && e.nicBps(g) > instance.hostNicBps[g]) {
                    reason = String.format("moving %s to %s would load %s's NIC to %s (p95)", vm, host,
                            instance.hostNames[g], Rates.percent(e.nicBps(g) / (double) instance.hostNicBps[g]));
                }
            }
            if (reason == null) {
                reason = "moving " + vm + " to " + host + " would leave a demand with no path";
            }
        } else if (then.hard() == now.hard() && then.maxUtilization() > now.maxUtilization()) {
            int busiest = 0;
            for (int l = 1; l < e.topology.links(); l++) {
                if (e.utilization(l) > e.utilization(busiest)) {
                    busiest = l;
                }
            }
            reason = String.format("moving %s to %s would raise the busiest link, %s, to %s at p95 (%s), from %s",
                    vm, host, e.topology.linkNames[busiest], Rates.format(e.linkBps(busiest)),
                    Rates.percent(then.maxUtilization()), Rates.percent(now.maxUtilization()));
        } else if (then.compareTo(now) < 0) {
            reason = String.format("moving %s to %s would do better: the search did not find it", vm, host);
        } else {
            long saving = now.crossBytes() - then.crossBytes();
            reason = saving == 0 ? String.format("moving %s to %s would cut as many bytes as it joins", vm, host)
                    : String.format("moving %s to %s would cut %d more bytes than it joins", vm, host, -saving);
        }
        e.rollback();
        return reason;
    }

    private static String cpus(long milli) {
        double value = milli / 1000.0;
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(java.util.Locale.ROOT, "%.1f", value);
    }
}
