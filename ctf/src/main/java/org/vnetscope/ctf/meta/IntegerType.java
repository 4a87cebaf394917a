package org.vnetscope.ctf.meta;

import java.nio.ByteOrder;

/**
 * An integer of 1 to 64 bits.
 *
 * @param sizeBits      size in bits, 1..64
 * @param alignmentBits alignment in bits, a power of two
 * @param signed        two's complement when true
 * @param byteOrder     concrete byte order ("native" already resolved to the trace's)
 * @param base          preferred display base: 2, 8, 10 or 16
 * @param encoding      NONE, or a character encoding (arrays/sequences of such integers are text)
 * @param mappedClock   name of the clock this field's value updates, or null
 */
public record IntegerType(int sizeBits, int alignmentBits, boolean signed, ByteOrder byteOrder, int base,
                          Encoding encoding, String mappedClock) implements FieldType {
}
