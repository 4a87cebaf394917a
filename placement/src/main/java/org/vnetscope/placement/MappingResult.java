package org.vnetscope.placement;

import java.util.List;

/**
 * A virtual network mapping: the placement (as {@link Placer} reports one) of the tenants that could be embedded,
 * and what it does to the substrate's links.
 *
 * @param placement                 the placement, its migrations and evidence; VMs of tenants not embedded have no
 *                                  host in it and are not migrated
 * @param pathsPerPair              candidate paths per host pair (the k shortest by hop count)
 * @param linkBinNs                 width of the bins a link's p95 is taken over (the window when the traffic has
 *                                  no bins)
 * @param links                     every link's load before and after
 * @param maxLinkUtilizationBefore  the busiest link's p95 over its capacity, the current placement routed
 * @param maxLinkUtilizationAfter   the same for the proposal (tenants not embedded left out)
 * @param tenantsFrom               {@code declared}, {@code traffic} (connected groups of the traffic graph), or
 *                                  {@code declared and traffic}
 * @param tenants                   each tenant network, embedded or not and why
 * @param routes                    the path of every demand the proposal carries between two hosts
 * @param baselines                 the baseline placements' busiest link, routed as the proposal is
 */
public record MappingResult(PlacementResult placement, int pathsPerPair, long linkBinNs, List<LinkLoad> links,
                            double maxLinkUtilizationBefore, double maxLinkUtilizationAfter, String tenantsFrom,
                            List<TenantOutcome> tenants, List<Route> routes, List<Baseline> baselines) {

    /**
     * @param a                        one end
     * @param b                        the other
     * @param capacityBitsPerSecond    its capacity (both directions together)
     * @param beforeBitsPerSecond      the p95 of its binned rate, the current placement routed
     * @param afterBitsPerSecond       the same, the proposal routed
     * @param beforeUtilization        before over capacity
     * @param afterUtilization         after over capacity
     * @param beforeBytes              bytes over it in the window, before
     * @param afterBytes               bytes over it, after
     */
    public record LinkLoad(String a, String b, long capacityBitsPerSecond, long beforeBitsPerSecond,
                           long afterBitsPerSecond, double beforeUtilization, double afterUtilization,
                           long beforeBytes, long afterBytes) {
    }

    /**
     * @param name     the tenant
     * @param vms      its VMs
     * @param declared whether SUBSTRATE.json declares it (else it is a connected group of the traffic graph)
     * @param embedded whether it is embedded
     * @param reason   why it is not, naming the resource (null when embedded)
     * @param bytes    its traffic: bytes between its VMs, and between them and other tenants' VMs
     */
    public record TenantOutcome(String name, List<String> vms, boolean declared, boolean embedded, String reason,
                                long bytes) {
    }

    /**
     * @param a                 one VM
     * @param b                 the other
     * @param aHost             a's host in the proposal
     * @param bHost             b's host
     * @param bytes             their traffic
     * @param p95BitsPerSecond  the p95 of their own binned rate
     * @param path              the nodes the traffic crosses, from aHost to bHost
     */
    public record Route(String a, String b, String aHost, String bHost, long bytes, long p95BitsPerSecond,
                        List<String> path) {
    }

    /**
     * @param name               as {@link PlacementResult.Baseline}
     * @param maxLinkUtilization its busiest link's p95 over capacity
     * @param crossHostBytes     its cross-host bytes
     * @param feasible           whether it keeps every rule, the links' capacities included
     */
    public record Baseline(String name, double maxLinkUtilization, long crossHostBytes, boolean feasible) {
    }
}
