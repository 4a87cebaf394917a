package org.vnetscope.ctf.internal.tsdl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.vnetscope.ctf.CtfException;

/**
 * The TSDL text of a metadata file, plain or packetized, with the map from text positions back to file offsets.
 * The text holds one char per byte (ISO-8859-1) so that positions map to bytes exactly; string literals are
 * decoded as UTF-8 by the lexer.
 */
final class MetadataText {

    static final int PACKET_MAGIC = 0x75D11D57;
    /** magic, uuid[16], checksum, content_size, packet_size, compression, encryption, checksum scheme, major, minor */
    static final int PACKET_HEADER_BYTES = 4 + 16 + 4 + 4 + 4 + 1 + 1 + 1 + 1 + 1;

    final Path file;
    final String text;
    /** The text's chars as bytes (ISO-8859-1), which the lexer scans. */
    final byte[] bytes;
    /** Byte order of the metadata packets, or null for plain text. */
    final ByteOrder packetByteOrder;
    private final int[] segmentTextStart;
    private final long[] segmentFileStart;

    private MetadataText(Path file, byte[] bytes, ByteOrder packetByteOrder, int[] segmentTextStart,
                         long[] segmentFileStart) {
        this.file = file;
        this.bytes = bytes;
        this.text = new String(bytes, StandardCharsets.ISO_8859_1);
        this.packetByteOrder = packetByteOrder;
        this.segmentTextStart = segmentTextStart;
        this.segmentFileStart = segmentFileStart;
    }

    static MetadataText read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CtfException(file, -1, "cannot read metadata: " + e.getMessage(), e);
        }
        ByteOrder order = packetOrder(bytes);
        if (order == null) {
            return new MetadataText(file, bytes, null, new int[] {0}, new long[] {0});
        }
        return depacketize(file, bytes, order);
    }

    private static ByteOrder packetOrder(byte[] bytes) {
        if (bytes.length < 4) {
            return null;
        }
        int magic = ByteBuffer.wrap(bytes, 0, 4).order(ByteOrder.BIG_ENDIAN).getInt();
        if (magic == PACKET_MAGIC) {
            return ByteOrder.BIG_ENDIAN;
        }
        return Integer.reverseBytes(magic) == PACKET_MAGIC ? ByteOrder.LITTLE_ENDIAN : null;
    }

    private static MetadataText depacketize(Path file, byte[] bytes, ByteOrder order) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(order);
        byte[] text = new byte[bytes.length];
        int textLength = 0;
        int[] textStarts = new int[16];
        long[] fileStarts = new long[16];
        int segments = 0;
        int offset = 0;
        while (offset < bytes.length) {
            if (bytes.length - offset < PACKET_HEADER_BYTES) {
                throw new CtfException(file, offset, "truncated metadata packet header: expected "
                        + PACKET_HEADER_BYTES + " bytes, found " + (bytes.length - offset));
            }
            if (buffer.getInt(offset) != PACKET_MAGIC) {
                throw new CtfException(file, offset, "expected metadata packet magic 0x75D11D57 in "
                        + order + " byte order");
            }
            long contentBits = Integer.toUnsignedLong(buffer.getInt(offset + 24));
            long packetBits = Integer.toUnsignedLong(buffer.getInt(offset + 28));
            int compression = bytes[offset + 32];
            int encryption = bytes[offset + 33];
            int checksumScheme = bytes[offset + 34];
            int major = bytes[offset + 35] & 0xFF;
            int minor = bytes[offset + 36] & 0xFF;
            if (major != 1 || minor != 8) {
                throw new CtfException(file, offset + 35, "unsupported metadata packet version " + major + "."
                        + minor + ": expected 1.8");
            }
            if (compression != 0 || encryption != 0 || checksumScheme != 0) {
                throw new CtfException(file, offset + 32, "compressed, encrypted or checksummed metadata "
                        + "packets are not supported: expected scheme bytes 0, 0, 0");
            }
            if (contentBits % 8 != 0 || packetBits % 8 != 0 || contentBits < PACKET_HEADER_BYTES * 8L
                    || contentBits > packetBits || packetBits / 8 > bytes.length - offset) {
                throw new CtfException(file, offset + 24, "invalid metadata packet sizes: content " + contentBits
                        + " bits, packet " + packetBits + " bits, " + (bytes.length - offset)
                        + " bytes left in the file");
            }
            int payloadStart = offset + PACKET_HEADER_BYTES;
            int payloadEnd = offset + (int) (contentBits / 8);
            if (segments == textStarts.length) {
                textStarts = Arrays.copyOf(textStarts, segments * 2);
                fileStarts = Arrays.copyOf(fileStarts, segments * 2);
            }
            textStarts[segments] = textLength;
            fileStarts[segments] = payloadStart;
            segments++;
            System.arraycopy(bytes, payloadStart, text, textLength, payloadEnd - payloadStart);
            textLength += payloadEnd - payloadStart;
            offset += (int) (packetBits / 8);
        }
        return new MetadataText(file, Arrays.copyOf(text, textLength), order, Arrays.copyOf(textStarts, segments),
                Arrays.copyOf(fileStarts, segments));
    }

    /** The file offset of the byte at this text position. */
    long fileOffset(int textPosition) {
        int segment = Arrays.binarySearch(segmentTextStart, textPosition);
        if (segment < 0) {
            segment = -segment - 2;
        }
        // several empty packets may start at the same position: the last one holds the byte
        while (segment + 1 < segmentTextStart.length && segmentTextStart[segment + 1] == textPosition) {
            segment++;
        }
        return segmentFileStart[Math.max(segment, 0)] + (textPosition - segmentTextStart[Math.max(segment, 0)]);
    }

    /** An error at this text position; control characters quoted from the metadata are escaped to keep one line. */
    CtfException error(int textPosition, String problem) {
        StringBuilder oneLine = new StringBuilder(problem.length());
        for (int i = 0; i < problem.length(); i++) {
            char c = problem.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                oneLine.append(String.format("\\x%02X", (int) c));
            } else {
                oneLine.append(c);
            }
        }
        return new CtfException(file, fileOffset(textPosition), oneLine.toString());
    }
}
