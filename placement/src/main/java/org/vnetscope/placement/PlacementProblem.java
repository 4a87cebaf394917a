package org.vnetscope.placement;

import java.util.List;

/**
 * What to place, where, and the traffic between the VMs.
 *
 * @param hosts    the hosts
 * @param vms      the VMs, each on its current host (or none)
 * @param demands  traffic between VM pairs; pairs named twice are added together
 * @param binNs    width of the demands' time bins, or 0 when no demand has bins
 * @param windowNs how long the traffic was measured (the trace window), or 0 when unknown
 * @param maxMoves the most migrations a plan may have, or -1 for no limit
 */
public record PlacementProblem(List<HostSpec> hosts, List<VmSpec> vms, List<Demand> demands, long binNs,
                               long windowNs, int maxMoves) {

    public PlacementProblem {
        hosts = List.copyOf(hosts);
        vms = List.copyOf(vms);
        demands = List.copyOf(demands);
    }

    public PlacementProblem withMaxMoves(int moves) {
        return new PlacementProblem(hosts, vms, demands, binNs, windowNs, moves);
    }

    public PlacementProblem withVms(List<VmSpec> others) {
        return new PlacementProblem(hosts, others, demands, binNs, windowNs, maxMoves);
    }
}
