package org.vnetscope.analysis.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.topology.SenderTraffic;
import org.vnetscope.analysis.topology.Topology;

/**
 * The VM traffic matrix of one host or several: which VMs there are, on which host each runs, and the traffic
 * between each pair, each packet counted once, where it was sent.
 *
 * <p>A VM is a bridge port with what sits behind it: its MAC addresses (from the forwarding database), its IPv4
 * sources, its libvirt name. A port is an uplink rather than a VM when it carries the MACs of several stations, or
 * a MAC that another port (on this host or another) claims better: a libvirt name, fewer MACs, a veth peer in a
 * namespace. A VM seen on several hosts (it migrated) runs where its port was not removed, else where it was seen
 * last. Traffic comes from each host's sender table: packets first seen at a VM's port (or its end inside the VM)
 * with both addresses a VM's; the same packet received on another host starts at the uplink there and is not
 * counted again.
 */
public final class ClusterTraffic {

    /**
     * @param name  libvirt's name when one was given, else the MAC, else host:port
     * @param host  where it runs at the end of the traces
     * @param hosts every host it was seen on, in the order of the traces (several: it migrated)
     * @param port  its bridge port on its host
     * @param macs  its MAC addresses
     * @param ipv4  its IPv4 addresses
     */
    public record Vm(String name, String host, List<String> hosts, String port, List<String> macs, List<String> ipv4) {
    }

    /**
     * @param a          one VM (the smaller name)
     * @param b          the other
     * @param packets    packets both ways
     * @param bytes      frame bytes both ways
     * @param crossHost  whether the two run on different hosts
     * @param binNs      bin width
     * @param firstBinNs start of the first bin (each host's own clock)
     * @param binBytes   bytes per bin
     */
    public record Pair(String a, String b, long packets, long bytes, boolean crossHost, long binNs, long firstBinNs,
                       long[] binBytes) {
    }

    /**
     * @param hosts    host names, in the order of the traces
     * @param vms      the VMs, by host then name
     * @param pairs    traffic between VMs, most bytes first
     * @param binNs    bin width of the series
     * @param windowNs from the first event of any trace to the last of any
     * @param notes    what limits the figures
     */
    public record Result(List<String> hosts, List<Vm> vms, List<Pair> pairs, long binNs, long windowNs,
                         List<String> notes) {
    }

    private record Candidate(String host, Topology.Port port) {

        int claim() {
            int claim = 0;
            if (port.vm() != null) {
                claim += 8;
            }
            if (port.peer() != null && port.peer().netns() != null) {
                claim += 2;
            }
            if (port.removedNs() == null) {
                claim += 1;
            }
            return claim - 4 * Math.max(0, port.macs().size() - 1);
        }
    }

    private ClusterTraffic() {
    }

    /** The name a report's host goes by: its hostname, else its trace folder's name. */
    public static String hostName(AnalysisReport report) {
        if (report.host() != null) {
            return report.host();
        }
        Path path = Path.of(report.trace()).toAbsolutePath().normalize();
        while (path.getFileName() != null && path.getFileName().toString().matches("kernel|trace|ust|uid|\\d+")) {
            path = path.getParent();
        }
        return path.getFileName() == null ? report.trace() : path.getFileName().toString();
    }

    public static Result of(List<AnalysisReport> reports) {
        return of(reports, reports);
    }

    /**
     * The VMs of {@code reports} (whole traces), and the traffic between them that {@code traffic} (the same hosts'
     * traces over a part of their time, e.g. while a VM was migrating) saw.
     */
    public static Result of(List<AnalysisReport> reports, List<AnalysisReport> traffic) {
        return of(reports, traffic, Map.of());
    }

    /**
     * As {@link #of(List, List)}, each host's time bins moved onto the reference clock by {@code toReference} (per
     * host name; a host it does not name keeps its own clock), to the nearest bin, so that hosts' series add up bin by
     * bin as the same moments.
     */
    public static Result of(List<AnalysisReport> reports, List<AnalysisReport> traffic,
                            Map<String, java.util.function.LongUnaryOperator> toReference) {
        List<String> hostNames = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        for (AnalysisReport report : reports) {
            String host = hostName(report);
            if (!hostNames.contains(host)) {
                hostNames.add(host);
            }
            for (Topology.Bridge bridge : report.topology().bridges()) {
                for (Topology.Port port : bridge.ports()) {
                    candidates.add(new Candidate(host, port));
                }
            }
        }
        // the best claim on each MAC; ports outclaimed on a MAC they hold, or holding several, are uplinks
        Map<String, Candidate> macOwner = new HashMap<>();
        for (Candidate candidate : candidates) {
            for (Topology.Mac mac : candidate.port().macs()) {
                macOwner.merge(mac.mac(), candidate, (a, b) -> b.claim() > a.claim() ? b : a);
            }
        }
        List<Candidate> vmPorts = new ArrayList<>();
        for (Candidate candidate : candidates) {
            boolean uplink = candidate.port().macs().size() > 1 || candidate.port().macs().stream()
                    .anyMatch(mac -> macOwner.get(mac.mac()) != candidate);
            boolean identified = !candidate.port().macs().isEmpty() || !candidate.port().ipv4().isEmpty()
                    || candidate.port().vm() != null;
            if (!uplink && identified) {
                vmPorts.add(candidate);
            }
        }
        // one VM per identity: ports sharing a MAC, an IPv4 address or a libvirt name are the same VM
        List<List<Candidate>> groups = new ArrayList<>();
        for (Candidate candidate : vmPorts) {
            List<Candidate> joined = null;
            for (List<Candidate> group : new ArrayList<>(groups)) {
                if (group.stream().anyMatch(other -> sameVm(other.port(), candidate.port()))) {
                    if (joined == null) {
                        group.add(candidate);
                        joined = group;
                    } else {
                        joined.addAll(group);
                        groups.remove(group);
                    }
                }
            }
            if (joined == null) {
                groups.add(new ArrayList<>(List.of(candidate)));
            }
        }
        List<Vm> vms = new ArrayList<>();
        Map<String, Vm> vmOfAddress = new HashMap<>();
        Map<String, Vm> vmOfPort = new HashMap<>();
        for (List<Candidate> group : groups) {
            Candidate home = group.stream().max(Comparator.<Candidate>comparingInt(c -> c.port().removedNs() == null ? 1 : 0)
                    .thenComparingLong(c -> c.port().lastSeenNs() == null ? Long.MIN_VALUE : c.port().lastSeenNs()))
                    .orElseThrow();
            Set<String> macs = new LinkedHashSet<>();
            Set<String> addresses = new LinkedHashSet<>();
            Set<String> seenOn = new LinkedHashSet<>();
            String libvirtName = null;
            for (Candidate candidate : group) {
                candidate.port().macs().forEach(mac -> macs.add(mac.mac()));
                addresses.addAll(candidate.port().ipv4());
                seenOn.add(candidate.host());
                libvirtName = libvirtName != null ? libvirtName : candidate.port().vm();
            }
            List<String> hostsSeen = hostNames.stream().filter(seenOn::contains).toList();
            String name = libvirtName != null ? libvirtName
                    : !macs.isEmpty() ? macs.iterator().next() : home.host() + ":" + home.port().name();
            Vm vm = new Vm(name, home.host(), hostsSeen, home.port().name(), List.copyOf(macs), List.copyOf(addresses));
            vms.add(vm);
            addresses.forEach(address -> vmOfAddress.put(address, vm));
            group.forEach(candidate -> vmOfPort.put(candidate.host() + "\t" + candidate.port().name(), vm));
        }
        vms.sort(Comparator.comparing(Vm::host, Comparator.comparingInt(hostNames::indexOf)).thenComparing(Vm::name));

        long binNs = reports.isEmpty() ? 0 : reports.get(0).binNs();
        Map<String, long[]> totals = new TreeMap<>();
        Map<String, TreeMap<Long, Long>> series = new HashMap<>();
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (AnalysisReport report : traffic) {
            String host = hostName(report);
            start = Math.min(start, report.startNs());
            end = Math.max(end, report.endNs());
            java.util.function.LongUnaryOperator clock = toReference.get(host);
            for (SenderTraffic.Row row : report.senderTraffic()) {
                long binShift = clock == null || row.binNs() <= 0 ? 0
                        : Math.round((double) (clock.applyAsLong(row.firstBinNs()) - row.firstBinNs()) / row.binNs());
                Vm sender = vmOfPort.get(host + "\t" + row.device());
                if (sender == null && row.peer() != null) {
                    sender = vmOfPort.get(host + "\t" + row.peer());
                }
                Vm from = vmOfAddress.get(row.source());
                Vm to = vmOfAddress.get(row.destination());
                if (sender == null || from != sender || to == null || to == from) {
                    continue; // not sent by a VM from its port, or not to another VM
                }
                String key = from.name().compareTo(to.name()) < 0 ? from.name() + "\t" + to.name()
                        : to.name() + "\t" + from.name();
                long[] total = totals.computeIfAbsent(key, k -> new long[2]);
                total[0] += row.packets();
                total[1] += row.bytes();
                TreeMap<Long, Long> bins = series.computeIfAbsent(key, k -> new TreeMap<>());
                for (int i = 0; i < row.binBytes().length; i++) {
                    if (row.binBytes()[i] != 0) {
                        bins.merge(row.firstBinNs() / row.binNs() + binShift + i, row.binBytes()[i], Long::sum);
                    }
                }
            }
        }
        Map<String, Vm> byName = new LinkedHashMap<>();
        vms.forEach(vm -> byName.put(vm.name(), vm));
        long firstBin = Long.MAX_VALUE;
        long lastBin = Long.MIN_VALUE;
        for (TreeMap<Long, Long> bins : series.values()) {
            if (!bins.isEmpty()) {
                firstBin = Math.min(firstBin, bins.firstKey());
                lastBin = Math.max(lastBin, bins.lastKey());
            }
        }
        List<Pair> pairs = new ArrayList<>();
        for (Map.Entry<String, long[]> entry : totals.entrySet()) {
            String[] ends = entry.getKey().split("\t");
            long[] binBytes = new long[firstBin == Long.MAX_VALUE ? 0 : (int) (lastBin - firstBin + 1)];
            for (Map.Entry<Long, Long> bin : series.get(entry.getKey()).entrySet()) {
                binBytes[(int) (bin.getKey() - firstBin)] += bin.getValue();
            }
            pairs.add(new Pair(ends[0], ends[1], entry.getValue()[0], entry.getValue()[1],
                    !byName.get(ends[0]).host().equals(byName.get(ends[1]).host()), binNs,
                    firstBin == Long.MAX_VALUE ? 0 : firstBin * binNs, binBytes));
        }
        pairs.sort(Comparator.comparingLong(Pair::bytes).reversed().thenComparing(Pair::a).thenComparing(Pair::b));
        List<String> notes = new ArrayList<>();
        if (hostNames.size() > 1 && toReference.isEmpty()) {
            notes.add("time bins follow each host's own clock: hosts' series are added as their clocks read");
        }
        return new Result(List.copyOf(hostNames), List.copyOf(vms), List.copyOf(pairs), binNs,
                start == Long.MAX_VALUE ? 0 : end - start, List.copyOf(notes));
    }

    private static boolean sameVm(Topology.Port a, Topology.Port b) {
        if (a.vm() != null && a.vm().equals(b.vm())) {
            return true;
        }
        if (!a.macs().isEmpty() && !b.macs().isEmpty()) {
            // two ports that each hold a MAC are one VM only by a MAC: a tunnel's outer address can show on
            // every port whose frames it carried
            return a.macs().stream().anyMatch(mac -> b.macs().stream().anyMatch(o -> o.mac().equals(mac.mac())));
        }
        return a.ipv4().stream().anyMatch(b.ipv4()::contains);
    }
}
