package org.vnetscope.analysis;

import java.util.Arrays;

/**
 * Which 16-bit ids were added lately under each tag, as one bit per (tag, id): a filter in front of a
 * {@link RecentKeys} table that holds keys made from the same (tag, id) pairs, for lookups that probe many ids of
 * one tag and find nothing nearly every time. A clear bit means that nothing was added under that tag and id within
 * the window, so the table cannot hold a live entry for it and the probe can be left out; a set bit may be another
 * pair's (several share a block) or an entry the table has since let go, and the table is asked as before. What the
 * table answers is therefore unchanged: the filter only skips probes whose answer is known.
 *
 * <p>The ids of one tag lie in blocks of 512 consecutive ids, each block one cache line, so that probing a run of
 * nearby ids reads one or two lines instead of one set of the table per id. Two generations of bits cover the window:
 * adds go into the current one, which becomes the previous one once it is a window old, the previous one being
 * dropped; an add within the window of any lookup is therefore in one of the two. Should the times go backwards
 * far enough that a dropped generation might still hold an add within the window, the filter answers "maybe".
 */
final class RecentIdBits {

    /** Ids per block: 512 bits, one cache line of eight longs. */
    private static final int ID_BLOCK_SHIFT = 9;
    private static final int WORDS_PER_BLOCK = 1 << (ID_BLOCK_SHIFT - 6);

    private final int blockShift;
    private final long windowNs;
    private long[] current;
    private long[] previous;
    private boolean started;
    private long currentSinceNs;
    /** The latest add time of the current and previous generations, and of any generation dropped. */
    private long currentLatestNs = Long.MIN_VALUE;
    private long previousLatestNs = Long.MIN_VALUE;
    private boolean dropped;
    private long droppedLatestNs = Long.MIN_VALUE;

    /**
     * @param blockBits log2 of the number of blocks (each 64 bytes, per generation)
     * @param windowNs  how long after an add the table may still find it ({@link RecentKeys#find}'s window)
     */
    RecentIdBits(int blockBits, long windowNs) {
        this.blockShift = 64 - blockBits;
        this.windowNs = windowNs;
        this.current = new long[WORDS_PER_BLOCK << blockBits];
        this.previous = new long[WORDS_PER_BLOCK << blockBits];
    }

    /** Notes an add of (tag, id) at this time. */
    void add(long tag, int id, long nowNs) {
        if (!started) {
            started = true;
            currentSinceNs = nowNs;
        } else if (nowNs - currentSinceNs >= windowNs) {
            if (previousLatestNs != Long.MIN_VALUE) {
                dropped = true;
                droppedLatestNs = Math.max(droppedLatestNs, previousLatestNs);
            }
            long[] cleared = previous;
            Arrays.fill(cleared, 0);
            previous = current;
            previousLatestNs = currentLatestNs;
            current = cleared;
            currentLatestNs = Long.MIN_VALUE;
            currentSinceNs = nowNs;
        }
        current[word(tag, id)] |= 1L << id;
        currentLatestNs = Math.max(currentLatestNs, nowNs);
    }

    /** False only when nothing was added under (tag, id) less than the window before {@code nowNs}. */
    boolean mayHold(long tag, int id, long nowNs) {
        if (dropped && nowNs - droppedLatestNs < windowNs) {
            return true; // times went backwards past a dropped generation: it may have held this one
        }
        int word = word(tag, id);
        return ((current[word] | previous[word]) & 1L << id) != 0;
    }

    /**
     * The ids at or below {@code id} that may have been added under the tag within the window, as bits: bit
     * {@code k} stands for id {@code (id - k) & 0xFFFF}, and is clear only when {@link #mayHold} would be false.
     */
    long mayHoldBelow(long tag, int id, long nowNs) {
        if (dropped && nowNs - droppedLatestNs < windowNs) {
            return -1L;
        }
        int highWord = word(tag, id);
        int top = id & 63;
        // bit top - k of the id's word is id - k: reversed, k counts up from bit 0
        long below = Long.reverse(current[highWord] | previous[highWord]) >>> (63 - top);
        if (top < 63) {
            int lowWord = word(tag, (id - top - 1) & 0xFFFF); // the 64 ids before, bit 63 the nearest
            below |= Long.reverse(current[lowWord] | previous[lowWord]) << (top + 1);
        }
        return below;
    }

    private int word(long tag, int id) {
        long block = (tag + (id >>> ID_BLOCK_SHIFT)) * 0x9E3779B97F4A7C15L;
        block ^= block >>> 31;
        block *= 0xBF58476D1CE4E5B9L;
        return (int) (block >>> blockShift) * WORDS_PER_BLOCK + (id >>> 6 & (WORDS_PER_BLOCK - 1));
    }
}
