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

    /**
     * The option a tag label selects, or -1. Labels keep their leading underscore while option names lose it
     * (CTF 1.8 escaping: the label {@code _ipv4} selects the option written {@code _ipv4}, named {@code ipv4}),
     * so a label selects the option of the same name, else the option named like the label without its first
     * underscore.
     */
    public int indexOf(String label) {
        for (int i = 0; i < options.size(); i++) {
            if (options.get(i).name().equals(label)) {
                return i;
            }
        }
        if (label.startsWith("_")) {
            String unescaped = label.substring(1);
            for (int i = 0; i < options.size(); i++) {
                if (options.get(i).name().equals(unescaped)) {
                    return i;
                }
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
