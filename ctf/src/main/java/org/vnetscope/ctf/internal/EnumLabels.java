package org.vnetscope.ctf.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.vnetscope.ctf.meta.EnumType;

/** The labels of an enumeration's values, computed once per distinct value. */
final class EnumLabels {
    private static final String[] NONE = new String[0];
    private static final int DIRECT = 256;

    private final EnumType type;
    private final boolean signed;
    private final String[][] small = new String[DIRECT][];
    private Map<Long, String[]> others;

    EnumLabels(EnumType type) {
        this.type = type;
        this.signed = type.container().signed();
    }

    /** The labels whose range holds this value (raw bits, signedness from the container); shared arrays. */
    String[] of(long value) {
        if (value >= 0 && value < DIRECT) {
            String[] known = small[(int) value];
            if (known == null) {
                known = compute(value);
                small[(int) value] = known;
            }
            return known;
        }
        if (others == null) {
            others = new HashMap<>();
        }
        return others.computeIfAbsent(value, this::compute);
    }

    private String[] compute(long value) {
        List<String> found = new ArrayList<>(1);
        for (EnumType.Mapping mapping : type.mappings()) {
            if (contains(mapping, value)) {
                found.add(mapping.label());
            }
        }
        return found.isEmpty() ? NONE : found.toArray(String[]::new);
    }

    boolean contains(EnumType.Mapping mapping, long value) {
        if (signed) {
            return mapping.lower() <= value && value <= mapping.upper();
        }
        return Long.compareUnsigned(mapping.lower(), value) <= 0 && Long.compareUnsigned(value, mapping.upper()) <= 0;
    }
}
