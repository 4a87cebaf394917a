package org.vnetscope.ctf.meta;

/**
 * A variable-length array whose length is an unsigned integer field decoded earlier.
 *
 * @param lengthPath the length reference as written in the metadata; resolved when the decoder is built
 */
public record SequenceType(FieldType element, String lengthPath) implements FieldType {
    @Override
    public int alignmentBits() {
        return element.alignmentBits();
    }
}
