package org.vnetscope.ctf.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
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
    private final StreamDecoder[] decoders;
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
    private boolean finished;

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
        Comparator<Integer> byTrace = (a, b) -> compareTraces(this.decoders[a].trace, this.decoders[b].trace,
                traceName[a], traceName[b]);
        Arrays.sort(order, byTrace
                .thenComparing((a, b) -> Long.compareUnsigned(this.decoders[a].file.streamClassId(),
                        this.decoders[b].file.streamClassId()))
                .thenComparing((a, b) -> Long.compareUnsigned(this.decoders[a].streamIdForOrder,
                        this.decoders[b].streamIdForOrder))
                .thenComparing(a -> this.decoders[a].file.path().toString()));
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
        if (beginNs > endNs) {
            throw new IllegalArgumentException("the range begins (" + beginNs + " ns) after it ends (" + endNs + " ns)");
        }
        for (StreamDecoder decoder : decoders) {
            decoder.limitTo(beginNs, endNs);
        }
        limited = true;
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
        long[] cuts = cutTimes(parts);
        List<PartReader> readers = new java.util.ArrayList<>(cuts.length + 1);
        if (cuts.length == 0) {
            readers.add(new PartReader(this));
        } else {
            List<StreamDecoder.Reopening> streams = Arrays.stream(decoders).map(StreamDecoder::reopening).toList();
            cutTo(Long.MIN_VALUE, cuts[0]);
            readers.add(new PartReader(this));
            for (int i = 0; i < cuts.length; i++) {
                long begin = cuts[i] + 1;
                long end = i + 1 < cuts.length ? cuts[i + 1] : Long.MAX_VALUE;
                readers.add(new PartReader(() -> reopen(streams).cutTo(begin, end)));
            }
        }
        return new TimeSplit(readers);
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
        return this;
    }

    /**
     * One part of a split. The parts after the first open their files when first read, on the thread that reads
     * them.
     */
    private final class PartReader implements TraceReader {
        private java.util.function.Supplier<MergingReader> opening;
        private MergingReader reader;
        private boolean closed;

        PartReader(MergingReader reader) {
            this.reader = reader;
        }

        PartReader(java.util.function.Supplier<MergingReader> opening) {
            this.opening = opening;
        }

        private MergingReader reader() {
            if (reader == null) {
                if (closed) {
                    throw new IllegalStateException("this part was closed");
                }
                reader = opening.get();
                opening = null;
            }
            return reader;
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
            throw new IllegalStateException("a part of a split has its own time range");
        }

        @Override
        public long startNs() {
            return MergingReader.this.startNs();
        }

        @Override
        public boolean next() {
            return reader().next();
        }

        @Override
        public Event event() {
            return reader == null ? null : reader.event();
        }

        @Override
        public Discard discard() {
            return reader == null ? null : reader.discard();
        }

        @Override
        public void close() {
            closed = true;
            if (reader != null) {
                reader.close();
            }
        }
    }

    /** Candidate cut times between the first event and the last packet end. */
    private static final int CUT_GRID = 512;
    /** What passing over an event costs beside reading it: most are stepped over whole, the others decoded unused. */
    private static final double SKIPPED_COST = 0.15;

    /**
     * Ends of the first parts, chosen so that the parts cost about the same to read. A packet's content is taken
     * as spread evenly from its first event to its end; a part that begins inside a packet also decodes that
     * packet's events before it (to find where its own begin), which counts against it. Fewer cuts when the
     * packets do not tell times enough apart.
     */
    private long[] cutTimes(int parts) {
        if (parts == 1) {
            return new long[0];
        }
        // Streams are sampled on the common pool: each decoder is touched by one task only.
        List<long[][]> spans = Arrays.stream(decoders).parallel().map(StreamDecoder::packetSpans).toList();
        int n = 0;
        for (long[][] stream : spans) {
            n += stream[0].length;
        }
        if (n < 2) {
            return new long[0];
        }
        long[] starts = new long[n];
        long[] ends = new long[n];
        long[] sizes = new long[n];
        int at = 0;
        for (long[][] stream : spans) {
            int count = stream[0].length;
            System.arraycopy(stream[0], 0, starts, at, count);
            System.arraycopy(stream[1], 0, ends, at, count);
            System.arraycopy(stream[2], 0, sizes, at, count);
            at += count;
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (int p = 0; p < n; p++) {
            first = Math.min(first, starts[p]);
            last = Math.max(last, ends[p]);
        }
        if (last - first < CUT_GRID) {
            return new long[0];
        }
        Integer[] byStart = new Integer[n];
        Integer[] byEnd = new Integer[n];
        for (int p = 0; p < n; p++) {
            byStart[p] = p;
            byEnd[p] = p;
        }
        Arrays.sort(byStart, Comparator.comparingLong(p -> starts[p]));
        Arrays.sort(byEnd, Comparator.comparingLong(p -> ends[p]));
        // before[g]: content before grid time g; inside[g]: content of packets around g that lies before g. A
        // sweep over the packets' starts and ends: packets under way at t hold sum(density * (t - start)).
        double[] before = new double[CUT_GRID + 1];
        double[] inside = new double[CUT_GRID + 1];
        double step = (double) (last - first) / CUT_GRID;
        double density = 0;
        double densityTimesStart = 0;
        double ended = 0;
        int nextStart = 0;
        int nextEnd = 0;
        for (int g = 0; g <= CUT_GRID; g++) {
            double t = first + g * step;
            for (; nextStart < n && starts[byStart[nextStart]] < t; nextStart++) {
                int p = byStart[nextStart];
                if (ends[p] > starts[p]) {
                    double d = (double) sizes[p] / (ends[p] - starts[p]);
                    density += d;
                    densityTimesStart += d * starts[p];
                }
            }
            for (; nextEnd < n && ends[byEnd[nextEnd]] <= t; nextEnd++) {
                int p = byEnd[nextEnd];
                if (ends[p] > starts[p]) {
                    double d = (double) sizes[p] / (ends[p] - starts[p]);
                    density -= d;
                    densityTimesStart -= d * starts[p];
                }
                ended += sizes[p];
            }
            double under = Math.max(0, density * t - densityTimesStart);
            before[g] = ended + under;
            inside[g] = under * SKIPPED_COST;
        }
        // The least cost of the dearest part that a greedy cut achieves, by bisection on that cost.
        double low = before[CUT_GRID] / parts;
        double high = before[CUT_GRID] * 2;
        int[] best = null;
        for (int round = 0; round < 40; round++) {
            double limit = (low + high) / 2;
            int[] cuts = greedyCuts(before, inside, parts, limit);
            if (cuts != null) {
                best = cuts;
                high = limit;
            } else {
                low = limit;
            }
        }
        if (best == null) {
            return new long[0];
        }
        long[] times = new long[best.length];
        int made = 0;
        for (int g : best) {
            long t = first + Math.round(g * step);
            if (g > 0 && g < CUT_GRID && (made == 0 || t > times[made - 1])) {
                times[made++] = t;
            }
        }
        return Arrays.copyOf(times, made);
    }

    /** Grid indexes ending each part but the last, each part as long as it stays within the cost; null if none fit. */
    private static int[] greedyCuts(double[] before, double[] inside, int parts, double limit) {
        int[] cuts = new int[parts - 1];
        int from = 0;
        for (int part = 0; part < parts - 1; part++) {
            int to = from;
            while (to < CUT_GRID && before[to + 1] - before[from] + inside[from] <= limit) {
                to++;
            }
            cuts[part] = to;
            from = to;
        }
        return before[CUT_GRID] - before[from] + inside[from] <= limit ? cuts : null;
    }

    /** The parts of a {@link #split}, and the check that they met without a gap or an overlap. */
    private static final class TimeSplit implements Split {
        private final List<PartReader> parts;

        TimeSplit(List<PartReader> parts) {
            this.parts = parts;
        }

        @Override
        public List<TraceReader> parts() {
            // The first part is the reader that was split, given as itself: one call less per record.
            List<TraceReader> readers = new java.util.ArrayList<>(parts);
            readers.set(0, parts.get(0).reader);
            return List.copyOf(readers);
        }

        @Override
        public boolean seamless() {
            for (PartReader part : parts) {
                if (part.reader == null || !part.reader.finished) {
                    throw new IllegalStateException("seamless() is known once every part was read to its end");
                }
            }
            for (int k = 0; k + 1 < parts.size(); k++) {
                StreamDecoder[] before = parts.get(k).reader.decoders;
                StreamDecoder[] after = parts.get(k + 1).reader.decoders;
                for (int s = 0; s < before.length; s++) {
                    long entry = after[s].cutEntry == StreamDecoder.NOT_YET ? StreamDecoder.STREAM_END
                            : after[s].cutEntry;
                    if (before[s].cutExit != entry || after[s].cutSkippedLate) {
                        return false;
                    }
                }
            }
            return true;
        }
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
