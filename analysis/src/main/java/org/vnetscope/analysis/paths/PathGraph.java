package org.vnetscope.analysis.paths;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.vnetscope.analysis.InterfaceId;
import org.HdrHistogram.Histogram;

/**
 * Aggregates journeys with the same device sequence into paths: packets, bytes, per-hop and end-to-end latency
 * (HdrHistogram), and where and why packets died. Its size depends on the number of distinct paths, not on the
 * trace.
 */
public final class PathGraph implements Consumer<Journey> {

    private static final int SIGNIFICANT_DIGITS = 3;
    /** Journeys whose latencies a path keeps before recording them ({@link Accumulator#pending}). */
    private static final int BATCH = 64;

    private final Map<List<DeviceRef>, Accumulator> paths = new HashMap<>();
    /** The same accumulators by the steps' interned device ids: found per journey without building a key. */
    private final StepIndex byDevices = new StepIndex();
    /**
     * The accumulator and the steps' first hops by the journey's steps, which every journey along the same hops
     * shares (so found by reference, and the last one at hand: a flow's journeys come in runs); at most
     * {@link #MAX_SHAPES}.
     */
    private final Map<List<DeviceStep>, Shape> byShape = new IdentityHashMap<>();
    private static final int MAX_SHAPES = 1 << 16;
    private List<DeviceStep> lastSteps;
    private Shape lastShape;

    private record Shape(Accumulator path, int[] firstHops) {
    }

    @Override
    public void accept(Journey journey) {
        List<DeviceStep> steps = journey.steps();
        if (steps.isEmpty()) {
            return;
        }
        Shape shape = steps == lastSteps ? lastShape : byShape.get(steps);
        if (shape == null) {
            shape = new Shape(accumulator(steps), firstHops(steps));
            if (byShape.size() < MAX_SHAPES) { // a journey that builds its steps anew has no shared list
                byShape.put(steps, shape);
            }
        }
        lastSteps = steps;
        lastShape = shape;
        Accumulator path = shape.path;
        int[] firstHops = shape.firstHops;
        int stepCount = firstHops.length;
        path.packets++;
        path.bytes += journey.bytes();
        long[] latencies = path.pending;
        int at = path.pendingJourneys * (stepCount + 1);
        long startNs = journey.timeNs(firstHops[0]);
        long endNs = journey.endTimeNs();
        long stepNs = startNs;
        for (int i = 0; i < stepCount; i++) {
            long next = i + 1 < stepCount ? journey.timeNs(firstHops[i + 1]) : endNs;
            latencies[at + i] = Math.max(0, next - stepNs);
            stepNs = next;
        }
        latencies[at + stepCount] = Math.max(0, endNs - startNs);
        if (++path.pendingJourneys == BATCH) {
            path.flush();
        }
        switch (journey.outcome()) {
            case DELIVERED -> path.delivered++;
            case DROPPED -> {
                path.dropped++;
                // traces before the reason field (kernel < 5.17) say nothing about why
                path.drops.merge(journey.dropReason() == null ? "unknown" : journey.dropReason(), 1L, Long::sum);
            }
            case UNTERMINATED -> path.unterminated++;
            case SEGMENTED -> path.segmented++;
        }
    }

    private Accumulator accumulator(List<DeviceStep> steps) {
        Accumulator path = byDevices.get(steps);
        if (path == null) {
            List<DeviceRef> key = new ArrayList<>(steps.size());
            for (DeviceStep step : steps) {
                key.add(new DeviceRef(step.name(), step.device().peer(), step.transmit(), step.device().part()));
            }
            path = paths.computeIfAbsent(key, k -> new Accumulator(k.size()));
            byDevices.put(steps, path);
        }
        return path;
    }

    private static int[] firstHops(List<DeviceStep> steps) {
        int[] hops = new int[steps.size()];
        for (int i = 0; i < hops.length; i++) {
            hops[i] = steps.get(i).firstHop();
        }
        return hops;
    }

    /** Adds another graph's paths (a shard of the same trace) to this one. */
    public void merge(PathGraph other) {
        other.paths.forEach((key, path) -> paths.merge(key, path, Accumulator::add));
    }

    /**
     * The paths, most packets first. Devices are resolved to their reported identity first (a device seen before
     * its hand-over named its peer takes the only peer its name has), so such packets land in the same path as
     * their fellows; the labeler names every device for display.
     */
    public List<PacketPath> result(UnaryOperator<InterfaceId> resolve, Function<DeviceRef, String> labeler) {
        return result(resolve, labeler, true);
    }

    /** As {@link #result(UnaryOperator, Function)}; without {@code latencies}, each latency is null, not computed. */
    public List<PacketPath> result(UnaryOperator<InterfaceId> resolve, Function<DeviceRef, String> labeler,
                                   boolean latencies) {
        Map<List<DeviceRef>, Accumulator> canonical = new LinkedHashMap<>();
        // Most paths resolve to a key of their own: they are reported as they are, read only. A copy (its
        // histograms' every bucket added) is made only where two paths fold into one, so that this graph stays
        // as it was, to be merged or reported again.
        Set<Accumulator> copies = Collections.newSetFromMap(new IdentityHashMap<>());
        paths.forEach((key, path) -> {
            List<DeviceRef> resolved = new ArrayList<>(key.size());
            for (DeviceRef ref : key) {
                InterfaceId id = resolve.apply(new InterfaceId(ref.name(), ref.partner(), ref.part()));
                resolved.add(new DeviceRef(id.name(), id.peer(), ref.transmit(), id.part()));
            }
            canonical.merge(resolved, path, (kept, more) -> {
                Accumulator sum = copies.contains(kept) ? kept : kept.copy();
                copies.add(sum);
                return sum.add(more);
            });
        });
        List<PacketPath> result = new ArrayList<>();
        canonical.forEach((key, path) -> result.add(path.toPath(key, labeler, latencies)));
        result.sort(Comparator.comparingLong(PacketPath::packets).reversed()
                .thenComparing(p -> String.join(" ", p.hops())));
        return List.copyOf(result);
    }

    /**
     * Accumulators by the sequence of (device id, direction) of a journey's steps, compared by reference: ids are
     * interned, so equal references are the same device; two equal ids from different interners only make two
     * entries for one accumulator. Open addressing, grown at half full; as small as the number of paths.
     */
    private static final class StepIndex {
        private InterfaceId[][] devices = new InterfaceId[64][];
        private long[] transmits = new long[64];
        private Accumulator[] values = new Accumulator[64];
        private int size;

        Accumulator get(List<DeviceStep> steps) {
            if (steps.size() > Long.SIZE) {
                return null;
            }
            long transmit = transmitBits(steps);
            int mask = values.length - 1;
            for (int slot = hash(steps, transmit) & mask; values[slot] != null; slot = (slot + 1) & mask) {
                if (transmits[slot] == transmit && sameDevices(devices[slot], steps)) {
                    return values[slot];
                }
            }
            return null;
        }

        void put(List<DeviceStep> steps, Accumulator path) {
            if (steps.size() > Long.SIZE) {
                return; // such a journey takes the slow way
            }
            InterfaceId[] ids = new InterfaceId[steps.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = steps.get(i).device();
            }
            insert(ids, transmitBits(steps), path);
            if (++size * 2 > values.length) {
                InterfaceId[][] oldDevices = devices;
                long[] oldTransmits = transmits;
                Accumulator[] oldValues = values;
                devices = new InterfaceId[oldValues.length * 2][];
                transmits = new long[oldValues.length * 2];
                values = new Accumulator[oldValues.length * 2];
                for (int i = 0; i < oldValues.length; i++) {
                    if (oldValues[i] != null) {
                        insert(oldDevices[i], oldTransmits[i], oldValues[i]);
                    }
                }
            }
        }

        private void insert(InterfaceId[] ids, long transmit, Accumulator path) {
            int mask = values.length - 1;
            int slot = hash(ids, transmit) & mask;
            while (values[slot] != null) {
                slot = (slot + 1) & mask;
            }
            devices[slot] = ids;
            transmits[slot] = transmit;
            values[slot] = path;
        }

        private static boolean sameDevices(InterfaceId[] ids, List<DeviceStep> steps) {
            if (ids.length != steps.size()) {
                return false;
            }
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] != steps.get(i).device()) {
                    return false;
                }
            }
            return true;
        }

        private static long transmitBits(List<DeviceStep> steps) {
            long bits = 0;
            for (int i = 0; i < steps.size(); i++) {
                if (steps.get(i).transmit()) {
                    bits |= 1L << i;
                }
            }
            return bits;
        }

        private static int hash(List<DeviceStep> steps, long transmit) {
            int h = steps.size();
            for (int i = 0; i < steps.size(); i++) {
                h = h * 31 + System.identityHashCode(steps.get(i).device());
            }
            return spread(h, transmit);
        }

        private static int hash(InterfaceId[] ids, long transmit) {
            int h = ids.length;
            for (InterfaceId id : ids) {
                h = h * 31 + System.identityHashCode(id);
            }
            return spread(h, transmit);
        }

        private static int spread(int h, long transmit) {
            h = h * 31 + Long.hashCode(transmit);
            return h ^ (h >>> 16);
        }
    }

    private static final class Accumulator {
        long packets;
        long bytes;
        long delivered;
        long dropped;
        long unterminated;
        long segmented;
        final Histogram[] hops;
        final Histogram endToEnd = new Histogram(SIGNIFICANT_DIGITS);
        final Map<String, Long> drops = new TreeMap<>();
        /**
         * Latencies of the last journeys not yet in the histograms, a row of hop latencies then the end-to-end one
         * per journey. Recorded a histogram at a time: its buckets spread over tens of kilobytes, and a path's
         * histograms together outgrow the cache, so recording each journey's values as they come misses it.
         */
        final long[] pending;
        int pendingJourneys;

        Accumulator(int steps) {
            hops = new Histogram[steps];
            for (int i = 0; i < steps; i++) {
                hops[i] = new Histogram(SIGNIFICANT_DIGITS);
            }
            pending = new long[BATCH * (steps + 1)];
        }

        /** Records the pending latencies: before the histograms are read, copied or added to. */
        void flush() {
            int width = hops.length + 1;
            for (int h = 0; h < width; h++) {
                Histogram histogram = h < hops.length ? hops[h] : endToEnd;
                for (int at = h; at < pendingJourneys * width; at += width) {
                    histogram.recordValue(pending[at]);
                }
            }
            pendingJourneys = 0;
        }

        Accumulator copy() {
            return new Accumulator(hops.length).add(this);
        }

        Accumulator add(Accumulator other) {
            flush();
            other.flush();
            packets += other.packets;
            bytes += other.bytes;
            delivered += other.delivered;
            dropped += other.dropped;
            unterminated += other.unterminated;
            segmented += other.segmented;
            for (int i = 0; i < hops.length; i++) {
                hops[i].add(other.hops[i]);
            }
            endToEnd.add(other.endToEnd);
            other.drops.forEach((reason, count) -> drops.merge(reason, count, Long::sum));
            return this;
        }

        PacketPath toPath(List<DeviceRef> key, Function<DeviceRef, String> labeler, boolean latencies) {
            flush();
            List<String> labels = key.stream().map(labeler).toList();
            List<PacketPath.HopLatency> hopLatency = new ArrayList<>();
            for (int i = 0; i < hops.length; i++) {
                String to = i + 1 < labels.size() ? labels.get(i + 1) : "end";
                hopLatency.add(new PacketPath.HopLatency(labels.get(i), to,
                        latencies ? PacketPath.Latency.of(hops[i]) : null));
            }
            List<PacketPath.Drop> dropList = new ArrayList<>();
            String last = labels.get(labels.size() - 1);
            drops.forEach((reason, count) -> dropList.add(new PacketPath.Drop(last, reason, count)));
            return new PacketPath(labels, packets, bytes, delivered, dropped, unterminated, segmented,
                    latencies ? PacketPath.Latency.of(endToEnd) : null, hopLatency, dropList, List.copyOf(key));
        }
    }
}
