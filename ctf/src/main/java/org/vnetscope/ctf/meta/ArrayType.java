package org.vnetscope.ctf.meta;

/** A fixed-length array. */
public record ArrayType(FieldType element, int length) implements FieldType {
    @Override
    public int alignmentBits() {
        return element.alignmentBits();
    }
}
