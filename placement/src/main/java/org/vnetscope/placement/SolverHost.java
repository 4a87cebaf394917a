package org.vnetscope.placement;

import ai.timefold.solver.core.api.domain.lookup.PlanningId;

/** A host as the planning library sees it: a value of the VMs' planning variable. */
public class SolverHost {

    @PlanningId
    private Integer index;

    public SolverHost() {
    }

    SolverHost(int index) {
        this.index = index;
    }

    int index() {
        return index;
    }

    @Override
    public String toString() {
        return "host#" + index;
    }
}
