package org.vnetscope.analysis;

/**
 * A fixed-size set of recently seen 64-bit keys (hashes), each with a value and the time it was last seen:
 * four-way set associative, the oldest entry of a set giving way. A busy host keeps a packet in its queues for
 * milliseconds while thousands of others pass; four ways keep such a packet's key where a direct-mapped table
 * would lose it to the first collision.
 */
final class RecentKeys {

    private static final int WAYS = 4;

    private final long[] keys;
    private final long[] values;
    private final long[] timesNs;
    private final int setMask;

    /** @param setBits log2 of the number of sets */
    RecentKeys(int setBits) {
        int entries = WAYS << setBits;
        keys = new long[entries];
        values = new long[entries];
        timesNs = new long[entries];
        java.util.Arrays.fill(timesNs, Long.MIN_VALUE);
        setMask = (1 << setBits) - 1;
    }

    /** The entry holding this key seen less than {@code windowNs} before {@code nowNs}, or -1. */
    int find(long key, long nowNs, long windowNs) {
        int first = set(key);
        for (int entry = first; entry < first + WAYS; entry++) {
            if (keys[entry] == key && timesNs[entry] != Long.MIN_VALUE && nowNs - timesNs[entry] < windowNs) {
                return entry;
            }
        }
        return -1;
    }

    /** Stores the key in place of the oldest entry of its set (or of its own older copy). */
    void put(long key, long value, long nowNs) {
        int first = set(key);
        int victim = first;
        for (int entry = first; entry < first + WAYS; entry++) {
            if (keys[entry] == key) {
                victim = entry;
                break;
            }
            if (timesNs[entry] < timesNs[victim]) {
                victim = entry;
            }
        }
        keys[victim] = key;
        values[victim] = value;
        timesNs[victim] = nowNs;
    }

    long value(int entry) {
        return values[entry];
    }

    void touch(int entry, long nowNs) {
        timesNs[entry] = nowNs;
    }

    private int set(long key) {
        return ((int) (key >>> 40) & setMask) * WAYS;
    }
}
