package org.vnetscope.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * GSO/TSO super-packets per interface (queued skbs longer than the MTU plus the Ethernet header) and GRO
 * (packets entering GRO against skbs delivered). The MTU is not in the trace: it is given, or 1500.
 */
public final class OffloadAnalysis implements PacketObserver {

    private static final int QUEUED = 0;
    private static final int QUEUED_BYTES = 1;
    private static final int GSO = 2;
    private static final int GSO_BYTES = 3;
    private static final int RECEIVED = 4;

    private final int mtu;
    private final Map<InterfaceId, long[]> counts = new HashMap<>();
    private final Map<String, long[]> groByName = new HashMap<>();
    /** The same count arrays as {@link #counts}, by the id's reference. */
    private final Map<InterfaceId, long[]> byReference = new IdentityHashMap<>();

    public OffloadAnalysis(int mtu) {
        this.mtu = mtu;
    }

    @Override
    public void queued(long timeNs, InterfaceId iface, long len) {
        long[] c = of(iface);
        c[QUEUED]++;
        c[QUEUED_BYTES] += len;
        if (len > mtu + NetFields.ETH_HEADER) {
            c[GSO]++;
            c[GSO_BYTES] += len;
        }
    }

    @Override
    public void received(long timeNs, InterfaceId iface, long len) {
        of(iface)[RECEIVED]++;
    }

    @Override
    public void receivedMerged(long timeNs, InterfaceId iface, long len) {
        // the GRO figure sets packets entering GRO against the skbs delivered: a merged packet is no skb
    }

    @Override
    public void groEntered(long timeNs, String deviceName) {
        groByName.computeIfAbsent(deviceName, n -> new long[1])[0]++;
    }

    private long[] of(InterfaceId iface) {
        // ids are interned: a device's counts are found by reference before the record's hash code is computed
        long[] known = byReference.get(iface);
        if (known == null) {
            known = counts.computeIfAbsent(iface, i -> new long[5]);
            byReference.put(iface, known);
        }
        return known;
    }

    public void merge(OffloadAnalysis other) {
        other.counts.forEach((iface, c) -> {
            long[] mine = of(iface);
            for (int i = 0; i < c.length; i++) {
                mine[i] += c[i];
            }
        });
        other.groByName.forEach((name, c) -> groByName.computeIfAbsent(name, n -> new long[1])[0] += c[0]);
    }

    public List<OffloadReport> report(InterfaceIdentities identities) {
        Map<InterfaceId, long[]> resolved = new HashMap<>();
        counts.forEach((raw, c) -> {
            long[] mine = resolved.computeIfAbsent(identities.resolve(raw), i -> new long[5]);
            for (int i = 0; i < c.length; i++) {
                mine[i] += c[i];
            }
        });
        List<OffloadReport> reports = new ArrayList<>();
        resolved.forEach((iface, c) -> {
            long[] gro = groByName.get(iface.name());
            // GRO entry events carry only a name: shared by every interface of that name
            long groEntered = gro == null || identities.ambiguous(iface.name()) && iface.peer() == null ? 0 : gro[0];
            double share = c[QUEUED_BYTES] == 0 ? 0 : (double) c[GSO_BYTES] / c[QUEUED_BYTES];
            reports.add(new OffloadReport(iface.label(), mtu, new TrafficCounts(c[QUEUED], c[QUEUED_BYTES],
                    c[QUEUED_BYTES]), new TrafficCounts(c[GSO], c[GSO_BYTES], c[GSO_BYTES]), share, groEntered,
                    c[RECEIVED], identities.netns(iface)));
        });
        reports.sort(Comparator.comparing(OffloadReport::iface)
                .thenComparing(o -> o.netns() == null ? Long.MIN_VALUE : o.netns()));
        return reports;
    }
}
