package org.vnetscope.ctf.meta;

/** A NUL-terminated string, byte aligned. */
public record StringType(Encoding encoding) implements FieldType {
    @Override
    public int alignmentBits() {
        return 8;
    }
}
