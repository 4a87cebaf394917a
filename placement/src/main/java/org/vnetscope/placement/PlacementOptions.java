package org.vnetscope.placement;

import java.time.Duration;

/**
 * How hard to search.
 *
 * @param seed            the planning library's random seed (and the search's kicks): the same seed, problem and
 *                        budget give the same plan
 * @param timeLimit       the most the local search may run
 * @param unimprovedSteps local search steps without a better placement after which a search stops (in the
 *                        placement's local search, each round's tabu search: a quarter as many after the first);
 *                        with it the result does not depend on the machine's speed (unless the time limit strikes
 *                        first)
 * @param exactNodeLimit  nodes the exhaustive search may visit before giving up proving; 0 skips it
 * @param idleRounds      rounds in a row without a better placement after which the local search stops; 0 for
 *                        its default
 */
public record PlacementOptions(long seed, Duration timeLimit, int unimprovedSteps, long exactNodeLimit,
                               int idleRounds) {

    public PlacementOptions(long seed, Duration timeLimit, int unimprovedSteps, long exactNodeLimit) {
        this(seed, timeLimit, unimprovedSteps, exactNodeLimit, 0);
    }

    public static PlacementOptions defaults() {
        return new PlacementOptions(0, Duration.ofSeconds(10), 0, 2_000_000, 0);
    }

    /** Steps without improvement before stopping, scaled to the problem when not given. */
    int unimprovedSteps(int vms, int hosts) {
        return unimprovedSteps > 0 ? unimprovedSteps : Math.max(2_000, 4 * vms * Math.max(1, (int) Math.sqrt(hosts)));
    }

    int idleRounds(int byDefault) {
        return idleRounds > 0 ? idleRounds : byDefault;
    }

    public PlacementOptions withSeed(long value) {
        return new PlacementOptions(value, timeLimit, unimprovedSteps, exactNodeLimit, idleRounds);
    }

    public PlacementOptions withTimeLimit(Duration value) {
        return new PlacementOptions(seed, value, unimprovedSteps, exactNodeLimit, idleRounds);
    }

    public PlacementOptions withUnimprovedSteps(int value) {
        return new PlacementOptions(seed, timeLimit, value, exactNodeLimit, idleRounds);
    }

    public PlacementOptions withExactNodeLimit(long value) {
        return new PlacementOptions(seed, timeLimit, unimprovedSteps, value, idleRounds);
    }

    public PlacementOptions withIdleRounds(int value) {
        return new PlacementOptions(seed, timeLimit, unimprovedSteps, exactNodeLimit, value);
    }
}
