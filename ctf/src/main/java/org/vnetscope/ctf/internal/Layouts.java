package org.vnetscope.ctf.internal;

import java.util.List;
import java.util.Objects;
import org.vnetscope.ctf.meta.ArrayType;
import org.vnetscope.ctf.meta.EnumType;
import org.vnetscope.ctf.meta.Field;
import org.vnetscope.ctf.meta.FieldRef;
import org.vnetscope.ctf.meta.FieldType;
import org.vnetscope.ctf.meta.FloatType;
import org.vnetscope.ctf.meta.IntegerType;
import org.vnetscope.ctf.meta.SequenceType;
import org.vnetscope.ctf.meta.StringType;
import org.vnetscope.ctf.meta.StructType;
import org.vnetscope.ctf.meta.VariantType;

/**
 * Equality and hash of declared field types, component by component, for {@link PlanCompiler.Interned}: what the
 * records' own equals and hashCode give, written out. The records' methods are built through method handles on
 * first use, which costs a cold start more than all the comparisons of a kernel trace's thousand event classes;
 * and a type shared by several declarations (the parser shares them) is recognised by identity first. Every
 * component of every field type record takes part (LayoutsTest checks the list against the records).
 */
final class Layouts {
    private Layouts() {
    }

    static int hash(FieldType type) {
        if (type instanceof StructType struct) {
            int hash = struct.alignmentBits();
            for (Field field : struct.fields()) {
                hash = hash * 31 + field.name().hashCode();
                hash = hash * 31 + hash(field.type());
            }
            return hash;
        } else if (type instanceof IntegerType integer) {
            return ((integer.sizeBits() * 31 + integer.alignmentBits()) * 31 + integer.base()) * 4
                    + (integer.signed() ? 2 : 0) + (integer.variableLength() ? 1 : 0);
        } else if (type instanceof EnumType enumeration) {
            return hash(enumeration.container()) * 31 + enumeration.mappings().size();
        } else if (type instanceof StringType string) {
            return string.encoding().ordinal();
        } else if (type instanceof ArrayType array) {
            return hash(array.element()) * 31 + array.length();
        } else if (type instanceof SequenceType sequence) {
            return hash(sequence.element()) * 31 + sequence.lengthText().hashCode();
        } else if (type instanceof VariantType variant) {
            int hash = variant.tagText().hashCode();
            for (Field option : variant.options()) {
                hash = hash * 31 + option.name().hashCode();
                hash = hash * 31 + hash(option.type());
            }
            return hash;
        } else if (type instanceof FloatType floating) {
            return (floating.exponentDigits() * 31 + floating.mantissaDigits()) * 31 + floating.alignmentBits();
        }
        throw new IllegalArgumentException("unknown field type " + type);
    }

    static boolean same(FieldType a, FieldType b) {
        if (a == b) {
            return true;
        }
        if (a instanceof StructType x) {
            return b instanceof StructType y && x.alignmentBits() == y.alignmentBits() && sameFields(x.fields(), y.fields());
        } else if (a instanceof IntegerType x) {
            return b instanceof IntegerType y && x.sizeBits() == y.sizeBits() && x.alignmentBits() == y.alignmentBits()
                    && x.signed() == y.signed() && x.byteOrder() == y.byteOrder() && x.base() == y.base()
                    && x.encoding() == y.encoding() && Objects.equals(x.mappedClock(), y.mappedClock())
                    && x.variableLength() == y.variableLength();
        } else if (a instanceof EnumType x) {
            return b instanceof EnumType y && same(x.container(), y.container()) && sameMappings(x.mappings(), y.mappings());
        } else if (a instanceof StringType x) {
            return b instanceof StringType y && x.encoding() == y.encoding();
        } else if (a instanceof ArrayType x) {
            return b instanceof ArrayType y && x.length() == y.length() && same(x.element(), y.element());
        } else if (a instanceof SequenceType x) {
            return b instanceof SequenceType y && x.lengthText().equals(y.lengthText()) && sameRef(x.length(), y.length())
                    && same(x.element(), y.element());
        } else if (a instanceof VariantType x) {
            return b instanceof VariantType y && x.tagText().equals(y.tagText()) && sameRef(x.tag(), y.tag())
                    && sameFields(x.options(), y.options()) && sameRanges(x.optionRanges(), y.optionRanges());
        } else if (a instanceof FloatType x) {
            return b instanceof FloatType y && x.exponentDigits() == y.exponentDigits()
                    && x.mantissaDigits() == y.mantissaDigits() && x.alignmentBits() == y.alignmentBits()
                    && x.byteOrder() == y.byteOrder();
        }
        throw new IllegalArgumentException("unknown field type " + a);
    }

    private static boolean sameFields(List<Field> a, List<Field> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Field x = a.get(i);
            Field y = b.get(i);
            if (x != y && (!x.name().equals(y.name()) || !same(x.type(), y.type()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameMappings(List<EnumType.Mapping> a, List<EnumType.Mapping> b) {
        if (a == b) {
            return true;
        }
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            EnumType.Mapping x = a.get(i);
            EnumType.Mapping y = b.get(i);
            if (x != y && (x.lower() != y.lower() || x.upper() != y.upper() || !x.label().equals(y.label()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameRanges(List<List<VariantType.Range>> a, List<List<VariantType.Range>> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            List<VariantType.Range> x = a.get(i);
            List<VariantType.Range> y = b.get(i);
            if (x.size() != y.size()) {
                return false;
            }
            for (int j = 0; j < x.size(); j++) {
                if (x.get(j).lower() != y.get(j).lower() || x.get(j).upper() != y.get(j).upper()) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean sameRef(FieldRef a, FieldRef b) {
        return a == b || a != null && b != null && a.scope() == b.scope() && a.path().equals(b.path());
    }
}
