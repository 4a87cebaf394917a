package org.vnetscope.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded instance generators for the placement tests. */
final class Instances {

    private Instances() {
    }

    /** Random hosts and VMs, each VM on a random host that has room, random traffic on a share of the pairs. */
    static PlacementProblem random(long seed, int vms, int hosts, double pairShare) {
        Random random = new Random(seed);
        List<HostSpec> hostList = new ArrayList<>();
        for (int h = 0; h < hosts; h++) {
            hostList.add(new HostSpec("h" + h, 4 + random.nextInt(5), 4096L * (2 + random.nextInt(3)), 0));
        }
        List<VmSpec> vmList = new ArrayList<>();
        double[] cpuFree = hostList.stream().mapToDouble(HostSpec::cpu).toArray();
        long[] memoryFree = hostList.stream().mapToLong(HostSpec::memoryMib).toArray();
        for (int v = 0; v < vms; v++) {
            int cpu = 1 + random.nextInt(2);
            long memory = 1024L * (1 + random.nextInt(3));
            int on = random.nextInt(hosts);
            for (int tries = 0; tries < hosts && (cpuFree[on] < cpu || memoryFree[on] < memory); tries++) {
                on = (on + 1) % hosts;
            }
            if (cpuFree[on] < cpu || memoryFree[on] < memory) {
                cpu = 0;
                memory = 0; // no room left anywhere: a VM of no size keeps the current placement feasible
            }
            cpuFree[on] -= cpu;
            memoryFree[on] -= memory;
            vmList.add(new VmSpec("vm" + v, "h" + on, cpu, memory, null));
        }
        List<Demand> demands = new ArrayList<>();
        for (int a = 0; a < vms; a++) {
            for (int b = a + 1; b < vms; b++) {
                if (random.nextDouble() < pairShare) {
                    demands.add(new Demand("vm" + a, "vm" + b, 1 + random.nextInt(1000)));
                }
            }
        }
        return new PlacementProblem(hostList, vmList, demands, 0, 0, -1);
    }

    /**
     * Communities of VMs that talk much inside and little across, each community's VMs scattered over the hosts,
     * each host exactly big enough for one community: the planted placement (one community per host) cuts only
     * the traffic across communities.
     */
    static PlacementProblem planted(long seed, int communities, int size) {
        Random random = new Random(seed);
        List<HostSpec> hosts = new ArrayList<>();
        for (int h = 0; h < communities; h++) {
            hosts.add(new HostSpec("h" + h, size, 1024L * size, 0));
        }
        List<VmSpec> vms = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        for (int h = 0; h < communities; h++) {
            for (int i = 0; i < size; i++) {
                slots.add(h);
            }
        }
        java.util.Collections.shuffle(slots, random);
        int n = communities * size;
        for (int v = 0; v < n; v++) {
            vms.add(new VmSpec("c" + v / size + "-" + v % size, "h" + slots.get(v), 1, 1024, null));
        }
        List<Demand> demands = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                boolean inside = a / size == b / size;
                if (inside && random.nextDouble() < 0.7) {
                    demands.add(new Demand(vms.get(a).name(), vms.get(b).name(), 100_000 + random.nextInt(900_000)));
                } else if (!inside && random.nextDouble() < 0.05) {
                    demands.add(new Demand(vms.get(a).name(), vms.get(b).name(), 1 + random.nextInt(1_000)));
                }
            }
        }
        return new PlacementProblem(hosts, vms, demands, 0, 0, -1);
    }

    /** Traffic across the communities of {@link #planted}: what the planted placement cuts. */
    static long plantedCut(PlacementProblem problem) {
        long cut = 0;
        for (Demand demand : problem.demands()) {
            if (!community(demand.a()).equals(community(demand.b()))) {
                cut += demand.bytes();
            }
        }
        return cut;
    }

    static String community(String vm) {
        return vm.substring(0, vm.indexOf('-'));
    }
}
