package org.vnetscope.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rx/Tx packets and bytes per interface, in total and per time bin, and the drops seen on each. Keeps sums of
 * traced lengths per raw {@link InterfaceId}; the Ethernet-header correction and the folding of ids happen when
 * the report is built, once the whole trace taught what each device is.
 */
public final class InterfaceTraffic implements PacketObserver {

    private static final int RX_PACKETS = 0;
    private static final int RX_LEN = 1;
    private static final int TX_PACKETS = 2;
    private static final int TX_LEN = 3;
    private static final int DROPS = 4;
    /** Segments beyond the first of the super-packets sent, and their header bytes (see {@link #transmittedSegments}). */
    private static final int TX_EXTRA_SEGMENTS = 5;
    private static final int TX_EXTRA_LEN = 6;
    /** What short frames sent lack to the Ethernet minimum of 60 bytes, which a NIC driver pads them to. */
    private static final int TX_PAD_LEN = 7;
    private static final int METRICS = 8;
    private static final int ETH_MIN_FRAME = 60;

    private final long binNs;
    private final Map<InterfaceId, BinnedSeries> series = new HashMap<>();
    private InterfaceId lastIface;
    private BinnedSeries lastSeries;
    /** Open-addressing memo of {@link #series} by id reference; ids of equal value are the same instance. */
    private InterfaceId[] memoIds = new InterfaceId[64];
    private BinnedSeries[] memoSeries = new BinnedSeries[64];
    private int memoSize;

    public InterfaceTraffic(long binNs) {
        this.binNs = binNs;
    }

    @Override
    public void received(long timeNs, InterfaceId iface, long len) {
        BinnedSeries bins = of(iface);
        bins.add(timeNs, RX_PACKETS, 1);
        bins.add(timeNs, RX_LEN, len);
    }

    @Override
    public void transmitted(long timeNs, InterfaceId iface, long len) {
        BinnedSeries bins = of(iface);
        bins.add(timeNs, TX_PACKETS, 1);
        bins.add(timeNs, TX_LEN, len);
        if (len < ETH_MIN_FRAME) {
            bins.add(timeNs, TX_PAD_LEN, ETH_MIN_FRAME - len);
        }
    }

    @Override
    public void transmittedSegments(long timeNs, InterfaceId iface, long extraSegments, long extraBytes) {
        BinnedSeries bins = of(iface);
        bins.add(timeNs, TX_EXTRA_SEGMENTS, extraSegments);
        bins.add(timeNs, TX_EXTRA_LEN, extraBytes);
    }

    @Override
    public void dropped(long timeNs, InterfaceId iface, String reason, long location, int ethertype) {
        if (iface != null) {
            of(iface).add(timeNs, DROPS, 1);
        }
    }

    private BinnedSeries of(InterfaceId iface) {
        // ids are interned: consecutive events on one device skip the lookup, and the others find their series by
        // reference in a small table rather than by the record's hash code and a capturing lambda per call
        if (iface != lastIface) {
            lastSeries = bySameId(iface);
            lastIface = iface;
        }
        return lastSeries;
    }

    private BinnedSeries bySameId(InterfaceId iface) {
        int mask = memoIds.length - 1;
        int slot = (iface.name().hashCode() * 31 + (iface.peer() == null ? 0 : iface.peer().hashCode())
                + Long.hashCode(iface.part()) * 17) & mask;
        while (memoIds[slot] != null) {
            if (memoIds[slot] == iface) {
                return memoSeries[slot];
            }
            slot = (slot + 1) & mask;
        }
        BinnedSeries bins = series.computeIfAbsent(iface, i -> new BinnedSeries(binNs, METRICS));
        if ((memoSize + 1) * 2 > memoIds.length) {
            memoIds = new InterfaceId[memoIds.length * 2]; // rebuilt from the series map on the next misses
            memoSeries = new BinnedSeries[memoIds.length];
            memoSize = 0;
            return bins;
        }
        memoIds[slot] = iface;
        memoSeries[slot] = bins;
        memoSize++;
        return bins;
    }

    public void merge(InterfaceTraffic other) {
        other.series.forEach((iface, bins) ->
                series.computeIfAbsent(iface, i -> new BinnedSeries(binNs, METRICS)).merge(bins));
        lastIface = null;
    }

    private java.util.Set<String> segmentCounting = java.util.Set.of();

    /**
     * The devices whose drivers count what they put on the wire rather than the skbs they are given (a NIC doing
     * TSO: e1000 counts {@code gso_segs} packets and their headers, and pads a frame shorter than 60 bytes before
     * counting it, {@code eth_skb_pad} in {@code e1000_xmit_frame}): their transmit figures include each
     * super-packet's further segments and the padding.
     */
    public void countSegmentsOn(java.util.Set<String> deviceNames) {
        segmentCounting = java.util.Set.copyOf(deviceNames);
    }

    /** One report per resolved interface, sorted by name, peer, then namespace (pairs with the same names). */
    public List<InterfaceReport> report(InterfaceIdentities identities) {
        Map<InterfaceId, BinnedSeries> resolved = new LinkedHashMap<>();
        series.forEach((raw, bins) ->
                resolved.computeIfAbsent(identities.resolve(raw), i -> new BinnedSeries(binNs, METRICS)).merge(bins));
        List<InterfaceReport> reports = new ArrayList<>();
        resolved.forEach((iface, bins) -> reports.add(report(iface, bins, identities,
                segmentCounting.contains(iface.name()))));
        return sorted(reports);
    }

    /**
     * A device the trace names (the state dump, a bridge, a port, a port's peer) that carried nothing: a row of
     * zeros, since a missing row reads as "not seen".
     *
     * @param name  the device's name
     * @param peer  its veth peer's name, or null
     * @param netns its namespace's inode, or null
     */
    public record KnownDevice(String name, String peer, Long netns) {
    }

    /** Every interface that carried packets, and a row of zeros for each known device that carried none. */
    public List<InterfaceReport> report(InterfaceIdentities identities, List<KnownDevice> known) {
        List<InterfaceReport> reports = new ArrayList<>(report(identities));
        java.util.Set<String> counted = new java.util.HashSet<>();
        java.util.Set<String> countedPairs = new java.util.HashSet<>();
        for (InterfaceReport row : reports) {
            counted.add(row.name());
            countedPairs.add(row.name() + "\t" + row.peer());
        }
        TrafficCounts none = new TrafficCounts(0, 0, 0);
        for (KnownDevice device : known) {
            // a peerless name counts as carried if any row has it; a named pair only if that pair has a row
            boolean carried = device.peer() == null ? counted.contains(device.name())
                    : countedPairs.contains(device.name() + "\t" + device.peer());
            if (!carried && countedPairs.add(device.name() + "\t" + device.peer())) {
                counted.add(device.name());
                reports.add(new InterfaceReport(device.name(), device.peer(), device.netns(), DeviceKind.UNKNOWN,
                        false, none, none, new InterfaceReport.DropCount(0, 0), List.of()));
            }
        }
        return sorted(reports);
    }

    private static List<InterfaceReport> sorted(List<InterfaceReport> reports) {
        reports.sort(Comparator.comparing(InterfaceReport::name)
                .thenComparing(r -> r.peer() == null ? "" : r.peer())
                .thenComparing(r -> r.netns() == null ? Long.MIN_VALUE : r.netns()));
        return reports;
    }

    private static InterfaceReport report(InterfaceId iface, BinnedSeries bins, InterfaceIdentities identities,
            boolean countsSegments) {
        DeviceKind kind = identities.kind(iface);
        long rxHeader = kind.countsEthernetHeaderOnRx() ? NetFields.ETH_HEADER : 0;
        // loopback counts its transmits as it counts its receives, after the pull; a tunnel carrying Ethernet frames
        // counts the inner IP packet it wraps (iptunnel_xmit: skb->len - skb_inner_network_offset(skb))
        long txHeader = kind == DeviceKind.LOOPBACK || identities.encapsulatesFrames(iface) ? -NetFields.ETH_HEADER : 0;
        long[] total = new long[METRICS];
        List<TimelineBin> timeline = new ArrayList<>(bins.bins());
        for (int bin = 0; bin < bins.bins(); bin++) {
            long rxPackets = bins.get(bin, RX_PACKETS);
            long txPackets = bins.get(bin, TX_PACKETS);
            for (int metric = 0; metric < METRICS; metric++) {
                total[metric] += bins.get(bin, metric);
            }
            long extraPackets = countsSegments ? bins.get(bin, TX_EXTRA_SEGMENTS) : 0;
            long extraBytes = countsSegments ? bins.get(bin, TX_EXTRA_LEN) + bins.get(bin, TX_PAD_LEN) : 0;
            timeline.add(new TimelineBin(bins.binStartNs(bin), rxPackets,
                    bins.get(bin, RX_LEN) + rxHeader * rxPackets, txPackets + extraPackets,
                    bins.get(bin, TX_LEN) + txHeader * txPackets + extraBytes, bins.get(bin, DROPS)));
        }
        TrafficCounts rx = new TrafficCounts(total[RX_PACKETS], total[RX_LEN] + rxHeader * total[RX_PACKETS],
                total[RX_LEN]);
        long extraPackets = countsSegments ? total[TX_EXTRA_SEGMENTS] : 0;
        long extraBytes = countsSegments ? total[TX_EXTRA_LEN] + total[TX_PAD_LEN] : 0;
        TrafficCounts tx = new TrafficCounts(total[TX_PACKETS] + extraPackets,
                total[TX_LEN] + txHeader * total[TX_PACKETS] + extraBytes, total[TX_LEN]);
        long seen = rx.packets() + tx.packets();
        double rate = seen == 0 ? 0 : (double) total[DROPS] / seen;
        boolean ambiguous = iface.peer() == null && identities.ambiguous(iface.name());
        return new InterfaceReport(iface.name(), iface.peer(), identities.netns(iface), kind, ambiguous, rx, tx,
                new InterfaceReport.DropCount(total[DROPS], rate), timeline);
    }
}
