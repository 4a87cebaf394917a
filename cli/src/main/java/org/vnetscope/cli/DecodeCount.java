package org.vnetscope.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.TraceReader;

/**
 * What {@code dump --decode-only} does: every field of every event decoded, the trace's time parts each on a
 * thread of its own, and the count and checksum of one reading of the whole.
 */
final class DecodeCount {

    private DecodeCount() {
    }

    /** Events, the sum of their {@link Event#decodeAll()} hashes, and the threads that read them. */
    record Result(long events, long checksum, int threads) {
    }

    /**
     * Reads {@code reader} in up to {@code threads} time parts ({@link TraceReader#split}), the first on this
     * thread. Parts that did not meet exactly (timestamps going back across a cut) are not added up: the trace is
     * read again as one, from {@code whole}, with a warning. An error is the one of the earliest part that failed,
     * the one a reading of the whole meets first.
     */
    static Result count(TraceReader reader, int threads, Supplier<TraceReader> whole, Consumer<String> warnings) {
        TraceReader.Split split = reader.split(threads);
        List<TraceReader> parts = split.parts();
        long[][] results = new long[parts.size()][];
        Throwable[] failures = new Throwable[parts.size()];
        List<Thread> helpers = new ArrayList<>();
        for (int i = 1; i < parts.size(); i++) {
            int part = i;
            Thread helper = new Thread(() -> {
                try {
                    results[part] = decodeAll(parts.get(part));
                } catch (RuntimeException | Error e) {
                    failures[part] = e;
                }
            }, "decode-part-" + part);
            helper.setDaemon(true);
            helper.start();
            helpers.add(helper);
        }
        try {
            results[0] = decodeAll(parts.get(0));
        } catch (RuntimeException | Error e) {
            failures[0] = e;
        }
        for (Thread helper : helpers) {
            try {
                helper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while decoding", e);
            }
        }
        for (TraceReader part : parts.subList(1, parts.size())) {
            part.close();
        }
        for (Throwable failure : failures) {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
        }
        if (!split.seamless()) {
            warnings.accept("timestamps go back across a cut between time parts; decoding the trace again on one "
                    + "thread");
            try (TraceReader again = whole.get()) {
                long[] result = decodeAll(again);
                return new Result(result[0], result[1], 1);
            }
        }
        long events = 0;
        long checksum = 0;
        for (long[] result : results) {
            events += result[0];
            checksum += result[1];
        }
        return new Result(events, checksum, parts.size());
    }

    private static long[] decodeAll(TraceReader reader) {
        long events = 0;
        long checksum = 0;
        while (reader.next()) {
            Event event = reader.event();
            if (event != null) {
                checksum += event.decodeAll();
                events++;
            }
        }
        return new long[] {events, checksum};
    }
}
