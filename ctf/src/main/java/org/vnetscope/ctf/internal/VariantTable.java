package org.vnetscope.ctf.internal;

import java.util.ArrayList;
import java.util.List;
import org.vnetscope.ctf.meta.EnumType;
import org.vnetscope.ctf.meta.IntegerType;
import org.vnetscope.ctf.meta.VariantType;

/**
 * Selection of a variant option from its tag's value: label ranges (CTF 1.8) or selector ranges (CTF 2) mapped to
 * option indexes, with a direct table for small tag values (the LTTng event header tags are all below 32, or
 * below 65536).
 */
final class VariantTable {
    static final int NO_LABEL = -1;
    static final int NO_OPTION = -2;
    private static final int DIRECT = 1024;

    private final boolean signed;
    private final long[] lower;
    private final long[] upper;
    private final int[] option;
    private final String[] label;
    private final int[] direct;
    /** The option chosen by values no range holds (a CTF 2 optional's absent state), else {@link #NO_LABEL}. */
    private final int fallback;
    /** True when options are chosen by selector ranges rather than by tag labels. */
    final boolean byRange;
    /** Program counter of each option's first operation. */
    final int[] optionStart;

    VariantTable(VariantType variant, EnumType tag) {
        signed = tag.container().signed();
        List<EnumType.Mapping> mappings = new ArrayList<>(tag.mappings());
        lower = new long[mappings.size()];
        upper = new long[mappings.size()];
        option = new int[mappings.size()];
        label = new String[mappings.size()];
        for (int i = 0; i < mappings.size(); i++) {
            EnumType.Mapping mapping = mappings.get(i);
            lower[i] = mapping.lower();
            upper[i] = mapping.upper();
            label[i] = mapping.label();
            int index = variant.indexOf(mapping.label());
            option[i] = index < 0 ? NO_OPTION : index;
        }
        fallback = NO_LABEL;
        byRange = false;
        direct = directTable();
        optionStart = new int[variant.options().size()];
    }

    /** A CTF 2 variant: {@code selector} is the integer (or enumeration container) it reads. */
    VariantTable(VariantType variant, IntegerType selector) {
        signed = selector.signed();
        List<long[]> ranges = new ArrayList<>();
        List<Integer> options = new ArrayList<>();
        int defaultOption = NO_LABEL;
        for (int o = 0; o < variant.options().size(); o++) {
            List<VariantType.Range> optionRanges = variant.optionRanges().get(o);
            if (optionRanges.isEmpty()) {
                defaultOption = o;
            }
            for (VariantType.Range range : optionRanges) {
                ranges.add(new long[] {range.lower(), range.upper()});
                options.add(o);
            }
        }
        lower = new long[ranges.size()];
        upper = new long[ranges.size()];
        option = new int[ranges.size()];
        label = new String[ranges.size()];
        for (int i = 0; i < ranges.size(); i++) {
            lower[i] = ranges.get(i)[0];
            upper[i] = ranges.get(i)[1];
            option[i] = options.get(i);
            label[i] = variant.options().get(option[i]).name();
        }
        fallback = defaultOption;
        byRange = true;
        direct = directTable();
        optionStart = new int[variant.options().size()];
    }

    private int[] directTable() {
        int[] table = new int[DIRECT];
        for (int value = 0; value < DIRECT; value++) {
            table[value] = lookup(value);
        }
        return table;
    }

    /** The option index for a tag value, or {@link #NO_LABEL} / {@link #NO_OPTION}. */
    int select(long value) {
        if (value >= 0 && value < DIRECT) {
            return direct[(int) value];
        }
        return lookup(value);
    }

    private int lookup(long value) {
        int found = NO_LABEL;
        for (int i = 0; i < lower.length; i++) {
            boolean inside = signed ? lower[i] <= value && value <= upper[i]
                    : Long.compareUnsigned(lower[i], value) <= 0 && Long.compareUnsigned(value, upper[i]) <= 0;
            if (inside) {
                if (option[i] >= 0) {
                    return option[i];
                }
                found = NO_OPTION;
            }
        }
        return found == NO_LABEL ? fallback : found;
    }

    /** The first label of a value, for messages. */
    String labelOf(long value) {
        for (int i = 0; i < lower.length; i++) {
            boolean inside = signed ? lower[i] <= value && value <= upper[i]
                    : Long.compareUnsigned(lower[i], value) <= 0 && Long.compareUnsigned(value, upper[i]) <= 0;
            if (inside) {
                return label[i];
            }
        }
        return null;
    }
}
