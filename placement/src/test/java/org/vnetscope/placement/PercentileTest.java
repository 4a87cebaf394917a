package org.vnetscope.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one-pass percentile equals the nearest rank of the sorted series, and leaves the series as it was. */
class PercentileTest {

    @Test
    void equalsTheNearestRankOfTheSortedSeries() {
        Random random = new Random(95);
        for (int trial = 0; trial < 20_000; trial++) {
            long[] series = new long[1 + random.nextInt(trial % 7 == 0 ? 2_100 : 120)];
            for (int i = 0; i < series.length; i++) {
                series[i] = random.nextInt(4) == 0 ? 0 : random.nextInt(trial % 3 == 0 ? 5 : 1_000_000);
            }
            long[] original = series.clone();
            long[] sorted = series.clone();
            Arrays.sort(sorted);
            long expected = sorted[(int) Math.ceil(0.95 * sorted.length) - 1];
            assertThat(Instance.p95(series)).isEqualTo(expected);
            assertThat(series).isEqualTo(original);
        }
    }
}
