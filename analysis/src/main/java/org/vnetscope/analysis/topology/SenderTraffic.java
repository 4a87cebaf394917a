package org.vnetscope.analysis.topology;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.vnetscope.analysis.InterfaceId;
import org.vnetscope.analysis.LongObjectMap;
import org.vnetscope.analysis.paths.Journey;

/**
 * IPv4 traffic by source and destination address and the device each packet was first seen on, in time bins:
 * the sender's side of every conversation, from which a VM traffic matrix counts each packet once (where it was
 * sent, not again where it was received, on this host or another). A packet cut into GSO segments on its way is
 * counted as sent, its segments (journeys that start at the device that cut them) are left to the reader to tell.
 * Bins are aligned on multiples of their width since the epoch, so that tables of several hosts add up bin by bin.
 */
public final class SenderTraffic implements Consumer<Journey> {

    private final long binNs;
    private final Map<Key, Accumulator> table = new HashMap<>();
    /** The last key looked up, reused: one conversation's packets come in runs. */
    private Key lastKey;
    private Accumulator last;
    /**
     * The same accumulators by device (interned: found by reference) and address pair, so that a conversation found
     * before is found again without hashing its key record. The pair is {@code source << 32 | destination}.
     */
    private final Map<InterfaceId, LongObjectMap<Accumulator>> byDevice = new IdentityHashMap<>();

    public SenderTraffic(long binNs) {
        this.binNs = binNs;
    }

    private record Key(int source, int destination, InterfaceId device) {
    }

    private static final class Accumulator {
        long packets;
        long bytes;
        long firstBin = Long.MIN_VALUE;
        long[] bins = new long[8];

        void add(long bin, long frameBytes) {
            addToBin(bin, frameBytes);
            packets++;
            bytes += frameBytes;
        }

        void add(Accumulator other) {
            for (int i = 0; i < other.bins.length; i++) {
                if (other.bins[i] != 0) {
                    addToBin(other.firstBin + i, other.bins[i]);
                }
            }
            packets += other.packets;
            bytes += other.bytes;
        }

        private void addToBin(long bin, long frameBytes) {
            if (firstBin == Long.MIN_VALUE) {
                firstBin = bin;
            }
            if (bin < firstBin) {
                int shift = (int) (firstBin - bin);
                long[] grown = new long[bins.length + shift];
                System.arraycopy(bins, 0, grown, shift, bins.length);
                bins = grown;
                firstBin = bin;
            }
            int at = (int) (bin - firstBin);
            if (at >= bins.length) {
                bins = Arrays.copyOf(bins, Math.max(at + 1, bins.length * 2));
            }
            bins[at] += frameBytes;
        }
    }

    @Override
    public void accept(Journey journey) {
        if (!journey.hasIpv4() || journey.hopCount() == 0) {
            return;
        }
        InterfaceId device = journey.device(0);
        Accumulator accumulator;
        if (lastKey != null && lastKey.source == journey.ipv4Source()
                && lastKey.destination == journey.ipv4Destination() && lastKey.device == device) {
            accumulator = last;
        } else {
            lastKey = new Key(journey.ipv4Source(), journey.ipv4Destination(), device);
            long pair = (long) journey.ipv4Source() << 32 | journey.ipv4Destination() & 0xFFFF_FFFFL;
            LongObjectMap<Accumulator> pairs = byDevice.computeIfAbsent(device, d -> new LongObjectMap<>(16));
            accumulator = pairs.get(pair);
            if (accumulator == null) {
                accumulator = table.computeIfAbsent(lastKey, k -> new Accumulator());
                pairs.put(pair, accumulator);
            }
            last = accumulator;
        }
        accumulator.add(Math.floorDiv(journey.timeNs(0), binNs), journey.bytes());
    }

    /** Adds another part's table (another stream or time part of the same trace). */
    public void merge(SenderTraffic other) {
        other.table.forEach((key, accumulator) -> table.merge(key, accumulator, (a, b) -> {
            a.add(b);
            return a;
        }));
        lastKey = null;
    }

    /**
     * One row per address pair and first device (devices resolved to their reported identity).
     *
     * @param source      IPv4 source, dotted
     * @param destination IPv4 destination, dotted
     * @param device      the device the packets were first seen on
     * @param peer        its veth peer, or null
     * @param packets     packets
     * @param bytes       frame bytes
     * @param binNs       bin width
     * @param firstBinNs  start of the first bin, ns since the epoch
     * @param binBytes    bytes per bin from the first
     */
    public record Row(String source, String destination, String device, String peer, long packets, long bytes,
                      long binNs, long firstBinNs, long[] binBytes) implements Serializable {
    }

    public List<Row> result(UnaryOperator<InterfaceId> resolve) {
        List<Row> rows = new ArrayList<>();
        table.forEach((key, accumulator) -> {
            InterfaceId device = resolve.apply(key.device);
            int used = accumulator.bins.length;
            while (used > 0 && accumulator.bins[used - 1] == 0) {
                used--;
            }
            rows.add(new Row(dotted(key.source), dotted(key.destination), device.name(), device.peer(),
                    accumulator.packets, accumulator.bytes, binNs, accumulator.firstBin * binNs,
                    Arrays.copyOf(accumulator.bins, used)));
        });
        rows.sort((a, b) -> Long.compare(b.bytes, a.bytes) != 0 ? Long.compare(b.bytes, a.bytes)
                : (a.source + a.destination + a.device).compareTo(b.source + b.destination + b.device));
        return List.copyOf(rows);
    }

    static String dotted(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff);
    }
}
