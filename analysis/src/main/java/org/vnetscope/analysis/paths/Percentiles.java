package org.vnetscope.analysis.paths;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;

/**
 * Several percentiles of a histogram in one pass over its counts, each the value
 * {@link Histogram#getValueAtPercentile} gives. That method walks the counts from the first for every percentile
 * asked, calling a getter per count: a latency histogram holds tens of thousands of counts, mostly empty, and a
 * path has one per hop, so on a few hundred hosts' traces three such walks per histogram were a sixth of the run.
 * Here the counts array is read in place, once for all the percentiles: it and the two members the walk needs are
 * not public, and are taken by reflection. Where they cannot be (another version of the library, a histogram whose
 * counts were shifted), the library's own method answers; {@code PercentilesTest} holds the two to the same values.
 */
final class Percentiles {
    private static final Field COUNTS;
    private static final Field COUNTS_LENGTH;
    private static final Field INDEX_OFFSET;
    private static final Method VALUE_FROM_INDEX;

    static {
        Field counts = null;
        Field length = null;
        Field offset = null;
        Method valueFromIndex = null;
        try {
            counts = Histogram.class.getDeclaredField("counts");
            offset = Histogram.class.getDeclaredField("normalizingIndexOffset");
            length = findField(AbstractHistogram.class, "countsArrayLength");
            valueFromIndex = AbstractHistogram.class.getDeclaredMethod("valueFromIndex", int.class);
            if (counts.getType() != long[].class || offset.getType() != int.class || length.getType() != int.class
                    || valueFromIndex.getReturnType() != long.class) {
                throw new NoSuchFieldException("another layout");
            }
            counts.setAccessible(true);
            offset.setAccessible(true);
            length.setAccessible(true);
            valueFromIndex.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            counts = null;
        }
        COUNTS = counts;
        COUNTS_LENGTH = length;
        INDEX_OFFSET = offset;
        VALUE_FROM_INDEX = valueFromIndex;
    }

    private Percentiles() {
    }

    private static Field findField(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                // in a superclass
            }
        }
        throw new NoSuchFieldException(name);
    }

    /**
     * The values at these percentiles (ascending, each above 0 and at most 100), as
     * {@code histogram.getValueAtPercentile(p)} gives each.
     */
    static long[] of(Histogram histogram, double... percentiles) {
        long[] values = new long[percentiles.length];
        if (!inPlace(histogram, percentiles, values)) {
            for (int k = 0; k < percentiles.length; k++) {
                values[k] = histogram.getValueAtPercentile(percentiles[k]);
            }
        }
        return values;
    }

    /** Whether the counts could be read in place; {@code values} filled when they were. */
    static boolean inPlace(Histogram histogram, double[] percentiles, long[] values) {
        if (COUNTS == null || histogram.getClass() != Histogram.class) {
            return false;
        }
        try {
            if (INDEX_OFFSET.getInt(histogram) != 0) {
                return false;
            }
            long[] counts = (long[]) COUNTS.get(histogram);
            int length = Math.min(counts.length, COUNTS_LENGTH.getInt(histogram));
            long total = histogram.getTotalCount();
            long[] targets = new long[percentiles.length];
            for (int k = 0; k < percentiles.length; k++) {
                if (!(percentiles[k] > 0) || (k > 0 && percentiles[k] < percentiles[k - 1])) {
                    return false; // the 0th percentile rounds the other way; an order the pass cannot follow
                }
                // the library's count at a percentile, to the same rounding
                double requested = Math.min(Math.max(Math.nextAfter(percentiles[k], Double.NEGATIVE_INFINITY), 0.0D),
                        100.0D);
                targets[k] = Math.max((long) Math.ceil(requested * total / 100.0D), 1);
            }
            int next = 0;
            long sum = 0;
            for (int i = 0; i < length && next < targets.length; i++) {
                sum += counts[i];
                while (next < targets.length && sum >= targets[next]) {
                    values[next++] = histogram.highestEquivalentValue((long) VALUE_FROM_INDEX.invoke(histogram, i));
                }
            }
            while (next < targets.length) {
                values[next++] = 0; // as the library answers when the counts fall short
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
