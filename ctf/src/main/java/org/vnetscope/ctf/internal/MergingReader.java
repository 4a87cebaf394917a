package org.vnetscope.ctf.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.vnetscope.ctf.Discard;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.StreamFile;
import org.vnetscope.ctf.Trace;
import org.vnetscope.ctf.TraceReader;

/**
 * Merges the records of every stream in timestamp order with a loser tree of streams, each holding its next
 * record: one comparison per tree level per record (a binary heap needs two), on flat arrays of keys.
 *
 * <p>Equal timestamps are ordered as babeltrace2's muxer orders them: by trace UUID (traces without one last),
 * then trace name, stream class id, and stream id; the stream file path settles the rest, so the order is total
 * and stable. Within one stream the file order is kept, even when timestamps go backwards.
 */
final class MergingReader implements TraceReader {
    private final List<Trace> traces;
    private final List<StreamFile> streamFiles;
    final StreamDecoder[] decoders;
    /** Timestamp of each stream's pending record. */
    private final long[] key;
    /** Position of each stream in the tie order; {@link Integer#MAX_VALUE} once the stream is exhausted. */
    private final int[] tieRank;
    /** Internal nodes 1..n-1 of the loser tree over streams 0..n-1 (leaf of stream i at n + i). */
    private final int[] losers;
    private int winner = -1;
    private boolean started;
    private StreamDecoder current;
    private final EventView view = new EventView();
    private final List<String> traceNames;
    private boolean limited;
    /** Whether this reader is one time part of a split, its range set by the split. */
    private boolean part;
    /** Whether {@link #next()} has returned false: for a part of a split, that it was read to its end. */
    boolean finished;

    MergingReader(List<Trace> traces, List<StreamDecoder> decoders, List<String> traceNames) {
        this.traceNames = traceNames;
        this.traces = List.copyOf(traces);
        this.decoders = decoders.toArray(StreamDecoder[]::new);
        this.streamFiles = decoders.stream().map(d -> d.file).toList();
        Integer[] order = new Integer[this.decoders.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // Traces are records holding their whole metadata: find them by identity, never by deep equality.
        String[] traceName = new String[this.decoders.length];
        for (int i = 0; i < traceName.length; i++) {
            for (int t = 0; t < traces.size(); t++) {
                if (traces.get(t) == this.decoders[i].trace.trace) {
                    traceName[i] = traceNames.get(t);
                }
            }
        }
        // One comparator rather than thenComparing's chain, whose lambdas the JVM would generate on a cold start.
        Comparator<Integer> tieOrder = (a, b) -> {
            StreamDecoder x = this.decoders[a];
            StreamDecoder y = this.decoders[b];
            int by = compareTraces(x.trace, y.trace, traceName[a], traceName[b]);
            if (by == 0) {
                by = Long.compareUnsigned(x.file.streamClassId(), y.file.streamClassId());
            }
            if (by == 0) {
                by = Long.compareUnsigned(x.streamIdForOrder, y.streamIdForOrder);
            }
            return by != 0 ? by : x.file.path().toString().compareTo(y.file.path().toString());
        };
        Arrays.sort(order, tieOrder);
        tieRank = new int[order.length];
        for (int rank = 0; rank < order.length; rank++) {
            tieRank[order[rank]] = rank;
        }
        key = new long[this.decoders.length];
        losers = new int[this.decoders.length];
    }

    private static int compareTraces(CompiledTrace a, CompiledTrace b, String nameA, String nameB) {
        if (a.uuid != null && b.uuid == null) {
            return -1;
        }
        if (a.uuid == null && b.uuid != null) {
            return 1;
        }
        if (a.uuid != null) {
            int byUuid = Arrays.compareUnsigned(a.uuid, b.uuid);
            if (byUuid != 0) {
                return byUuid;
            }
        }
        return nameA.compareTo(nameB);
    }

    @Override
    public List<Trace> traces() {
        return traces;
    }

    @Override
    public List<StreamFile> streams() {
        return streamFiles;
    }

    @Override
    public void limitTo(long beginNs, long endNs) {
        if (started) {
            throw new IllegalStateException("limitTo must come before the first next()");
        }
        if (part) {
            throw new IllegalStateException("a part of a split has its own time range");
        }
        if (beginNs > endNs) {
            throw new IllegalArgumentException("the range begins (" + beginNs + " ns) after it ends (" + endNs + " ns)");
        }
        for (StreamDecoder decoder : decoders) {
            decoder.limitTo(beginNs, endNs);
        }
        limited = true;
    }

    @Override
    public boolean passOver(Predicate<String> wanted) {
        if (started) {
            throw new IllegalStateException("passOver must come before the first next()");
        }
        int classes = 0;
        for (StreamDecoder decoder : decoders) {
            for (CompiledTrace.Stream stream : decoder.trace.streams.values()) {
                for (CompiledTrace.Event event : stream.events.values()) {
                    classes = Math.max(classes, event.index + 1);
                }
            }
        }
        boolean[] passed = new boolean[classes];
        boolean any = false;
        for (StreamDecoder decoder : decoders) {
            for (CompiledTrace.Stream stream : decoder.trace.streams.values()) {
                for (CompiledTrace.Event event : stream.events.values()) {
                    passed[event.index] = !wanted.test(event.eventClass.name());
                    any |= passed[event.index];
                }
            }
        }
        for (StreamDecoder decoder : decoders) {
            decoder.passOver = any ? passed : null;
        }
        return true;
    }

    @Override
    public PassedOver passedOver() {
        long events = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (StreamDecoder decoder : decoders) {
            events += decoder.passedOverEvents;
            first = Math.min(first, decoder.passedOverFirstNs);
            last = Math.max(last, decoder.passedOverLastNs);
        }
        return events == 0 ? PassedOver.NONE : new PassedOver(events, first, last);
    }

    @Override
    public long[] cutTimes(int parts) {
        if (parts < 1) {
            throw new IllegalArgumentException("cannot cut into " + parts + " parts");
        }
        if (started) {
            throw new IllegalStateException("cutTimes must come before the first next()");
        }
        return TimeSplit.cutTimes(decoders, parts);
    }

    @Override
    public Split split(int parts) {
        if (parts < 1) {
            throw new IllegalArgumentException("cannot split into " + parts + " parts");
        }
        if (started) {
            throw new IllegalStateException("split must come before the first next()");
        }
        if (limited && parts > 1) {
            throw new IllegalStateException("a reader limited to a time range is not split");
        }
        long[] cuts = TimeSplit.cutTimes(decoders, parts);
        List<TimeSplit.Part> readers = new java.util.ArrayList<>(cuts.length + 1);
        readers.add(new TimeSplit.Part(this));
        if (cuts.length > 0) {
            List<StreamDecoder.Reopening> streams = Arrays.stream(decoders).map(StreamDecoder::reopening).toList();
            cutTo(Long.MIN_VALUE, cuts[0]);
            for (int i = 0; i < cuts.length; i++) {
                long begin = cuts[i] + 1;
                long end = i + 1 < cuts.length ? cuts[i + 1] : Long.MAX_VALUE;
                readers.add(new TimeSplit.Part(this, () -> reopen(streams).cutTo(begin, end)));
            }
        }
        return new TimeSplit(readers);
    }

    @Override
    public synchronized TraceReader openAgain() {
        if (started) {
            throw new IllegalStateException("openAgain must come before the first next()");
        }
        return reopen(Arrays.stream(decoders).map(StreamDecoder::reopening).toList());
    }

    /** A reader of the same streams from their start, in the same order. */
    private MergingReader reopen(List<StreamDecoder.Reopening> streams) {
        List<StreamDecoder> opened = new java.util.ArrayList<>(streams.size());
        try {
            for (StreamDecoder.Reopening stream : streams) {
                opened.add(new StreamDecoder(stream));
            }
        } catch (RuntimeException e) {
            opened.forEach(StreamDecoder::close);
            throw e;
        }
        return new MergingReader(traces, opened, traceNames);
    }

    private MergingReader cutTo(long beginNs, long endNs) {
        for (StreamDecoder decoder : decoders) {
            decoder.cutTo(beginNs, endNs);
        }
        limited = true;
        part = true;
        return this;
    }

    @Override
    public long totalBytes() {
        long total = 0;
        for (StreamDecoder decoder : decoders) {
            total += decoder.totalBytes();
        }
        return total;
    }

    @Override
    public long bytesRead() {
        long read = 0;
        for (StreamDecoder decoder : decoders) {
            read += decoder.bytesRead();
        }
        return read;
    }

    @Override
    public long startNs() {
        long start = Long.MAX_VALUE;
        for (StreamDecoder decoder : decoders) {
            if (decoder.firstPacketBeginNs != StreamDecoder.NO_TIME) {
                start = Math.min(start, decoder.firstPacketBeginNs);
            }
        }
        return start == Long.MAX_VALUE ? Long.MIN_VALUE : start;
    }

    @Override
    public boolean next() {
        int n = decoders.length;
        if (!started) {
            started = true;
            if (n == 0) {
                finished = true;
                return false;
            }
            for (int i = 0; i < n; i++) {
                pull(i);
            }
            winner = buildTree();
        } else if (winner < 0) {
            return false;
        } else {
            pull(winner);
            // before() written out: this loop runs once per tree level per record.
            int w = winner;
            long wKey = key[w];
            int wRank = tieRank[w];
            for (int node = (w + n) >>> 1; node > 0; node >>>= 1) {
                int other = losers[node];
                long otherKey = key[other];
                if (otherKey < wKey || (otherKey == wKey && tieRank[other] < wRank)) {
                    losers[node] = w;
                    w = other;
                    wKey = otherKey;
                    wRank = tieRank[other];
                }
            }
            winner = w;
        }
        if (tieRank[winner] == Integer.MAX_VALUE) {
            winner = -1;
            current = null;
            finished = true;
            return false;
        }
        current = decoders[winner];
        if (current.kind == StreamDecoder.EVENT) {
            view.set(current);
        }
        return true;
    }

    /** Moves a stream to its next record and updates its key; an exhausted stream sorts after all others. */
    private void pull(int stream) {
        if (decoders[stream].advance()) {
            key[stream] = decoders[stream].timestampNs;
        } else {
            key[stream] = Long.MAX_VALUE;
            tieRank[stream] = Integer.MAX_VALUE;
        }
    }

    /** Plays the first round of the tournament; returns the overall winner. */
    private int buildTree() {
        int n = decoders.length;
        int[] winners = new int[2 * n];
        for (int i = 0; i < n; i++) {
            winners[n + i] = i;
        }
        for (int node = n - 1; node > 0; node--) {
            int a = winners[2 * node];
            int b = winners[2 * node + 1];
            boolean aFirst = before(a, b);
            winners[node] = aFirst ? a : b;
            losers[node] = aFirst ? b : a;
        }
        return n == 1 ? 0 : winners[1];
    }

    private boolean before(int a, int b) {
        long ka = key[a];
        long kb = key[b];
        return ka < kb || (ka == kb && tieRank[a] < tieRank[b]);
    }

    /** The decoder of the current record. */
    StreamDecoder current() {
        return current;
    }

    /** The stream (index in {@link #decoders}) of the current record. */
    int currentStream() {
        return winner;
    }

    @Override
    public TraceReader readingAhead(Preparation<?> preparation) {
        if (started) {
            throw new IllegalStateException("readingAhead must come before the first next()");
        }
        return new ReadAhead(this, preparation);
    }

    @Override
    public Event event() {
        return current != null && current.kind == StreamDecoder.EVENT ? view : null;
    }

    @Override
    public Discard discard() {
        return current != null && current.kind == StreamDecoder.DISCARD ? current.discard : null;
    }

    @Override
    public void close() {
        for (StreamDecoder decoder : decoders) {
            decoder.close();
        }
        current = null;
        winner = -1;
    }
}
