package org.vnetscope.ctf;

import java.util.ArrayList;
import java.util.List;

/**
 * Field keys read together on many events ({@link Event#readLongs}): a network header's addresses, ports and ids,
 * say. An event class resolves the group once, and a read checks each variant option the fields lie in once,
 * where reading the fields one by one finds each field's place and checks its options again. Create groups once,
 * as constants; the members keep the order they were added in, which is the index of their value and of their bit.
 */
public final class FieldGroup {

    /** At most this many members: one bit each in what {@link Event#readLongs} returns, beside its sign bit. */
    public static final int MAX_MEMBERS = 63;

    private static int nextId;

    private final int id;
    private final FieldKey[] keys;
    /** Per member: 0 for an integer, else the length in bytes of the array of 8-bit integers it must be. */
    private final int[] byteLengths;

    private FieldGroup(FieldKey[] keys, int[] byteLengths) {
        this.id = next();
        this.keys = keys;
        this.byteLengths = byteLengths;
    }

    private static synchronized int next() {
        return nextId++;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Dense id, from 0, unique per group in this JVM. */
    public int id() {
        return id;
    }

    public int size() {
        return keys.length;
    }

    public FieldKey key(int member) {
        return keys[member];
    }

    /** 0 for an integer member, else the length of the byte array it reads as a number. */
    public int byteLength(int member) {
        return byteLengths[member];
    }

    /** Adds members in order; {@link #build()} makes the group. */
    public static final class Builder {
        private final List<FieldKey> keys = new ArrayList<>();
        private final List<Integer> byteLengths = new ArrayList<>();

        /** An integer or enumeration field, read as {@link Event#getLong} reads it. */
        public Builder integer(FieldKey key) {
            return add(key, 0);
        }

        /**
         * An array or sequence of 8-bit integers of exactly {@code length} elements (1 to 8: an IPv4 address, a
         * MAC), read as one unsigned number of its bytes in order, most significant first: the bytes
         * {@link Event#copyBytes} gives.
         */
        public Builder bytes(FieldKey key, int length) {
            if (length < 1 || length > Long.BYTES) {
                throw new IllegalArgumentException("a byte array read as a number has 1 to 8 bytes, not " + length);
            }
            return add(key, length);
        }

        private Builder add(FieldKey key, int byteLength) {
            if (keys.size() == MAX_MEMBERS) {
                throw new IllegalArgumentException("a field group has at most " + MAX_MEMBERS + " members");
            }
            keys.add(key);
            byteLengths.add(byteLength);
            return this;
        }

        public FieldGroup build() {
            int[] lengths = new int[byteLengths.size()];
            for (int i = 0; i < lengths.length; i++) {
                lengths[i] = byteLengths.get(i);
            }
            return new FieldGroup(keys.toArray(new FieldKey[0]), lengths);
        }
    }
}
