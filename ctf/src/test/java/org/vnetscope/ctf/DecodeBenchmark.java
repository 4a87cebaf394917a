package org.vnetscope.ctf;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A quick measurement of the reader, outside JMH: {@code DecodeBenchmark TRACE [rounds]} reads the trace
 * {@code rounds} times, decoding every field of every event ({@link Event#decodeAll()}), and prints events/s per
 * round; the last rounds show the warm steady state. With {@code --counts} it prints events by name instead.
 */
public final class DecodeBenchmark {
    private DecodeBenchmark() {
    }

    public static void main(String[] args) {
        Path trace = Path.of(args[0]);
        if (args.length > 1 && args[1].equals("--order")) {
            printOrder(trace);
            return;
        }
        if (args.length > 1 && args[1].equals("--counts")) {
            printCounts(trace);
            return;
        }
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        long checksum = 0;
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            long events = 0;
            try (TraceReader reader = TraceReader.open(trace)) {
                while (reader.next()) {
                    Event event = reader.event();
                    if (event != null) {
                        checksum += event.decodeAll();
                        events++;
                    }
                }
            }
            long elapsed = System.nanoTime() - start;
            System.out.printf("round %d: %d events in %.1f ms: %.2f M events/s%n", round, events, elapsed / 1e6,
                    events * 1e3 / elapsed);
        }
        System.out.println("checksum " + checksum);
    }

    private static void printOrder(Path trace) {
        FieldKey cpu = FieldKey.of("cpu_id");
        StringBuilder out = new StringBuilder();
        try (TraceReader reader = TraceReader.open(trace)) {
            while (reader.next()) {
                Event event = reader.event();
                if (event == null) {
                    out.append("discard ").append(reader.discard()).append('\n');
                    continue;
                }
                long ns = event.timestampNs();
                out.append(String.format("%d.%09d %s %s%n", Math.floorDiv(ns, 1_000_000_000L),
                        Math.floorMod(ns, 1_000_000_000L), event.name(), event.has(cpu) ? event.getLong(cpu) : -1));
                if (out.length() > 1 << 20) {
                    System.out.print(out);
                    out.setLength(0);
                }
            }
        }
        System.out.print(out);
    }

    private static void printCounts(Path trace) {
        Map<String, Long> counts = new TreeMap<>();
        long total = 0;
        long discards = 0;
        long discardedEvents = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        try (TraceReader reader = TraceReader.open(trace)) {
            while (reader.next()) {
                Event event = reader.event();
                if (event == null) {
                    discards++;
                    Discard lost = reader.discard();
                    if (lost.kind() == Discard.Kind.EVENTS && lost.count() > 0) {
                        discardedEvents += lost.count();
                    }
                    continue;
                }
                total++;
                counts.merge(event.name(), 1L, Long::sum);
                first = Math.min(first, event.timestampNs());
                last = Math.max(last, event.timestampNs());
            }
            System.out.printf("TOTAL %d distinct=%d streams=%d discarded_msgs=%d discarded_events=%d first=%d last=%d%n",
                    total, counts.size(), reader.streams().size(), discards, discardedEvents, first, last);
        }
        counts.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> System.out.println(e.getValue() + " " + e.getKey()));
    }
}
