package org.vnetscope.ctf.meta;

import java.nio.ByteOrder;

/**
 * An integer of 1 to 64 bits, or a variable-length integer (CTF 2).
 *
 * @param sizeBits       size in bits, 1..{@link #MAX_SIZE_BITS}; integers wider than 64 bits are data only: they
 *                       cannot be enum containers, lengths, tags or clock values. For a variable-length integer:
 *                       64, the width of the decoded value
 * @param alignmentBits  alignment in bits, a power of two (8 for a variable-length integer)
 * @param signed         two's complement when true
 * @param byteOrder      concrete byte order ("native" already resolved to the trace's); meaningless for a
 *                       variable-length integer
 * @param base           preferred display base: 2, 8, 10 or 16
 * @param encoding       NONE, or a character encoding (arrays/sequences of such integers are text)
 * @param mappedClock    name of the clock this field's value updates, or null
 * @param variableLength true for a CTF 2 variable-length integer: unsigned LEB128, 7 value bits per byte, least
 *                       significant group first, the high bit of a byte set when another byte follows; a signed
 *                       one is sign-extended from the last value bit. Values must fit 64 bits
 */
public record IntegerType(int sizeBits, int alignmentBits, boolean signed, ByteOrder byteOrder, int base,
                          Encoding encoding, String mappedClock, boolean variableLength) implements FieldType {

    /** The widest integer accepted: CTF sets no limit, this keeps one integer within a 64 KiB packet. */
    public static final int MAX_SIZE_BITS = 1 << 19;

    /** A fixed-length integer. */
    public IntegerType(int sizeBits, int alignmentBits, boolean signed, ByteOrder byteOrder, int base,
                       Encoding encoding, String mappedClock) {
        this(sizeBits, alignmentBits, signed, byteOrder, base, encoding, mappedClock, false);
    }

    /** A variable-length integer. */
    public static IntegerType variableLength(boolean signed, int base, String mappedClock) {
        return new IntegerType(64, 8, signed, ByteOrder.LITTLE_ENDIAN, base, Encoding.NONE, mappedClock, true);
    }

    /** True when the value does not fit a Java long: it is decoded as a {@link java.math.BigInteger}. */
    public boolean wide() {
        return sizeBits > 64;
    }
}
