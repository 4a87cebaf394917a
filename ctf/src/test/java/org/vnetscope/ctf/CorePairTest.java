package org.vnetscope.ctf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class CorePairTest {

    @Test
    void aRoundTripBetweenTwoThreadsTakesSomeNanosecondsAndNotAMillisecond() {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "needs two processors");
        double roundTrip = CorePair.roundTripNs(2_000, 10_000_000_000L);
        assertThat(roundTrip).isFinite().isGreaterThan(1).isLessThan(1_000_000);
    }

    @Test
    void aProbeThatCannotEndInTimeIsGivenUpAndLeavesNoThreadSpinning() throws InterruptedException {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "needs two processors");
        long started = System.nanoTime();
        // 50 million round trips take seconds; the probe is given 1 ms
        double roundTrip = CorePair.roundTripNs(50_000_000, 1_000_000L);
        long tookNs = System.nanoTime() - started;
        assertThat(roundTrip).isNaN();
        assertThat(tookNs).isLessThan(1_000_000_000L);
        Thread.sleep(100);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(thread -> thread.getName()
                .equals("vnetscope-core-pair") && thread.isAlive());
    }
}
