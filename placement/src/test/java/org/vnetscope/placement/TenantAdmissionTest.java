package org.vnetscope.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tenant networks that cannot be embedded are turned away with the resource that stops them, and the others are
 * still embedded. Bins are 1 s, steady, so a pair's p95 is its rate.
 */
class TenantAdmissionTest {

    static final long GBIT = 1_000_000_000L;
    static final int BINS = 10;
    static final PlacementOptions OPTIONS = PlacementOptions.defaults().withSeed(4)
            .withTimeLimit(Duration.ofSeconds(60));

    static Demand steady(String a, String b, long bitsPerSecond) {
        long perBin = bitsPerSecond / 8;
        return new Demand(a, b, perBin * BINS, Substrates.steady(perBin, BINS));
    }

    static PlacementProblem problem(List<HostSpec> hosts, List<VmSpec> vms, List<Demand> demands) {
        return new PlacementProblem(hosts, vms, demands, Substrates.SECOND, BINS * Substrates.SECOND, -1);
    }

    static Map<String, MappingResult.TenantOutcome> tenants(MappingResult result) {
        Map<String, MappingResult.TenantOutcome> byName = new java.util.HashMap<>();
        result.tenants().forEach(t -> byName.put(t.name(), t));
        return byName;
    }

    /**
     * Two leaves of two hosts under one spine, uplinks 1 Gbit/s. Tenant red's two VMs are pinned under different
     * leaves and send 1.5 Gbit/s to each other: every path between them crosses both uplinks. Tenant blue's
     * three VMs fit on any one host (3 vCPU).
     */
    @Test
    void aTenantPinnedAcrossAnUplinkTooNarrowIsTurnedAwayAndTheOtherEmbedded() {
        List<HostSpec> hosts = new ArrayList<>();
        for (int h = 0; h < 4; h++) {
            hosts.add(new HostSpec("h" + h, 3, 4096, 0));
        }
        List<VmSpec> vms = List.of(new VmSpec("r1", "h0", 1, 1024, "h0"), new VmSpec("r2", "h2", 1, 1024, "h2"),
                new VmSpec("b1", "h1", 1, 1024, null), new VmSpec("b2", "h3", 1, 1024, null),
                new VmSpec("b3", "h3", 1, 1024, null));
        List<Demand> demands = List.of(steady("r1", "r2", 1_500_000_000L), steady("b1", "b2", 300_000_000L),
                steady("b2", "b3", 200_000_000L));
        Substrate substrate = Substrates.leafSpine(2, 2, 1, 10 * GBIT, GBIT, List.of(
                new Substrate.Tenant("red", List.of("r1", "r2")), new Substrate.Tenant("blue", List.of("b1", "b2", "b3"))));

        MappingResult result = NetworkMapper.solve(problem(hosts, vms, demands), substrate, OPTIONS, 4);

        MappingResult.TenantOutcome red = tenants(result).get("red");
        MappingResult.TenantOutcome blue = tenants(result).get("blue");
        assertThat(red.embedded()).isFalse();
        assertThat(red.declared()).isTrue();
        assertThat(red.reason()).isEqualTo("link leaf1-spine1: needs 1.50 Gbit/s at p95 for r1 - r2 (pinned to h0 "
                + "and h2), capacity 1.00 Gbit/s, and no path between their hosts is wider");
        assertThat(blue.embedded()).isTrue();
        assertThat(blue.reason()).isNull();
        assertThat(result.tenantsFrom()).isEqualTo("declared");

        Map<String, String> placement = MigrationPlanTest.placement(result.placement());
        assertThat(placement.get("r1")).isNull();
        assertThat(placement.get("r2")).isNull();
        assertThat(placement.get("b1")).isNotNull();
        assertThat(result.placement().moves()).noneMatch(m -> m.vm().startsWith("r"));
        // before, red's pair (1.5 Gbit/s) and blue's b1 - b2 (0.3) cross the uplinks; after, blue's VMs share a
        // host and red is left out: nothing crosses
        assertThat(result.maxLinkUtilizationBefore()).isEqualTo(1.8);
        assertThat(result.placement().before().feasible()).isFalse();
        assertThat(result.placement().after().feasible()).isTrue();
        assertThat(result.maxLinkUtilizationAfter()).isZero();
        assertThat(result.placement().after().crossHostBytes()).isZero();
        assertThat(result.placement().warnings()).anyMatch(w -> w.startsWith("1 of 2 tenant network(s) cannot"));
    }

    @Test
    void aVmBiggerThanEveryHostTurnsItsTenantAway() {
        List<HostSpec> hosts = List.of(new HostSpec("h0", 8, 16384, 0), new HostSpec("h1", 8, 16384, 0));
        List<VmSpec> vms = List.of(new VmSpec("huge", null, 16, 4096, null), new VmSpec("small", null, 1, 1024, null),
                new VmSpec("x", "h0", 2, 2048, null), new VmSpec("y", "h1", 2, 2048, null));
        List<Demand> demands = List.of(steady("huge", "small", 1_000_000L), steady("x", "y", 50_000_000L));
        Substrate substrate = new Substrate(List.of(), List.of("sw"), List.of(new Substrate.Link("h0", "sw", GBIT),
                new Substrate.Link("h1", "sw", GBIT)), List.of());

        MappingResult result = NetworkMapper.solve(problem(hosts, vms, demands), substrate, OPTIONS, 4);

        assertThat(result.tenantsFrom()).isEqualTo("traffic");
        MappingResult.TenantOutcome big = result.tenants().stream().filter(t -> t.vms().contains("huge"))
                .findFirst().orElseThrow();
        assertThat(big.embedded()).isFalse();
        assertThat(big.reason()).isEqualTo("VM huge needs 16 vCPU; no host has more than 8");
        MappingResult.TenantOutcome pair = result.tenants().stream().filter(t -> t.vms().contains("x"))
                .findFirst().orElseThrow();
        assertThat(pair.embedded()).isTrue();
        assertThat(MigrationPlanTest.placement(result.placement()).get("x"))
                .isEqualTo(MigrationPlanTest.placement(result.placement()).get("y"));
    }

    /**
     * Two hosts joined by one 1 Gbit/s link, h0 with 6 vCPU and h1 with 3; two tenants of four 1-vCPU VMs, every
     * pair inside sending 400 Mbit/s (a) or 500 Mbit/s (b). Alone, either fits whole on h0. Together only one
     * does; the other must be split, 3 on h1 and 1 on h0 at best (2 + 2 cuts more pairs), or overload h1 with
     * four VMs (33% over its CPU). Split, a puts 3 x 400 = 1.2 Gbit/s on the link (20% over), b 1.5 Gbit/s (50%
     * over). The least overload splits a, which is then all of it: a is turned away, b embedded whole.
     */
    @Test
    void tenantsThatFitAloneButNotTogetherTurnAwayTheOneOnTheOverloadedLink() {
        List<HostSpec> hosts = List.of(new HostSpec("h0", 6, 8192, 0), new HostSpec("h1", 3, 8192, 0));
        List<VmSpec> vms = new ArrayList<>();
        List<Demand> demands = new ArrayList<>();
        for (String tenant : List.of("a", "b")) {
            for (int i = 0; i < 4; i++) {
                vms.add(new VmSpec(tenant + i, i < 3 ? "h0" : "h1", 1, 1024, null));
                for (int j = 0; j < i; j++) {
                    demands.add(steady(tenant + j, tenant + i, tenant.equals("a") ? 400_000_000L : 500_000_000L));
                }
            }
        }
        Substrate substrate = new Substrate(List.of(), List.of(), List.of(new Substrate.Link("h0", "h1", GBIT)),
                List.of(new Substrate.Tenant("a", List.of("a0", "a1", "a2", "a3")),
                new Substrate.Tenant("b", List.of("b0", "b1", "b2", "b3"))));

        MappingResult result = NetworkMapper.solve(problem(hosts, vms, demands), substrate, OPTIONS, 4);

        MappingResult.TenantOutcome a = tenants(result).get("a");
        assertThat(a.embedded()).isFalse();
        assertThat(a.reason()).isEqualTo("link h0-h1: needs 1.20 Gbit/s at p95, capacity 1.00 Gbit/s with the other "
                + "tenants embedded (its own traffic there: 1.20 Gbit/s at p95)");
        assertThat(tenants(result).get("b").embedded()).isTrue();
        assertThat(result.placement().after().feasible()).isTrue();
        assertThat(result.maxLinkUtilizationAfter()).isZero();
    }

    /**
     * Two islands: h0 under s1, h1 under s2, no link between the switches. A pair pinned apart cannot talk; a pair
     * free to move is put together.
     */
    @Test
    void hostsNoPathJoinsExchangeNothing() {
        List<HostSpec> hosts = List.of(new HostSpec("h0", 4, 8192, 0), new HostSpec("h1", 4, 8192, 0));
        List<VmSpec> vms = List.of(new VmSpec("p", "h0", 1, 1024, "h0"), new VmSpec("q", "h1", 1, 1024, "h1"),
                new VmSpec("u", "h0", 1, 1024, null), new VmSpec("w", "h1", 1, 1024, null));
        List<Demand> demands = List.of(steady("p", "q", 1_000_000L), steady("u", "w", 1_000_000L));
        Substrate substrate = new Substrate(List.of(), List.of("s1", "s2"), List.of(new Substrate.Link("h0", "s1", GBIT),
                new Substrate.Link("h1", "s2", GBIT)), List.of());

        MappingResult result = NetworkMapper.solve(problem(hosts, vms, demands), substrate, OPTIONS, 4);

        MappingResult.TenantOutcome pinned = result.tenants().stream().filter(t -> t.vms().contains("p"))
                .findFirst().orElseThrow();
        assertThat(pinned.embedded()).isFalse();
        assertThat(pinned.reason()).isEqualTo("no path joins the hosts where p - q (pinned to h0 and h1) may run");
        Map<String, String> placement = MigrationPlanTest.placement(result.placement());
        assertThat(placement.get("u")).isEqualTo(placement.get("w")).isNotNull();
        assertThat(result.placement().after().feasible()).isTrue();
        // before, the free pair talked across hosts no path joins: the current placement breaks a rule
        assertThat(result.placement().before().feasible()).isFalse();
    }

    @Test
    void badSubstratesAreRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> new Substrate.Link("h0", "tor", -5)).hasMessage(
                "link h0-tor: its capacity (bits_per_second) must be positive, not -5");
        Substrate unknown = new Substrate(List.of(), List.of("tor"), List.of(new Substrate.Link("h0", "tor9", GBIT)),
                List.of());
        assertThatThrownBy(() -> unknown.check(List.of(new HostSpec("h0", 1, 1, 0))))
                .hasMessage("link h0-tor9 names tor9, which is neither a host nor a switch");
        assertThatThrownBy(() -> new Substrate(List.of(), List.of(), List.of(), List.of(
                new Substrate.Tenant("a", List.of("v")), new Substrate.Tenant("b", List.of("v")))))
                .hasMessage("VM v is in tenant a and in tenant b");
        Substrate ghost = new Substrate(List.of(), List.of("tor"), List.of(new Substrate.Link("h0", "tor", GBIT)),
                List.of(new Substrate.Tenant("t", List.of("ghost"))));
        PlacementProblem problem = problem(List.of(new HostSpec("h0", 1, 1024, 0)),
                List.of(new VmSpec("v", "h0", 1, 1024, null)), List.of());
        assertThatThrownBy(() -> NetworkMapper.solve(problem, ghost, OPTIONS, 4))
                .hasMessage("tenant t names VM ghost, which is not among the VMs");
    }
}
