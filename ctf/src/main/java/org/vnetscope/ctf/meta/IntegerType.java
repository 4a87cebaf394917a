package org.vnetscope.ctf.meta;

import java.nio.ByteOrder;

/**
 * An integer of 1 to 64 bits.
 *
 * @param sizeBits      size in bits, 1..{@link #MAX_SIZE_BITS}; integers wider than 64 bits are data only: they
 *                      cannot be enum containers, lengths, tags or clock values
 * @param alignmentBits alignment in bits, a power of two
 * @param signed        two's complement when true
 * @param byteOrder     concrete byte order ("native" already resolved to the trace's)
 * @param base          preferred display base: 2, 8, 10 or 16
 * @param encoding      NONE, or a character encoding (arrays/sequences of such integers are text)
 * @param mappedClock   name of the clock this field's value updates, or null
 */
public record IntegerType(int sizeBits, int alignmentBits, boolean signed, ByteOrder byteOrder, int base,
                          Encoding encoding, String mappedClock) implements FieldType {

    /** The widest integer accepted: CTF sets no limit, this keeps one integer within a 64 KiB packet. */
    public static final int MAX_SIZE_BITS = 1 << 19;

    /** True when the value does not fit a Java long: it is decoded as a {@link java.math.BigInteger}. */
    public boolean wide() {
        return sizeBits > 64;
    }
}
