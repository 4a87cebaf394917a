package org.vnetscope.ctf.meta;

import java.util.List;

/**
 * An enumeration: an integer container and labelled value ranges. Ranges may overlap and labels may repeat;
 * a value can therefore have zero, one or several labels.
 */
public record EnumType(IntegerType container, List<Mapping> mappings) implements FieldType {

    /**
     * A label and the inclusive range of container values it covers. For an unsigned 64-bit container the
     * bounds are stored as unsigned longs (compare with {@link Long#compareUnsigned}).
     */
    public record Mapping(String label, long lower, long upper) {
    }

    public EnumType {
        mappings = List.copyOf(mappings);
    }

    @Override
    public int alignmentBits() {
        return container.alignmentBits();
    }
}
