package org.vnetscope.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The exact re-placement of host groups: it makes the exchanges single moves cannot (full hosts), keeps every rule
 * the whole placement has (the NIC rule the sub-problem leaves out included), and never returns a worse placement.
 */
class HostGroupSearchTest {

    /**
     * Two hosts of 4 vCPUs, full with 8 VMs of 1 vCPU: communities x1..x4 and y1..y4, every pair inside one at 1000
     * bytes, every pair across at 1 byte, each host holding two of each. Any single move overloads a host, and a
     * swap of an x for a y keeps each host's community split two and two or three and one, so the search's single
     * moves and swaps must go through worse placements. With a host per community, only the 16 pairs across are
     * cut: 16 bytes, the least possible (the two hosts must each take 4 VMs, and any other split cuts a pair at
     * 1000).
     */
    @Test
    void twoFullHostsTradeHalfCommunitiesInOneSolve() {
        List<HostSpec> hosts = List.of(new HostSpec("h0", 4, 4096, 0), new HostSpec("h1", 4, 4096, 0));
        List<VmSpec> vms = new ArrayList<>();
        String[] on = {"h0", "h0", "h1", "h1"};
        for (int i = 0; i < 4; i++) {
            vms.add(new VmSpec("x" + i, on[i], 1, 1024, null));
            vms.add(new VmSpec("y" + i, on[i], 1, 1024, null));
        }
        List<Demand> demands = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                if (i < j) {
                    demands.add(new Demand("x" + i, "x" + j, 1000));
                    demands.add(new Demand("y" + i, "y" + j, 1000));
                }
                demands.add(new Demand("x" + i, "y" + j, 1));
            }
        }
        Instance instance = new Instance(new PlacementProblem(hosts, vms, demands, 0, 0, -1));
        int[] start = instance.start();
        assertThat(new Loads(instance, start).crossBytes).isEqualTo(8 * 1000 + 8);

        int[] improved = new HostGroupSearch(instance, 100_000).improve(start, 2, Long.MAX_VALUE);

        Loads after = new Loads(instance, improved);
        assertThat(after.feasible()).isTrue();
        assertThat(after.crossBytes).isEqualTo(16);
        for (int i = 1; i < 4; i++) {
            assertThat(improved[instance.vmIndex.get("x" + i)]).isEqualTo(improved[instance.vmIndex.get("x0")]);
            assertThat(improved[instance.vmIndex.get("y" + i)]).isEqualTo(improved[instance.vmIndex.get("y0")]);
        }
        // two VMs of each community on each host: whichever host a community takes, four VMs move
        assertThat(after.moves).isEqualTo(4);
    }

    /**
     * {@link NicRuleTest}'s instance with its NIC: the split a, c | b, d cuts 2000 bytes but loads both NICs to
     * 4400 bit/s at p95, over their 2000; a, b | c, d cuts 2400 within them. The sub-problem knows no NIC, so its
     * best is the split; the whole placement's check refuses it.
     */
    @Test
    void aCutTheNicsCannotCarryIsRefused() {
        Instance instance = new Instance(NicRuleTest.problem(NicRuleTest.NIC));
        int[] together = new int[instance.vms()];
        for (String vm : List.of("a", "b")) {
            together[instance.vmIndex.get(vm)] = 0;
        }
        for (String vm : List.of("c", "d")) {
            together[instance.vmIndex.get(vm)] = 1;
        }
        Loads before = new Loads(instance, together);
        assertThat(before.feasible()).isTrue();
        assertThat(before.crossBytes).isEqualTo(2400);

        int[] improved = new HostGroupSearch(instance, 100_000).improve(together, 3, Long.MAX_VALUE);

        assertThat(new Loads(instance, improved).crossBytes).isEqualTo(2400);
        assertThat(new Loads(instance, improved).feasible()).isTrue();

        // without the NIC capacity the split is what it finds
        Instance free = new Instance(NicRuleTest.problem(0));
        int[] split = new HostGroupSearch(free, 100_000).improve(together, 3, Long.MAX_VALUE);
        assertThat(new Loads(free, split).crossBytes).isEqualTo(2000);
    }

    /**
     * A group solved without gain is not solved again until one of its hosts changes: a second pass over the
     * placement the first one ended with solves nothing and changes nothing; a placement changed elsewhere is
     * searched again.
     */
    @Test
    void groupsAreSolvedAgainOnlyWhenTheirHostsChange() {
        Instance instance = new Instance(Instances.random(520, 30, 5, 0.2));
        HostGroupSearch search = new HostGroupSearch(instance, 20_000);
        int[] once = search.improve(Baselines.current(instance), 3, Long.MAX_VALUE);
        long solved = search.solves();
        assertThat(solved).isPositive();

        assertThat(search.improve(once, 3, Long.MAX_VALUE)).isEqualTo(once);
        assertThat(search.solves()).isEqualTo(solved);

        assertThat(search.improve(Baselines.firstFitDecreasing(instance), 3, Long.MAX_VALUE)).isNotNull();
        assertThat(search.solves()).isGreaterThan(solved);
    }

    /** Random instances with pins: never worse than the start, pins kept, capacities kept when the start kept them. */
    @Test
    void neverWorseAndPinsKept() {
        for (long seed = 1; seed <= 6; seed++) {
            PlacementProblem problem = ChocoOptimumTest.withPins(Instances.random(500 + seed, 24, 5, 0.2), seed);
            Instance instance = new Instance(problem);
            int[] start = Baselines.current(instance);
            Loads before = new Loads(instance, start);
            int[] improved = new HostGroupSearch(instance, 20_000).improve(start, 3, Long.MAX_VALUE);
            Loads after = new Loads(instance, improved);
            assertThat(Loads.compare(after, before)).isLessThanOrEqualTo(0);
            if (before.feasible()) {
                assertThat(after.feasible()).isTrue();
            }
            for (int v = 0; v < instance.vms(); v++) {
                if (instance.pinned[v] >= 0) {
                    assertThat(improved[v]).isEqualTo(instance.pinned[v]);
                }
            }
        }
    }
}
