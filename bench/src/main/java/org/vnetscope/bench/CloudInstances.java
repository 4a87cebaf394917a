package org.vnetscope.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.vnetscope.placement.Demand;
import org.vnetscope.placement.HostSpec;
import org.vnetscope.placement.PlacementProblem;
import org.vnetscope.placement.VmSpec;

/**
 * Seeded cloud-like placement instances for the scale benchmark.
 *
 * <ul>
 *   <li>hosts: 32 to 64 vCPUs (steps of 8), 128, 192 or 256 GiB, a 10 Gbit/s NIC;</li>
 *   <li>VMs: 2 to 32 GiB (powers of two), 4 or 8 GiB per vCPU (1 to 8 vCPUs), their total memory 70 to 85% of
 *       the hosts' (drawn per instance); the current placement random but within every host's CPU and memory;</li>
 *   <li>traffic: the VMs split into planted communities of 5 to 20, whose members are scattered over the hosts
 *       by the random placement; about 70% of the pairs inside communities (heavy, median 1 GB over the window),
 *       the rest random pairs (light, median 20 MB), {@code pairs} distinct pairs in all;</li>
 *   <li>a series of time bins per pair (10 s bins, one community's burst pattern for its pairs), bytes scaled so
 *       that the current placement's busiest NIC runs at 90% of its capacity at the 95th percentile: the NIC rule
 *       is then live for the solver. With {@code bins = 0} the same instance without its series (totals only, no
 *       NIC rule).</li>
 * </ul>
 *
 * <p>The planted placement packs each community whole onto the host with the least room that takes it, a
 * community too big for any host's room split over the roomiest hosts: a reference cut (not a bound) that a good
 * search should reach or beat.
 */
public final class CloudInstances {

    static final long GIB = 1024;
    static final long NIC_BPS = 10_000_000_000L;
    static final long BIN_NS = 10_000_000_000L;
    static final double NIC_TARGET = 0.90;

    /**
     * @param problem      the instance
     * @param community    each VM's planted community
     * @param planted      the planted placement (host index per VM)
     * @param plantedCross its cross-host bytes
     * @param plantedFits  whether it keeps every host within CPU, memory and (with bins) NIC
     * @param memoryUse    the VMs' memory over the hosts'
     * @param cpuUse       the VMs' vCPUs over the hosts'
     */
    public record Generated(PlacementProblem problem, int[] community, int[] planted, long plantedCross,
                            boolean plantedFits, double memoryUse, double cpuUse) {
    }

    private CloudInstances() {
    }

    public static Generated generate(long seed, int vmCount, int hostCount, int pairCount, int bins) {
        Random random = new Random(seed * 0x9E3779B97F4A7C15L + vmCount * 31L + hostCount);
        long[] hostCpu = new long[hostCount];
        long[] hostMemory = new long[hostCount];
        long totalMemory = 0;
        long totalCpu = 0;
        for (int h = 0; h < hostCount; h++) {
            hostCpu[h] = 32 + 8 * random.nextInt(5);
            hostMemory[h] = GIB * (128 + 64 * random.nextInt(3));
            totalMemory += hostMemory[h];
            totalCpu += hostCpu[h];
        }

        // VM sizes: powers of two drawn, then doubled or halved at random until the memory use is the target
        long[] vmMemory = new long[vmCount];
        long used = 0;
        for (int v = 0; v < vmCount; v++) {
            vmMemory[v] = GIB << (1 + random.nextInt(5));
            used += vmMemory[v];
        }
        double target = 0.70 + 0.15 * random.nextDouble();
        long goal = (long) (target * totalMemory);
        for (int guard = 0; Math.abs(used - goal) > goal / 100 && guard < 100 * vmCount; guard++) {
            int v = random.nextInt(vmCount);
            if (used > goal && vmMemory[v] > 2 * GIB) {
                used -= vmMemory[v] / 2;
                vmMemory[v] /= 2;
            } else if (used < goal && vmMemory[v] < 32 * GIB && used + vmMemory[v] <= goal + goal / 100) {
                used += vmMemory[v];
                vmMemory[v] *= 2;
            }
        }
        int[] vmCpu = new int[vmCount];
        long usedCpu = 0;
        for (int v = 0; v < vmCount; v++) {
            long perCpu = GIB * (random.nextBoolean() ? 4 : 8);
            vmCpu[v] = (int) Math.max(1, Math.min(8, vmMemory[v] / perCpu));
            usedCpu += vmCpu[v];
        }

        int[] current = randomFeasible(random, hostCpu, hostMemory, vmCpu, vmMemory);

        // communities of 5 to 20 VMs over a shuffled order; a remainder under 5 joins the last community
        int[] order = shuffled(random, vmCount);
        int[] community = new int[vmCount];
        List<int[]> communities = new ArrayList<>();
        int at = 0;
        while (at < vmCount) {
            int size = 5 + random.nextInt(16);
            if (vmCount - at - size < 5) {
                size = vmCount - at;
            }
            int[] members = Arrays.copyOfRange(order, at, at + size);
            for (int v : members) {
                community[v] = communities.size();
            }
            communities.add(members);
            at += size;
        }

        // pairs: 70% inside communities (each inner pair drawn with the same probability), the rest random
        long innerPossible = 0;
        for (int[] members : communities) {
            innerPossible += (long) members.length * (members.length - 1) / 2;
        }
        double density = Math.min(1.0, 0.70 * pairCount / innerPossible);
        Set<Long> seen = new HashSet<>();
        List<long[]> pairs = new ArrayList<>(); // a, b, bytes
        for (int[] members : communities) {
            for (int i = 0; i < members.length; i++) {
                for (int j = i + 1; j < members.length; j++) {
                    if (pairs.size() < pairCount && random.nextDouble() < density) {
                        int a = Math.min(members[i], members[j]);
                        int b = Math.max(members[i], members[j]);
                        seen.add((long) a << 32 | b);
                        pairs.add(new long[] {a, b, logNormal(random, 1e9, 1.0)});
                    }
                }
            }
        }
        long maxPairs = (long) vmCount * (vmCount - 1) / 2;
        while (pairs.size() < Math.min(pairCount, maxPairs)) {
            int a = random.nextInt(vmCount);
            int b = random.nextInt(vmCount);
            if (a == b || !seen.add((long) Math.min(a, b) << 32 | Math.max(a, b))) {
                continue;
            }
            pairs.add(new long[] {Math.min(a, b), Math.max(a, b), logNormal(random, 2e7, 1.0)});
        }

        // time bins: a burst pattern per community (a slow wave plus bursts), light pairs nearly flat; drawn (and
        // the bytes scaled) with or without bins, so that bins = 0 is the same instance without the NIC rule
        int drawn = bins > 0 ? bins : 60;
        double[][] profile = new double[communities.size() + 1][drawn];
        for (int c = 0; c <= communities.size(); c++) {
            double phase = random.nextDouble();
            for (int i = 0; i < drawn; i++) {
                double wave = c == communities.size() ? 1.0
                        : 1.0 + 0.5 * Math.sin(2 * Math.PI * ((double) i / drawn + phase));
                double burst = c < communities.size() && random.nextDouble() < 0.1 ? 3.0 : 1.0;
                profile[c][i] = wave * burst * (0.8 + 0.4 * random.nextDouble());
            }
        }
        long[][] series = new long[pairs.size()][];
        for (int p = 0; p < pairs.size(); p++) {
            long[] pair = pairs.get(p);
            int ca = community[(int) pair[0]];
            int c = ca == community[(int) pair[1]] ? ca : communities.size();
            series[p] = spread(pair[2], profile[c]);
        }
        // scale so that the current placement's busiest NIC (p95) is at the target share of its capacity
        double p95 = maxNicP95Bps(hostCount, drawn, pairs, series, current);
        double factor = p95 <= 0 ? 1.0 : NIC_TARGET * NIC_BPS / p95;
        for (int p = 0; p < pairs.size(); p++) {
            long[] pair = pairs.get(p);
            long sum = 0;
            for (int i = 0; i < drawn; i++) {
                series[p][i] = Math.round(series[p][i] * factor);
                sum += series[p][i];
            }
            pair[2] = sum;
        }

        List<HostSpec> hosts = new ArrayList<>();
        for (int h = 0; h < hostCount; h++) {
            hosts.add(new HostSpec("host" + h, hostCpu[h], hostMemory[h], NIC_BPS));
        }
        List<VmSpec> vms = new ArrayList<>();
        for (int v = 0; v < vmCount; v++) {
            vms.add(new VmSpec("vm" + v, "host" + current[v], vmCpu[v], vmMemory[v], null));
        }
        List<Demand> demands = new ArrayList<>();
        for (int p = 0; p < pairs.size(); p++) {
            long[] pair = pairs.get(p);
            demands.add(new Demand("vm" + pair[0], "vm" + pair[1], pair[2], bins > 0 ? series[p] : null));
        }
        PlacementProblem problem = new PlacementProblem(hosts, vms, demands, bins > 0 ? BIN_NS : 0,
                bins > 0 ? bins * BIN_NS : 0, -1);

        int[] planted = plant(communities, hostCpu, hostMemory, vmCpu, vmMemory);
        long plantedCross = crossBytes(pairs, planted);
        boolean fits = fits(hostCpu, hostMemory, vmCpu, vmMemory, planted)
                && (bins == 0 || maxNicP95Bps(hostCount, bins, pairs, series, planted) <= NIC_BPS);
        return new Generated(problem, community, planted, plantedCross, fits, (double) used / totalMemory,
                (double) usedCpu / totalCpu);
    }

    /** Cross-host bytes of an assignment (host index per VM, in the problem's order). */
    public static long crossBytes(PlacementProblem problem, int[] assignment) {
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        for (int v = 0; v < problem.vms().size(); v++) {
            index.put(problem.vms().get(v).name(), v);
        }
        long cross = 0;
        for (Demand d : problem.demands()) {
            if (assignment[index.get(d.a())] != assignment[index.get(d.b())]) {
                cross += d.bytes();
            }
        }
        return cross;
    }

    private static long crossBytes(List<long[]> pairs, int[] assignment) {
        long cross = 0;
        for (long[] pair : pairs) {
            if (assignment[(int) pair[0]] != assignment[(int) pair[1]]) {
                cross += pair[2];
            }
        }
        return cross;
    }

    /** Each VM in turn on a random host that has room (tried from a random start); restarts on a dead end. */
    private static int[] randomFeasible(Random random, long[] hostCpu, long[] hostMemory, int[] vmCpu,
                                        long[] vmMemory) {
        int hosts = hostCpu.length;
        for (int attempt = 0; ; attempt++) {
            int[] assignment = new int[vmCpu.length];
            long[] cpu = new long[hosts];
            long[] memory = new long[hosts];
            boolean placedAll = true;
            for (int v : shuffled(random, vmCpu.length)) {
                int start = random.nextInt(hosts);
                int on = -1;
                for (int k = 0; k < hosts && on < 0; k++) {
                    int h = (start + k) % hosts;
                    if (cpu[h] + vmCpu[v] <= hostCpu[h] && memory[h] + vmMemory[v] <= hostMemory[h]) {
                        on = h;
                    }
                }
                if (on < 0) {
                    placedAll = false;
                    break;
                }
                assignment[v] = on;
                cpu[on] += vmCpu[v];
                memory[on] += vmMemory[v];
            }
            if (placedAll) {
                return assignment;
            }
            if (attempt > 1000) {
                throw new IllegalStateException("no random feasible placement found");
            }
        }
    }

    /** Communities largest first, each whole on the host with the least room that takes it, else split. */
    private static int[] plant(List<int[]> communities, long[] hostCpu, long[] hostMemory, int[] vmCpu,
                               long[] vmMemory) {
        int hosts = hostCpu.length;
        long[] cpuFree = hostCpu.clone();
        long[] memoryFree = hostMemory.clone();
        int[] assignment = new int[vmCpu.length];
        List<int[]> sorted = new ArrayList<>(communities);
        sorted.sort((x, y) -> Long.compare(memoryOf(y, vmMemory), memoryOf(x, vmMemory)));
        for (int[] members : sorted) {
            long memory = memoryOf(members, vmMemory);
            long cpu = 0;
            for (int v : members) {
                cpu += vmCpu[v];
            }
            int best = -1;
            for (int h = 0; h < hosts; h++) {
                if (cpuFree[h] >= cpu && memoryFree[h] >= memory && (best < 0 || memoryFree[h] < memoryFree[best])) {
                    best = h;
                }
            }
            for (int v : members) {
                int on = best >= 0 && cpuFree[best] >= vmCpu[v] && memoryFree[best] >= vmMemory[v] ? best : -1;
                if (on < 0) { // the roomiest host that takes this member
                    int roomiest = -1;
                    for (int g = 0; g < hosts; g++) {
                        if (cpuFree[g] >= vmCpu[v] && memoryFree[g] >= vmMemory[v]
                                && (roomiest < 0 || memoryFree[g] > memoryFree[roomiest])) {
                            roomiest = g;
                        }
                    }
                    on = Math.max(roomiest, 0); // nowhere: host 0, and the planted placement does not fit
                }
                best = on; // the community's next members follow it while it has room
                assignment[v] = on;
                cpuFree[on] -= vmCpu[v];
                memoryFree[on] -= vmMemory[v];
            }
        }
        return assignment;
    }

    private static boolean fits(long[] hostCpu, long[] hostMemory, int[] vmCpu, long[] vmMemory, int[] assignment) {
        long[] cpu = new long[hostCpu.length];
        long[] memory = new long[hostCpu.length];
        for (int v = 0; v < assignment.length; v++) {
            cpu[assignment[v]] += vmCpu[v];
            memory[assignment[v]] += vmMemory[v];
        }
        for (int h = 0; h < hostCpu.length; h++) {
            if (cpu[h] > hostCpu[h] || memory[h] > hostMemory[h]) {
                return false;
            }
        }
        return true;
    }

    /** The busiest host's 95th percentile (nearest rank) of binned cross-host traffic, in plus out, in bits/s. */
    private static double maxNicP95Bps(int hosts, int bins, List<long[]> pairs, long[][] series, int[] assignment) {
        long[][] load = new long[hosts][bins];
        for (int p = 0; p < pairs.size(); p++) {
            int ha = assignment[(int) pairs.get(p)[0]];
            int hb = assignment[(int) pairs.get(p)[1]];
            if (ha != hb) {
                for (int i = 0; i < bins; i++) {
                    load[ha][i] += series[p][i];
                    load[hb][i] += series[p][i];
                }
            }
        }
        double max = 0;
        int rank = (int) Math.ceil(0.95 * bins);
        for (long[] row : load) {
            long[] sorted = row.clone();
            Arrays.sort(sorted);
            max = Math.max(max, sorted[Math.max(0, rank - 1)] * 8.0 * 1e9 / BIN_NS);
        }
        return max;
    }

    private static long[] spread(long bytes, double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        long[] out = new long[weights.length];
        long left = bytes;
        for (int i = 0; i < weights.length - 1; i++) {
            out[i] = Math.min(left, Math.round(bytes * weights[i] / total));
            left -= out[i];
        }
        out[weights.length - 1] = left;
        return out;
    }

    private static long logNormal(Random random, double median, double sigma) {
        return Math.max(1, Math.round(median * Math.exp(sigma * random.nextGaussian())));
    }

    private static long memoryOf(int[] members, long[] vmMemory) {
        long sum = 0;
        for (int v : members) {
            sum += vmMemory[v];
        }
        return sum;
    }

    private static int[] shuffled(Random random, int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
