package org.vnetscope.ctf.meta;

import java.util.List;

/**
 * A variant: one of several options, chosen by the label of an enumeration field (the tag) decoded earlier.
 *
 * @param tag     the resolved tag reference (an enumeration field)
 * @param tagText the reference as written in the metadata, for messages
 */
public record VariantType(FieldRef tag, String tagText, List<Field> options) implements FieldType {

    public VariantType {
        options = List.copyOf(options);
    }

    public int indexOf(String label) {
        for (int i = 0; i < options.size(); i++) {
            if (options.get(i).name().equals(label)) {
                return i;
            }
        }
        return -1;
    }

    /** A variant is not aligned itself: the selected option is. */
    @Override
    public int alignmentBits() {
        return 1;
    }
}
