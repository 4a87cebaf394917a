package org.vnetscope.ctf.internal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.ctf.meta.TraceClass;

/**
 * The bytes of a trace's stream files that a reader limited to a time range goes through, worked out from the
 * metadata and LTTng's index files alone ({@link TraceReader#bytesOver}): for copying only those from a remote file
 * system. Per stream file: its first packet, which opening a trace reads, and its packets from two before the first
 * that ends in the range to the one after the first non-empty packet that begins after it. The reader passes over
 * what comes before the range by the index, reading the header of the packet just before it, and stops a stream at
 * its first event after the range, which an empty packet does not hold; the packet after that one is the margin
 * the discard counters may be compared with.
 */
public final class RangeBytes {

    private RangeBytes() {
    }

    /** See {@link TraceReader#bytesOver}. */
    public static Map<String, long[]> over(Path trace, Map<String, Long> streamFileSizes, long beginNs, long endNs) {
        // only the clocks are needed: no decoding plan is compiled
        TraceClass meta = Readers.parseMetadata(trace.resolve("metadata"), TraceReader.Warnings.IGNORE);
        Map<Long, ClockConverter> clocks = new HashMap<>();
        meta.streams().forEach((id, streamClass) -> clocks.put(id, CompiledTrace.Stream.clockOf(meta, streamClass)));
        Map<String, long[]> needed = new LinkedHashMap<>();
        for (Map.Entry<String, Long> file : streamFileSizes.entrySet()) {
            PacketIndex index;
            try {
                index = PacketIndex.read(PacketIndex.fileOf(trace.resolve(file.getKey())), file.getValue());
            } catch (PacketIndex.Unusable e) {
                continue; // read whole
            }
            long[] ranges = over(index, clocks, beginNs, endNs);
            if (ranges != null) {
                needed.put(file.getKey(), ranges);
            }
        }
        return needed;
    }

    /** Offset and length pairs in increasing order, or null when the file is to be read whole. */
    private static long[] over(PacketIndex index, Map<Long, ClockConverter> clocks, long beginNs, long endNs) {
        int n = index.count;
        if (n == 0) {
            return null;
        }
        long emptyBits = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            if (!clocks.containsKey(index.streamId[i]) || index.beginCycles[i] == PacketIndex.UNKNOWN
                    || index.endCycles[i] == PacketIndex.UNKNOWN) {
                return null;
            }
            emptyBits = Math.min(emptyBits, index.contentBits[i]);
        }
        int first = n;
        for (int i = 0; i < n; i++) {
            if (toNs(clocks, index, i, index.endCycles[i]) >= beginNs) {
                first = i;
                break;
            }
        }
        int from = Math.max(0, Math.min(first, n) - 2);
        int to = n - 1;
        for (int i = first; i < n; i++) {
            if (toNs(clocks, index, i, index.beginCycles[i]) > endNs && index.contentBits[i] > emptyBits) {
                to = Math.min(n - 1, i + 1);
                break;
            }
        }
        long firstPacketEnd = index.offset[0] + index.packetBytes[0];
        long rangeStart = index.offset[from];
        long rangeEnd = index.offset[to] + index.packetBytes[to];
        if (rangeStart <= firstPacketEnd) {
            return new long[] {index.offset[0], rangeEnd - index.offset[0]};
        }
        return new long[] {index.offset[0], index.packetBytes[0], rangeStart, rangeEnd - rangeStart};
    }

    private static long toNs(Map<Long, ClockConverter> clocks, PacketIndex index, int packet, long cycles) {
        return clocks.get(index.streamId[packet]).toNs(cycles);
    }
}
