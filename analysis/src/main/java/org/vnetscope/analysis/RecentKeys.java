package org.vnetscope.analysis;

import java.util.Arrays;

/**
 * A fixed-size set of recently seen 64-bit keys (hashes), each with the time it was last seen and optionally a
 * value: four-way set associative, the oldest entry of a set giving way. A busy host keeps a packet in its queues
 * for milliseconds while thousands of others pass; four ways keep such a packet's key where a direct-mapped table
 * would lose it to the first collision.
 *
 * <p>A set's keys sit side by side, then their times, in eight longs: a lookup reads its keys and, for the key it
 * finds, one time, from one or two cache lines; values, read only for a key found, are apart. The table is far
 * larger than the cache, and most lookups (a packet not seen before) find nothing.
 */
final class RecentKeys {

    private static final int WAYS = 4;
    /** Longs per set: the keys of its ways, then the times they were last seen. */
    private static final int SET = 2 * WAYS;

    private final long[] sets;
    /** Values by entry ({@code set * WAYS + way}), or null when entries carry none. */
    private final long[] values;
    private final int setMask;

    /**
     * @param setBits    log2 of the number of sets
     * @param keepValues whether entries carry a value ({@link #value}); without, {@link #put} ignores it
     */
    RecentKeys(int setBits, boolean keepValues) {
        sets = new long[SET << setBits];
        for (int first = 0; first < sets.length; first += SET) {
            Arrays.fill(sets, first + WAYS, first + SET, Long.MIN_VALUE);
        }
        values = keepValues ? new long[WAYS << setBits] : null;
        setMask = (1 << setBits) - 1;
    }

    /** The entry holding this key seen less than {@code windowNs} before {@code nowNs}, or -1. */
    int find(long key, long nowNs, long windowNs) {
        int first = set(key);
        for (int way = 0; way < WAYS; way++) {
            if (sets[first + way] == key) {
                long time = sets[first + WAYS + way];
                if (time != Long.MIN_VALUE && nowNs - time < windowNs) {
                    return first / 2 + way;
                }
            }
        }
        return -1;
    }

    /** Stores the key in place of the oldest entry of its set (or of its own older copy). */
    void put(long key, long value, long nowNs) {
        int first = set(key);
        int victim = 0;
        for (int way = 0; way < WAYS; way++) {
            if (sets[first + way] == key) {
                victim = way;
                break;
            }
            if (sets[first + WAYS + way] < sets[first + WAYS + victim]) {
                victim = way;
            }
        }
        sets[first + victim] = key;
        sets[first + WAYS + victim] = nowNs;
        if (values != null) {
            values[first / 2 + victim] = value;
        }
    }

    /** The value of an entry of a table that keeps values. */
    long value(int entry) {
        return values[entry];
    }

    void touch(int entry, long nowNs) {
        int way = entry % WAYS;
        sets[(entry - way) * 2 + WAYS + way] = nowNs;
    }

    private int set(long key) {
        return ((int) (key >>> 40) & setMask) * SET;
    }
}
