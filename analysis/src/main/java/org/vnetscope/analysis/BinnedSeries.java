package org.vnetscope.analysis;

import java.util.Arrays;

/**
 * Counters per time bin, for a fixed number of metrics. Bins are aligned on multiples of the bin width since the
 * epoch, so series built from different parts of a trace merge bin by bin. Memory grows with the traced
 * duration over the bin width, not with the number of events.
 */
final class BinnedSeries {

    private final long binNs;
    private final int metrics;
    private long firstBin = Long.MIN_VALUE;
    private long lastBin = Long.MIN_VALUE;
    private long[] values = new long[0];

    BinnedSeries(long binNs, int metrics) {
        if (binNs <= 0) {
            throw new IllegalArgumentException("bin width must be positive: " + binNs);
        }
        this.binNs = binNs;
        this.metrics = metrics;
    }

    void add(long timeNs, int metric, long amount) {
        long bin = Math.floorDiv(timeNs, binNs);
        if (firstBin == Long.MIN_VALUE) {
            firstBin = bin;
            lastBin = bin;
        }
        lastBin = Math.max(lastBin, bin);
        if (bin < firstBin) {
            int shift = (int) (firstBin - bin);
            long[] grown = new long[values.length + shift * metrics];
            System.arraycopy(values, 0, grown, shift * metrics, values.length);
            values = grown;
            firstBin = bin;
        }
        int index = (int) (bin - firstBin) * metrics + metric;
        if (index >= values.length) {
            values = Arrays.copyOf(values, Math.max(index + metrics, values.length * 2) / metrics * metrics);
        }
        values[index] += amount;
    }

    void merge(BinnedSeries other) {
        if (other.binNs != binNs || other.metrics != metrics) {
            throw new IllegalArgumentException("cannot merge series of different shapes");
        }
        for (int bin = 0; bin < other.bins(); bin++) {
            for (int metric = 0; metric < metrics; metric++) {
                long amount = other.values[bin * metrics + metric];
                if (amount != 0) {
                    add((other.firstBin + bin) * binNs, metric, amount);
                }
            }
        }
    }

    /** Number of bins from the first to the last one that received anything. */
    int bins() {
        return firstBin == Long.MIN_VALUE ? 0 : (int) (lastBin - firstBin + 1);
    }

    long binStartNs(int bin) {
        return (firstBin + bin) * binNs;
    }

    long get(int bin, int metric) {
        int index = bin * metrics + metric;
        return index < values.length ? values[index] : 0;
    }

    long binNs() {
        return binNs;
    }
}
