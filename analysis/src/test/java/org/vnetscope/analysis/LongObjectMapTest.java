package org.vnetscope.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongObjectMapTest {

    /** Random puts and removes agree with a HashMap, across growth and backward-shift deletion. */
    @Test
    void behavesLikeAHashMap() {
        LongObjectMap<Long> map = new LongObjectMap<>();
        Map<Long, Long> reference = new HashMap<>();
        Random random = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            // skb-like keys: kernel addresses 256 bytes apart, few distinct, so collisions and reuse are frequent
            long key = 0xFFFF8BC400000000L + 256L * random.nextInt(5000);
            if (random.nextInt(3) == 0) {
                assertThat(map.remove(key)).isEqualTo(reference.remove(key));
            } else {
                map.put(key, (long) i);
                reference.put(key, (long) i);
            }
        }
        assertThat(map.size()).isEqualTo(reference.size());
        reference.forEach((key, value) -> assertThat(map.get(key)).isEqualTo(value));
    }
}
