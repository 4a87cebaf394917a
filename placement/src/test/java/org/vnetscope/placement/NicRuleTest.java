package org.vnetscope.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The NIC rule: a bursty pair split between hosts loads their NICs at p95 over capacity, so the placement that cuts
 * fewest bytes is refused for one that keeps the bursty pair together.
 *
 * <p>Two hosts of 2 vCPUs, four VMs of 1 vCPU, 20 bins of 1 s. a-b: 1000 bytes, all in two bins of 500; c-d: 50 per
 * bin; a-c and b-d: 60 per bin each. Splitting a-b and c-d (a, c | b, d) cuts 2000 bytes, keeping them (a, b | c, d)
 * cuts 2400; a, d | b, c cuts everything. Split a-b and c-d, a NIC carries 50 bytes in 18 bins and 550 in two: the
 * nearest-rank p95 of 20 bins is the 19th smallest, 550 bytes, 4400 bit/s. Kept together, each NIC carries a-c and
 * b-d, 120 bytes every bin: 960 bit/s.
 */
class NicRuleTest {

    static final long NIC = 2_000;
    static final int BINS = 20;

    static PlacementProblem problem(long nic) {
        long[] burst = new long[BINS];
        burst[4] = 500;
        burst[13] = 500;
        List<HostSpec> hosts = List.of(new HostSpec("h0", 2, 2048, nic), new HostSpec("h1", 2, 2048, nic));
        List<VmSpec> vms = List.of(new VmSpec("a", "h0", 1, 1024, null), new VmSpec("c", "h0", 1, 1024, null),
                new VmSpec("b", "h1", 1, 1024, null), new VmSpec("d", "h1", 1, 1024, null));
        List<Demand> demands = List.of(new Demand("a", "b", 1000, burst), new Demand("c", "d", 1000, steady(50)),
                new Demand("a", "c", 1200, steady(60)), new Demand("b", "d", 1200, steady(60)));
        return new PlacementProblem(hosts, vms, demands, 1_000_000_000L, BINS * 1_000_000_000L, -1);
    }

    static long[] steady(long bytes) {
        long[] series = new long[BINS];
        Arrays.fill(series, bytes);
        return series;
    }

    @ParameterizedTest(name = "exact node limit {0}")
    @ValueSource(longs = {0, 2_000_000})
    void aBurstyPairIsNotSplitOverTheNicCapacity(long exactNodeLimit) {
        PlacementResult result = Placer.solve(problem(NIC), PlacementOptions.defaults().withSeed(5)
                .withExactNodeLimit(exactNodeLimit).withUnimprovedSteps(1_000).withTimeLimit(Duration.ofSeconds(60)));

        // the current placement splits the bursty pair: 4400 bit/s of 2000
        assertThat(result.before().crossHostBytes()).isEqualTo(2000);
        assertThat(result.before().feasible()).isFalse();
        assertThat(result.before().maxNicUtilization()).isCloseTo(4400.0 / NIC, within(1e-9));
        assertThat(result.before().hosts()).allSatisfy(h -> assertThat(h.nicP95BitsPerSecond()).isEqualTo(4400));

        Map<String, String> placement = MigrationPlanTest.placement(result);
        assertThat(placement.get("a")).isEqualTo(placement.get("b"));
        assertThat(placement.get("c")).isEqualTo(placement.get("d"));
        assertThat(placement.get("a")).isNotEqualTo(placement.get("c"));
        assertThat(result.after().feasible()).isTrue();
        assertThat(result.after().crossHostBytes()).isEqualTo(2400);
        assertThat(result.after().maxNicUtilization()).isCloseTo(960.0 / NIC, within(1e-9));
        assertThat(result.after().hosts()).allSatisfy(h -> {
            assertThat(h.nicP95BitsPerSecond()).isEqualTo(960);
            assertThat(h.nicBytes()).isEqualTo(2400);
            assertThat(h.nicBitsPerSecond()).isEqualTo(NIC);
        });
        assertThat(result.warnings()).noneMatch(w -> w.contains("no time bins"));
    }

    @ParameterizedTest(name = "exact node limit {0}")
    @ValueSource(longs = {0, 2_000_000})
    void withoutANicCapacityTheFewestBytesWin(long exactNodeLimit) {
        PlacementResult result = Placer.solve(problem(0), PlacementOptions.defaults().withSeed(5)
                .withExactNodeLimit(exactNodeLimit).withUnimprovedSteps(1_000).withTimeLimit(Duration.ofSeconds(60)));
        assertThat(result.after().crossHostBytes()).isEqualTo(2000);
        assertThat(result.after().maxNicUtilization()).isZero();
        assertThat(result.after().feasible()).isTrue();
        assertThat(result.moves()).isEmpty();
    }

    @ParameterizedTest(name = "capacity {0}")
    @ValueSource(longs = {4_400, 4_399})
    void theCapacityIsCheckedAtTheP95Exactly(long nic) {
        // at exactly the split placement's p95 it is allowed (and cuts fewer bytes); one bit/s below it is not
        PlacementResult result = Placer.solve(problem(nic), PlacementOptions.defaults().withSeed(5)
                .withUnimprovedSteps(1_000).withTimeLimit(Duration.ofSeconds(60)));
        assertThat(result.after().feasible()).isTrue();
        assertThat(result.after().crossHostBytes()).isEqualTo(nic >= 4_400 ? 2000 : 2400);
        assertThat(result.before().maxNicUtilization()).isCloseTo(4400.0 / nic, within(1e-9));
    }
}
