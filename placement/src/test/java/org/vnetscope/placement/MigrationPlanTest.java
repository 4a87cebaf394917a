package org.vnetscope.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Migrations that must swap VMs between two full hosts: with a third host with room one VM waits there, and every
 * step keeps CPU and memory within capacity; with no such host the swap is reported as unordered.
 */
class MigrationPlanTest {

    static final PlacementOptions OPTIONS = PlacementOptions.defaults().withSeed(3).withUnimprovedSteps(2_000)
            .withTimeLimit(Duration.ofSeconds(60));

    /**
     * a1 talks to b1 and a2 to b2, but a1, a2 run on the full host A and b1, b2 on the full host B: the optimum
     * (no cross-host bytes) swaps one VM of A with one of B.
     */
    static PlacementProblem swap(boolean thirdHost) {
        List<HostSpec> hosts = new java.util.ArrayList<>(List.of(new HostSpec("A", 2, 2048, 0),
                new HostSpec("B", 2, 2048, 0)));
        if (thirdHost) {
            hosts.add(new HostSpec("C", 1, 1024, 0));
        }
        List<VmSpec> vms = List.of(new VmSpec("a1", "A", 1, 1024, null), new VmSpec("a2", "A", 1, 1024, null),
                new VmSpec("b1", "B", 1, 1024, null), new VmSpec("b2", "B", 1, 1024, null));
        List<Demand> demands = List.of(new Demand("a1", "b1", 5_000), new Demand("a2", "b2", 7_000),
                new Demand("a1", "a2", 10));
        return new PlacementProblem(hosts, vms, demands, 0, 0, -1);
    }

    @Test
    void aSwapGoesThroughTheThirdHostAndEveryStepFits() {
        PlacementProblem problem = swap(true);
        PlacementResult result = Placer.solve(problem, OPTIONS);

        assertThat(result.stoppedBy()).isEqualTo("proven");
        assertThat(result.after().crossHostBytes()).isEqualTo(10);
        assertThat(result.after().moves()).isEqualTo(2);
        assertThat(result.unordered()).isEmpty();
        assertThat(result.moves()).hasSize(3);
        assertThat(result.moves()).filteredOn(PlacementResult.Move::transit).singleElement()
                .satisfies(move -> assertThat(move.to()).isEqualTo("C"));
        Map<String, String> end = replay(problem, result.moves());
        assertThat(end).isEqualTo(placement(result));
        assertThat(end).doesNotContainValue("C");
    }

    @Test
    void withoutAThirdHostTheSwapIsUnordered() {
        PlacementProblem problem = swap(false);
        PlacementResult result = Placer.solve(problem, OPTIONS);

        assertThat(result.after().crossHostBytes()).isEqualTo(10);
        assertThat(result.moves()).isEmpty();
        assertThat(result.unordered()).hasSize(2);
        assertThat(result.unordered()).noneMatch(PlacementResult.Move::transit);
        Map<String, String> target = placement(result);
        for (PlacementResult.Move move : result.unordered()) {
            assertThat(move.to()).isEqualTo(target.get(move.vm()));
            assertThat(move.from()).isNotEqualTo(move.to());
        }
    }

    @Test
    void aThreeWayRotationBetweenFullHostsOrdersThroughTheSpareHost() {
        // three full hosts each pass one VM on to the next; the fourth host has room for one VM
        List<HostSpec> hosts = List.of(new HostSpec("A", 1, 1024, 0), new HostSpec("B", 1, 1024, 0),
                new HostSpec("C", 1, 1024, 0), new HostSpec("D", 1, 1024, 0));
        List<VmSpec> vms = List.of(new VmSpec("x", "A", 1, 1024, null), new VmSpec("y", "B", 1, 1024, null),
                new VmSpec("z", "C", 1, 1024, null));
        PlacementProblem problem = new PlacementProblem(hosts, vms, List.of(), 0, 0, -1);
        Instance instance = new Instance(problem);
        MigrationPlan.Plan plan = MigrationPlan.between(instance, new int[] {0, 1, 2}, new int[] {1, 2, 0});

        assertThat(plan.unordered()).isEmpty();
        assertThat(plan.moves()).hasSize(4);
        assertThat(plan.moves()).filteredOn(PlacementResult.Move::transit).hasSize(1);
        assertThat(replay(problem, plan.moves())).isEqualTo(Map.of("x", "B", "y", "C", "z", "A"));
    }

    static Map<String, String> placement(PlacementResult result) {
        Map<String, String> placement = new HashMap<>();
        result.placement().forEach(a -> placement.put(a.vm(), a.host()));
        return placement;
    }

    /**
     * Applies the moves in order from the problem's current placement, checking that each starts where the VM is
     * and leaves every host within its CPU and memory; returns where the VMs end.
     */
    static Map<String, String> replay(PlacementProblem problem, List<PlacementResult.Move> moves) {
        Map<String, String> at = new HashMap<>();
        Map<String, VmSpec> vms = new HashMap<>();
        for (VmSpec vm : problem.vms()) {
            at.put(vm.name(), vm.host());
            vms.put(vm.name(), vm);
        }
        for (PlacementResult.Move move : moves) {
            assertThat(at.get(move.vm())).as("%s starts where the VM is", move).isEqualTo(move.from());
            at.put(move.vm(), move.to());
            for (HostSpec host : problem.hosts()) {
                double cpu = 0;
                long memory = 0;
                for (Map.Entry<String, String> vm : at.entrySet()) {
                    if (host.name().equals(vm.getValue())) {
                        cpu += vms.get(vm.getKey()).cpu();
                        memory += vms.get(vm.getKey()).memoryMib();
                    }
                }
                assertThat(cpu).as("CPU of %s after %s", host.name(), move).isLessThanOrEqualTo(host.cpu() + 1e-9);
                assertThat(memory).as("memory of %s after %s", host.name(), move).isLessThanOrEqualTo(host.memoryMib());
            }
        }
        return at;
    }
}
