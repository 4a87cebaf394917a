package org.vnetscope.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded substrates and problems on them for the network mapping tests. Bins are 1 s, so a bin's bytes times 8 is its rate. */
final class Substrates {

    static final long SECOND = 1_000_000_000L;

    record Case(PlacementProblem problem, Substrate substrate) {
    }

    private Substrates() {
    }

    /**
     * Four hosts under two or three switches, 6 to 8 VMs, random binned demands, link capacities of the order of
     * the demands so that where the VMs go and which path each demand takes decides the busiest link.
     * <ul>
     *   <li>kind 0, a tree: h0, h1 under tor1, h2, h3 under tor2, tor1-tor2 (one path between any two hosts);</li>
     *   <li>kind 1, two leaves joined directly and through a spine (two paths between the leaves);</li>
     *   <li>kind 2, a ring of three switches, h0 and h3 on s1, h1 on s2, h2 on s3 (two paths between switches).</li>
     * </ul>
     */
    static Case small(long seed) {
        Random random = new Random(seed);
        int kind = (int) (seed % 3);
        List<HostSpec> hosts = new ArrayList<>();
        for (int h = 0; h < 4; h++) {
            hosts.add(new HostSpec("h" + h, 3 + random.nextInt(2), 8192, 0));
        }
        List<String> switches;
        List<Substrate.Link> links = new ArrayList<>();
        switch (kind) {
            case 0 -> {
                switches = List.of("tor1", "tor2");
                links.add(link("h0", "tor1", random));
                links.add(link("h1", "tor1", random));
                links.add(link("h2", "tor2", random));
                links.add(link("h3", "tor2", random));
                links.add(link("tor1", "tor2", random));
            }
            case 1 -> {
                switches = List.of("leaf1", "leaf2", "spine");
                links.add(link("h0", "leaf1", random));
                links.add(link("h1", "leaf1", random));
                links.add(link("h2", "leaf2", random));
                links.add(link("h3", "leaf2", random));
                links.add(link("leaf1", "leaf2", random));
                links.add(link("leaf1", "spine", random));
                links.add(link("spine", "leaf2", random));
            }
            default -> {
                switches = List.of("s1", "s2", "s3");
                links.add(link("h0", "s1", random));
                links.add(link("h3", "s1", random));
                links.add(link("h1", "s2", random));
                links.add(link("h2", "s3", random));
                links.add(link("s1", "s2", random));
                links.add(link("s2", "s3", random));
                links.add(link("s3", "s1", random));
            }
        }
        int n = 6 + (int) (seed / 3 % 3);
        List<VmSpec> vms = new ArrayList<>();
        double[] free = hosts.stream().mapToDouble(HostSpec::cpu).toArray();
        for (int v = 0; v < n; v++) {
            int cpu = random.nextInt(4) == 0 ? 2 : 1;
            int on = random.nextInt(4);
            while (free[on] < cpu) {
                on = (on + 1) % 4;
            }
            free[on] -= cpu;
            String pin = random.nextInt(8) == 0 ? "h" + on : null;
            vms.add(new VmSpec("vm" + v, "h" + on, cpu, 1024, pin));
        }
        List<Demand> demands = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                if (random.nextDouble() < 0.35) {
                    long[] bins = new long[8];
                    long total = 0;
                    int scale = 20 + random.nextInt(100);
                    for (int i = 0; i < bins.length; i++) {
                        bins[i] = random.nextInt(scale);
                        total += bins[i];
                    }
                    demands.add(new Demand("vm" + a, "vm" + b, total, bins));
                }
            }
        }
        PlacementProblem problem = new PlacementProblem(hosts, vms, demands, SECOND, 8 * SECOND,
                seed % 4 == 1 ? 3 : -1);
        return new Case(problem, new Substrate(List.of(), switches, links, List.of()));
    }

    private static Substrate.Link link(String a, String b, Random random) {
        return new Substrate.Link(a, b, 2_000 + 400L * random.nextInt(10));
    }

    /**
     * A leaf-spine fabric: {@code leaves} leaves of {@code perLeaf} hosts, {@code spines} spines, every leaf joined
     * to every spine; hosts' links {@code hostBps}, uplinks {@code uplinkBps}.
     */
    static Substrate leafSpine(int leaves, int perLeaf, int spines, long hostBps, long uplinkBps,
                               List<Substrate.Tenant> tenants) {
        List<String> switches = new ArrayList<>();
        List<Substrate.Link> links = new ArrayList<>();
        for (int s = 1; s <= spines; s++) {
            switches.add("spine" + s);
        }
        for (int l = 1; l <= leaves; l++) {
            switches.add("leaf" + l);
            for (int i = 0; i < perLeaf; i++) {
                links.add(new Substrate.Link("h" + ((l - 1) * perLeaf + i), "leaf" + l, hostBps));
            }
            for (int s = 1; s <= spines; s++) {
                links.add(new Substrate.Link("leaf" + l, "spine" + s, uplinkBps));
            }
        }
        return new Substrate(List.of(), switches, links, tenants);
    }

    static long[] steady(long bytesPerBin, int bins) {
        long[] series = new long[bins];
        java.util.Arrays.fill(series, bytesPerBin);
        return series;
    }
}
