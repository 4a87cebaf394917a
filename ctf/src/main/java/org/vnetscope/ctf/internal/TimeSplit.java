package org.vnetscope.ctf.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.vnetscope.ctf.Discard;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.StreamFile;
import org.vnetscope.ctf.Trace;
import org.vnetscope.ctf.TraceReader;

/**
 * The time parts of a split reader ({@link TraceReader#split}): where to cut, each part's reader, and the check
 * that the parts met without a gap or an overlap, from where each stream's records lie in it
 * ({@link StreamDecoder#cutEntry}, {@link StreamDecoder#cutExit}).
 */
final class TimeSplit implements TraceReader.Split {
    private final List<Part> parts;

    TimeSplit(List<Part> parts) {
        this.parts = parts;
    }

    @Override
    public List<TraceReader> parts() {
        // The first part is the reader that was split, given as itself: one call less per record.
        List<TraceReader> readers = new ArrayList<>(parts);
        readers.set(0, parts.get(0).reader);
        return List.copyOf(readers);
    }

    @Override
    public boolean seamless() {
        for (Part part : parts) {
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
    static long[] cutTimes(StreamDecoder[] decoders, int parts) {
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
        Arrays.sort(byStart, new ByKey(starts));
        Arrays.sort(byEnd, new ByKey(ends));
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

    /**
     * Orders packet numbers by a time of theirs. A class rather than {@code Comparator.comparingLong}, whose
     * lambdas the JVM would generate while the command waits (about a millisecond each on a cold start).
     */
    private static final class ByKey implements Comparator<Integer> {
        private final long[] keys;

        ByKey(long[] keys) {
            this.keys = keys;
        }

        @Override
        public int compare(Integer a, Integer b) {
            return Long.compare(keys[a], keys[b]);
        }
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

    /**
     * One part of a split. The parts after the first open their files when first read, on the thread that reads
     * them.
     */
    static final class Part implements TraceReader {
        /** The reader that was split: what it knows of the traces, every part knows. */
        private final MergingReader whole;
        private Supplier<MergingReader> opening;
        private MergingReader reader;
        private boolean closed;
        /** The events to yield, for a part opened later; null for all. */
        private Predicate<String> wanted;

        /** The first part: the reader that was split. */
        Part(MergingReader whole) {
            this.whole = whole;
            this.reader = whole;
        }

        Part(MergingReader whole, Supplier<MergingReader> opening) {
            this.whole = whole;
            this.opening = opening;
        }

        private MergingReader reader() {
            if (reader == null) {
                if (closed) {
                    throw new IllegalStateException("this part was closed");
                }
                reader = opening.get();
                opening = null;
                if (wanted != null) {
                    reader.passOver(wanted);
                }
            }
            return reader;
        }

        @Override
        public List<Trace> traces() {
            return whole.traces();
        }

        @Override
        public List<StreamFile> streams() {
            return whole.streams();
        }

        @Override
        public void limitTo(long beginNs, long endNs) {
            throw new IllegalStateException("a part of a split has its own time range");
        }

        @Override
        public long startNs() {
            return whole.startNs();
        }

        @Override
        public boolean passOver(Predicate<String> wanted) {
            if (reader != null) {
                return reader.passOver(wanted);
            }
            this.wanted = wanted;
            return true;
        }

        @Override
        public PassedOver passedOver() {
            return reader == null ? PassedOver.NONE : reader.passedOver();
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
}
