package org.vnetscope.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecentIdBitsTest {

    private static final long WINDOW = 10_000;

    /**
     * Against a record of every add: an id added under a tag less than a window ago always reads "maybe", through
     * both lookups and whatever the times do (runs of consecutive ids, ids wrapping past 0xFFFF, generations turning
     * over, times going backwards); and most ids never added read "no", or the filter would skip nothing.
     */
    @Test
    void neverDeniesAnIdAddedWithinTheWindow() {
        RecentIdBits bits = new RecentIdBits(6, WINDOW); // 64 blocks: tags share blocks, as in a busy trace
        Map<Long, Long> lastAdded = new HashMap<>();
        long[] tags = {0x1234_5678_9ABC_DEF0L, 0x1234_5678_9ABC_DEF1L, -7L, 42L};
        int[] nextId = {0xFFC0, 100, 30_000, 0};
        Random random = new Random(7);
        long now = 1_000_000;
        long denied = 0;
        long asked = 0;
        for (int step = 0; step < 200_000; step++) {
            now += random.nextInt(5_000) == 0 ? -random.nextInt((int) (3 * WINDOW)) : random.nextInt(20);
            int which = random.nextInt(tags.length);
            long tag = tags[which];
            if (random.nextInt(4) == 0) {
                int id = nextId[which];
                nextId[which] = (id + 1 + random.nextInt(40)) & 0xFFFF; // a super-packet of up to 40 segments
                bits.add(tag, id, now);
                lastAdded.put(tag * 65_536 + id, now);
                continue;
            }
            int id = (nextId[which] + random.nextInt(8)) & 0xFFFF;
            long below = bits.mayHoldBelow(tag, id, now);
            for (int k = 0; k < 64; k++) {
                int probed = (id - k) & 0xFFFF;
                boolean maybe = bits.mayHold(tag, probed, now);
                assertThat((below >>> k & 1) != 0).as("bit %d of the ids below %d", k, id).isEqualTo(maybe);
                Long added = lastAdded.get(tag * 65_536 + probed);
                if (added != null && now - added < WINDOW) {
                    assertThat(maybe).as("id %d added at %d, asked at %d", probed, added, now).isTrue();
                }
                asked++;
                denied += maybe ? 0 : 1;
            }
        }
        assertThat(denied).isGreaterThan(asked / 2);
    }

    /** An add stays for a window at least and is gone two windows later, when its generation was dropped. */
    @Test
    void forgetsWhatIsTwoWindowsOld() {
        RecentIdBits bits = new RecentIdBits(10, WINDOW);
        bits.add(5, 1_000, 0);
        assertThat(bits.mayHold(5, 1_000, WINDOW - 1)).isTrue();
        assertThat(bits.mayHold(5, 1_001, 0)).isFalse();
        assertThat(bits.mayHold(6, 1_000, 0)).isFalse();
        bits.add(9, 7, WINDOW);      // the first generation becomes the previous one
        assertThat(bits.mayHold(5, 1_000, WINDOW)).isTrue();
        bits.add(9, 8, 2 * WINDOW);  // and is dropped
        assertThat(bits.mayHold(5, 1_000, 2 * WINDOW)).isFalse();
        assertThat(bits.mayHold(9, 7, 2 * WINDOW - 1)).isTrue();
        assertThat(bits.mayHoldBelow(9, 9, 2 * WINDOW) & 0b111).isEqualTo(0b110); // 8 and 7, not 9
    }

    /** Times that go back (a stream's clock may) to within a window of a dropped generation's adds: "maybe". */
    @Test
    void answersMaybeWhenTimeGoesBackToADroppedGeneration() {
        RecentIdBits bits = new RecentIdBits(10, WINDOW);
        bits.add(5, 1_000, 3 * WINDOW);
        bits.add(9, 1, 4 * WINDOW);
        bits.add(9, 2, 5 * WINDOW); // drops the generation of (5, 1000)
        assertThat(bits.mayHold(5, 1_000, 5 * WINDOW)).isFalse();
        assertThat(bits.mayHold(5, 1_000, 3 * WINDOW + 1)).isTrue();
        assertThat(bits.mayHoldBelow(5, 1_010, 3 * WINDOW + 1)).isEqualTo(-1L);
    }
}
