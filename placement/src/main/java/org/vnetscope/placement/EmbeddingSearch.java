package org.vnetscope.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Tabu search over node and link mappings together. Each step tries, and takes the best of even when it is worse
 * (so that the search leaves local optima), moves aimed at what costs most now: the VMs whose traffic crosses the
 * busiest link (or a link, host or pin over its rule), each to the hosts of the VMs it talks to and to a few
 * others at random, alone or swapped with a VM there, and the demands on that link onto their other paths; plus a
 * few VMs at random, for the cross-host bytes. A moved VM's traffic is routed anew on the paths it loads least.
 * A VM or demand just changed is tabu for a few steps unless the move beats the best found; after a long plateau
 * the search starts again from the best with a few random moves (an iterated tabu search: on the small substrates
 * of the tests, tabu alone stayed in the greedy start's basin on 2 cases of 12). It stops after a number of steps
 * without a better embedding, or at its deadline; for a seed, the steps taken are the same on any machine unless
 * the deadline strikes.
 */
final class EmbeddingSearch {

    record Outcome(int[] assignment, int[] routes, Embedding.Score score, boolean timedOut, long steps) {
    }

    private static final int FOCUS_VMS = 10;
    private static final int RANDOM_VMS = 5;
    private static final int PARTNER_HOSTS = 3;
    private static final int RANDOM_HOSTS = 2;
    private static final int REROUTED_DEMANDS = 8;
    /** Steps without a better routing after which routing a fixed placement stops. */
    private static final int ROUTING_STEPS = 300;

    private EmbeddingSearch() {
    }

    static Outcome run(Network net, int[] start, int[] startRoutes, long seed, long deadlineNanos, int unimprovedLimit) {
        return run(net, start, startRoutes, seed, deadlineNanos, unimprovedLimit, false);
    }

    /**
     * The paths alone, the placement kept: the same tabu search with reroutes only, for a placement's figures
     * (the current one's, the baselines') to be those of a good routing, not of the first greedy one.
     */
    static Embedding routed(Network net, int[] assignment, long seed, long deadlineNanos) {
        Outcome outcome = run(net, assignment, null, seed, deadlineNanos, ROUTING_STEPS, true);
        return new Embedding(net, outcome.assignment(), outcome.routes());
    }

    private static Outcome run(Network net, int[] start, int[] startRoutes, long seed, long deadlineNanos,
                               int unimprovedLimit, boolean routesOnly) {
        Embedding state = new Embedding(net, start, startRoutes);
        Instance instance = net.instance;
        Comparator<Embedding.Score> order = routesOnly ? Embedding.Score.ROUTING : Comparator.naturalOrder();
        polishRoutes(state, deadlineNanos, order);
        Embedding.Score current = state.score();
        Embedding.Score best = current;
        int[] bestAssignment = state.assignment();
        int[] bestRoutes = state.routes();
        if (instance.vms() == 0) {
            return new Outcome(bestAssignment, bestRoutes, best, false, 0);
        }
        Random random = new Random(seed);
        int[] vmTabu = new int[instance.vms()];
        int[] demandTabu = new int[instance.demands()];
        int tenure = Math.max(2, Math.min(7, instance.vms() / 4));
        int unimproved = 0;
        int kickAfter = Math.max(50, 10 * instance.vms());
        long step = 0;
        boolean timedOut = false;
        while (unimproved < unimprovedLimit) {
            if (System.nanoTime() - deadlineNanos > 0) {
                timedOut = true;
                break;
            }
            step++;
            if (unimproved > 0 && unimproved % kickAfter == 0) {
                // a long plateau: start again from the best, shaken by a few random moves
                state = new Embedding(net, bestAssignment, bestRoutes);
                kick(state, random, routesOnly);
                Arrays.fill(vmTabu, 0);
                Arrays.fill(demandTabu, 0);
                current = state.score();
            }
            Candidate chosen = null;
            for (Candidate candidate : routesOnly ? reroutes(state, current, random)
                    : candidates(state, current, random)) {
                state.begin();
                candidate.apply(state);
                Embedding.Score score = state.score();
                state.rollback();
                boolean tabu = candidate.tabu(vmTabu, demandTabu, step);
                if ((!tabu || order.compare(score, best) < 0) && (chosen == null || order.compare(score, chosen.score) < 0)) {
                    candidate.score = score;
                    chosen = candidate;
                }
            }
            if (chosen == null) {
                unimproved++;
                continue;
            }
            state.begin();
            chosen.apply(state);
            state.commit();
            chosen.makeTabu(vmTabu, demandTabu, step + tenure);
            current = state.score();
            if (order.compare(current, best) < 0) {
                best = current;
                bestAssignment = state.assignment();
                bestRoutes = state.routes();
                unimproved = 0;
            } else {
                unimproved++;
            }
        }
        Embedding polished = new Embedding(net, bestAssignment, bestRoutes);
        polishRoutes(polished, deadlineNanos, order);
        Embedding.Score after = polished.score();
        if (order.compare(after, best) < 0) {
            best = after;
            bestRoutes = polished.routes();
        }
        return new Outcome(bestAssignment, bestRoutes, best, timedOut, step);
    }

    /**
     * Two or three VMs, not pinned, each to a random host (or demands to a random path of theirs): what a plateau
     * needs to be left for another.
     */
    private static void kick(Embedding state, Random random, boolean routesOnly) {
        Instance instance = state.instance;
        if (routesOnly) {
            for (int i = 0; i < 3 && instance.demands() > 0; i++) {
                int d = random.nextInt(instance.demands());
                if (state.route[d] >= 0) {
                    state.reroute(d, random.nextInt(state.pathsOf(d).length));
                }
            }
            return;
        }
        int moves = 2 + random.nextInt(2);
        for (int i = 0; i < moves; i++) {
            int v = random.nextInt(instance.vms());
            if (instance.pinned[v] < 0) {
                state.move(v, random.nextInt(instance.hosts()));
            }
        }
    }

    /**
     * Steepest descent over the demands' paths alone, the placement kept: each round moves the one demand, of
     * those on the busiest (or overloaded) links, whose other path lowers the score most; until no move does, or
     * a budget of trials proportional to the demands is spent.
     */
    static void polishRoutes(Embedding state, long deadlineNanos, Comparator<Embedding.Score> order) {
        Embedding.Score current = state.score();
        long trials = 0;
        long budget = 50L * Math.max(1, state.instance.demands());
        while (trials < budget) {
            int bestDemand = -1;
            int bestPath = -1;
            Embedding.Score bestScore = current;
            for (int d : demandsOnHotLinks(state, current)) {
                if (System.nanoTime() - deadlineNanos > 0) {
                    return;
                }
                int[][] paths = state.pathsOf(d);
                for (int p = 0; p < paths.length; p++) {
                    if (p == state.route[d]) {
                        continue;
                    }
                    trials++;
                    state.begin();
                    state.reroute(d, p);
                    Embedding.Score score = state.score();
                    state.rollback();
                    if (order.compare(score, bestScore) < 0) {
                        bestScore = score;
                        bestDemand = d;
                        bestPath = p;
                    }
                }
            }
            if (bestDemand < 0) {
                return;
            }
            state.reroute(bestDemand, bestPath);
            current = state.score();
        }
    }

    /** The links that cost most now: those over capacity when any is, else the busiest. */
    static boolean[] hotLinks(Embedding state, Embedding.Score score) {
        Topology topology = state.topology;
        boolean[] hot = new boolean[topology.links()];
        boolean over = false;
        for (int l = 0; l < topology.links(); l++) {
            if (state.linkBps(l) > topology.linkBps[l]) {
                hot[l] = true;
                over = true;
            }
        }
        if (!over && score.maxUtilization() > 0) {
            for (int l = 0; l < topology.links(); l++) {
                hot[l] = state.utilization(l) == score.maxUtilization();
            }
        }
        return hot;
    }

    private static List<Integer> demandsOnHotLinks(Embedding state, Embedding.Score score) {
        boolean[] hot = hotLinks(state, score);
        List<Integer> demands = new ArrayList<>();
        for (int d = 0; d < state.instance.demands(); d++) {
            if (state.route[d] >= 0) {
                for (int l : state.pathNow(d)) {
                    if (hot[l]) {
                        demands.add(d);
                        break;
                    }
                }
            }
        }
        return demands;
    }

    /** A move to try: a VM to a host, two VMs swapped, or a demand onto another path. */
    private static final class Candidate {
        final int kind; // 0 move, 1 swap, 2 reroute
        final int x;
        final int y;
        Embedding.Score score;

        Candidate(int kind, int x, int y) {
            this.kind = kind;
            this.x = x;
            this.y = y;
        }

        void apply(Embedding state) {
            switch (kind) {
                case 0 -> state.move(x, y);
                case 1 -> {
                    int hx = state.host[x];
                    int hy = state.host[y];
                    state.move(x, hy);
                    state.move(y, hx);
                }
                default -> state.reroute(x, y);
            }
        }

        boolean tabu(int[] vmTabu, int[] demandTabu, long step) {
            return switch (kind) {
                case 0 -> vmTabu[x] >= step;
                case 1 -> vmTabu[x] >= step || vmTabu[y] >= step;
                default -> demandTabu[x] >= step;
            };
        }

        void makeTabu(int[] vmTabu, int[] demandTabu, long until) {
            if (kind == 2) {
                demandTabu[x] = (int) until;
            } else {
                vmTabu[x] = (int) until;
                if (kind == 1) {
                    vmTabu[y] = (int) until;
                }
            }
        }
    }

    /** Demands on the links that cost most now, and a few at random, each onto its other paths. */
    private static List<Candidate> reroutes(Embedding state, Embedding.Score score, Random random) {
        List<Integer> demands = sample(demandsOnHotLinks(state, score), 2 * REROUTED_DEMANDS, random);
        for (int i = 0; i < REROUTED_DEMANDS && state.instance.demands() > 0; i++) {
            int d = random.nextInt(state.instance.demands());
            if (state.route[d] >= 0 && !demands.contains(d)) {
                demands.add(d);
            }
        }
        List<Candidate> candidates = new ArrayList<>();
        for (int d : demands) {
            int[][] paths = state.pathsOf(d);
            for (int p = 0; p < paths.length; p++) {
                if (p != state.route[d]) {
                    candidates.add(new Candidate(2, d, p));
                }
            }
        }
        return candidates;
    }

    private static List<Candidate> candidates(Embedding state, Embedding.Score score, Random random) {
        Instance instance = state.instance;
        List<Integer> hotDemands = demandsOnHotLinks(state, score);
        Set<Integer> focus = new LinkedHashSet<>();
        for (int d : hotDemands) {
            focus.add(instance.demandA[d]);
            focus.add(instance.demandB[d]);
        }
        if (score.hard() > 0) {
            for (int v = 0; v < instance.vms(); v++) {
                int h = state.host[v];
                if (h >= 0 && state.hostExcess(h) > 0 || instance.pinned[v] >= 0 && h != instance.pinned[v]) {
                    focus.add(v);
                }
            }
            for (int d = 0; d < instance.demands(); d++) {
                if (state.route[d] == Embedding.NO_PATH) {
                    focus.add(instance.demandA[d]);
                    focus.add(instance.demandB[d]);
                }
            }
        }
        List<Integer> vms = sample(new ArrayList<>(focus), FOCUS_VMS, random);
        for (int i = 0; i < RANDOM_VMS; i++) {
            int v = random.nextInt(instance.vms());
            if (!vms.contains(v)) {
                vms.add(v);
            }
        }
        List<Candidate> candidates = new ArrayList<>();
        int hosts = instance.hosts();
        for (int v : vms) {
            int from = state.host[v];
            if (instance.pinned[v] >= 0) {
                if (from != instance.pinned[v]) {
                    candidates.add(new Candidate(0, v, instance.pinned[v]));
                }
                continue;
            }
            Set<Integer> targets = new LinkedHashSet<>(partnerHosts(state, v));
            for (int i = 0; i < RANDOM_HOSTS && hosts > 1; i++) {
                targets.add(random.nextInt(hosts));
            }
            targets.remove(from);
            for (int h : targets) {
                candidates.add(new Candidate(0, v, h));
                int other = randomVmOn(state, h, random);
                if (other >= 0 && from >= 0) {
                    candidates.add(new Candidate(1, v, other));
                }
            }
        }
        for (int d : sample(hotDemands, REROUTED_DEMANDS, random)) {
            int[][] paths = state.pathsOf(d);
            for (int p = 0; p < paths.length; p++) {
                if (p != state.route[d]) {
                    candidates.add(new Candidate(2, d, p));
                }
            }
        }
        return candidates;
    }

    /** The hosts of the VMs a VM talks to, the most bytes first. */
    private static List<Integer> partnerHosts(Embedding state, int v) {
        Instance instance = state.instance;
        long[] bytes = new long[instance.hosts()];
        for (int d : instance.demandsOf[v]) {
            int h = state.host[instance.other(d, v)];
            if (h >= 0) {
                bytes[h] += instance.demandBytes[d];
            }
        }
        Integer[] order = new Integer[instance.hosts()];
        for (int h = 0; h < order.length; h++) {
            order[h] = h;
        }
        Arrays.sort(order, (a, b) -> bytes[a] != bytes[b] ? Long.compare(bytes[b], bytes[a]) : Integer.compare(a, b));
        List<Integer> hosts = new ArrayList<>();
        for (int i = 0; i < order.length && hosts.size() < PARTNER_HOSTS && bytes[order[i]] > 0; i++) {
            hosts.add(order[i]);
        }
        return hosts;
    }

    /** A VM on a host that may leave it (not pinned), or -1. */
    private static int randomVmOn(Embedding state, int h, Random random) {
        Instance instance = state.instance;
        int n = instance.vms();
        int start = random.nextInt(n);
        for (int i = 0; i < n; i++) {
            int w = (start + i) % n;
            if (state.host[w] == h && instance.pinned[w] < 0) {
                return w;
            }
        }
        return -1;
    }

    /** Up to k elements, drawn without replacement in a seeded order. */
    private static List<Integer> sample(List<Integer> from, int k, Random random) {
        List<Integer> pool = new ArrayList<>(from);
        List<Integer> picked = new ArrayList<>();
        while (!pool.isEmpty() && picked.size() < k) {
            picked.add(pool.remove(random.nextInt(pool.size())));
        }
        return picked;
    }
}
