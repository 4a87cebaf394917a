package org.vnetscope.ctf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The adaptive pace of a {@link ReadAhead} on passes simulated on a clock of its own, each mode's cost per record given
 * by the record's place: it ends up reading mostly in the faster mode, follows a change of which is the faster, and a
 * moment's slowness of one probe does not keep it long in the slower mode.
 */
class ReadAheadPaceTest {
    private static final long RECORDS = 2_300_000; // about lab-large's records handed over
    private static final int BATCH = 256;

    /** The adaptive pace, its time that of the simulation. */
    private static final class Simulated extends ReadAheadPace.Adaptive {
        long now;

        @Override
        long nowNs() {
            return now;
        }
    }

    /** What a simulated pass did: records read in each mode, its time, changes of mode. */
    private record Pass(long ahead, long alone, double ns, int changes) {
    }

    /**
     * Reads that many records as {@link ReadAhead} does: a batch at a time while reading ahead (two more batches
     * come after a pause is asked for, as those filled meanwhile), one at a time on the caller's thread.
     */
    private static Pass simulate(LongToDoubleFunction aheadNs, LongToDoubleFunction aloneNs) {
        return simulate(RECORDS, aheadNs, aloneNs);
    }

    private static Pass simulate(long records, LongToDoubleFunction aheadNs, LongToDoubleFunction aloneNs) {
        Simulated pace = new Simulated();
        boolean ahead = pace.startsAhead();
        if (!ahead) {
            pace.modeStarted();
        }
        long inAhead = 0;
        long inAlone = 0;
        double time = 0;
        int changes = 0;
        int drainLeft = -1;
        long at = 0;
        while (at < records) {
            if (ahead) {
                time += aheadNs.applyAsDouble(at) * BATCH;
                pace.now = (long) time;
                at += BATCH;
                inAhead += BATCH;
                if (drainLeft > 0) {
                    drainLeft--;
                }
                if (!pace.taken(BATCH, true) && drainLeft < 0) {
                    drainLeft = 2;
                }
                if (drainLeft == 0) {
                    drainLeft = -1;
                    ahead = false;
                    changes++;
                    pace.modeStarted();
                }
            } else {
                time += aloneNs.applyAsDouble(at);
                pace.now = (long) time;
                at++;
                inAlone++;
                if (!pace.taken(1, false)) {
                    ahead = true;
                    changes++;
                    pace.modeStarted();
                }
            }
        }
        return new Pass(inAhead, inAlone, time, changes);
    }

    @Test
    void onCoresThatShareNoCacheItReadsMostlyOnTheCallersThread() {
        Pass pass = simulate(at -> 1_100, at -> 750);
        assertThat(pass.alone()).isGreaterThan(RECORDS * 85 / 100);
        assertThat(pass.ns()).isLessThan(RECORDS * 750 * 1.08);
    }

    @Test
    void onCoresThatShareACacheItReadsMostlyAhead() {
        Pass pass = simulate(at -> 600, at -> 850);
        assertThat(pass.ahead()).isGreaterThan(RECORDS * 90 / 100);
        assertThat(pass.ns()).isLessThan(RECORDS * 600 * 1.05);
    }

    @Test
    void itFollowsTheHostMovingTheCoresWithinAStretch() {
        // ten times lab-large, the two cores brought near each other after 3 million records, far again after 7
        long records = 10 * RECORDS;
        LongToDoubleFunction ahead = at -> at >= 3_000_000 && at < 7_000_000 ? 600 : 1_100;
        Pass pass = simulate(records, ahead, at -> 800);
        double best = 4_000_000 * 600.0 + (records - 4_000_000) * 800.0;
        assertThat(pass.ns()).isLessThan(best * 1.08);
        assertThat(pass.changes()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void aMomentsSlownessOfTheFasterModeDoesNotKeepItInTheSlowerOne() {
        // reading alone is the faster, but three times as slow over 40,000 records early on (another load)
        Pass pass = simulate(at -> 1_100, at -> at > 300_000 && at < 340_000 ? 2_250 : 750);
        double best = RECORDS * 750.0 + 40_000 * 1_500.0;
        assertThat(pass.ns()).isLessThan(best * 1.10);
    }

    @Test
    void equalPacesDoNotMakeItChangeBackAndForth() {
        Pass pass = simulate(at -> 800, at -> 800);
        // each probe of the other mode is two changes; the stretches between probes double
        assertThat(pass.changes()).isLessThanOrEqualTo(10);
        assertThat(pass.ahead()).isGreaterThan(RECORDS * 85 / 100);
    }
}
