package org.vnetscope.placement;

import java.util.List;

/**
 * A proposed placement with its evidence.
 *
 * @param before          the current placement's figures
 * @param after           the proposed placement's figures
 * @param placement       where each VM runs in the proposal, by VM name
 * @param moves           the migrations from now to the proposal, in an order that keeps every host within its CPU
 *                        and memory after each step (a VM may go through a third host when two must swap)
 * @param unordered       migrations no order could make without overloading a host on the way (empty when all
 *                        could be ordered)
 * @param lowerBoundBytes cross-host bytes no placement under the same rules can go below
 * @param optimal         whether the proposal is proven optimal (its cross-host bytes equal the lower bound, or
 *                        the exhaustive search completed)
 * @param baselines       what the usual heuristics would give, for comparison
 * @param remaining       the largest pairs still split between hosts, each with what keeps it apart
 * @param hostNames       the hosts, in the order of the host matrices
 * @param stoppedBy       why the search stopped: {@code proven} (exhaustive search), {@code converged} (no better
 *                        placement in the step budget), or {@code time_limit}
 * @param searchNodes     nodes the exhaustive search visited
 * @param seed            the random seed
 * @param warnings        what the user must know to trust the figures (a short window, unknown sizes)
 */
public record PlacementResult(Figures before, Figures after, List<Assignment> placement, List<Move> moves,
                              List<Move> unordered, long lowerBoundBytes, boolean optimal, List<Baseline> baselines,
                              List<RemainingPair> remaining, List<String> hostNames, String stoppedBy,
                              long searchNodes, long seed, List<String> warnings) {

    /**
     * @param crossHostBytes    bytes between VMs on different hosts, each pair counted once
     * @param maxNicUtilization the most used NIC's p95 cross-host rate over its capacity (0 when none is known)
     * @param feasible          whether every host is within its capacities
     * @param moves             migrations from the current placement
     * @param hosts             per host: its VMs' CPU and memory, and its NIC's cross-host load
     * @param hostMatrix        bytes between hosts (diagonal: within a host), rows and columns as hostNames
     */
    public record Figures(long crossHostBytes, double maxNicUtilization, boolean feasible, int moves,
                          List<HostLoad> hosts, long[][] hostMatrix) {
    }

    /**
     * @param host                host name
     * @param vms                 VMs on it
     * @param cpu                 their vCPUs
     * @param cpuCapacity         its vCPUs
     * @param memoryMib           their memory
     * @param memoryCapacityMib   its memory
     * @param nicP95BitsPerSecond the p95 of its binned cross-host rate (in plus out)
     * @param nicBytes            its cross-host bytes over the window
     * @param nicBitsPerSecond    its NIC capacity, 0 when unknown
     */
    public record HostLoad(String host, List<String> vms, double cpu, double cpuCapacity, long memoryMib,
                           long memoryCapacityMib, long nicP95BitsPerSecond, long nicBytes, long nicBitsPerSecond) {
    }

    public record Assignment(String vm, String host) {
    }

    /**
     * @param vm         the VM
     * @param from       the host it leaves
     * @param to         the host it goes to
     * @param bytesSaved cross-host bytes this step removes (negative for a step through a third host)
     * @param memoryMib  memory the migration copies
     * @param transit    whether the host is a stop on the way, not the VM's destination
     */
    public record Move(String vm, String from, String to, long bytesSaved, long memoryMib, boolean transit) {

        /** The libvirt command that performs it (live, keeping the domain defined on the destination only). */
        public String virsh() {
            return "virsh migrate --live --persistent --undefinesource " + vm + " qemu+ssh://" + to + "/system";
        }
    }

    /**
     * @param name           {@code current}, {@code first_fit_decreasing} (traffic-oblivious) or
     *                       {@code greedy_pairs} (heaviest pairs merged first)
     * @param crossHostBytes its cross-host bytes
     * @param feasible       whether it keeps every rule
     * @param moves          its migrations
     */
    public record Baseline(String name, long crossHostBytes, boolean feasible, int moves) {
    }

    /**
     * @param a         one VM
     * @param b         the other
     * @param bytes     their traffic
     * @param aHost     a's host in the proposal
     * @param bHost     b's host
     * @param keptApart why neither may join the other: the rule each way
     */
    public record RemainingPair(String a, String b, long bytes, String aHost, String bHost, List<String> keptApart) {
    }
}
