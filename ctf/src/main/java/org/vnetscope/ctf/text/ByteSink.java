package org.vnetscope.ctf.text;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * An output buffer of bytes with allocation-free appends for the text the printer produces: ASCII goes in byte
 * by byte, anything else as UTF-8. The owner hands complete lines to the stream with {@link #flushIfFull()}, so a
 * multi-byte character is never split between two writes.
 */
final class ByteSink {

    private static final int FLUSH_THRESHOLD = 192 * 1024;

    private final OutputStream out;
    private byte[] buffer = new byte[256 * 1024];
    private int length;
    private final byte[] digits = new byte[24];
    private static final byte[] HEX_DIGITS = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    ByteSink(OutputStream out) {
        this.out = out;
    }

    private void reserve(int more) {
        if (length + more > buffer.length) {
            grow(more);
        }
    }

    private void grow(int more) {
        byte[] larger = new byte[Math.max(buffer.length * 2, length + more)];
        System.arraycopy(buffer, 0, larger, 0, length);
        buffer = larger;
    }

    void append(char asciiChar) {
        reserve(1);
        buffer[length++] = (byte) asciiChar;
    }

    void append(byte[] bytes) {
        reserve(bytes.length);
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }

    /** Appends text as UTF-8 (ASCII fast path). */
    void append(String text) {
        int count = text.length();
        reserve(count);
        for (int i = 0; i < count; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                append(text.substring(i).getBytes(StandardCharsets.UTF_8));
                return;
            }
            buffer[length++] = (byte) c;
        }
    }

    /**
     * The first {@code count} bytes of {@code ascii}, all below 0x80, between double quotes, each byte replaced by
     * its escape sequence when {@code escapes} has one.
     */
    void appendQuotedAscii(byte[] ascii, int count, byte[][] escapes) {
        reserve(4 * count + 2);
        byte[] to = buffer;
        int at = length;
        to[at++] = '"';
        for (int i = 0; i < count; i++) {
            byte c = ascii[i];
            byte[] escape = escapes[c];
            if (escape == null) {
                to[at++] = c;
            } else {
                for (byte b : escape) {
                    to[at++] = b;
                }
            }
        }
        to[at++] = '"';
        length = at;
    }

    void appendSigned(long value) {
        if (value < 0) {
            append('-');
            if (value == Long.MIN_VALUE) {
                append("9223372036854775808");
                return;
            }
            value = -value;
        }
        appendUnsigned(value);
    }

    void appendUnsigned(long value) {
        appendUnsignedPadded(value, 1);
    }

    /**
     * Unsigned decimal, left-padded with zeros to at least {@code width} digits. Divisions by constants are done
     * by multiplying with a reciprocal: the C1 compiler the launcher uses would emit a hardware division per digit.
     */
    void appendUnsignedPadded(long value, int width) {
        byte[] digits = this.digits;
        int position = digits.length;
        while (value < 0 || value > 0xFFFFFFFFL) {
            long high = Long.divideUnsigned(value, 100_000_000L);
            long low = value - high * 100_000_000L;
            for (int i = 0; i < 8; i++) {
                long quotient = (low * 0xCCCCCCCDL) >>> 35;
                digits[--position] = (byte) ('0' + (low - quotient * 10));
                low = quotient;
            }
            value = high;
        }
        do {
            long quotient = (value * 0xCCCCCCCDL) >>> 35;
            digits[--position] = (byte) ('0' + (value - quotient * 10));
            value = quotient;
        } while (value != 0);
        int written = digits.length - position;
        reserve(Math.max(width, written));
        byte[] to = buffer;
        int at = length;
        for (int i = written; i < width; i++) {
            to[at++] = '0';
        }
        System.arraycopy(digits, position, to, at, written);
        length = at + written;
    }

    /** Digits of an unsigned value in base 8 or 16 (upper case), no prefix. */
    void appendRadix(long value, int shift) {
        byte[] digits = this.digits;
        int mask = (1 << shift) - 1;
        int position = digits.length;
        do {
            digits[--position] = HEX_DIGITS[(int) (value & mask)];
            value >>>= shift;
        } while (value != 0);
        int written = digits.length - position;
        reserve(written);
        System.arraycopy(digits, position, buffer, length, written);
        length += written;
    }

    int length() {
        return length;
    }

    /** Forgets everything after {@code mark}, a value {@link #length()} returned. */
    void truncate(int mark) {
        length = mark;
    }

    /** Writes the buffer out when it is large enough that a write is worth it; call between lines only. */
    void flushIfFull() {
        if (length >= FLUSH_THRESHOLD) {
            flush();
        }
    }

    void flush() {
        try {
            out.write(buffer, 0, length);
            length = 0;
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
