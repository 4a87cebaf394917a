package org.vnetscope.ctf.internal;

import java.nio.ByteOrder;
import org.vnetscope.ctf.meta.ArrayType;
import org.vnetscope.ctf.meta.FloatType;

/**
 * Hands a scope's values to a {@link ValueVisitor} from where the decoder left them. Fields outside arrays are
 * read from the scope's value frame (the plan stored every value, string location, array position and selected
 * option there); array elements, of which the frame keeps only the last, are read again from their bytes, which
 * the plan has already bounds-checked. Allocates nothing but a scratch frame once per plan size.
 */
final class InPlaceWalker {
    private final DecodedRecord decoder;
    /** Values of fields inside the element being read, for lengths and tags that refer to them. */
    private long[] elementValues = new long[16];
    private long pos;
    private int frame;

    InPlaceWalker(DecodedRecord decoder) {
        this.decoder = decoder;
    }

    void walk(Plan plan, ValueVisitor visitor) {
        if (elementValues.length < plan.slotCount()) {
            elementValues = new long[plan.slotCount()];
        }
        frame = plan.frame;
        long[] values = decoder.values[plan.frame];
        long[] aux = decoder.aux[plan.frame];
        inFrame(plan.root, values, aux, visitor);
    }

    private void inFrame(Node node, long[] values, long[] aux, ValueVisitor visitor) {
        int slot = node.slot;
        switch (node.kind) {
            case Node.INT, Node.ENUM -> {
                if (node.integer.wide()) {
                    visitor.wideInteger(slot, Materializer.wideInteger(decoder, values[slot], node.integer));
                } else {
                    visitor.integer(slot, values[slot]);
                }
            }
            case Node.FLOAT -> visitor.floating(slot, floating((FloatType) node.type, values[slot]));
            case Node.STRING -> visitor.string(slot, decoder.buffer(), (int) values[slot], (int) aux[slot]);
            case Node.STRUCT -> {
                visitor.beginStruct(slot);
                for (Node child : node.children) {
                    inFrame(child, values, aux, visitor);
                }
                visitor.endStruct(slot);
            }
            case Node.VARIANT -> {
                int option = (int) values[slot];
                visitor.beginVariant(slot, option);
                inFrame(node.children[option], values, aux, visitor);
                visitor.endVariant(slot);
            }
            default -> elements(node, values[slot], aux[slot], visitor);
        }
    }

    private void elements(Node node, long start, long n, ValueVisitor visitor) {
        int slot = node.slot;
        boolean takesBytes = visitor.beginArray(slot, n);
        Node element = node.children[0];
        pos = PlanCompiler.roundUp(start, node.type.alignmentBits());
        if (takesBytes && element.integer != null && element.integer.sizeBits() == 8
                && element.type.alignmentBits() <= 8 && (pos & 7) == 0) {
            visitor.bytes(slot, decoder.buffer(), (int) (pos >>> 3), (int) n);
            pos += 8 * n;
        } else {
            for (long i = 0; i < n; i++) {
                visitor.element(slot, i);
                atPosition(element, visitor);
            }
        }
        visitor.endArray(slot);
    }

    /** Reads a field inside an array element at {@link #pos}, as the plan laid it out, and moves past it. */
    private void atPosition(Node node, ValueVisitor visitor) {
        int slot = node.slot;
        switch (node.kind) {
            case Node.INT, Node.ENUM -> {
                pos = PlanCompiler.roundUp(pos, node.type.alignmentBits());
                if (node.integer.variableLength()) {
                    long value = decoder.rereadVariableLength(pos, node.integer.signed());
                    pos = decoder.varintEnd();
                    elementValues[slot] = value;
                    visitor.integer(slot, value);
                    return;
                }
                int size = node.integer.sizeBits();
                if (node.integer.wide()) {
                    visitor.wideInteger(slot, Materializer.wideInteger(decoder, pos, node.integer));
                } else {
                    long value = decoder.readBits(pos, size, node.integer.byteOrder() == ByteOrder.BIG_ENDIAN);
                    if (node.integer.signed() && size < 64) {
                        value = (value << (64 - size)) >> (64 - size);
                    }
                    elementValues[slot] = value;
                    visitor.integer(slot, value);
                }
                pos += size;
            }
            case Node.FLOAT -> {
                pos = PlanCompiler.roundUp(pos, node.type.alignmentBits());
                FloatType type = (FloatType) node.type;
                long raw = decoder.readBits(pos, type.sizeBits(), type.byteOrder() == ByteOrder.BIG_ENDIAN);
                pos += type.sizeBits();
                visitor.floating(slot, floating(type, raw));
            }
            case Node.STRING -> {
                pos = PlanCompiler.roundUp(pos, 8);
                int start = (int) (pos >>> 3);
                int end = start;
                while (decoder.buffer().get(end) != 0) {
                    end++;
                }
                visitor.string(slot, decoder.buffer(), start, end - start);
                pos = (long) (end + 1) << 3;
            }
            case Node.STRUCT -> {
                pos = PlanCompiler.roundUp(pos, node.type.alignmentBits());
                visitor.beginStruct(slot);
                for (Node child : node.children) {
                    atPosition(child, visitor);
                }
                visitor.endStruct(slot);
            }
            case Node.VARIANT -> {
                int option = node.table.select(valueOf(node.ref));
                elementValues[slot] = option;
                visitor.beginVariant(slot, option);
                atPosition(node.children[option], visitor);
                visitor.endVariant(slot);
            }
            default -> {
                long n = node.kind == Node.ARRAY ? ((ArrayType) node.type).length() : valueOf(node.ref);
                elements(node, pos, n, visitor);
            }
        }
    }


    private long valueOf(Node.Ref ref) {
        return ref.scope() == frame && ref.target().inElement ? elementValues[ref.slot()] : decoder.values[ref.scope()][ref.slot()];
    }

    private static double floating(FloatType type, long raw) {
        return type.sizeBits() == 32 ? (double) Float.intBitsToFloat((int) raw) : Double.longBitsToDouble(raw);
    }
}
