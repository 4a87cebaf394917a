package org.vnetscope.ctf.internal;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Writes CTF bit layouts for hand-built streams, bit by bit, independently of the reader: little-endian fields
 * fill each byte from its least significant bit, big-endian fields from its most significant bit.
 */
final class BitWriter {
    private byte[] bytes = new byte[64];
    private long pos;

    BitWriter align(int bits) {
        pos = (pos + bits - 1) / bits * bits;
        ensure(pos);
        return this;
    }

    BitWriter le(long value, int size) {
        for (int i = 0; i < size; i++) {
            set(pos + i, (value >>> i & 1) != 0, false);
        }
        pos += size;
        return this;
    }

    BitWriter be(long value, int size) {
        for (int i = 0; i < size; i++) {
            set(pos + i, (value >>> (size - 1 - i) & 1) != 0, true);
        }
        pos += size;
        return this;
    }

    BitWriter write(long value, int size, boolean bigEndian) {
        return bigEndian ? be(value, size) : le(value, size);
    }

    BitWriter u8(int value) {
        return align(8).le(value, 8);
    }

    BitWriter u32(long value) {
        return align(8).le(value, 32);
    }

    BitWriter u64(long value) {
        return align(8).le(value, 64);
    }

    BitWriter string(String text) {
        align(8);
        for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            le(b, 8);
        }
        return le(0, 8);
    }

    BitWriter raw(byte[] data) {
        align(8);
        for (byte b : data) {
            le(b, 8);
        }
        return this;
    }

    /** Pads with zero bits up to a total size in bits. */
    BitWriter padTo(long bits) {
        ensure(bits);
        pos = bits;
        return this;
    }

    long position() {
        return pos;
    }

    byte[] bytes() {
        return Arrays.copyOf(bytes, (int) ((pos + 7) / 8));
    }

    private void set(long bit, boolean one, boolean fromMostSignificant) {
        ensure(bit + 1);
        if (one) {
            int shift = fromMostSignificant ? 7 - (int) (bit & 7) : (int) (bit & 7);
            bytes[(int) (bit >>> 3)] |= (byte) (1 << shift);
        }
    }

    private void ensure(long bits) {
        int need = (int) ((bits + 7) / 8);
        if (need > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(need, bytes.length * 2));
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
