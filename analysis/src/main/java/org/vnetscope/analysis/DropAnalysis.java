package org.vnetscope.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Counts {@code skb_kfree} events by interface (where the skb was last seen), reason, freeing location and
 * ethertype. Drops are rare next to traffic, so a hash map keyed by those four is cheap enough.
 */
public final class DropAnalysis implements PacketObserver {

    private record Key(InterfaceId iface, String reason, long location, int ethertype) { }

    private final Map<Key, long[]> counts = new HashMap<>();

    @Override
    public void dropped(long timeNs, InterfaceId iface, String reason, long location, int ethertype) {
        counts.computeIfAbsent(new Key(iface, reason, location, ethertype), k -> new long[1])[0]++;
    }

    public void merge(DropAnalysis other) {
        other.counts.forEach((key, count) -> counts.computeIfAbsent(key, k -> new long[1])[0] += count[0]);
    }

    /** Drops by kind, most frequent first; locations named through kallsyms when given (may be null). */
    public List<DropReport> report(InterfaceIdentities identities, Kallsyms kallsyms) {
        Map<Key, long[]> resolved = new HashMap<>();
        counts.forEach((key, count) -> {
            InterfaceId iface = key.iface() == null ? null : identities.resolve(key.iface());
            resolved.computeIfAbsent(new Key(iface, key.reason(), key.location(), key.ethertype()),
                    k -> new long[1])[0] += count[0];
        });
        List<DropReport> reports = new ArrayList<>();
        resolved.forEach((key, count) -> {
            String symbol = kallsyms == null ? null : kallsyms.symbolize(key.location());
            // no address: freed where no skb_kfree names the code (a datapath flow without output)
            String location = key.location() == 0 ? "-" : symbol != null ? symbol : "0x" + Long.toHexString(key.location());
            reports.add(new DropReport(key.iface() == null ? null : key.iface().label(), key.reason(),
                    key.location(), location, key.ethertype(), count[0],
                    key.iface() == null ? null : identities.netns(key.iface())));
        });
        // a total order: rows of equal counts must not come out in the hash maps' order
        reports.sort(Comparator.comparingLong(DropReport::packets).reversed()
                .thenComparing(d -> Objects.toString(d.iface()))
                .thenComparing(d -> d.netns() == null ? Long.MIN_VALUE : d.netns())
                .thenComparing(d -> Objects.toString(d.reason()))
                .thenComparing(DropReport::address, Long::compareUnsigned)
                .thenComparingInt(DropReport::ethertype));
        return reports;
    }
}
