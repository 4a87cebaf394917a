package org.vnetscope.ctf.meta;

/**
 * A field class declared by a trace's metadata. Instances are immutable and fully resolved: byte orders are
 * concrete, typedefs and typealiases are expanded, and every alignment is in bits.
 */
public sealed interface FieldType
        permits IntegerType, FloatType, StringType, EnumType, StructType, VariantType, ArrayType, SequenceType {

    /** Alignment of the field's first bit, in bits (1 for bit-packed integers, at least 8 for strings). */
    int alignmentBits();
}
