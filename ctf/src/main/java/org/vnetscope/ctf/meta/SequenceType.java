package org.vnetscope.ctf.meta;

/**
 * A variable-length array whose length is an unsigned integer field decoded earlier.
 *
 * @param length     the resolved length reference (an unsigned integer field)
 * @param lengthText the reference as written in the metadata, for messages
 */
public record SequenceType(FieldType element, FieldRef length, String lengthText) implements FieldType {
    @Override
    public int alignmentBits() {
        return element.alignmentBits();
    }
}
