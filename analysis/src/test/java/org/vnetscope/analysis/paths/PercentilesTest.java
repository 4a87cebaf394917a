package org.vnetscope.analysis.paths;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The percentiles read in one pass over the counts are the library's own, on histograms of every shape. */
class PercentilesTest {

    private static final double[] ASKED = {0.001, 1, 25, 50, 90, 99, 99.9, 99.99, 100};

    @Test
    void onePassGivesTheLibrarysValues() {
        Random random = new Random(42);
        int checked = 0;
        for (int round = 0; round < 800; round++) {
            Histogram histogram = new Histogram(3);
            int samples = random.nextInt(5) == 0 ? 1 + random.nextInt(3) : 1 + random.nextInt(5000);
            int shape = random.nextInt(5);
            for (int i = 0; i < samples; i++) {
                long value = switch (shape) {
                    case 0 -> random.nextInt(3000);                                  // one bucket or two
                    case 1 -> (long) Math.exp(random.nextDouble() * Math.log(2e10)); // ns to tens of seconds
                    case 2 -> 123_456;                                               // all equal
                    case 3 -> random.nextBoolean() ? 5_000 : 50_000_000;             // two far apart
                    default -> (long) Math.abs(random.nextGaussian() * 40_000 + 100_000);
                };
                if (random.nextInt(10) == 0) {
                    histogram.recordValueWithCount(value, 1 + random.nextInt(1000));
                } else {
                    histogram.recordValue(value);
                }
            }
            if (random.nextInt(4) == 0) { // merged, as paths of several hosts or parts are
                Histogram other = new Histogram(3);
                other.recordValue((long) Math.exp(random.nextDouble() * Math.log(1e9)));
                histogram.add(other);
            }
            long[] values = new long[ASKED.length];
            assertThat(Percentiles.inPlace(histogram, ASKED, values)).as("read in place").isTrue();
            for (int k = 0; k < ASKED.length; k++) {
                assertThat(values[k]).as("round %d, p%s of %d samples", round, ASKED[k], histogram.getTotalCount())
                        .isEqualTo(histogram.getValueAtPercentile(ASKED[k]));
            }
            long[] latency = Percentiles.of(histogram, 50, 90, 99);
            assertThat(latency).containsExactly(histogram.getValueAtPercentile(50),
                    histogram.getValueAtPercentile(90), histogram.getValueAtPercentile(99));
            checked++;
        }
        assertThat(checked).isEqualTo(800);
    }

    @Test
    void whatThePassCannotReadTheLibraryAnswers() {
        Histogram shifted = new Histogram(1, 1L << 40, 3);
        for (long v = 1; v < 100_000; v += 37) {
            shifted.recordValue(v);
        }
        shifted.shiftValuesLeft(2);
        assertThat(Percentiles.inPlace(shifted, new double[] {50}, new long[1])).isFalse();
        assertThat(Percentiles.of(shifted, 50, 90, 99)).containsExactly(shifted.getValueAtPercentile(50),
                shifted.getValueAtPercentile(90), shifted.getValueAtPercentile(99));
        Histogram empty = new Histogram(3);
        assertThat(Percentiles.of(empty, 50, 99)).containsExactly(empty.getValueAtPercentile(50),
                empty.getValueAtPercentile(99));
        // the 0th percentile rounds down, which the pass leaves to the library
        Histogram some = new Histogram(3);
        some.recordValue(1_234_567);
        assertThat(Percentiles.inPlace(some, new double[] {0, 50}, new long[2])).isFalse();
        assertThat(Percentiles.of(some, 0, 50)).containsExactly(some.getValueAtPercentile(0),
                some.getValueAtPercentile(50));
    }
}
