package org.vnetscope.ctf.meta;

import java.nio.ByteOrder;

/**
 * An IEEE 754 floating point number; CTF's exp_dig/mant_dig (mant_dig counts the implicit bit).
 * Only 32-bit (8/24) and 64-bit (11/53) layouts are decodable.
 */
public record FloatType(int exponentDigits, int mantissaDigits, int alignmentBits, ByteOrder byteOrder)
        implements FieldType {

    public int sizeBits() {
        return exponentDigits + mantissaDigits;
    }
}
