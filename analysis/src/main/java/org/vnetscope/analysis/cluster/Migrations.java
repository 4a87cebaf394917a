package org.vnetscope.analysis.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongUnaryOperator;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.topology.Topology;

/**
 * VMs that moved from one host to another during the traces. A VM is a bridge port with one station behind it
 * (its MAC, from the forwarding database, and its IPv4 sources); the same MAC (or, without MACs, the same libvirt
 * name or IPv4 address) on a VM port of host A that went away (the port removed, or the address deleted from it)
 * and later on a VM port of host B is one VM that migrated. Its times, on the reference clock: the last frame
 * through its port on A, the frame that announced it on B (the first one from it there, which taught B's bridge
 * its MAC: QEMU's self-announce RARP or a gratuitous ARP), and the downtime between them.
 */
public final class Migrations {

    /**
     * @param vm             the VM's name: libvirt's when given, else its MAC, else its address
     * @param mac            its MAC address, or null when none was seen
     * @param ipv4           its IPv4 addresses
     * @param fromHost       the host it left
     * @param fromPort       its bridge port there
     * @param toHost         the host it arrived on
     * @param toPort         its bridge port there
     * @param lastPacketNs   the last frame through its port on the host it left (reference clock)
     * @param announceNs     when the destination's bridge learnt its MAC on the new port: the VM's first frame
     *                       there, an announcement when it is QEMU's RARP or a gratuitous ARP (reference clock)
     * @param firstPacketNs  the first frame through its new port (reference clock)
     * @param downtimeNs     from the last frame on the old host to the first on the new one
     * @param lostPackets    packets other VMs sent it during the downtime (none reached it), or null when not
     *                       counted
     * @param lostBytes      their bytes, or null
     */
    public record Migration(String vm, String mac, List<String> ipv4, String fromHost, String fromPort,
                            String toHost, String toPort, long lastPacketNs, Long announceNs, long firstPacketNs,
                            long downtimeNs, Long lostPackets, Long lostBytes) {

        /** The same migration with the traffic sent to the VM while it was away. */
        public Migration withLoss(long packets, long bytes) {
            return new Migration(vm, mac, ipv4, fromHost, fromPort, toHost, toPort, lastPacketNs, announceNs,
                    firstPacketNs, downtimeNs, packets, bytes);
        }
    }

    /** One host's analysis and how its clock maps to the reference clock. */
    public record HostReport(String host, AnalysisReport report, LongUnaryOperator toReference) {
    }

    /** A VM port on one host over the time it held the VM. */
    private record Stay(String host, String port, String vm, Set<String> macs, List<String> ipv4, long firstNs,
                        long lastNs, Long learntNs, boolean left) {
    }

    private Migrations() {
    }

    public static List<Migration> find(List<HostReport> hosts) {
        List<Stay> stays = new ArrayList<>();
        for (HostReport host : hosts) {
            stays.addAll(stays(host));
        }
        List<Migration> migrations = new ArrayList<>();
        for (Stay from : stays) {
            if (!from.left()) {
                continue;
            }
            stays.stream()
                    .filter(to -> !to.host().equals(from.host()) && sameVm(from, to) && to.firstNs() >= from.lastNs())
                    .min(Comparator.comparingLong(Stay::firstNs))
                    .ifPresent(to -> migrations.add(migration(from, to)));
        }
        migrations.sort(Comparator.comparingLong(Migration::lastPacketNs));
        return List.copyOf(migrations);
    }

    private static Migration migration(Stay from, Stay to) {
        String mac = from.macs().stream().filter(to.macs()::contains).findFirst()
                .orElse(from.macs().isEmpty() ? (to.macs().isEmpty() ? null : to.macs().iterator().next())
                        : from.macs().iterator().next());
        Set<String> ipv4 = new LinkedHashSet<>(from.ipv4());
        ipv4.addAll(to.ipv4());
        String name = from.vm() != null ? from.vm() : to.vm() != null ? to.vm() : mac != null ? mac
                : String.join(",", ipv4);
        return new Migration(name, mac, List.copyOf(ipv4), from.host(), from.port(), to.host(), to.port(),
                from.lastNs(), to.learntNs(), to.firstNs(), to.firstNs() - from.lastNs(), null, null);
    }

    /**
     * The traffic other VMs sent a migrating VM while it was away: the pairs of {@code window} (the cluster's
     * traffic over the downtime, each packet counted once where it was sent) that involve it. The VM sends nothing
     * while it is stopped, so every such packet was one it never received.
     */
    public static Migration withLoss(Migration migration, ClusterTraffic.Result window) {
        long packets = 0;
        long bytes = 0;
        for (ClusterTraffic.Vm vm : window.vms()) {
            boolean same = migration.mac() != null ? vm.macs().contains(migration.mac())
                    : vm.ipv4().stream().anyMatch(migration.ipv4()::contains);
            if (!same) {
                continue;
            }
            for (ClusterTraffic.Pair pair : window.pairs()) {
                if (pair.a().equals(vm.name()) || pair.b().equals(vm.name())) {
                    packets += pair.packets();
                    bytes += pair.bytes();
                }
            }
        }
        return migration.withLoss(packets, bytes);
    }

    private static boolean sameVm(Stay a, Stay b) {
        if (a.vm() != null && a.vm().equals(b.vm())) {
            return true;
        }
        if (!a.macs().isEmpty() && !b.macs().isEmpty()) {
            return a.macs().stream().anyMatch(b.macs()::contains);
        }
        return a.ipv4().stream().anyMatch(b.ipv4()::contains);
    }

    /**
     * The VM ports of a host: ports with at most one station's MAC over the whole trace (an uplink carries
     * several), with the MACs the forwarding database held on them at any time.
     */
    private static List<Stay> stays(HostReport host) {
        List<Stay> stays = new ArrayList<>();
        List<Topology.Change> changes = host.report().topology().changes();
        for (Topology.Bridge bridge : host.report().topology().bridges()) {
            for (Topology.Port port : bridge.ports()) {
                if (port.lastSeenNs() == null) {
                    continue;
                }
                Set<String> macs = new LinkedHashSet<>();
                port.macs().forEach(mac -> macs.add(mac.mac()));
                Long learnt = null;
                boolean deleted = false;
                for (Topology.Change change : changes) {
                    if (change.mac() == null) {
                        continue;
                    }
                    if (port.name().equals(change.to())) {
                        macs.add(change.mac());
                        learnt = learnt == null ? change.timeNs() : Math.min(learnt, change.timeNs());
                    }
                    if (port.name().equals(change.from())) {
                        macs.add(change.mac());
                        deleted |= "deleted".equals(change.kind()) || "move".equals(change.kind());
                    }
                }
                if (macs.size() > 1 && port.vm() == null) {
                    continue; // an uplink or a port to a whole segment, not one VM
                }
                boolean left = port.removedNs() != null || (deleted && port.macs().isEmpty());
                LongUnaryOperator clock = host.toReference();
                long first = port.firstSeenNs() == null ? port.lastSeenNs() : port.firstSeenNs();
                stays.add(new Stay(host.host(), port.name(), port.vm(), macs, port.ipv4(),
                        clock.applyAsLong(learnt == null ? first : Math.min(first, learnt)),
                        clock.applyAsLong(port.lastSeenNs()), learnt == null ? null : clock.applyAsLong(learnt),
                        left));
            }
        }
        return stays;
    }
}
