package org.vnetscope.ctf;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

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

    /**
     * Opens the traces under several paths (each a trace directory or a folder of them) as one set, as
     * {@link #open(Path, Warnings)} opens those of one folder: for instance the kernel and user-space traces of
     * one host that lie in different folders.
     *
     * @throws CtfException when a path holds no trace or a metadata file is invalid
     */
    static TraceReader open(List<Path> paths, Warnings warnings) {
        return org.vnetscope.ctf.internal.Readers.open(paths, warnings);
    }

    /**
     * Opens traces that a reader gave ({@link #traces()}, any of them, in any reader's order) as
     * {@link #open(List, Warnings)} opens their directories, without parsing their metadata again: for reading a
     * set of traces in groups (several hosts' traces, each host by itself) after a first reader of them all told
     * the groups apart. Their stream files are opened anew; the warnings of their metadata were those of the first
     * opening, and are not given again.
     *
     * @throws CtfException when a stream file cannot be read
     */
    static TraceReader openTraces(List<Trace> traces, Warnings warnings) {
        return org.vnetscope.ctf.internal.Readers.openTraces(traces, warnings);
    }

    /**
     * The trace directories a path holds (itself, or those found in its sub-folders in name order), without
     * opening them.
     *
     * @throws CtfException when the path does not exist or holds no trace
     */
    static List<Path> find(Path path) {
        return org.vnetscope.ctf.internal.Readers.find(path);
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
     * Another reader of the same traces from their start, unlimited, as opening them again would give, but without
     * reading their metadata, index files and first packets again: for reading several time ranges of one set of
     * traces ({@link #limitTo} on each). The readers are independent (each its own files' positions) and may be read
     * on different threads. Call before the first {@link #next()} of this reader.
     *
     * @return null for a reader that cannot (open the traces again instead)
     * @throws IllegalStateException when reading has started
     */
    default TraceReader openAgain() {
        return null;
    }

    /**
     * Passes over the events of the classes whose name {@code wanted} refuses: {@link #next()} no longer stops at
     * them, and those whose layout after the event header is fixed are stepped over without decoding their fields
     * (an analysis that subscribes to a few event names need not pay for the others). Discard records are all
     * yielded. How many events were passed over, and when, {@link #passedOver()} tells. Call before the first
     * {@link #next()}, after {@link #split} on each part that should pass over.
     *
     * @return false, changing nothing, for a reader that cannot pass over: it then yields every event
     * @throws IllegalStateException when reading has started
     */
    default boolean passOver(Predicate<String> wanted) {
        return false;
    }

    /**
     * The events {@link #passOver} left out so far: how many, and the earliest and latest of their times. Exact once
     * {@link #next()} has returned false; before that, a figure for progress (a reader that reads ahead may tell
     * where its own thread is).
     */
    default PassedOver passedOver() {
        return PassedOver.NONE;
    }

    /**
     * Events passed over: their number and time span (ns since the Unix epoch; {@link Long#MAX_VALUE} and
     * {@link Long#MIN_VALUE} when there were none).
     */
    record PassedOver(long events, long firstNs, long lastNs) {
        public static final PassedOver NONE = new PassedOver(0, Long.MAX_VALUE, Long.MIN_VALUE);

        /** The events of both, as if one reader had passed over them all. */
        public PassedOver plus(PassedOver other) {
            return new PassedOver(events + other.events, Math.min(firstNs, other.firstNs),
                    Math.max(lastNs, other.lastNs));
        }
    }

    /**
     * Cuts what this reader yields into at most {@code parts} consecutive time parts holding about the same amount
     * of trace data, each with its own reader over the same metadata, so that the parts can be read on different
     * threads. This reader becomes the first part; the others open the stream files again and pass over what comes
     * before them (through LTTng's index files when there are some). Every record goes whole to the part its time
     * falls in (a discard record, to the part where it begins): reading the parts one after the other yields
     * exactly the records of this reader read alone, in the same order, unless a stream's timestamps go back
     * across a cut. {@link Split#seamless()} tells which, once every part has been read to its end. A trace whose
     * packets carry no times is not cut: it is one part.
     *
     * <p>Call before the first {@link #next()}, and with more than one part not after {@link #limitTo}. Readers
     * that cannot be cut give themselves as the only part.
     *
     * @throws IllegalStateException when reading has started, or the reader is limited to a time range and
     *         {@code parts} is more than one
     */
    default Split split(int parts) {
        if (parts < 1) {
            throw new IllegalArgumentException("cannot split into " + parts + " parts");
        }
        TraceReader whole = this;
        return new Split() {
            @Override
            public List<TraceReader> parts() {
                return List.of(whole);
            }

            @Override
            public boolean seamless() {
                return true;
            }
        };
    }

    /**
     * Where {@link #split} would cut this reader into at most {@code parts} time parts, without opening them: the
     * last instant (ns since the Unix epoch) of each part but the last, in increasing order; part {@code i} holds
     * the records of times after cut {@code i - 1} up to cut {@code i} included. Chosen from LTTng's index files (or
     * the packets' headers) without decoding events, so that another process can read each part through
     * {@link #limitTo} on a reader of its own: an event's part is the one its time falls in. Empty when the trace
     * cannot be cut (one part). Call before the first {@link #next()}; this reader can still be read whole after.
     *
     * @throws IllegalStateException when reading has started
     */
    default long[] cutTimes(int parts) {
        if (parts < 1) {
            throw new IllegalArgumentException("cannot cut into " + parts + " parts");
        }
        return new long[0];
    }

    /**
     * For copying only part of a trace from remote storage: the bytes of each stream file that a reader of the
     * trace limited to [beginNs, endNs] ({@link #limitTo}) reads, worked out from the trace's metadata and LTTng
     * index files alone (the stream files need not be there; their sizes are given, to check the index files
     * against). For each stream file of {@code streamFileSizes} that has a usable index, its byte ranges as offset
     * and length pairs in increasing order, its first packet included; a file that is absent from the answer is to
     * be read whole.
     *
     * @param trace           a folder holding the trace's {@code metadata} and {@code index/} files
     * @param streamFileSizes the stream files' sizes by name
     * @throws CtfException when the metadata cannot be read
     */
    static java.util.Map<String, long[]> bytesOver(Path trace, java.util.Map<String, Long> streamFileSizes,
                                                   long beginNs, long endNs) {
        return org.vnetscope.ctf.internal.RangeBytes.over(trace, streamFileSizes, beginNs, endNs);
    }

    /** The time parts of a reader (see {@link #split}). */
    interface Split {
        /** The parts in time order; the first is the reader that was split. Each is read by one thread at a time. */
        List<TraceReader> parts();

        /**
         * Whether the parts, each read to its end, together yielded every record of the trace exactly once and in
         * the order of one reading of the whole: each stream's records were cut between parts where one part
         * stopped and the next took over. False when a stream's timestamps went back across a cut; the trace is
         * then to be read whole.
         *
         * @throws IllegalStateException when a part has not been read to its end
         */
        boolean seamless();
    }

    /**
     * This reader's records read on a thread of its own, some way ahead of the caller, who handles the earlier ones
     * meanwhile: the returned reader yields exactly the records this one would, in the same order, and answers every
     * question about an event as this one would (its values too stay valid only until the next {@link #next()}).
     * Use it instead of this reader, from one thread; closing it closes this one. Call before the first
     * {@link #next()}, after {@link #limitTo} if any. A reader that cannot read ahead returns itself.
     *
     * @throws IllegalStateException when reading has started
     */
    default TraceReader readingAhead() {
        return readingAhead(null);
    }

    /**
     * As {@link #readingAhead()}, the reading thread also running {@code preparation} on events it reads (after
     * decoding them, before the caller gets them) while it has time to spare: what it works out is the caller's
     * through {@link #prepared()} while the event is current. Which events it prepares depends on how the two threads
     * keep pace, so the caller works out itself what it finds unprepared, the same way. Null for none.
     */
    default TraceReader readingAhead(Preparation<?> preparation) {
        return this;
    }

    /** The preparation the reading thread runs on each event ({@link #readingAhead(Preparation)}), or null. */
    default Preparation<?> preparation() {
        return null;
    }

    /**
     * What {@link #preparation()} made of the current event: its slot, valid until the next {@link #next()}; null
     * when the reading thread did not prepare it, when there is no preparation, or for a discard.
     */
    default Object prepared() {
        return null;
    }

    /**
     * Work a reading thread does for its caller on events it reads ahead ({@link #readingAhead(Preparation)}), so
     * that what depends on the event alone is worked out beside the caller's handling of earlier events. Each
     * record read ahead has a slot of its own, made once and filled again for each event the record holds that is
     * prepared; the caller reads it while the event is current, the reading thread fills it again only after.
     *
     * @param <S> the slot
     */
    interface Preparation<S> {
        S newSlot();

        /** Fills the slot from the event (called on the reading thread, for every event in their order). */
        void prepare(Event event, S slot);
    }

    /**
     * When the trace begins: the earliest timestamp_begin of the streams' first packets, in ns since the Unix
     * epoch, or {@link Long#MIN_VALUE} when no packet context has one. babeltrace2 takes the date of a time-of-day
     * bound ({@code --begin 10:15}) from it.
     */
    long startNs();

    /** The size of the stream files being read, in bytes, or -1 when this reader cannot tell (for progress). */
    default long totalBytes() {
        return -1;
    }

    /**
     * How many bytes of the stream files lie before the packets being read (every stream's current packet), or -1
     * when this reader cannot tell; at most {@link #totalBytes()}. A figure for progress, cheap to ask now and then.
     */
    default long bytesRead() {
        return -1;
    }

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
