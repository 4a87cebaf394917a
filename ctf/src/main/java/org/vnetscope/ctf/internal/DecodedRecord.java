package org.vnetscope.ctf.internal;

import java.nio.MappedByteBuffer;
import org.vnetscope.ctf.Discard;
import org.vnetscope.ctf.Scope;
import org.vnetscope.ctf.StreamFile;

/**
 * A decoded record (an event or a discard) as the {@link EventView} reads it: its value frames, the plans that
 * lay them out, and the mapped bytes its strings and arrays lie in. A {@link StreamDecoder} is the record it
 * decoded last, overwritten by the next one; a {@link ReadAhead} keeps the records it decoded ahead in records of
 * their own, which hold that decoder's frames as they were (the decoder goes on in other frames). The view reads
 * either through the same code, so a record read ahead answers every question as its decoder would have.
 */
class DecodedRecord {
    static final int SCOPES = Scope.values().length;

    CompiledTrace trace;
    /** The stream class of the packet the record lies in. */
    CompiledTrace.Stream streamClass;
    /** Decoded values by scope ordinal then slot; second words (string/array lengths) in {@link #aux}. */
    long[][] values = new long[SCOPES][];
    long[][] aux = new long[SCOPES][];
    /** Bit position where each scope of the current packet / event starts. */
    final long[] scopeStart = new long[SCOPES];

    // The mapped window the record lies in: byte positions in the frames are relative to its start. Typed as mapped
    // buffers, whose getters have one implementation: C1 then calls them directly instead of through the vtable.
    MappedByteBuffer le;
    MappedByteBuffer be;
    /** The window's address for {@link RawMemory}'s reads (0 where reads go through the buffers). */
    long address;
    long windowLength;

    /** {@link StreamDecoder#EVENT} or {@link StreamDecoder#DISCARD}. */
    int kind;
    CompiledTrace.Event event;
    long cycles;
    long timestampNs;
    Discard discard;
    /** The stream the record comes from. */
    StreamFile file;

    /** Bit position after the last variable-length integer read again by {@link #rereadVariableLength}. */
    long varintEnd;

    private InPlaceWalker walker;

    // Reads of the window at a byte index the caller checked against windowLength, as the buffers would have.

    final byte byteAt(int index) {
        return RawMemory.AVAILABLE ? RawMemory.getByte(address + index) : le.get(index);
    }

    final short shortLe(int index) {
        return RawMemory.AVAILABLE ? RawMemory.getShort(address + index) : le.getShort(index);
    }

    final int intLe(int index) {
        return RawMemory.AVAILABLE ? RawMemory.getInt(address + index) : le.getInt(index);
    }

    final long longLe(int index) {
        return RawMemory.AVAILABLE ? RawMemory.getLong(address + index) : le.getLong(index);
    }

    final short shortBe(int index) {
        return RawMemory.AVAILABLE ? Short.reverseBytes(RawMemory.getShort(address + index)) : be.getShort(index);
    }

    final int intBe(int index) {
        return RawMemory.AVAILABLE ? Integer.reverseBytes(RawMemory.getInt(address + index)) : be.getInt(index);
    }

    final long longBe(int index) {
        return RawMemory.AVAILABLE ? Long.reverseBytes(RawMemory.getLong(address + index)) : be.getLong(index);
    }

    /**
     * Reads {@code size} bits (1..64) at a bit position of the window, unsigned. Little-endian fields take bits
     * from the least significant end of each byte; big-endian ones from the most significant end (CTF 1.8).
     */
    final long readBits(long bitPos, int size, boolean bigEndian) {
        int index = (int) (bitPos >>> 3);
        int shift = (int) (bitPos & 7);
        if (shift + size <= 64 && index + 8 <= windowLength) {
            if (bigEndian) {
                long word = longBe(index);
                return (word << shift) >>> (64 - size);
            }
            long word = longLe(index) >>> shift;
            return size == 64 ? word : word & ((1L << size) - 1);
        }
        long value = 0;
        int got = 0;
        int bitInByte = shift;
        while (got < size) {
            int b = byteAt(index++) & 0xFF;
            int take = Math.min(8 - bitInByte, size - got);
            if (bigEndian) {
                long chunk = (b >>> (8 - bitInByte - take)) & ((1 << take) - 1);
                value = (value << take) | chunk;
            } else {
                long chunk = (b >>> bitInByte) & ((1 << take) - 1);
                value |= chunk << got;
            }
            got += take;
            bitInByte = 0;
        }
        return value;
    }

    /**
     * Reads again a variable-length integer that the plan already checked (for printers and materializers, which
     * walk decoded data a second time); {@link #varintEnd()} is then the bit position after it.
     */
    final long rereadVariableLength(long pos, boolean signed) {
        long value = 0;
        int shift = 0;
        long at = pos;
        int b;
        do {
            b = byteAt((int) (at >>> 3)) & 0xFF;
            at += 8;
            value |= (long) (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        varintEnd = at;
        return signed && shift < 64 ? (value << (64 - shift)) >> (64 - shift) : value;
    }

    final long varintEnd() {
        return varintEnd;
    }

    /** The mapped stream, little-endian whatever the trace's byte order (readers of several bytes rely on it). */
    final MappedByteBuffer buffer() {
        return le;
    }

    /** This record's walker of values in place, made on first use. */
    final InPlaceWalker walker() {
        if (walker == null) {
            walker = new InPlaceWalker(this);
        }
        return walker;
    }

    final Plan plan(int scope) {
        return switch (scope) {
            case 0 -> trace.packetHeader;
            case 1 -> streamClass.packetContext;
            case 2 -> streamClass.eventHeader;
            case 3 -> streamClass.eventContext;
            case 4 -> event.context;
            default -> event.payload;
        };
    }
}
