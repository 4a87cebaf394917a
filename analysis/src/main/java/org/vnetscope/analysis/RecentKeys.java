package org.vnetscope.analysis;

/**
 * A fixed-size set of recently seen 64-bit keys (hashes), each with a value and the time it was last seen:
 * four-way set associative, the oldest entry of a set giving way. A busy host keeps a packet in its queues for
 * milliseconds while thousands of others pass; four ways keep such a packet's key where a direct-mapped table
 * would lose it to the first collision.
 *
 * <p>An entry's key, value and time sit side by side, and a set's four entries in two cache lines: a lookup in
 * a table far larger than the cache costs one or two memory reads, not one per array.
 */
final class RecentKeys {

    private static final int WAYS = 4;
    /** Longs per entry: key, value, time, and padding to keep sets aligned. */
    private static final int STRIDE = 4;
    private static final int KEY = 0;
    private static final int VALUE = 1;
    private static final int TIME = 2;

    private final long[] entries;
    private final int setMask;

    /** @param setBits log2 of the number of sets */
    RecentKeys(int setBits) {
        entries = new long[(WAYS << setBits) * STRIDE];
        for (int entry = 0; entry < entries.length; entry += STRIDE) {
            entries[entry + TIME] = Long.MIN_VALUE;
        }
        setMask = (1 << setBits) - 1;
    }

    /** The entry holding this key seen less than {@code windowNs} before {@code nowNs}, or -1. */
    int find(long key, long nowNs, long windowNs) {
        int first = set(key);
        for (int entry = first; entry < first + WAYS * STRIDE; entry += STRIDE) {
            long time = entries[entry + TIME];
            if (entries[entry + KEY] == key && time != Long.MIN_VALUE && nowNs - time < windowNs) {
                return entry;
            }
        }
        return -1;
    }

    /** Stores the key in place of the oldest entry of its set (or of its own older copy). */
    void put(long key, long value, long nowNs) {
        int first = set(key);
        int victim = first;
        for (int entry = first; entry < first + WAYS * STRIDE; entry += STRIDE) {
            if (entries[entry + KEY] == key) {
                victim = entry;
                break;
            }
            if (entries[entry + TIME] < entries[victim + TIME]) {
                victim = entry;
            }
        }
        entries[victim + KEY] = key;
        entries[victim + VALUE] = value;
        entries[victim + TIME] = nowNs;
    }

    long value(int entry) {
        return entries[entry + VALUE];
    }

    void touch(int entry, long nowNs) {
        entries[entry + TIME] = nowNs;
    }

    private int set(long key) {
        return ((int) (key >>> 40) & setMask) * WAYS * STRIDE;
    }
}
