package org.vnetscope.ctf.internal;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.vnetscope.ctf.CtfException;
import org.vnetscope.ctf.Discard;
import org.vnetscope.ctf.Scope;
import org.vnetscope.ctf.StreamFile;
import org.vnetscope.ctf.TraceReader;

/**
 * Reads one data stream file: packet after packet, event after event, from a memory mapping. It holds at
 * most one decoded record (an event or a discard) that the merge has not consumed yet; the field values of
 * that event stay in this decoder's per-scope value frames until {@link #advance()} decodes the next one.
 */
final class StreamDecoder extends DecodedRecord {
    private static final int HEADER = Scope.PACKET_HEADER.ordinal();
    private static final int PACKET_CONTEXT = Scope.PACKET_CONTEXT.ordinal();
    /** Largest mapping; files beyond it are read through windows that each hold whole packets. */
    private static final long MAX_WINDOW = Integer.MAX_VALUE - 15L;
    /** Upper bound of element iterations when elements may occupy zero bits: bounds time on corrupt input. */
    private static final long MAX_EMPTY_ELEMENTS = 1L << 24;

    static final int EVENT = 0;
    static final int DISCARD = 1;

    /** The file being read: one of {@link #files}, the first until the stream moves on to the next. */
    Path path;
    private final TraceReader.Warnings warnings;
    private FileChannel channel;
    private long fileSize;

    /**
     * The files of this stream in reading order: one, or several when LTTng rotated the stream over files of a
     * bounded size ({@code --tracefile-size}); packets, clock and discard counters continue from one to the next.
     */
    private Path[] files;
    private int fileIndex;
    /** The packets each file's LTTng index lists, or null where there is none or it was unusable. */
    private PacketIndex[] indexes;
    /** The time of this stream's first packet (its timestamp_begin), ns since the epoch; {@link #NO_TIME} if none. */
    final long firstPacketBeginNs;
    static final long NO_TIME = Long.MIN_VALUE;

    // The mapped window (le, be, windowLength): byte positions below are relative to windowBase; bit positions are
    // too.
    private long windowBase;
    /**
     * How many times the packet header and context frames were written (once per packet header read, the packet
     * context after it): a {@link ReadAhead} copies them for its records when this changes.
     */
    long packetFramesWritten;
    private long[] loopRemaining = new long[8];

    private long pos;
    private long limit;
    private boolean limitIsContent;

    private boolean inPacket;
    private long nextPacketOffset;
    private long packetOffset;
    private long packetEndOffset;
    private long contentEnd;
    /** Rank of the current packet in its file: the index entry that describes it. */
    private int packetInFile;

    private long clock;
    private long eventId;
    private boolean eventIdSet;

    private long prevDiscarded = -1;
    private long prevSeqNum = -1;
    private long prevEndClock = -1;
    private final ArrayDeque<Discard> pendingDiscards = new ArrayDeque<>(2);

    // The pending record: kind, event, cycles, timestampNs, discard.
    private long lastCycles;
    private boolean warnedBackwards;
    /** Whether this stream was said to carry packets of another uuid: shared by its decoders of every time part. */
    private final AtomicBoolean uuidWarned;

    /**
     * Opens a stream file and reads its first packet's header and context: its stream class, stream instance and
     * first time, by which {@link Readers} groups the files of a rotated stream; then its LTTng index if any.
     */
    StreamDecoder(CompiledTrace trace, Path path, TraceReader.Warnings warnings) {
        this.trace = trace;
        this.warnings = warnings;
        this.files = new Path[] {path};
        this.indexes = new PacketIndex[1];
        this.uuidWarned = new AtomicBoolean();
        openFile(path);
        allocateFrames();
        long streamClassId = -1;
        long instanceId = -1;
        long beginNs = NO_TIME;
        if (fileSize > 0) {
            mapWindow(0, Math.min(fileSize, MAX_WINDOW));
            streamClass = readPacketHeader(0);
            streamClassId = streamClass.streamClass.id();
            instanceId = trace.streamInstanceId == null ? -1 : values[HEADER][trace.streamInstanceId.slot];
            if (!streamClass.packetContext.isEmpty()) {
                run(streamClass.packetContext);
            }
            if (streamClass.timestampBegin != null) {
                beginNs = streamClass.clock.toNs(values[PACKET_CONTEXT][streamClass.timestampBegin.slot]);
            }
            indexes[0] = loadIndex(streamClass);
        }
        firstPacketBeginNs = beginNs;
        file = new StreamFile(trace.trace, path, streamClassId, instanceId);
        streamIdForOrder = instanceId;
    }

    private void allocateFrames() {
        values[HEADER] = new long[trace.packetHeader.slotCount()];
        aux[HEADER] = new long[trace.packetHeader.slotCount()];
        int contextSlots = 1;
        int headerSlots = 1;
        int streamContextSlots = 1;
        for (CompiledTrace.Stream stream : trace.streams.values()) {
            contextSlots = Math.max(contextSlots, stream.packetContext.slotCount());
            headerSlots = Math.max(headerSlots, stream.eventHeader.slotCount());
            streamContextSlots = Math.max(streamContextSlots, stream.eventContext.slotCount());
        }
        allocate(Scope.PACKET_CONTEXT, contextSlots);
        allocate(Scope.EVENT_HEADER, headerSlots);
        allocate(Scope.STREAM_EVENT_CONTEXT, streamContextSlots);
        allocate(Scope.EVENT_CONTEXT, Math.max(1, trace.maxEventContextSlots));
        allocate(Scope.EVENT_PAYLOAD, Math.max(1, trace.maxPayloadSlots));
    }

    /** The stream id babeltrace2 gives this stream: its stream_instance_id, else its rank in the trace. */
    long streamIdForOrder;

    /** What opening a stream learnt, from which another decoder of it starts without reading it again. */
    record Reopening(CompiledTrace trace, TraceReader.Warnings warnings, Path[] files, PacketIndex[] indexes,
            CompiledTrace.Stream streamClass, long firstPacketBeginNs, StreamFile file, long streamIdForOrder,
            AtomicBoolean uuidWarned) {
    }

    /** Call before reading: a snapshot of this stream's files and indexes. */
    Reopening reopening() {
        return new Reopening(trace, warnings, files.clone(), indexes.clone(), streamClass, firstPacketBeginNs, file,
                streamIdForOrder, uuidWarned);
    }

    /** Another decoder of a stream, from its start: its files opened again, its index and first packet known. */
    StreamDecoder(Reopening stream) {
        this.trace = stream.trace();
        this.warnings = stream.warnings();
        this.files = stream.files().clone();
        this.indexes = stream.indexes().clone();
        this.uuidWarned = stream.uuidWarned();
        openFile(files[0]);
        allocateFrames();
        this.streamClass = stream.streamClass();
        this.firstPacketBeginNs = stream.firstPacketBeginNs();
        this.file = stream.file();
        this.streamIdForOrder = stream.streamIdForOrder();
    }

    private void openFile(Path next) {
        path = next;
        try {
            channel = FileChannel.open(next, StandardOpenOption.READ);
            fileSize = channel.size();
        } catch (IOException e) {
            throw new CtfException(next, -1, "cannot read stream file: " + e.getMessage(), e);
        }
        // Nothing of the new file is mapped yet: the next packet header maps its window.
        windowBase = 0;
        windowLength = 0;
    }

    /**
     * Makes the later files of a rotated stream follow this one, in this order; their decoders, which only read
     * their first packet, are closed.
     */
    void continueWith(java.util.List<StreamDecoder> later) {
        int count = 1 + later.size();
        files = java.util.Arrays.copyOf(files, count);
        indexes = java.util.Arrays.copyOf(indexes, count);
        for (int i = 1; i < count; i++) {
            StreamDecoder next = later.get(i - 1);
            files[i] = next.files[0];
            indexes[i] = next.indexes[0];
            next.close();
        }
    }

    private long[] fileSizes;

    /** The size of this stream's files together, in bytes. */
    long totalBytes() {
        long total = 0;
        for (long size : fileSizes()) {
            total += size;
        }
        return total;
    }

    /** Bytes of this stream's files up to the packet being read: the earlier files whole, this one to that packet. */
    long bytesRead() {
        long[] sizes = fileSizes();
        long read = 0;
        for (int i = 0; i < fileIndex && i < sizes.length; i++) {
            read += sizes[i];
        }
        return read + Math.min(nextPacketOffset, fileIndex < sizes.length ? sizes[fileIndex] : 0);
    }

    private long[] fileSizes() {
        if (fileSizes == null) {
            long[] sizes = new long[files.length];
            for (int i = 0; i < files.length; i++) {
                try {
                    sizes[i] = Files.size(files[i]);
                } catch (IOException e) {
                    sizes[i] = 0; // only a progress figure: a file that cannot be measured counts for nothing
                }
            }
            fileSizes = sizes;
        }
        return fileSizes;
    }

    /** Moves to the next file of the stream; false when this was the last. */
    private boolean nextFile() {
        if (fileIndex + 1 >= files.length) {
            return false;
        }
        switchToFile(fileIndex + 1);
        return true;
    }

    private void switchToFile(int index) {
        if (index != fileIndex) {
            close();
            fileIndex = index;
            openFile(files[index]);
        }
        nextPacketOffset = 0;
        packetInFile = 0;
    }

    private void allocate(Scope scope, int slots) {
        values[scope.ordinal()] = new long[slots];
        aux[scope.ordinal()] = new long[slots];
    }

    /**
     * Decodes the next record of this stream.
     *
     * @return false at the end of the stream (of its last file)
     */
    boolean advance() {
        if (!pendingDiscards.isEmpty() && nextDiscard()) {
            return true;
        }
        while (true) {
            if (inPacket) {
                if (pos < contentEnd) {
                    decodeEvent();
                    if (!ranged) {
                        if (passing) {
                            countPassedOver();
                            continue;
                        }
                        return true;
                    }
                    if (cut) {
                        int place = placeInCut(NOT_YET);
                        if (place == SKIP) {
                            continue;
                        }
                        if (place == KEEP && passing) {
                            countPassedOver();
                            continue;
                        }
                        return place == KEEP;
                    }
                    if (inRange()) {
                        if (passing) {
                            countPassedOver();
                            continue;
                        }
                        return true;
                    }
                    if (timestampNs > rangeEndNs) {
                        return pastRange();
                    }
                    continue;
                }
                inPacket = false;
                nextPacketOffset = packetEndOffset;
            }
            if (ranged && !rangeSought) {
                seekRangeBegin();
            } else if (nextPacketOffset >= fileSize && !nextFile()) {
                event = null;
                discard = null;
                return false;
            } else {
                openPacket(nextPacketOffset);
            }
            if (!pendingDiscards.isEmpty() && nextDiscard()) {
                return true;
            }
        }
    }

    /** Makes the next pending discard record the current record; false when the time range dropped them all. */
    private boolean nextDiscard() {
        while (!pendingDiscards.isEmpty()) {
            Discard lost = pendingDiscards.poll();
            if (cut) {
                // Discard records come before their packet's events: numbered within the packet, placed at its start.
                long position = ((long) fileIndex << FILE_SHIFT) | (packetOffset * 8 + discardsInPacket++);
                setDiscard(lost);
                int place = placeInCut(position);
                if (place == SKIP) {
                    continue;
                }
                return place == KEEP;
            }
            if (ranged) {
                lost = clipped(lost);
            }
            if (lost != null) {
                setDiscard(lost);
                return true;
            }
        }
        return false;
    }

    private void setDiscard(Discard lost) {
        kind = DISCARD;
        discard = lost;
        event = null;
        timestampNs = lost.beginNs();
    }

    // ---------------------------------------------------------------- time range

    private boolean ranged;
    /** Whether the packets before the range were passed over (done on the first {@link #advance()}). */
    private boolean rangeSought;
    private long rangeBeginNs = Long.MIN_VALUE;
    private long rangeEndNs = Long.MAX_VALUE;
    /** The packets each file's headers list, gathered when a time range needs them and no index gives them. */
    private PacketIndex[] scanned;

    /** Yields only the records of [beginNs, endNs]; call before the first {@link #advance()}. */
    void limitTo(long beginNs, long endNs) {
        ranged = true;
        rangeBeginNs = beginNs;
        rangeEndNs = endNs;
    }

    // ---------------------------------------------------------------- cuts between time parts

    /** Position of a record in its stream: the file's rank above this bit, the bit offset in the file below. */
    private static final int FILE_SHIFT = 52;
    /** The position of a stream's end, past every record. */
    static final long STREAM_END = Long.MAX_VALUE;
    static final long NOT_YET = -1;

    /** Whether this stream is read as one part of a {@link TraceReader.Split}: records are kept whole, by time. */
    private boolean cut;
    /** Position of the first record at or after the part's beginning; {@link #NOT_YET} until it is met. */
    long cutEntry = NOT_YET;
    /** Position of the first record after the part's end: where the next part takes over. */
    long cutExit = STREAM_END;
    /** Whether a record before the part's beginning came after {@link #cutEntry}: timestamps went back across the cut. */
    boolean cutSkippedLate;
    /** Bit position of the current event in its window, set by {@link #decodeEvent()}. */
    private long eventStart;
    private int discardsInPacket;

    /**
     * Yields only the records whose time lies in [beginNs, endNs], as one part of a trace cut by time: unlike
     * {@link #limitTo}, a discard record is never cut short, it goes whole to the part its beginning falls in,
     * and the first record after the part ends the stream. Records are placed ({@link #cutEntry},
     * {@link #cutExit}) so that the parts can be checked to meet without a gap or an overlap.
     */
    void cutTo(long beginNs, long endNs) {
        limitTo(beginNs, endNs);
        cut = true;
    }

    private long eventPosition() {
        return ((long) fileIndex << FILE_SHIFT) | (windowBase * 8 + eventStart);
    }

    private static final int KEEP = 0;
    private static final int SKIP = 1;
    private static final int PAST = 2;

    /**
     * Where the current record falls: in this part, before it (passed over), or after it (the stream ends).
     * {@code position} places a discard record; {@link #NOT_YET} stands for the current event's position.
     */
    private int placeInCut(long position) {
        if (timestampNs < rangeBeginNs) {
            if (cutEntry != NOT_YET) {
                cutSkippedLate = true;
            }
            return SKIP;
        }
        if (cutEntry == NOT_YET) {
            cutEntry = position == NOT_YET ? eventPosition() : position;
        }
        if (timestampNs > rangeEndNs) {
            cutExit = position == NOT_YET ? eventPosition() : position;
            pastRange();
            return PAST;
        }
        return KEEP;
    }

    /**
     * Every packet of this stream that carries times, as (time of its first event, timestamp_end, content bits), for
     * cutting a trace into parts of about equal data. Packets come from the LTTng index where there is one, else
     * from their headers; each packet's first event is decoded because timestamp_begin can lie long before it (the
     * first packet of a session that waited). Call before reading: the stream is then read from its start.
     *
     * @return three arrays of the same length: first event times (ns), end times (ns), content bits
     */
    long[][] packetSpans() {
        long[][] spans = {new long[8], new long[8], new long[8]};
        int count = 0;
        if (streamClass == null) {
            return new long[][] {new long[0], new long[0], new long[0]};
        }
        long keptLastCycles = lastCycles;
        boolean keptWarned = warnedBackwards;
        warnedBackwards = true; // sampling out of order must not warn
        try {
            for (int f = 0; f < files.length; f++) {
                PacketIndex packets = indexes[f];
                switchToFile(f);
                if (packets == null) {
                    packets = scanPackets(false);
                }
                for (int i = 0; i < packets.count; i++) {
                    if (packets.beginCycles[i] == PacketIndex.UNKNOWN || packets.endCycles[i] == PacketIndex.UNKNOWN) {
                        continue;
                    }
                    long firstNs = streamClass.clock.toNs(packets.beginCycles[i]);
                    long endNs = streamClass.clock.toNs(packets.endCycles[i]);
                    try {
                        clock = packets.beginCycles[i];
                        packetInFile = i;
                        openPacket(packets.offset[i]);
                        if (pos < contentEnd) {
                            decodeEvent();
                            firstNs = Math.max(firstNs, Math.min(timestampNs, endNs));
                        }
                    } catch (CtfException e) {
                        // Reading the packet in full reports it; its begin time serves here.
                    }
                    if (count == spans[0].length) {
                        for (int field = 0; field < spans.length; field++) {
                            spans[field] = java.util.Arrays.copyOf(spans[field], count * 2);
                        }
                    }
                    spans[0][count] = firstNs;
                    spans[1][count] = endNs;
                    spans[2][count++] = packets.contentBits[i];
                }
            }
        } finally {
            lastCycles = keptLastCycles;
            warnedBackwards = keptWarned;
            event = null;
            switchToFile(0);
            restartStream();
        }
        for (int field = 0; field < spans.length; field++) {
            spans[field] = java.util.Arrays.copyOf(spans[field], count);
        }
        return spans;
    }

    private boolean inRange() {
        return timestampNs >= rangeBeginNs && timestampNs <= rangeEndNs;
    }

    /** A record after the range ends this stream, as babeltrace2's trimmer ends all streams at the first one. */
    private boolean pastRange() {
        inPacket = false;
        pendingDiscards.clear();
        files = java.util.Arrays.copyOf(files, fileIndex + 1);
        nextPacketOffset = fileSize;
        event = null;
        discard = null;
        return false;
    }

    /**
     * A discard record as babeltrace2 shows it through {@code --begin}/{@code --end}: dropped when it ends before
     * the range or begins after it; a range that crosses a bound is cut at the bound and its count becomes unknown
     * (the items may have been lost on the other side); null when dropped.
     */
    private Discard clipped(Discard lost) {
        long beginNs = lost.beginNs();
        long endNs = lost.endNs();
        if (beginNs == NO_TIME || endNs == NO_TIME) {
            return lost;
        }
        long count = lost.count();
        long beginCycles = lost.beginCycles();
        long endCycles = lost.endCycles();
        if (beginNs < rangeBeginNs) {
            if (endNs < rangeBeginNs) {
                return null;
            }
            beginNs = rangeBeginNs;
            beginCycles = streamClass.clock.toCycles(rangeBeginNs);
            count = -1;
        }
        if (beginNs > rangeEndNs) {
            return null;
        }
        if (endNs > rangeEndNs) {
            endNs = rangeEndNs;
            endCycles = streamClass.clock.toCycles(rangeEndNs);
            count = -1;
        }
        return count == lost.count() && beginNs == lost.beginNs() && endNs == lost.endNs() ? lost
                : new Discard(lost.kind(), count, beginNs, endNs, beginCycles, endCycles, file);
    }

    /**
     * Passes over the packets that end before the range without decoding their events: they are found in the
     * LTTng index where there is one, else by reading packet headers only. A packet is passed over when it and
     * the start of the next end before the range (so old tracers whose events run past timestamp_end are safe);
     * the last one passed over has its header read, for the discard counters the next packet is compared with.
     */
    private void seekRangeBegin() {
        rangeSought = true;
        while (true) {
            int skipFile = -1;
            int skipPacket = -1;
            int previousFile = -1;
            int previousPacket = -1;
            long previousEndNs = 0;
            search:
            for (int f = 0; f < files.length; f++) {
                PacketIndex packets = packetsOf(f);
                for (int i = 0; i < packets.count; i++) {
                    long beginCycles = packets.beginCycles[i];
                    long endCycles = packets.endCycles[i];
                    if (beginCycles == PacketIndex.UNKNOWN || endCycles == PacketIndex.UNKNOWN) {
                        break search;
                    }
                    long beginNs = streamClass.clock.toNs(beginCycles);
                    if (previousFile >= 0) {
                        if (Math.max(previousEndNs, beginNs) >= rangeBeginNs) {
                            break search;
                        }
                        skipFile = previousFile;
                        skipPacket = previousPacket;
                    }
                    if (beginNs >= rangeBeginNs) {
                        break search;
                    }
                    previousFile = f;
                    previousPacket = i;
                    previousEndNs = streamClass.clock.toNs(endCycles);
                }
                if (!packets.complete) {
                    break;
                }
            }
            if (skipFile < 0) {
                switchToFile(0);
                return;
            }
            PacketIndex packets = packetsOf(skipFile);
            switchToFile(skipFile);
            packetInFile = skipPacket;
            // Counting from this packet's clock, the first packet read extends its timestamps as a full read would.
            clock = packets.beginCycles[skipPacket];
            PacketIndex index = indexes[skipFile];
            openPacket(packets.offset[skipPacket]);
            if (index != null && indexes[skipFile] == null) {
                // The index disagreed with this packet's header: start again from the headers alone.
                restartStream();
                continue;
            }
            pos = contentEnd;
            return;
        }
    }

    /** Forgets what reading packets taught (clock, discard counters), to read the stream again from its start. */
    private void restartStream() {
        inPacket = false;
        pendingDiscards.clear();
        clock = 0;
        prevDiscarded = -1;
        prevSeqNum = -1;
        prevEndClock = -1;
    }

    /** The packets of a file: from its LTTng index, else from its packet headers (read up to the range). */
    private PacketIndex packetsOf(int f) {
        if (indexes[f] != null) {
            return indexes[f];
        }
        if (scanned == null) {
            scanned = new PacketIndex[files.length];
        }
        if (scanned[f] == null) {
            switchToFile(f);
            scanned[f] = scanPackets();
        }
        return scanned[f];
    }

    /**
     * Reads packet headers and contexts only, from the start of the current file until a packet begins within
     * or after the range. Clock values are extended past wrap-arounds of narrow timestamp fields, from packet to
     * packet. A packet that cannot be read ends the list: reading it in full reports the problem.
     */
    private PacketIndex scanPackets() {
        return scanPackets(true);
    }

    private PacketIndex scanPackets(boolean untilRange) {
        PacketIndex packets = PacketIndex.fromHeaders();
        long extended = 0;
        long offset = 0;
        try {
            while (offset < fileSize) {
                CompiledTrace.Stream stream = readPacketHeader(offset);
                if (!stream.packetContext.isEmpty()) {
                    run(stream.packetContext);
                }
                long[] context = values[PACKET_CONTEXT];
                long packetBits = packetBits(stream, context, offset);
                if (packetBits <= 0 || packetBits % 8 != 0 || offset + packetBits / 8 > fileSize) {
                    break;
                }
                long begin = PacketIndex.UNKNOWN;
                long end = PacketIndex.UNKNOWN;
                if (stream.timestampBegin != null && stream.timestampEnd != null) {
                    begin = extended = extend(extended, context[stream.timestampBegin.slot],
                            stream.timestampBegin.integer.sizeBits());
                    end = extended = extend(extended, context[stream.timestampEnd.slot],
                            stream.timestampEnd.integer.sizeBits());
                }
                packets.add(offset, packetBits / 8, contentBits(stream, context, packetBits), begin, end,
                        PacketIndex.UNKNOWN, PacketIndex.UNKNOWN, PacketIndex.UNKNOWN);
                offset += packetBits / 8;
                if (untilRange && (begin == PacketIndex.UNKNOWN || stream.clock.toNs(begin) >= rangeBeginNs)) {
                    return packets;
                }
            }
            packets.complete = offset == fileSize;
        } catch (CtfException e) {
            // Left for the full read of that packet to report, at its place in the stream.
        }
        return packets;
    }

    /** A clock value continued from {@code previous} past wrap-arounds of a {@code size}-bit field. */
    private static long extend(long previous, long value, int size) {
        if (size >= 64) {
            return value;
        }
        long mask = (1L << size) - 1;
        long extended = (previous & ~mask) | value;
        return Long.compareUnsigned(value, previous & mask) < 0 ? extended + mask + 1 : extended;
    }

    // ---------------------------------------------------------------- packets

    private void mapWindow(long offset, long length) {
        try {
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, offset, length);
            le = (MappedByteBuffer) mapped.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            be = (MappedByteBuffer) mapped.duplicate().order(ByteOrder.BIG_ENDIAN);
            windowBase = offset;
            windowLength = length;
            address = RawMemory.address(le);
        } catch (IOException e) {
            throw new CtfException(path, offset, "cannot map stream file: " + e.getMessage(), e);
        }
    }

    /** Decodes the packet header at a file offset; returns the packet's stream class. */
    private CompiledTrace.Stream readPacketHeader(long offset) {
        packetFramesWritten++;
        long remaining = fileSize - offset;
        if (offset < windowBase || offset + Math.min(remaining, 1 << 20) > windowBase + windowLength) {
            mapWindow(offset, Math.min(remaining, MAX_WINDOW));
        }
        pos = (offset - windowBase) * 8;
        limit = Math.min(pos + remaining * 8, windowLength * 8);
        limitIsContent = false;
        if (!trace.packetHeader.isEmpty()) {
            run(trace.packetHeader);
        }
        long[] header = values[HEADER];
        if (trace.magic != null && header[trace.magic.slot] != 0xC1FC1FC1L) {
            throw new CtfException(path, offset, String.format("bad packet magic 0x%X (expected 0xC1FC1FC1)",
                    header[trace.magic.slot]));
        }
        if (trace.uuid != null && trace.uuidField != null) {
            checkUuid(offset);
        }
        long id;
        if (trace.streamId != null) {
            id = header[trace.streamId.slot];
        } else if (trace.streams.size() == 1) {
            id = trace.streams.keySet().iterator().next();
        } else {
            throw new CtfException(path, offset, "packet header has no stream_id and the metadata declares "
                    + trace.streams.size() + " stream classes");
        }
        CompiledTrace.Stream stream = trace.streams.get(id);
        if (stream == null) {
            throw new CtfException(path, offset, "packet of unknown stream class " + Long.toUnsignedString(id));
        }
        return stream;
    }

    private void checkUuid(long offset) {
        Node field = trace.uuidField;
        int index = field.slot;
        boolean bytes = field.kind == Node.ARRAY && field.children[0].integer != null
                && field.children[0].integer.sizeBits() == 8 && aux[HEADER][index] == 16;
        if (!bytes) {
            throw new CtfException(path, offset, "packet header uuid is not an array of 16 bytes");
        }
        long start = values[HEADER][index];
        for (int i = 0; i < 16; i++) {
            byte actual = (byte) readBits(start + 8L * i, 8, false);
            if (actual != trace.uuid[i]) {
                warnUuidOnce(offset, start);
                return;
            }
        }
    }

    /**
     * A packet whose uuid is not the metadata's is read all the same, as babeltrace2 reads it (traces cut or
     * merged by other tools carry such packets); the user is told once per stream.
     */
    private void warnUuidOnce(long offset, long uuidBits) {
        if (uuidWarned.getAndSet(true)) {
            return;
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 16; i++) {
            long value = readBits(uuidBits + 8L * i, 8, false);
            if (i < 8) {
                high = high << 8 | value;
            } else {
                low = low << 8 | value;
            }
        }
        String found = new java.util.UUID(high, low).toString();
        warnings.warn(path + " at byte " + offset + ": packet uuid " + found + " differs from the metadata's "
                + trace.trace.metadata().uuid() + "; the stream is read as this trace's all the same");
    }

    private void openPacket(long offset) {
        CompiledTrace.Stream stream = readPacketHeader(offset);
        long packetStartBits = (offset - windowBase) * 8;
        scopeStart[PACKET_CONTEXT] = pos;
        if (!stream.packetContext.isEmpty()) {
            run(stream.packetContext);
        }
        long[] context = values[PACKET_CONTEXT];
        long remainingBits = (fileSize - offset) * 8;
        long packetBits = packetBits(stream, context, offset);
        long contentBits = contentBits(stream, context, packetBits);
        if (Long.compareUnsigned(contentBits, packetBits) > 0) {
            throw new CtfException(path, offset, "content_size (" + Long.toUnsignedString(contentBits)
                    + " bits) is larger than packet_size (" + Long.toUnsignedString(packetBits) + " bits)");
        }
        if (Long.compareUnsigned(packetBits, remainingBits) > 0) {
            throw new CtfException(path, offset, "packet_size (" + Long.toUnsignedString(packetBits)
                    + " bits) goes beyond the end of the file (" + remainingBits + " bits left)");
        }
        long headerBits = pos - packetStartBits;
        if (contentBits < headerBits) {
            throw new CtfException(path, offset, "content_size (" + contentBits + " bits) is smaller than the "
                    + "packet header and context (" + headerBits + " bits)");
        }
        if (packetBits % 8 != 0) {
            throw new CtfException(path, offset, "packet_size (" + packetBits + " bits) is not a whole number of bytes");
        }
        long packetBytes = packetBits / 8;
        if (offset + packetBytes > windowBase + windowLength) {
            if (packetBytes > MAX_WINDOW) {
                throw new CtfException(path, offset, "packet of " + packetBytes + " bytes is too large to map");
            }
            // The window ends inside this packet: map one starting here and decode the headers again.
            mapWindow(offset, Math.min(fileSize - offset, Math.max(packetBytes, Math.min(MAX_WINDOW, 1L << 30))));
            readPacketHeader(offset);
            if (!stream.packetContext.isEmpty()) {
                run(stream.packetContext);
            }
            packetStartBits = (offset - windowBase) * 8;
        }
        streamClass = stream;
        packetOffset = offset;
        packetEndOffset = offset + packetBytes;
        contentEnd = packetStartBits + contentBits;
        limit = contentEnd;
        limitIsContent = true;
        inPacket = true;
        if (indexes[fileIndex] != null) {
            checkIndex(stream, offset);
        }
        packetInFile++;

        long beginClock = -1;
        long endClock = -1;
        if (stream.timestampBegin != null) {
            beginClock = context[stream.timestampBegin.slot];
            updateClock(beginClock, stream.timestampBegin.integer.sizeBits());
            beginClock = clock;
        }
        if (stream.timestampEnd != null) {
            endClock = context[stream.timestampEnd.slot];
        }
        discardsInPacket = 0;
        noteDiscards(stream, context, beginClock, endClock);
    }

    /** The packet_size of the packet whose header and context were just read, in bits. */
    private long packetBits(CompiledTrace.Stream stream, long[] context, long offset) {
        if (stream.packetSize != null) {
            return context[stream.packetSize.slot];
        }
        if (stream.contentSize != null) {
            return context[stream.contentSize.slot];
        }
        return (fileSize - offset) * 8;
    }

    private static long contentBits(CompiledTrace.Stream stream, long[] context, long packetBits) {
        return stream.contentSize != null ? context[stream.contentSize.slot] : packetBits;
    }

    // ---------------------------------------------------------------- LTTng index

    /**
     * The LTTng index of the current file, when there is one that describes it: its structure is checked, and its
     * first entry against the first packet (whose header and context were just read). Otherwise null, with a
     * warning when an index exists but is unusable.
     */
    private PacketIndex loadIndex(CompiledTrace.Stream stream) {
        Path indexFile = PacketIndex.fileOf(path);
        if (!Files.isRegularFile(indexFile)) {
            return null;
        }
        try {
            PacketIndex index = PacketIndex.read(indexFile, fileSize);
            String problem = index.disagreement(0, 0, packetBits(stream, values[PACKET_CONTEXT], 0) / 8,
                    contentBits(stream, values[PACKET_CONTEXT], packetBits(stream, values[PACKET_CONTEXT], 0)),
                    contextValue(stream.timestampBegin), contextValue(stream.timestampEnd), headerValue(trace.streamId),
                    headerValue(trace.streamInstanceId), contextValue(stream.packetSeqNum));
            if (problem != null) {
                throw new PacketIndex.Unusable(problem);
            }
            return index;
        } catch (PacketIndex.Unusable e) {
            ignoreIndex(indexFile, e.getMessage());
            return null;
        }
    }

    /** Compares the packet just opened with its index entry; an index that disagrees is dropped with a warning. */
    private void checkIndex(CompiledTrace.Stream stream, long offset) {
        PacketIndex index = indexes[fileIndex];
        long packetBits = packetBits(stream, values[PACKET_CONTEXT], offset);
        String problem = index.disagreement(packetInFile, offset, packetBits / 8,
                contentBits(stream, values[PACKET_CONTEXT], packetBits), contextValue(stream.timestampBegin),
                contextValue(stream.timestampEnd), headerValue(trace.streamId), headerValue(trace.streamInstanceId),
                contextValue(stream.packetSeqNum));
        if (problem != null) {
            indexes[fileIndex] = null;
            ignoreIndex(index.source, problem);
        }
    }

    private void ignoreIndex(Path indexFile, String problem) {
        warnings.warn(indexFile + ": " + problem + "; index ignored, packets are found from their headers");
    }

    private long contextValue(Node field) {
        return field == null ? PacketIndex.UNKNOWN : values[PACKET_CONTEXT][field.slot];
    }

    private long headerValue(Node field) {
        return field == null ? PacketIndex.UNKNOWN : values[HEADER][field.slot];
    }

    /** Emits discard records the way babeltrace2's CTF source does, before the packet's first event. */
    private void noteDiscards(CompiledTrace.Stream stream, long[] context, long beginClock, long endClock) {
        long discarded = stream.eventsDiscarded != null ? context[stream.eventsDiscarded.slot] : -1;
        long seqNum = stream.packetSeqNum != null ? context[stream.packetSeqNum.slot] : -1;
        if (discarded != -1) {
            if (prevDiscarded == -1) {
                if (discarded != 0) {
                    // Lost before or in the first packet we see: babeltrace2 gives this packet's range, no count.
                    pendingDiscards.add(discardOf(Discard.Kind.EVENTS, -1, beginClock, endClock));
                }
            } else if (discarded - prevDiscarded != 0) {
                pendingDiscards.add(discardOf(Discard.Kind.EVENTS, discarded - prevDiscarded, prevEndClock, endClock));
            }
        }
        if (seqNum != -1 && prevSeqNum != -1 && seqNum - prevSeqNum > 1) {
            pendingDiscards.add(discardOf(Discard.Kind.PACKETS, seqNum - prevSeqNum - 1, prevEndClock, beginClock));
        }
        prevDiscarded = discarded;
        prevSeqNum = seqNum;
        prevEndClock = endClock;
    }

    private Discard discardOf(Discard.Kind lostKind, long count, long beginCycles, long endCycles) {
        ClockConverter converter = streamClass.clock;
        long beginNs = beginCycles == -1 ? Long.MIN_VALUE : converter.toNs(beginCycles);
        long endNs = endCycles == -1 ? Long.MIN_VALUE : converter.toNs(endCycles);
        return new Discard(lostKind, count, beginNs, endNs, beginCycles, endCycles, file);
    }

    // ---------------------------------------------------------------- events

    /**
     * Whether the events of each class (by {@link CompiledTrace.Event#index}) are passed over rather than yielded
     * ({@link TraceReader#passOver}); null when every event is yielded.
     */
    boolean[] passOver;
    /** Whether the event {@link #decodeEvent()} read last is of a class passed over. */
    private boolean passing;
    long passedOverEvents;
    long passedOverFirstNs = Long.MAX_VALUE;
    long passedOverLastNs = Long.MIN_VALUE;

    private void decodeEvent() {
        long start = pos;
        eventStart = start;
        CompiledTrace.Stream stream = streamClass;
        eventIdSet = false;
        run(stream.eventHeader);
        long eventCycles = clock;
        CompiledTrace.Event decoded;
        if (eventIdSet) {
            CompiledTrace.Event[] dense = stream.dense;
            decoded = dense != null && eventId >= 0 && eventId < dense.length ? dense[(int) eventId]
                    : stream.event(eventId);
            if (decoded == null) {
                throw new CtfException(path, windowBase + start / 8, "unknown event id "
                        + Long.toUnsignedString(eventId) + " in stream class " + stream.streamClass.id());
            }
        } else {
            decoded = stream.onlyEvent();
            if (decoded == null) {
                throw new CtfException(path, windowBase + start / 8, "event header has no id and stream class "
                        + stream.streamClass.id() + " has " + stream.events.size() + " event classes");
            }
        }
        event = decoded;
        boolean[] passOver = this.passOver;
        passing = passOver != null && passOver[decoded.index];
        if (cut && cutEntry == NOT_YET && decoded.fixedAfterHeader && stepOverBeforeCut(stream, decoded, start)) {
            return;
        }
        long end;
        if (passing && decoded.fixedAfterHeader
                && (end = stepOver(stepOver(stepOver(pos, stream.eventContext), decoded.context), decoded.payload))
                <= limit && end != start) {
            // its values would go unread: where its layout is fixed, where it ends is all there is to know
            pos = end;
        } else {
            if (!stream.eventContext.isEmpty()) {
                run(stream.eventContext);
            }
            if (!decoded.context.isEmpty()) {
                run(decoded.context);
            }
            run(decoded.payload);
        }
        if (pos == start) {
            throw new CtfException(path, windowBase + start / 8, "event " + decoded.eventClass.name()
                    + " occupies no bits: the packet content would never end");
        }
        if (Long.compareUnsigned(eventCycles, lastCycles) < 0 && !warnedBackwards) {
            warnedBackwards = true;
            warnings.warn(path + " at byte " + (windowBase + start / 8) + ": timestamps go backwards in this stream ("
                    + Long.toUnsignedString(eventCycles) + " after " + Long.toUnsignedString(lastCycles)
                    + " cycles); events keep their stream order");
        }
        lastCycles = eventCycles;
        kind = EVENT;
        discard = null;
        cycles = eventCycles;
        timestampNs = toNs(stream, eventCycles);
    }

    /** A record of the current event, of a class passed over: counted, not yielded. */
    private void countPassedOver() {
        passedOverEvents++;
        long time = timestampNs;
        if (time < passedOverFirstNs) {
            passedOverFirstNs = time;
        }
        if (time > passedOverLastNs) {
            passedOverLastNs = time;
        }
    }

    /**
     * Steps over the rest of an event that comes before this part without decoding it, when its layout is fixed
     * and it lies within the packet content: such events are passed over in bulk where a part begins inside
     * packets. Returns false, having read nothing, when the event is to be decoded.
     */
    private boolean stepOverBeforeCut(CompiledTrace.Stream stream, CompiledTrace.Event decoded, long start) {
        long eventCycles = clock;
        long ns = toNs(stream, eventCycles);
        if (ns >= rangeBeginNs) {
            return false;
        }
        long end = stepOver(stepOver(stepOver(pos, stream.eventContext), decoded.context), decoded.payload);
        if (end > limit || end == start) {
            return false;
        }
        pos = end;
        lastCycles = eventCycles;
        kind = EVENT;
        discard = null;
        cycles = eventCycles;
        timestampNs = ns;
        return true;
    }

    /** An event's time in ns since the epoch; the common nanosecond clock converted without a call. */
    private static long toNs(CompiledTrace.Stream stream, long cycles) {
        return stream.clock.nanosecondCycles ? stream.clock.offsetNs + cycles : stream.clock.toNs(cycles);
    }

    private static long stepOver(long position, Plan plan) {
        long mask = plan.fixedAlignMask;
        return ((position + mask) & ~mask) + plan.fixedBits;
    }

    private void updateClock(long value, int size) {
        if (size >= 64) {
            clock = value;
            return;
        }
        long mask = (1L << size) - 1;
        if (Long.compareUnsigned(value, clock & mask) < 0) {
            clock += mask + 1;
        }
        clock = (clock & ~mask) | value;
    }

    // ---------------------------------------------------------------- the interpreter

    /** Runs a scope's plan from the current position; fills the scope's frame. */
    private void run(Plan plan) {
        final int scope = plan.scope.ordinal();
        final int[] code = plan.code;
        final int[] alignMask = plan.alignMask;
        final int[] bits = plan.bits;
        final int[] slot = plan.slot;
        final long[] v = values[scope];
        final long[] x = aux[scope];
        final long limit = this.limit;
        long pos = this.pos;
        scopeStart[scope] = pos;
        int depth = 0;
        int pc = 0;
        while (true) {
            switch (code[pc]) {
                case Plan.END:
                    this.pos = pos;
                    return;
                case Plan.ALIGN: {
                    long mask = alignMask[pc];
                    pos = (pos + mask) & ~mask;
                    if (pos > limit) {
                        throw beyond(plan, pc, pos, 0);
                    }
                    pc++;
                    break;
                }
                case Plan.U8: {
                    long mask = alignMask[pc];
                    pos = (pos + mask) & ~mask;
                    if (pos + 8 > limit) {
                        throw beyond(plan, pc, pos, 8);
                    }
                    v[slot[pc]] = byteAt((int) (pos >>> 3)) & 0xFFL;
                    pos += 8;
                    pc++;
                    break;
                }
                case Plan.S8: {
                    long mask = alignMask[pc];
                    pos = (pos + mask) & ~mask;
                    if (pos + 8 > limit) {
                        throw beyond(plan, pc, pos, 8);
                    }
                    v[slot[pc]] = byteAt((int) (pos >>> 3));
                    pos += 8;
                    pc++;
                    break;
                }
                case Plan.U16_LE: {
                    long mask = alignMask[pc];
                    pos = (pos + mask) & ~mask;
                    if (pos + 16 > limit) {
                        throw beyond(plan, pc, pos, 16);
                    }
                    v[slot[pc]] = shortLe((int) (pos >>> 3)) & 0xFFFFL;
                    pos += 16;
                    pc++;
                    break;
                }
                case Plan.S16_LE: {
                    long mask = alignMask[pc];
                    pos = (pos + mask) & ~mask;
                    if (pos + 16 > limit) {
                        throw beyond(plan, pc, pos, 16);
                    }
                    v[slot[pc]] = shortLe((int) (pos >>> 3));
                    pos += 16;
                    pc++;
                    break;
                }
                case Plan.U32_LE: {
                    long mask = alignMask[pc];
                    pos = (pos + mask) & ~mask;
                    if (pos + 32 > limit) {
                        throw beyond(plan, pc, pos, 32);
                    }
                    v[slot[pc]] = intLe((int) (pos >>> 3)) & 0xFFFFFFFFL;
                    pos += 32;
                    pc++;
                    break;
                }
                case Plan.S32_LE: {
                    long mask = alignMask[pc];
                    pos = (pos + mask) & ~mask;
                    if (pos + 32 > limit) {
                        throw beyond(plan, pc, pos, 32);
                    }
                    v[slot[pc]] = intLe((int) (pos >>> 3));
                    pos += 32;
                    pc++;
                    break;
                }
                case Plan.I64_LE: {
                    long mask = alignMask[pc];
                    pos = (pos + mask) & ~mask;
                    if (pos + 64 > limit) {
                        throw beyond(plan, pc, pos, 64);
                    }
                    v[slot[pc]] = longLe((int) (pos >>> 3));
                    pos += 64;
                    pc++;
                    break;
                }
                case Plan.U16_BE: {
                    long mask = alignMask[pc];
                    pos = (pos + mask) & ~mask;
                    if (pos + 16 > limit) {
                        throw beyond(plan, pc, pos, 16);
                    }
                    v[slot[pc]] = shortBe((int) (pos >>> 3)) & 0xFFFFL;
                    pos += 16;
                    pc++;
                    break;
                }
                case Plan.S16_BE: {
                    long mask = alignMask[pc];
                    pos = (pos + mask) & ~mask;
                    if (pos + 16 > limit) {
                        throw beyond(plan, pc, pos, 16);
                    }
                    v[slot[pc]] = shortBe((int) (pos >>> 3));
                    pos += 16;
                    pc++;
                    break;
                }
                case Plan.U32_BE: {
                    long mask = alignMask[pc];
                    pos = (pos + mask) & ~mask;
                    if (pos + 32 > limit) {
                        throw beyond(plan, pc, pos, 32);
                    }
                    v[slot[pc]] = intBe((int) (pos >>> 3)) & 0xFFFFFFFFL;
                    pos += 32;
                    pc++;
                    break;
                }
                case Plan.S32_BE: {
                    long mask = alignMask[pc];
                    pos = (pos + mask) & ~mask;
                    if (pos + 32 > limit) {
                        throw beyond(plan, pc, pos, 32);
                    }
                    v[slot[pc]] = intBe((int) (pos >>> 3));
                    pos += 32;
                    pc++;
                    break;
                }
                case Plan.I64_BE: {
                    long mask = alignMask[pc];
                    pos = (pos + mask) & ~mask;
                    if (pos + 64 > limit) {
                        throw beyond(plan, pc, pos, 64);
                    }
                    v[slot[pc]] = longBe((int) (pos >>> 3));
                    pos += 64;
                    pc++;
                    break;
                }
                case Plan.INT_BITS:
                case Plan.INT_SPECIAL: {
                    long mask = alignMask[pc];
                    pos = (pos + mask) & ~mask;
                    int size = bits[pc];
                    if (pos + size > limit) {
                        throw beyond(plan, pc, pos, size);
                    }
                    int flags = plan.flags[pc];
                    long value;
                    int index = (int) (pos >>> 3);
                    int shift = (int) (pos & 7);
                    // readBits' common case written out, as are updateClock's: C1 inlines neither
                    if ((flags & Plan.FLAG_BIG_ENDIAN) == 0 && shift + size < 64 && index + 8 <= windowLength) {
                        value = (longLe(index) >>> shift) & ((1L << size) - 1);
                    } else {
                        value = readBits(pos, size, (flags & Plan.FLAG_BIG_ENDIAN) != 0);
                    }
                    if ((flags & Plan.FLAG_SIGNED) != 0 && size < 64) {
                        value = (value << (64 - size)) >> (64 - size);
                    }
                    v[slot[pc]] = value;
                    pos += size;
                    if ((flags & Plan.FLAG_CLOCK) != 0) {
                        if (size < 64) {
                            long clockMask = (1L << size) - 1;
                            long low = value & clockMask;
                            if (Long.compareUnsigned(low, clock & clockMask) < 0) {
                                clock += clockMask + 1;
                            }
                            clock = (clock & ~clockMask) | low;
                        } else {
                            clock = value;
                        }
                    }
                    if ((flags & Plan.FLAG_EVENT_ID) != 0) {
                        eventId = value;
                        eventIdSet = true;
                    }
                    pc++;
                    break;
                }
                case Plan.VARINT: {
                    pos = (pos + 7) & ~7L;
                    int flags = plan.flags[pc];
                    long value = readVariableLength(plan, pc, pos, (flags & Plan.FLAG_SIGNED) != 0);
                    v[slot[pc]] = value;
                    pos = varintEnd;
                    if ((flags & Plan.FLAG_CLOCK) != 0) {
                        updateClock(value, 64);
                    }
                    if ((flags & Plan.FLAG_EVENT_ID) != 0) {
                        eventId = value;
                        eventIdSet = true;
                    }
                    pc++;
                    break;
                }
                case Plan.FLOAT32:
                case Plan.FLOAT64: {
                    long mask = alignMask[pc];
                    pos = (pos + mask) & ~mask;
                    int size = bits[pc];
                    if (pos + size > limit) {
                        throw beyond(plan, pc, pos, size);
                    }
                    v[slot[pc]] = readBits(pos, size, (plan.flags[pc] & Plan.FLAG_BIG_ENDIAN) != 0);
                    pos += size;
                    pc++;
                    break;
                }
                case Plan.STRING: {
                    pos = (pos + 7) & ~7L;
                    if (pos + 8 > limit) {
                        throw beyond(plan, pc, pos, 8);
                    }
                    int start = (int) (pos >>> 3);
                    int length = stringLength(start, (int) (limit >>> 3));
                    if (length < 0) {
                        throw new CtfException(path, windowBase + start, "string " + describe(plan, pc)
                                + " is not terminated before " + boundary());
                    }
                    v[slot[pc]] = start;
                    x[slot[pc]] = length;
                    pos = (long) (start + length + 1) << 3;
                    pc++;
                    break;
                }
                case Plan.VARIANT: {
                    long tag = values[plan.refScope[pc]][plan.refSlot[pc]];
                    VariantTable table = plan.variants[pc];
                    int option = table.select(tag);
                    if (option < 0) {
                        throw badTag(plan, pc, pos, tag, option);
                    }
                    v[slot[pc]] = option;
                    pc = table.optionStart[option];
                    break;
                }
                case Plan.JUMP:
                    pc = plan.jump[pc];
                    break;
                case Plan.FIXED_RUN: {
                    long mask = alignMask[pc];
                    long base = (pos + mask) & ~mask;
                    long end = base + bits[pc];
                    if (base > limit || end > limit) {
                        pc++;
                        break;
                    }
                    pc = readRun(plan, pc, base, v, x);
                    pos = end;
                    break;
                }
                case Plan.ARRAY_SKIP: {
                    long n = plan.count[pc];
                    if (n < 0) {
                        n = values[plan.refScope[pc]][plan.refSlot[pc]];
                        if (n < 0) {
                            throw tooLong(plan, pc, pos, n);
                        }
                    }
                    long mask = alignMask[pc];
                    pos = (pos + mask) & ~mask;
                    if (pos > limit) {
                        throw beyond(plan, pc, pos, 0);
                    }
                    long end = pos;
                    if (n > 0) {
                        long stride = bits[pc];
                        long element = plan.elementBits[pc];
                        if (stride > 0 && n - 1 > (limit - pos) / stride) {
                            throw tooLong(plan, pc, pos, n);
                        }
                        end = pos + (n - 1) * stride + element;
                        if (end > limit) {
                            throw tooLong(plan, pc, pos, n);
                        }
                    }
                    v[slot[pc]] = pos;
                    x[slot[pc]] = n;
                    pos = end;
                    pc++;
                    break;
                }
                case Plan.LOOP_START: {
                    long n = plan.count[pc];
                    if (n < 0) {
                        n = values[plan.refScope[pc]][plan.refSlot[pc]];
                        if (n < 0) {
                            throw tooLong(plan, pc, pos, n);
                        }
                    }
                    long minimum = plan.elementBits[pc];
                    if (minimum > 0 ? n > (limit - pos) / minimum : n > MAX_EMPTY_ELEMENTS) {
                        throw tooLong(plan, pc, pos, n);
                    }
                    v[slot[pc]] = pos;
                    x[slot[pc]] = n;
                    if (n == 0) {
                        pc = plan.jump[pc];
                        break;
                    }
                    if (depth == loopRemaining.length) {
                        loopRemaining = java.util.Arrays.copyOf(loopRemaining, depth * 2);
                    }
                    loopRemaining[depth++] = n;
                    pc++;
                    break;
                }
                case Plan.LOOP_END:
                    if (--loopRemaining[depth - 1] > 0) {
                        pc = plan.jump[pc];
                    } else {
                        depth--;
                        pc++;
                    }
                    break;
                default:
                    throw new IllegalStateException("bad operation " + code[pc]);
            }
        }
    }

    /** Reads the members of a {@link Plan#FIXED_RUN} known to fit; returns the operation after them. */
    private int readRun(Plan plan, int head, long base, long[] v, long[] x) {
        final int[] code = plan.code;
        final int[] slot = plan.slot;
        final int[] offset = plan.runOffset;
        int last = head + (int) plan.count[head];
        for (int pc = head + 1; pc <= last; pc++) {
            long at = base + offset[pc];
            int index = (int) (at >>> 3);
            switch (code[pc]) {
                case Plan.U8 -> v[slot[pc]] = byteAt(index) & 0xFFL;
                case Plan.S8 -> v[slot[pc]] = byteAt(index);
                case Plan.U16_LE -> v[slot[pc]] = shortLe(index) & 0xFFFFL;
                case Plan.S16_LE -> v[slot[pc]] = shortLe(index);
                case Plan.U32_LE -> v[slot[pc]] = intLe(index) & 0xFFFFFFFFL;
                case Plan.S32_LE -> v[slot[pc]] = intLe(index);
                case Plan.I64_LE -> v[slot[pc]] = longLe(index);
                case Plan.U16_BE -> v[slot[pc]] = shortBe(index) & 0xFFFFL;
                case Plan.S16_BE -> v[slot[pc]] = shortBe(index);
                case Plan.U32_BE -> v[slot[pc]] = intBe(index) & 0xFFFFFFFFL;
                case Plan.S32_BE -> v[slot[pc]] = intBe(index);
                case Plan.I64_BE -> v[slot[pc]] = longBe(index);
                case Plan.ARRAY_SKIP -> {
                    v[slot[pc]] = at;
                    x[slot[pc]] = plan.count[pc];
                }
                default -> throw new IllegalStateException("bad fixed run member " + code[pc]);
            }
        }
        return last + 1;
    }

    /** Length of the NUL-terminated string at a byte index, or -1 when no NUL comes before {@code end}. */
    private int stringLength(int start, int end) {
        int i = start;
        while (i + 8 <= end) {
            long word = longLe(i);
            long zeros = (word - 0x0101010101010101L) & ~word & 0x8080808080808080L;
            if (zeros != 0) {
                return i - start + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
            i += 8;
        }
        while (i < end) {
            if (byteAt(i) == 0) {
                return i - start;
            }
            i++;
        }
        return -1;
    }

    /**
     * Reads a LEB128 variable-length integer at a byte-aligned bit position and sets {@link #varintEnd}; a signed
     * one is sign-extended from its last value bit. Values that need more than 64 bits are rejected.
     */
    private long readVariableLength(Plan plan, int pc, long pos, boolean signed) {
        long value = 0;
        int shift = 0;
        long at = pos;
        while (true) {
            if (at + 8 > limit) {
                throw beyond(plan, pc, pos, (int) (at + 8 - pos));
            }
            int b = byteAt((int) (at >>> 3)) & 0xFF;
            at += 8;
            int group = b & 0x7F;
            boolean fits = shift < 63 || shift == 63 && (signed ? group == 0 || group == 0x7F : group <= 1);
            if (!fits) {
                throw new CtfException(path, windowBase + pos / 8, describe(plan, pc)
                        + ": variable-length integer does not fit 64 bits");
            }
            value |= (long) group << shift;
            shift += 7;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        if (signed && shift < 64) {
            value = (value << (64 - shift)) >> (64 - shift);
        }
        varintEnd = at;
        return value;
    }

    // ---------------------------------------------------------------- errors

    private String boundary() {
        return limitIsContent ? "the end of the packet content (content_size)" : "the end of the file";
    }

    private static String describe(Plan plan, int pc) {
        int slot = plan.slot[pc];
        String name = slot >= 0 && slot < plan.nodes.length ? plan.nodes[slot].path() : "";
        return plan.scope.name().toLowerCase().replace('_', ' ') + (name.isEmpty() ? "" : " field " + name);
    }

    private CtfException beyond(Plan plan, int pc, long at, int size) {
        if (size == 0) {
            return new CtfException(path, windowBase + at / 8, describe(plan, pc) + ": its alignment ("
                    + (plan.alignMask[pc] + 1) + " bits) goes beyond " + boundary());
        }
        return new CtfException(path, windowBase + at / 8, describe(plan, pc) + " (" + size + " bits at bit "
                + (at & 7) + ") crosses " + boundary());
    }

    private CtfException tooLong(Plan plan, int pc, long at, long n) {
        return new CtfException(path, windowBase + at / 8, describe(plan, pc) + ": length "
                + Long.toUnsignedString(n) + " goes beyond " + boundary());
    }

    private CtfException badTag(Plan plan, int pc, long at, long tag, int option) {
        VariantTable table = plan.variants[pc];
        String problem = table.byRange ? "selector value " + tag + " selects no option"
                : option == VariantTable.NO_LABEL ? "tag value " + tag + " has no enumeration label"
                : "tag label '" + table.labelOf(tag) + "' selects no option";
        return new CtfException(path, windowBase + at / 8, "variant " + describe(plan, pc) + ": " + problem);
    }

    // ---------------------------------------------------------------- access for the event view

    void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing was written: a failing close loses nothing.
        }
    }
}
