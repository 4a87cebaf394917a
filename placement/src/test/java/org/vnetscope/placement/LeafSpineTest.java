package org.vnetscope.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A leaf-spine fabric where a traffic-oblivious placement overloads the uplinks and the mapping does not.
 *
 * <p>Two leaves of four hosts (2 vCPU each, 10 Gbit/s links to their leaf), two spines, every uplink 1 Gbit/s.
 * Sixteen VMs of 1 vCPU fill the hosts exactly: four communities of four, every pair inside a community sending
 * 200 Mbit/s steadily, nothing across. The VMs are numbered so that consecutive ones belong to different
 * communities, so first-fit decreasing (all VMs the same size: in their order) puts VMs 0 to 7 under leaf 1:
 * two of every community under each leaf, four pairs of each community across the leaves, 3.2 Gbit/s over the
 * four uplinks of a leaf's two spines (1.6 Gbit/s on each of leaf 1's, 160% at best).
 *
 * <p>The best mapping keeps each community under one leaf, two of its VMs on each of two hosts: no uplink carries
 * anything, and a host's link carries its two VMs' traffic to the other two, 4 x 200 Mbit/s = 800 Mbit/s (8%). No
 * host can do better: a host holds two VMs, each with 600 Mbit/s to its community, at most one pair of which
 * stays inside the host, so at least 1.2 - 0.4 = 0.8 Gbit/s leaves it.
 */
class LeafSpineTest {

    static final long GBIT = 1_000_000_000L;
    static final int BINS = 10;
    static final long PAIR_BYTES_PER_BIN = 200_000_000L / 8;

    static Substrates.Case fabric(long seed) {
        List<HostSpec> hosts = new ArrayList<>();
        for (int h = 0; h < 8; h++) {
            hosts.add(new HostSpec("h" + h, 2, 4096, 0));
        }
        List<Integer> slots = new ArrayList<>();
        for (int h = 0; h < 8; h++) {
            slots.add(h);
            slots.add(h);
        }
        Collections.shuffle(slots, new Random(seed));
        List<VmSpec> vms = new ArrayList<>();
        for (int v = 0; v < 16; v++) {
            vms.add(new VmSpec("c" + v % 4 + "-vm" + v, "h" + slots.get(v), 1, 1024, null));
        }
        List<Demand> demands = new ArrayList<>();
        for (int a = 0; a < 16; a++) {
            for (int b = a + 1; b < 16; b++) {
                if (a % 4 == b % 4) {
                    demands.add(new Demand(vms.get(a).name(), vms.get(b).name(), BINS * PAIR_BYTES_PER_BIN,
                            Substrates.steady(PAIR_BYTES_PER_BIN, BINS)));
                }
            }
        }
        PlacementProblem problem = new PlacementProblem(hosts, vms, demands, Substrates.SECOND,
                BINS * Substrates.SECOND, -1);
        return new Substrates.Case(problem, Substrates.leafSpine(2, 4, 2, 10 * GBIT, GBIT, List.of()));
    }

    @ParameterizedTest(name = "seed {0}, exact node limit {1}")
    @ValueSource(longs = {1, 2, 3})
    void theMappingKeepsEachCommunityUnderOneLeaf(long seed) {
        Substrates.Case c = fabric(seed);
        for (long exactNodes : new long[] {0, 2_000_000}) {
            MappingResult result = NetworkMapper.solve(c.problem(), c.substrate(), PlacementOptions.defaults()
                    .withSeed(seed).withExactNodeLimit(exactNodes).withTimeLimit(Duration.ofSeconds(60)), 4);

            MappingResult.Baseline oblivious = result.baselines().stream()
                    .filter(b -> b.name().equals("first_fit_decreasing")).findFirst().orElseThrow();
            assertThat(oblivious.feasible()).isFalse();
            assertThat(oblivious.maxLinkUtilization()).isGreaterThanOrEqualTo(1.6);

            assertThat(result.placement().after().feasible()).isTrue();
            assertThat(result.maxLinkUtilizationAfter()).isCloseTo(0.08, within(1e-9));
            for (MappingResult.LinkLoad link : result.links()) {
                if (link.b().startsWith("spine")) {
                    assertThat(link.afterBitsPerSecond()).as(link.a() + "-" + link.b()).isZero();
                }
            }
            Map<String, String> placement = MigrationPlanTest.placement(result.placement());
            for (int community = 0; community < 4; community++) {
                String prefix = "c" + community + "-";
                assertThat(placement.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                        .map(e -> Integer.parseInt(e.getValue().substring(1)) / 4).distinct().count())
                        .as("leaves of community " + community).isEqualTo(1);
            }
            assertThat(result.tenants()).hasSize(4).allMatch(MappingResult.TenantOutcome::embedded)
                    .noneMatch(MappingResult.TenantOutcome::declared);
            assertThat(result.tenantsFrom()).isEqualTo("traffic");
        }
    }
}
