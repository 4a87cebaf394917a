package org.vnetscope.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The same problem, substrate and seed give the same mapping (placement, routes, link loads) when the search
 * stops on its step budget; the time limit is kept.
 */
class MappingDeterminismTest {

    /** 40 VMs on the 8 hosts of a two-leaf, two-spine fabric, random binned demands on 15% of the pairs. */
    static Substrates.Case medium(long seed) {
        Random random = new Random(seed);
        List<HostSpec> hosts = new ArrayList<>();
        for (int h = 0; h < 8; h++) {
            hosts.add(new HostSpec("h" + h, 8, 32768, 0));
        }
        List<VmSpec> vms = new ArrayList<>();
        for (int v = 0; v < 40; v++) {
            vms.add(new VmSpec("vm" + v, "h" + v % 8, 1 + random.nextInt(2), 2048, null));
        }
        List<Demand> demands = new ArrayList<>();
        for (int a = 0; a < 40; a++) {
            for (int b = a + 1; b < 40; b++) {
                if (random.nextDouble() < 0.15) {
                    long[] bins = new long[30];
                    long total = 0;
                    for (int i = 0; i < bins.length; i++) {
                        bins[i] = random.nextInt(20_000_000);
                        total += bins[i];
                    }
                    demands.add(new Demand("vm" + a, "vm" + b, total, bins));
                }
            }
        }
        PlacementProblem problem = new PlacementProblem(hosts, vms, demands, Substrates.SECOND,
                30 * Substrates.SECOND, -1);
        return new Substrates.Case(problem, Substrates.leafSpine(2, 4, 2, 10_000_000_000L, 2_000_000_000L, List.of()));
    }

    @Test
    void theSameSeedGivesTheSameMapping() {
        Substrates.Case c = medium(7);
        PlacementOptions options = PlacementOptions.defaults().withSeed(3).withExactNodeLimit(0)
                .withUnimprovedSteps(500).withTimeLimit(Duration.ofSeconds(60));
        MappingResult first = NetworkMapper.solve(c.problem(), c.substrate(), options, 4);
        MappingResult second = NetworkMapper.solve(c.problem(), c.substrate(), options, 4);
        assertThat(first.placement().stoppedBy()).isEqualTo("converged");
        assertThat(second.placement().placement()).isEqualTo(first.placement().placement());
        assertThat(second.routes()).isEqualTo(first.routes());
        assertThat(second.links()).isEqualTo(first.links());
        assertThat(second.placement().moves()).isEqualTo(first.placement().moves());
        assertThat(first.maxLinkUtilizationAfter()).isLessThan(first.maxLinkUtilizationBefore());
        assertThat(first.placement().after().feasible()).isTrue();
    }

    @Test
    void theTimeLimitIsKept() {
        Substrates.Case c = medium(8);
        long began = System.nanoTime();
        MappingResult result = NetworkMapper.solve(c.problem(), c.substrate(), PlacementOptions.defaults().withSeed(1)
                .withUnimprovedSteps(Integer.MAX_VALUE).withTimeLimit(Duration.ofMillis(700)), 4);
        long spentMs = (System.nanoTime() - began) / 1_000_000;
        assertThat(result.placement().stoppedBy()).isEqualTo("time_limit");
        assertThat(spentMs).isBetween(650L, 1_500L);
    }
}
