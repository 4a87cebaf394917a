package org.vnetscope.analysis;

import java.util.Arrays;

/** An open-addressing map from long keys to objects, without boxing; for per-skb state on the hot path. */
public final class LongObjectMap<V> {

    private long[] keys;
    private Object[] values;
    private int size;

    public LongObjectMap() {
        this(1024);
    }

    /** @param capacity the slots to start with, a power of two (the map grows when half full) */
    public LongObjectMap(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two from 2, not " + capacity);
        }
        keys = new long[capacity];
        values = new Object[capacity];
    }

    @SuppressWarnings("unchecked")
    public V get(long key) {
        int mask = keys.length - 1;
        for (int slot = slot(key, mask); values[slot] != null; slot = (slot + 1) & mask) {
            if (keys[slot] == key) {
                return (V) values[slot];
            }
        }
        return null;
    }

    public void put(long key, V value) {
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int slot = slot(key, mask);
        while (values[slot] != null) {
            if (keys[slot] == key) {
                values[slot] = value;
                return;
            }
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        values[slot] = value;
        size++;
    }

    /** Removes the key; returns its value or null. Shifts later entries back so probing stays correct. */
    @SuppressWarnings("unchecked")
    public V remove(long key) {
        int mask = keys.length - 1;
        int slot = slot(key, mask);
        while (values[slot] != null && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        if (values[slot] == null) {
            return null;
        }
        V removed = (V) values[slot];
        values[slot] = null;
        size--;
        for (int next = (slot + 1) & mask; values[next] != null; next = (next + 1) & mask) {
            int home = slot(keys[next], mask);
            // move the entry back when the freed slot lies on its probe path
            if (((next - home) & mask) >= ((next - slot) & mask)) {
                keys[slot] = keys[next];
                values[slot] = values[next];
                values[next] = null;
                slot = next;
            }
        }
        return removed;
    }

    /** Calls the action for every value, in no particular order. */
    @SuppressWarnings("unchecked")
    public void forEachValue(java.util.function.Consumer<V> action) {
        for (Object value : values) {
            if (value != null) {
                action.accept((V) value);
            }
        }
    }

    public void clear() {
        Arrays.fill(values, null);
        size = 0;
    }

    public int size() {
        return size;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Object[oldValues.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) {
                @SuppressWarnings("unchecked")
                V value = (V) oldValues[i];
                put(oldKeys[i], value);
            }
        }
        Arrays.fill(oldValues, null);
    }

    private static int slot(long key, int mask) {
        long mixed = key * 0x9E3779B97F4A7C15L;
        return (int) (mixed >>> 40) & mask;
    }
}
