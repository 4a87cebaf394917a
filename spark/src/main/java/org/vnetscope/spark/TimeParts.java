package org.vnetscope.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.vnetscope.ctf.CtfException;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.document.HostTraces;

/**
 * The packets table's partitions: a host's traces larger than a partition should be are cut into consecutive time
 * parts, each read by a task of its own over its range. A packet row is one event's, so the parts' rows are exactly
 * the whole traces' (every event in the part its time falls in, the parts in time order). The size follows Spark's
 * rule for files ({@code spark.sql.files.maxPartitionBytes}, {@code spark.sql.files.openCostInBytes}): at most the
 * maximum, and no more than the bytes per core of the whole read, so that every core has a part; the cuts are the
 * reader's ({@link TraceReader#cutTimes}), from LTTng's index files, without decoding events. Traces the driver does
 * not have the stream files of (another file system) and ranges a task resolves (a time of day) stay whole.
 */
final class TimeParts {

    private TimeParts() {
    }

    /**
     * The largest part in bytes: {@code min(maxPartitionBytes, max(openCostBytes, total / parallelism))}, where the
     * total counts each host's traces with the cost of opening them.
     */
    static long partBytes(long[] traceBytes, long maxPartitionBytes, long openCostBytes, int parallelism) {
        long total = 0;
        for (long bytes : traceBytes) {
            total += bytes + openCostBytes;
        }
        return Math.max(1, Math.min(maxPartitionBytes, Math.max(openCostBytes, total / Math.max(1, parallelism))));
    }

    /**
     * Each part cut into time parts of about {@code partBytes} (parts of one host in time order, hosts in order).
     *
     * @param traceBytes each part's bytes, in the parts' order
     */
    static List<TracePart> cut(List<TracePart> parts, long[] traceBytes, long partBytes) {
        List<TracePart> cut = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            cut.addAll(cut(parts.get(i), traceBytes[i], partBytes));
        }
        return cut;
    }

    private static List<TracePart> cut(TracePart part, long bytes, long partBytes) {
        long wanted = (bytes + partBytes - 1) / partBytes;
        if (wanted < 2 || part.remote() || part.range() != null) {
            return List.of(part);
        }
        long[] cuts;
        try (TraceReader reader = HostTraces.open(part.paths().stream().map(java.nio.file.Path::of).toList(),
                part.asNamed(), Long.MIN_VALUE, Long.MAX_VALUE)) {
            cuts = reader.cutTimes((int) Math.min(wanted, 4096));
        } catch (CtfException | java.io.UncheckedIOException e) {
            return List.of(part); // the task reads it whole and tells what is wrong with it
        }
        List<long[]> ranges = new ArrayList<>();
        for (int i = 0; i <= cuts.length; i++) {
            long begin = Math.max(part.beginNs(), i == 0 ? Long.MIN_VALUE : cuts[i - 1] + 1);
            long end = Math.min(part.endNs(), i == cuts.length ? Long.MAX_VALUE : cuts[i]);
            if (begin <= end) {
                ranges.add(new long[] {begin, end});
            }
        }
        if (ranges.size() < 2) {
            return List.of(part);
        }
        List<TracePart> pieces = new ArrayList<>(ranges.size());
        for (int i = 0; i < ranges.size(); i++) {
            pieces.add(part.piece(i, ranges.size(), ranges.get(i)[0], ranges.get(i)[1]));
        }
        return pieces;
    }

    /** The bytes of each part's traces ({@link TracePart#traceBytes}). */
    static long[] traceBytes(List<TracePart> parts, Configuration hadoop) {
        return parts.stream().mapToLong(part -> part.traceBytes(hadoop)).toArray();
    }
}
