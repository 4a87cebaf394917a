package org.vnetscope.ctf;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads one or several CTF traces as a single sequence of events in timestamp order, interleaved with the
 * {@link Discard} records the tracer reported. A pull reader: {@link #next()} moves to the next record.
 *
 * <pre>{@code
 * try (TraceReader reader = TraceReader.open(Path.of("lttng-traces/session"))) {
 *     while (reader.next()) {
 *         if (reader.event() != null) { ... } else { Discard lost = reader.discard(); ... }
 *     }
 * }
 * }</pre>
 *
 * Not thread-safe. Warnings (timestamps going backwards in a stream, unknown attributes) go to the
 * {@link Warnings} given at open; errors are {@link CtfException}s naming file and offset.
 */
public interface TraceReader extends Closeable {

    /**
     * Opens a trace directory (one holding {@code metadata}) or a folder whose sub-folders hold traces (an
     * LTTng session folder with {@code kernel/} and {@code ust/...}).
     *
     * @throws CtfException when no trace is found or a metadata file is invalid
     */
    static TraceReader open(Path path) {
        return open(path, Warnings.STDERR);
    }

    static TraceReader open(Path path, Warnings warnings) {
        return org.vnetscope.ctf.internal.Readers.open(path, warnings);
    }

    /** The traces being read, in path order. */
    List<Trace> traces();

    /**
     * Every data stream being read. A stream LTTng rotated over several files ({@code --tracefile-size}) is one
     * stream, read file after file.
     */
    List<StreamFile> streams();

    /**
     * Reads only the records of the time range [beginNs, endNs] (ns since the Unix epoch, both included), as
     * babeltrace2's {@code --begin}/{@code --end} trim a trace: events outside it are left out, and a discard
     * record that crosses a bound is cut at that bound, its count then unknown. Packets that end before the range
     * are passed over without decoding their events, found through LTTng's index files when the trace has them.
     * Call before the first {@link #next()}.
     *
     * @throws IllegalStateException when reading has started
     * @throws IllegalArgumentException when the range begins after it ends
     */
    void limitTo(long beginNs, long endNs);

    /**
     * When the trace begins: the earliest timestamp_begin of the streams' first packets, in ns since the Unix
     * epoch, or {@link Long#MIN_VALUE} when no packet context has one. babeltrace2 takes the date of a time-of-day
     * bound ({@code --begin 10:15}) from it.
     */
    long startNs();

    /**
     * Moves to the next record in timestamp order (ties broken by stream order, so the order is stable).
     *
     * @return false at the end of all streams
     * @throws CtfException on corrupt or truncated data
     */
    boolean next();

    /** The current event, or null when the current record is a {@link Discard}. */
    Event event();

    /** The current discard record, or null when the current record is an event. */
    Discard discard();

    /** Releases the files. */
    @Override
    void close();

    /** Where non-fatal problems are reported. */
    @FunctionalInterface
    interface Warnings {
        void warn(String message);

        Warnings STDERR = message -> System.err.println("warning: " + message);
        Warnings IGNORE = message -> { };
    }
}
