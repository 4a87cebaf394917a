package org.vnetscope.ctf.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where the packets of one data stream file are and which clock range each covers: read from the index LTTng
 * writes beside the stream ({@code index/<file>.idx}), or gathered from the packet headers when there is none.
 *
 * <p>The index format (lttng-tools' {@code ctf-index.h}): a header of four big-endian 32-bit words (magic
 * {@code 0xC1F1DCC1}, major 1, minor, entry length in bytes), then one entry per packet of big-endian 64-bit
 * words: offset in bytes, packet_size and content_size in bits, timestamp_begin, timestamp_end,
 * events_discarded, stream_id, and from version 1.1 stream_instance_id and packet_seq_num. Entries may be longer
 * than the fields known here; the extra bytes are skipped.
 */
final class PacketIndex {
    static final long MAGIC = 0xC1F1DCC1L;
    private static final int HEADER_BYTES = 16;
    private static final int ENTRY_1_0_BYTES = 7 * 8;
    private static final int ENTRY_1_1_BYTES = 9 * 8;
    /** An index larger than this describes no stream file seen in practice: refused rather than loaded. */
    private static final long MAX_BYTES = 1L << 30;

    /** Not known: the entry or the packet context has no such field. */
    static final long UNKNOWN = -1;

    /** The index file these entries come from, or null when they were read from the packet headers. */
    final Path source;
    /** Whether every packet of the file is listed (a list read from headers may stop early). */
    boolean complete;
    int count;
    long[] offset;
    long[] packetBytes;
    long[] contentBits;
    /** Raw clock values of the stream's clock, {@link #UNKNOWN} when the packet context has no such field. */
    long[] beginCycles;
    long[] endCycles;
    long[] streamId;
    long[] instanceId;
    long[] seqNum;

    private PacketIndex(Path source, int capacity) {
        this.source = source;
        offset = new long[capacity];
        packetBytes = new long[capacity];
        contentBits = new long[capacity];
        beginCycles = new long[capacity];
        endCycles = new long[capacity];
        streamId = new long[capacity];
        instanceId = new long[capacity];
        seqNum = new long[capacity];
    }

    /** An empty list to fill from packet headers with {@link #add}. */
    static PacketIndex fromHeaders() {
        return new PacketIndex(null, 16);
    }

    void add(long packetOffset, long bytes, long content, long begin, long end, long stream, long instance,
             long seq) {
        if (count == offset.length) {
            int capacity = count * 2;
            offset = Arrays.copyOf(offset, capacity);
            packetBytes = Arrays.copyOf(packetBytes, capacity);
            contentBits = Arrays.copyOf(contentBits, capacity);
            beginCycles = Arrays.copyOf(beginCycles, capacity);
            endCycles = Arrays.copyOf(endCycles, capacity);
            streamId = Arrays.copyOf(streamId, capacity);
            instanceId = Arrays.copyOf(instanceId, capacity);
            seqNum = Arrays.copyOf(seqNum, capacity);
        }
        offset[count] = packetOffset;
        packetBytes[count] = bytes;
        contentBits[count] = content;
        beginCycles[count] = begin;
        endCycles[count] = end;
        streamId[count] = stream;
        instanceId[count] = instance;
        seqNum[count] = seq;
        count++;
    }

    /** Where LTTng puts the index of a stream file: {@code index/<file name>.idx} beside it. */
    static Path fileOf(Path streamFile) {
        return streamFile.resolveSibling("index").resolve(streamFile.getFileName() + ".idx");
    }

    /** An index file that cannot describe its stream file; the message says why, in a few words. */
    static final class Unusable extends Exception {
        Unusable(String problem) {
            super(problem, null, false, false);
        }
    }

    /**
     * Reads an index file and checks that it describes a stream file of this size: every packet follows the
     * previous one, sizes are whole bytes, content fits its packet, no packet ends before it begins, and the
     * packets cover the file exactly.
     */
    static PacketIndex read(Path indexFile, long streamFileSize) throws Unusable {
        byte[] bytes;
        try {
            long size = Files.size(indexFile);
            if (size > MAX_BYTES) {
                throw new Unusable("index of " + size + " bytes is too large");
            }
            bytes = Files.readAllBytes(indexFile);
        } catch (IOException e) {
            throw new Unusable("cannot read: " + e.getMessage());
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        if (bytes.length < HEADER_BYTES) {
            throw new Unusable("shorter (" + bytes.length + " bytes) than an index header (16 bytes)");
        }
        long magic = in.getInt(0) & 0xFFFFFFFFL;
        if (magic != MAGIC) {
            throw new Unusable(String.format("bad magic 0x%08X (expected 0x%08X)", magic, MAGIC));
        }
        long major = in.getInt(4) & 0xFFFFFFFFL;
        long minor = in.getInt(8) & 0xFFFFFFFFL;
        long entryBytes = in.getInt(12) & 0xFFFFFFFFL;
        if (major != 1) {
            throw new Unusable("unknown index version " + major + "." + minor);
        }
        boolean hasInstance = minor >= 1;
        long needed = hasInstance ? ENTRY_1_1_BYTES : ENTRY_1_0_BYTES;
        if (entryBytes < needed) {
            throw new Unusable("entries of " + entryBytes + " bytes are shorter than version 1." + minor + "'s "
                    + needed + " bytes");
        }
        long entriesBytes = bytes.length - HEADER_BYTES;
        if (entriesBytes % entryBytes != 0) {
            throw new Unusable(entriesBytes + " bytes of entries are not a whole number of " + entryBytes
                    + "-byte entries");
        }
        int entries = (int) (entriesBytes / entryBytes);
        PacketIndex index = new PacketIndex(indexFile, Math.max(1, entries));
        long expectedOffset = 0;
        for (int i = 0; i < entries; i++) {
            int at = (int) (HEADER_BYTES + i * entryBytes);
            long packetOffset = in.getLong(at);
            long packetBits = in.getLong(at + 8);
            long content = in.getLong(at + 16);
            long begin = in.getLong(at + 24);
            long end = in.getLong(at + 32);
            long stream = in.getLong(at + 48);
            long instance = hasInstance ? in.getLong(at + 56) : UNKNOWN;
            long seq = hasInstance ? in.getLong(at + 64) : UNKNOWN;
            String where = "packet " + i;
            if (packetOffset != expectedOffset) {
                throw new Unusable(where + " at byte " + Long.toUnsignedString(packetOffset) + ", expected "
                        + expectedOffset + " (right after the previous packet)");
            }
            if (packetBits <= 0 || packetBits % 8 != 0) {
                throw new Unusable(where + ": packet_size " + Long.toUnsignedString(packetBits)
                        + " bits is not a positive whole number of bytes");
            }
            if (Long.compareUnsigned(content, packetBits) > 0) {
                throw new Unusable(where + ": content_size " + Long.toUnsignedString(content)
                        + " bits is larger than packet_size " + packetBits + " bits");
            }
            if (Long.compareUnsigned(end, begin) < 0) {
                throw new Unusable(where + ": timestamp_end " + Long.toUnsignedString(end)
                        + " is before timestamp_begin " + Long.toUnsignedString(begin));
            }
            long packetEnd = packetOffset + packetBits / 8;
            if (packetEnd > streamFileSize) {
                throw new Unusable(where + " ends at byte " + packetEnd + ", past the end of the stream file ("
                        + streamFileSize + " bytes)");
            }
            index.add(packetOffset, packetBits / 8, content, begin, end, stream, instance, seq);
            expectedOffset = packetEnd;
        }
        if (expectedOffset != streamFileSize) {
            throw new Unusable("its " + entries + " packets cover " + expectedOffset + " bytes of the "
                    + streamFileSize + "-byte stream file");
        }
        index.complete = true;
        return index;
    }

    /**
     * What packet {@code i} of this index says that its header does not, or null when they agree on every field
     * both know: where the packet starts, its sizes, its clock range and its stream.
     */
    String disagreement(int i, long packetOffset, long bytes, long content, long begin, long end, long stream,
                        long instance, long seq) {
        if (i >= count) {
            return "it lists " + count + " packets, the stream file has more";
        }
        String where = "packet " + i + " (byte " + packetOffset + ")";
        if (offset[i] != packetOffset) {
            return where + ": the index places it at byte " + offset[i];
        }
        String field = differs("packet_size", packetBytes[i] * 8, bytes * 8);
        field = field != null ? field : differs("content_size", contentBits[i], content);
        field = field != null ? field : differs("timestamp_begin", beginCycles[i], begin);
        field = field != null ? field : differs("timestamp_end", endCycles[i], end);
        field = field != null ? field : differs("stream_id", streamId[i], stream);
        field = field != null ? field : differs("stream_instance_id", instanceId[i], instance);
        field = field != null ? field : differs("packet_seq_num", seqNum[i], seq);
        return field == null ? null : where + ": " + field;
    }

    private static String differs(String name, long indexed, long actual) {
        if (indexed == UNKNOWN || actual == UNKNOWN || indexed == actual) {
            return null;
        }
        return "index " + name + " " + Long.toUnsignedString(indexed) + ", packet header "
                + Long.toUnsignedString(actual);
    }
}
