package org.vnetscope.analysis;

/**
 * A fixed-size set of recently seen 64-bit keys (hashes), each with the time it was last seen and optionally a
 * value: four-way set associative, the oldest entry of a set giving way. A busy host keeps a packet in its queues
 * for milliseconds while thousands of others pass; four ways keep such a packet's key where a direct-mapped table
 * would lose it to the first collision.
 *
 * <p>An entry's key, time and value sit side by side, and a set without values fills one cache line: the table is
 * far larger than the cache, so a lookup costs the memory reads of one set, not one per array.
 */
final class RecentKeys {

    private static final int WAYS = 4;
    private static final int KEY = 0;
    private static final int TIME = 1;
    private static final int VALUE = 2;

    /** Longs per entry: key, time, and the value when kept. */
    private final int stride;
    private final long[] entries;
    private final int setMask;

    /**
     * @param setBits    log2 of the number of sets
     * @param keepValues whether entries carry a value ({@link #value}); without, {@link #put} ignores it
     */
    RecentKeys(int setBits, boolean keepValues) {
        stride = keepValues ? 3 : 2;
        entries = new long[(WAYS << setBits) * stride];
        for (int entry = 0; entry < entries.length; entry += stride) {
            entries[entry + TIME] = Long.MIN_VALUE;
        }
        setMask = (1 << setBits) - 1;
    }

    /** The entry holding this key seen less than {@code windowNs} before {@code nowNs}, or -1. */
    int find(long key, long nowNs, long windowNs) {
        int first = set(key);
        for (int entry = first; entry < first + WAYS * stride; entry += stride) {
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
        for (int entry = first; entry < first + WAYS * stride; entry += stride) {
            if (entries[entry + KEY] == key) {
                victim = entry;
                break;
            }
            if (entries[entry + TIME] < entries[victim + TIME]) {
                victim = entry;
            }
        }
        entries[victim + KEY] = key;
        entries[victim + TIME] = nowNs;
        if (stride > VALUE) {
            entries[victim + VALUE] = value;
        }
    }

    /** The value of an entry of a table that keeps values. */
    long value(int entry) {
        return entries[entry + VALUE];
    }

    void touch(int entry, long nowNs) {
        entries[entry + TIME] = nowNs;
    }

    private int set(long key) {
        return ((int) (key >>> 40) & setMask) * WAYS * stride;
    }
}
