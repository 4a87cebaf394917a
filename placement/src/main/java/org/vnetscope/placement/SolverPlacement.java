package org.vnetscope.placement;

import ai.timefold.solver.core.api.domain.solution.PlanningEntityCollectionProperty;
import ai.timefold.solver.core.api.domain.solution.PlanningScore;
import ai.timefold.solver.core.api.domain.solution.PlanningSolution;
import ai.timefold.solver.core.api.domain.solution.ProblemFactCollectionProperty;
import ai.timefold.solver.core.api.domain.valuerange.ValueRangeProvider;
import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import java.util.ArrayList;
import java.util.List;

/**
 * The planning library's view of a placement: the VMs (entities), the hosts (values) and the score; the problem's
 * arrays ride along for the score calculator, shared by every clone.
 */
@PlanningSolution
public class SolverPlacement {

    private Instance instance;

    @PlanningEntityCollectionProperty
    private List<SolverVm> vms;

    @ProblemFactCollectionProperty
    @ValueRangeProvider(id = "hosts")
    private List<SolverHost> hosts;

    @PlanningScore
    private HardMediumSoftLongScore score;

    public SolverPlacement() {
    }

    SolverPlacement(Instance instance, int[] assignment) {
        this.instance = instance;
        hosts = new ArrayList<>();
        for (int h = 0; h < instance.hosts(); h++) {
            hosts.add(new SolverHost(h));
        }
        vms = new ArrayList<>();
        for (int v = 0; v < instance.vms(); v++) {
            vms.add(new SolverVm(v, instance.pinned[v] >= 0, assignment[v] < 0 ? null : hosts.get(assignment[v])));
        }
    }

    Instance instance() {
        return instance;
    }

    List<SolverVm> vms() {
        return vms;
    }

    List<SolverHost> hosts() {
        return hosts;
    }

    /** The indices of the VMs not pinned. */
    int[] movableVms() {
        return vms.stream().filter(vm -> !vm.pinned()).mapToInt(SolverVm::index).toArray();
    }

    int[] assignment() {
        int[] assignment = new int[vms.size()];
        for (SolverVm vm : vms) {
            assignment[vm.index()] = vm.host() == null ? -1 : vm.host().index();
        }
        return assignment;
    }
}
