package org.vnetscope.ctf.meta;

import java.util.List;

/**
 * A structure: named fields in order. Its alignment is the largest of its fields' and of an explicit
 * {@code align(n)} attribute.
 */
public record StructType(List<Field> fields, int alignmentBits) implements FieldType {

    public StructType {
        fields = List.copyOf(fields);
    }

    /** Index of the field with this (unescaped) name, or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    public static final StructType EMPTY = new StructType(List.of(), 8);
}
