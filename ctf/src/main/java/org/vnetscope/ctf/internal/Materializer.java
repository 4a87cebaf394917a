package org.vnetscope.ctf.internal;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.meta.ArrayType;
import org.vnetscope.ctf.meta.FloatType;
import org.vnetscope.ctf.meta.IntegerType;

/**
 * Decodes a scope again, field by field, into Java objects (see {@link Event#scope}). Slow and allocating: for
 * printers and tests. It reads bytes the plan has already validated, so it needs no bounds checks of its own.
 */
final class Materializer {
    private final DecodedRecord decoder;
    private final Plan plan;
    /** This scope's values as decoded so far, for references into the scope itself. */
    private final long[] own;
    private long pos;

    Materializer(DecodedRecord decoder, Plan plan, long start) {
        this.decoder = decoder;
        this.plan = plan;
        this.own = new long[plan.slotCount()];
        this.pos = start;
    }

    Object decode(Node node) {
        int alignment = node.type.alignmentBits();
        switch (node.kind) {
            case Node.INT, Node.ENUM -> {
                pos = PlanCompiler.roundUp(pos, alignment);
                if (node.integer.variableLength()) {
                    long value = decoder.rereadVariableLength(pos, node.integer.signed());
                    pos = decoder.varintEnd();
                    own[node.slot] = value;
                    return value;
                }
                int size = node.integer.sizeBits();
                if (node.integer.wide()) {
                    java.math.BigInteger wide = wideInteger(decoder, pos, node.integer);
                    pos += size;
                    return wide;
                }
                long value = decoder.readBits(pos, size, node.integer.byteOrder() == ByteOrder.BIG_ENDIAN);
                if (node.integer.signed() && size < 64) {
                    value = (value << (64 - size)) >> (64 - size);
                }
                pos += size;
                own[node.slot] = value;
                return value;
            }
            case Node.FLOAT -> {
                pos = PlanCompiler.roundUp(pos, alignment);
                FloatType type = (FloatType) node.type;
                int size = type.sizeBits();
                long raw = decoder.readBits(pos, size, type.byteOrder() == ByteOrder.BIG_ENDIAN);
                pos += size;
                return size == 32 ? (double) Float.intBitsToFloat((int) raw) : Double.longBitsToDouble(raw);
            }
            case Node.STRING -> {
                pos = PlanCompiler.roundUp(pos, 8);
                int start = (int) (pos >>> 3);
                int end = start;
                while (decoder.buffer().get(end) != 0) {
                    end++;
                }
                byte[] bytes = new byte[end - start];
                decoder.buffer().get(start, bytes);
                pos = (long) (end + 1) << 3;
                return new String(bytes, StandardCharsets.UTF_8);
            }
            case Node.STRUCT -> {
                pos = PlanCompiler.roundUp(pos, alignment);
                Object[] fields = new Object[node.children.length];
                for (int i = 0; i < fields.length; i++) {
                    fields[i] = decode(node.children[i]);
                }
                return fields;
            }
            case Node.VARIANT -> {
                int option = node.table.select(valueOf(node.ref));
                own[node.slot] = option;
                return new Event.VariantValue(option, decode(node.children[option]));
            }
            default -> {
                long n = node.kind == Node.ARRAY ? ((ArrayType) node.type).length() : valueOf(node.ref);
                Object[] elements = new Object[(int) n];
                pos = PlanCompiler.roundUp(pos, alignment);
                for (int i = 0; i < elements.length; i++) {
                    elements[i] = decode(node.children[0]);
                }
                return elements;
            }
        }
    }


    private long valueOf(Node.Ref ref) {
        return ref.scope() == plan.scope.ordinal() ? own[ref.slot()] : decoder.values[ref.scope()][ref.slot()];
    }

    /** Reads an integer of more than 64 bits in 64-bit chunks, in the bit order of its byte order. */
    static java.math.BigInteger wideInteger(DecodedRecord decoder, long at, IntegerType type) {
        int size = type.sizeBits();
        boolean bigEndian = type.byteOrder() == ByteOrder.BIG_ENDIAN;
        java.math.BigInteger value = java.math.BigInteger.ZERO;
        for (int done = 0; done < size; done += 64) {
            int chunk = Math.min(64, size - done);
            java.math.BigInteger part = new java.math.BigInteger(Long.toUnsignedString(
                    decoder.readBits(at + done, chunk, bigEndian)));
            value = bigEndian ? value.shiftLeft(chunk).or(part) : value.or(part.shiftLeft(done));
        }
        if (type.signed() && value.testBit(size - 1)) {
            value = value.subtract(java.math.BigInteger.ONE.shiftLeft(size));
        }
        return value;
    }
}
