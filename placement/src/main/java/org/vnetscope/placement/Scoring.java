package org.vnetscope.placement;

/** The hard rules' units, shared by every evaluation so that the solver and the reports agree. */
final class Scoring {

    /** A migration over the budget weighs as much as a GiB too many on a host. */
    static final long MOVE_PENALTY = 1L << 20;
    static final long PIN_PENALTY = 1L << 30;

    private Scoring() {
    }

    /**
     * A host's excess: milli-vCPUs plus MiB plus kbit/s over its capacities (a host with no NIC capacity known
     * has no NIC excess).
     */
    static long hostExcess(Instance instance, int host, long cpu, long memory, long nicBps) {
        long excess = Math.max(0, cpu - instance.hostCpu[host]) + Math.max(0, memory - instance.hostMemory[host]);
        if (instance.hostNicBps[host] > 0) {
            excess += (Math.max(0, nicBps - instance.hostNicBps[host]) + 999) / 1000;
        }
        return excess;
    }

    static long movesExcess(Instance instance, int moves) {
        return instance.maxMoves >= 0 && moves > instance.maxMoves ? (moves - instance.maxMoves) * MOVE_PENALTY : 0;
    }
}
