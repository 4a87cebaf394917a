package org.vnetscope.placement;

import ai.timefold.solver.core.api.domain.entity.PlanningEntity;
import ai.timefold.solver.core.api.domain.entity.PlanningPin;
import ai.timefold.solver.core.api.domain.lookup.PlanningId;
import ai.timefold.solver.core.api.domain.variable.PlanningVariable;

/** A VM as the planning library sees it: an entity whose host is the variable. */
@PlanningEntity
public class SolverVm {

    @PlanningId
    private Integer index;

    @PlanningPin
    private boolean pinned;

    @PlanningVariable(valueRangeProviderRefs = "hosts")
    private SolverHost host;

    public SolverVm() {
    }

    SolverVm(int index, boolean pinned, SolverHost host) {
        this.index = index;
        this.pinned = pinned;
        this.host = host;
    }

    int index() {
        return index;
    }

    SolverHost host() {
        return host;
    }

    /** For moves of our own; the library's moves set the field itself. */
    void setHost(SolverHost value) {
        host = value;
    }

    boolean pinned() {
        return pinned;
    }

    @Override
    public String toString() {
        return "vm#" + index + "@" + host;
    }
}
