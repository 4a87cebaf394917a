package org.vnetscope.ctf.meta;

import java.util.List;

/**
 * A variant: one of several options, chosen by a field decoded earlier (the tag, or selector).
 *
 * <p>In CTF 1.8 the tag is an enumeration and the option whose name is the tag value's label is chosen
 * ({@code optionRanges} is empty). In CTF 2 the selector is an integer (an enumeration or not) and each option
 * lists the ranges of selector values that choose it ({@code optionRanges} has one list per option). An option
 * with an empty range list is chosen by every value that no other option's ranges hold: that is how a CTF 2
 * optional is modelled (a variant of an empty structure and the optional's field).
 *
 * @param tag          the resolved tag reference (an enumeration field; in CTF 2 an integer field)
 * @param tagText      the reference as written in the metadata, for messages
 * @param optionRanges per option, the selector value ranges that choose it; empty for CTF 1.8 label selection
 */
public record VariantType(FieldRef tag, String tagText, List<Field> options, List<List<Range>> optionRanges)
        implements FieldType {

    /**
     * An inclusive range of selector values, as raw 64-bit values: the selector's signedness says whether the
     * bounds compare signed or unsigned.
     */
    public record Range(long lower, long upper) {
    }

    public VariantType {
        options = List.copyOf(options);
        optionRanges = optionRanges.stream().map(List::copyOf).toList();
        if (!optionRanges.isEmpty() && optionRanges.size() != options.size()) {
            throw new IllegalArgumentException("one range list per option is needed, or none");
        }
    }

    /** A CTF 1.8 variant, selected by the tag's label. */
    public VariantType(FieldRef tag, String tagText, List<Field> options) {
        this(tag, tagText, options, List.of());
    }

    /** True when options are chosen by selector value ranges (CTF 2), false when by tag label (CTF 1.8). */
    public boolean selectsByRange() {
        return !optionRanges.isEmpty();
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
