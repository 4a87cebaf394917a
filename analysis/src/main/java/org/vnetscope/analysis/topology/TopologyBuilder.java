package org.vnetscope.analysis.topology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.vnetscope.analysis.InterfaceId;
import org.vnetscope.analysis.InterfaceIdentities;
import org.vnetscope.analysis.paths.DeviceStep;
import org.vnetscope.analysis.paths.HopKind;
import org.vnetscope.analysis.paths.Journey;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.EventStream;
import org.vnetscope.ctf.FieldKey;

/**
 * Builds the {@link Topology} of a trace in one pass from three optional sources: the state dump (names and
 * IPv4 of interfaces), bridge forwarding-database events where a probe recorded them, and the packets' journeys
 * (a veth hand-over links two devices; a packet received on one device and queued on another links two ports of
 * a bridge; a port handing a packet up to another device names its bridge).
 *
 * <p>Its state is a handful of small maps keyed by device names and addresses: bounded by the network's size.
 */
public final class TopologyBuilder implements Consumer<Journey> {

    private static final FieldKey NAME = FieldKey.of("name");
    private static final FieldKey ADDRESS_IPV4 = FieldKey.of("address_ipv4");
    private static final FieldKey BR_DEV = FieldKey.of("br_dev");
    private static final FieldKey DEV = FieldKey.of("dev");
    private static final FieldKey ADDR = FieldKey.of("addr");
    private static final FieldKey VID = FieldKey.of("vid");
    private static final FieldKey FLAGS = FieldKey.of("flags");
    private static final FieldKey ADDED_BY_USER = FieldKey.of("added_by_user");
    /** Bit 0 of the kernel's fdb flags (BR_FDB_LOCAL): the entry is the port's own address. */
    private static final long FDB_LOCAL = 1;
    /** Bit 3 of the kernel's fdb flags (BR_FDB_ADDED_BY_USER). */
    private static final long FDB_ADDED_BY_USER = 1 << 3;
    /**
     * A port's removal deletes its local entries, one per VLAN and one without, in one call (130 us apart in the
     * migration-fdb lab trace): a VLAN's local entry deleted this close to the removal went with the port.
     */
    private static final long REMOVAL_BURST_NS = 1_000_000_000L;
    /** The PVID a kernel gives new ports and bridges unless {@code default_pvid} was changed. */
    private static final int KERNEL_DEFAULT_PVID = 1;
    /** A default PVID shown by the VLAN every device with evidence had in common. */
    private static final String DEFAULT_PVID = "default_pvid";
    /** A default PVID assumed from the kernel's default: no event of the bridge carried a VLAN id. */
    private static final String KERNEL_DEFAULT = "kernel_default";

    private final Map<String, String> statedump = new LinkedHashMap<>();
    private final Map<String, String> forwardParent = new HashMap<>();
    private final Map<String, Map<String, Count>> uppers = new HashMap<>();
    private final Map<String, Map<String, Count>> lowers = new HashMap<>();
    private final Map<String, Count> tapStarts = new HashMap<>();
    /** The last time each device carried a packet, in a cell updated in place: every journey moves it on. */
    private final Map<String, long[]> lastSeen = new HashMap<>();
    /** ip -> port -> [first, last] time a packet from that address entered a bridge through that port. */
    private final Map<Integer, Map<String, long[]>> ipBehindPort = new HashMap<>();
    private int lastIpv4;
    private Map<String, long[]> lastPorts;
    private final Map<String, String> fdbBridgeOfPort = new HashMap<>();
    /** Each port's bridge over time, as the forwarding-database events named it (a port may move between bridges). */
    private final Map<String, TreeMap<Long, String>> bridgeOfPortOverTime = new HashMap<>();
    private final Map<String, FdbEntry> fdb = new LinkedHashMap<>();
    private final Map<String, FdbEntry> departed = new HashMap<>();
    private final Map<String, Set<Integer>> portVlans = new HashMap<>();
    private final Map<String, Long> removedPorts = new HashMap<>();
    /** device (a port, or a bridge for its own entries) -> VLAN id -> what the FDB events showed of it */
    private final Map<String, Map<Integer, VlanEvidence>> vlanEvidence = new HashMap<>();
    /** bridge -> {last entry it learned with VLAN id 0, last one with another id} */
    private final Map<String, long[]> learnedVids = new HashMap<>();
    private final List<Topology.Change> fdbChanges = new ArrayList<>();
    /**
     * What the journeys along each hop sequence do, worked out on its first journey, by the journey's steps (shared
     * by every journey along the same hops, so found by reference); at most {@link #MAX_SHAPES}.
     */
    private final Map<List<DeviceStep>, ShapeEffects> effectsByShape = new IdentityHashMap<>();
    private static final int MAX_SHAPES = 1 << 16;
    private List<DeviceStep> lastShape;
    private ShapeEffects lastEffects;

    /** A count updated in place: every journey adds one to a few of them. */
    private static final class Count {
        int n;
    }

    /**
     * The cells a journey along one hop sequence updates: the devices' last-seen times, the link counts it adds
     * to, and the steps where it entered a bridge (whose cells depend on the packet's source address). The links
     * it joins were joined by the first journey: joining them again changes nothing.
     */
    private static final class ShapeEffects {
        final long[][] seenCells;
        final Count[] counts;
        final int[] bridgeEntries;

        ShapeEffects(long[][] seenCells, Count[] counts, int[] bridgeEntries) {
            this.seenCells = seenCells;
            this.counts = counts;
            this.bridgeEntries = bridgeEntries;
        }
    }

    /** Subscribes to state-dump and forwarding-database events. */
    public void subscribe(EventStream stream) {
        stream.onEvent("lttng_statedump_network_interface", this::onInterface);
        stream.onEvent("br_fdb_update", this::onUpdate);
        stream.onEvent("br_fdb_external_learn_add", e -> onLearn(e, e.getString(BR_DEV)));
        stream.onEvent("br_fdb_add", this::onAdd);
        stream.onEvent("fdb_delete", this::onDelete);
    }

    /** A user's request for a static entry: it names no bridge. */
    void onAdd(Event event) {
        onLearn(event, null);
    }

    /**
     * The bridge's own learning, or a user's entry the kernel accepted: its VLAN id is one of the port's (the
     * kernel checked it first). {@code br_fdb_add} fires before that check and {@code br_fdb_external_learn_add}
     * makes none, so neither tells a VLAN.
     */
    void onUpdate(Event event) {
        String bridge = event.getString(BR_DEV);
        int vid = (int) event.getLong(VID);
        boolean byUser = event.has(ADDED_BY_USER) ? event.getLong(ADDED_BY_USER) != 0
                : (event.getLong(FLAGS) & FDB_ADDED_BY_USER) != 0;
        if (!byUser) {
            long[] last = learnedVids.computeIfAbsent(bridge, b -> new long[] {Long.MIN_VALUE, Long.MIN_VALUE});
            int kind = vid == 0 ? 0 : 1;
            last[kind] = Math.max(last[kind], event.timestampNs());
        }
        if (vid != 0) {
            vlanEvidence(event.getString(DEV), vid).seen(event.timestampNs(), false);
        }
        onLearn(event, bridge);
    }

    private VlanEvidence vlanEvidence(String device, int vid) {
        return vlanEvidence.computeIfAbsent(device, d -> new HashMap<>()).computeIfAbsent(vid, v -> new VlanEvidence());
    }

    private void onInterface(Event event) {
        long address = event.getLong(ADDRESS_IPV4);
        statedump.put(event.getString(NAME), address == 0 ? null : ipv4((int) address));
    }

    private void onLearn(Event event, String bridge) {
        String port = event.getString(DEV);
        if (bridge != null) {
            fdbBridgeOfPort.put(port, bridge);
            bridgeOfPortOverTime.computeIfAbsent(port, p -> new TreeMap<>()).put(event.timestampNs(), bridge);
        }
        String mac = mac(event.getBytes(ADDR));
        int vid = (int) event.getLong(VID);
        long time = event.timestampNs();
        if (vid != 0) {
            portVlans.computeIfAbsent(port, p -> new TreeSet<>()).add(vid);
        }
        String key = mac + "/" + vid;
        FdbEntry current = fdb.get(key);
        FdbEntry before = current != null ? current : departed.get(key);
        if (before != null && !before.port.equals(port)) {
            fdbChanges.add(new Topology.Change(time, "move", mac, null, before.port, port,
                    current != null ? Long.valueOf(time) : before.since));
        } else if (current == null) {
            fdbChanges.add(new Topology.Change(time, "added", mac, null, null, port, null));
        }
        if (current == null || !current.port.equals(port)) {
            fdb.put(key, new FdbEntry(port, mac, vid, time));
            departed.remove(key);
        }
    }

    /**
     * A deleted entry proves its VLAN was the port's until then; a local one (the port's own address, one per
     * VLAN of the port and one without) also shows the VLAN leaving the port, or with VLAN id 0 the port leaving
     * its bridge.
     */
    void onDelete(Event event) {
        String port = event.getString(DEV);
        String bridge = event.getString(BR_DEV);
        int vid = (int) event.getLong(VID);
        long time = event.timestampNs();
        boolean local = (event.getLong(FLAGS) & FDB_LOCAL) != 0;
        // the kernel's tracepoint names an entry that points at the bridge itself "null"
        if (port.equals(bridge) || port.equals("null")) {
            port = bridge;
            if (vid != 0) {
                vlanEvidence(bridge, vid).seen(time, local);
            }
            if (local) {
                return;
            }
        } else {
            fdbBridgeOfPort.putIfAbsent(port, bridge);
            // the entry was the port's in this bridge until now: the port belonged to it
            bridgeOfPortOverTime.computeIfAbsent(port, p -> new TreeMap<>()).putIfAbsent(time, bridge);
            if (vid != 0) {
                vlanEvidence(port, vid).seen(time, local);
                portVlans.computeIfAbsent(port, p -> new TreeSet<>()).add(vid);
            }
        }
        if (local) {
            if (vid == 0 && removedPorts.putIfAbsent(port, time) == null) {
                fdbChanges.add(new Topology.Change(time, "removal", null, null, port, null, null));
            }
            return;
        }
        String mac = mac(event.getBytes(ADDR));
        String key = mac + "/" + vid;
        FdbEntry entry = fdb.remove(key);
        // an entry this part never saw learned (before the trace, or in an earlier part) was on the port named
        String from = entry != null ? entry.port : port;
        departed.put(key, new FdbEntry(from, mac, vid, time));
        fdbChanges.add(new Topology.Change(time, "deleted", mac, null, from, null, null));
    }

    /**
     * The bridge a port belonged to at a time, as the forwarding-database events named it: the last one named at
     * or before that time, else the first after it; null when no such event named the port.
     */
    public String bridgeOf(String port, long timeNs) {
        TreeMap<Long, String> times = bridgeOfPortOverTime.get(port);
        if (times == null || times.isEmpty()) {
            return null;
        }
        Map.Entry<Long, String> before = times.floorEntry(timeNs);
        return before != null ? before.getValue() : times.firstEntry().getValue();
    }

    @Override
    public void accept(Journey journey) {
        List<DeviceStep> steps = journey.steps();
        ShapeEffects effects = steps == lastShape ? lastEffects : effectsByShape.get(steps);
        if (effects == null) {
            effects = firstAlong(journey, steps);
            if (effectsByShape.size() < MAX_SHAPES) { // a journey that builds its steps anew has no shared list
                effectsByShape.put(steps, effects);
            }
        } else {
            // what firstAlong did, without the lookups: every key is in its map already
            long[][] cells = effects.seenCells;
            for (int i = 0; i < cells.length; i++) {
                long timeNs = journey.timeNs(steps.get(i).firstHop());
                long[] lastAndFirst = cells[i];
                lastAndFirst[0] = Math.max(lastAndFirst[0], timeNs);
                lastAndFirst[1] = Math.min(lastAndFirst[1], timeNs);
            }
            for (Count count : effects.counts) {
                count.n++;
            }
            for (int step : effects.bridgeEntries) {
                enteredBridge(journey, steps.get(step));
            }
        }
        lastShape = steps;
        lastEffects = effects;
    }

    /** A journey's effect on the maps, looked up step by step; returns what a journey along the same steps does. */
    private ShapeEffects firstAlong(Journey journey, List<DeviceStep> steps) {
        long[][] seenCells = new long[steps.size()][];
        List<Count> counts = new ArrayList<>();
        int[] bridgeEntries = new int[steps.size()];
        int entries = 0;
        for (int i = 0; i < steps.size(); i++) {
            DeviceStep step = steps.get(i);
            seenCells[i] = seenAt(step.name(), journey.timeNs(step.firstHop()));
            if (i + 1 < steps.size()) {
                DeviceStep next = steps.get(i + 1);
                if (!step.transmit() && next.transmit() && !next.name().equals(step.name())) {
                    union(step.name(), next.name());
                    enteredBridge(journey, step);
                    bridgeEntries[entries++] = i;
                } else if (!step.transmit() && !next.transmit() && next.firstKind() == HopKind.RECEIVE) {
                    counts.add(count(uppers, step.name(), next.name()));
                    enteredBridge(journey, step);
                    bridgeEntries[entries++] = i;
                } else if (step.transmit() && next.transmit() && step.device().peer() == null) {
                    counts.add(count(lowers, step.name(), next.name()));
                }
            }
        }
        if (!steps.isEmpty() && !steps.get(0).transmit() && steps.get(0).firstKind() == HopKind.RECEIVE) {
            Count starts = tapStarts.computeIfAbsent(steps.get(0).name(), port -> new Count());
            starts.n++;
            counts.add(starts);
        }
        return new ShapeEffects(seenCells, counts.toArray(new Count[0]), Arrays.copyOf(bridgeEntries, entries));
    }

    /** Moves the device's last-seen times on; returns its cell, which stays in the map for good. */
    private long[] seenAt(String device, long timeNs) {
        long[] lastAndFirst = lastSeen.get(device);
        if (lastAndFirst == null) {
            lastAndFirst = new long[] {timeNs, timeNs};
            lastSeen.put(device, lastAndFirst);
        } else {
            lastAndFirst[0] = Math.max(lastAndFirst[0], timeNs);
            lastAndFirst[1] = Math.min(lastAndFirst[1], timeNs);
        }
        return lastAndFirst;
    }

    private void enteredBridge(Journey journey, DeviceStep port) {
        // the address is the sender's only when its header showed before the bridge (not a tunnel's outer one)
        if (journey.hasIpv4() && journey.ipHeaderHop() <= port.firstHop()) {
            long time = journey.timeNs(port.firstHop());
            Map<String, long[]> ports = portsBehind(journey.ipv4Source());
            long[] seen = ports.get(port.name());
            if (seen == null) {
                ports.put(port.name(), new long[] {time, time});
            } else {
                seen[0] = Math.min(seen[0], time);
                seen[1] = Math.max(seen[1], time);
            }
        }
    }

    /** Runs per bridged journey: a flow's packets come one after another, so the last address's ports are kept at
     *  hand instead of boxing the address for a lookup each time. */
    private Map<String, long[]> portsBehind(int ipv4) {
        if (lastPorts == null || ipv4 != lastIpv4) {
            lastPorts = ipBehindPort.computeIfAbsent(ipv4, ip -> new HashMap<>());
            lastIpv4 = ipv4;
        }
        return lastPorts;
    }

    /** Adds one to the link's count; returns the count, which stays in the map for good. */
    private static Count count(Map<String, Map<String, Count>> map, String from, String to) {
        Count count = map.computeIfAbsent(from, f -> new HashMap<>()).computeIfAbsent(to, t -> new Count());
        count.n++;
        return count;
    }

    /** Adds another part's link counts into this one's counts (kept: the shapes' effects point at them). */
    private static void addCounts(Map<String, Map<String, Count>> into, Map<String, Map<String, Count>> from) {
        from.forEach((source, targets) -> targets.forEach((target, count) ->
                into.computeIfAbsent(source, f -> new HashMap<>()).computeIfAbsent(target, t -> new Count()).n
                        += count.n));
    }

    private String root(String device) {
        String parent = forwardParent.get(device);
        if (parent == null || parent.equals(device)) {
            return device;
        }
        String root = root(parent);
        forwardParent.put(device, root);
        return root;
    }

    private void union(String a, String b) {
        forwardParent.putIfAbsent(a, a);
        forwardParent.putIfAbsent(b, b);
        String ra = root(a);
        String rb = root(b);
        if (!ra.equals(rb)) {
            forwardParent.put(ra, rb);
        }
    }

    /**
     * Adds what a later part of the same trace found: traffic links add up; its forwarding-database history
     * continues this one's, so an entry it first learned behind another port than this one last had is a move.
     */
    public void merge(TopologyBuilder later) {
        later.statedump.forEach(statedump::putIfAbsent);
        later.forwardParent.keySet().forEach(device -> union(device, later.root(device)));
        addCounts(uppers, later.uppers);
        addCounts(lowers, later.lowers);
        later.tapStarts.forEach((port, n) -> tapStarts.computeIfAbsent(port, p -> new Count()).n += n.n);
        later.lastSeen.forEach((port, time) -> {
            seenAt(port, time[0]);
            seenAt(port, time[1]);
        });
        later.ipBehindPort.forEach((ip, ports) -> ports.forEach((port, seen) -> {
            long[] mine = ipBehindPort.computeIfAbsent(ip, i -> new HashMap<>())
                    .computeIfAbsent(port, p -> new long[] {seen[0], seen[1]});
            mine[0] = Math.min(mine[0], seen[0]);
            mine[1] = Math.max(mine[1], seen[1]);
        }));
        later.fdbBridgeOfPort.forEach(fdbBridgeOfPort::putIfAbsent);
        later.bridgeOfPortOverTime.forEach((port, times) ->
                bridgeOfPortOverTime.computeIfAbsent(port, p -> new TreeMap<>()).putAll(times));
        later.portVlans.forEach((port, vlans) -> portVlans.computeIfAbsent(port, p -> new TreeSet<>()).addAll(vlans));
        later.removedPorts.forEach(removedPorts::putIfAbsent);
        later.vlanEvidence.forEach((device, vids) -> vids.forEach((vid, evidence) ->
                vlanEvidence(device, vid).add(evidence)));
        later.learnedVids.forEach((bridge, last) -> {
            long[] mine = learnedVids.computeIfAbsent(bridge, b -> new long[] {Long.MIN_VALUE, Long.MIN_VALUE});
            mine[0] = Math.max(mine[0], last[0]);
            mine[1] = Math.max(mine[1], last[1]);
        });
        for (Topology.Change change : later.fdbChanges) {
            if (change.kind().equals("added")) {
                FdbEntry before = lastEntry(change.mac(), change.to(), later);
                if (before != null && !before.port.equals(change.to())) {
                    fdbChanges.add(new Topology.Change(change.timeNs(), "move", change.mac(), null, before.port,
                            change.to(), before.since));
                } else if (before == null) {
                    fdbChanges.add(change);
                }
            } else {
                fdbChanges.add(change);
            }
        }
        later.departed.forEach((key, entry) -> {
            if (!later.fdb.containsKey(key)) {
                fdb.remove(key);
                departed.put(key, entry);
            }
        });
        later.fdb.forEach((key, entry) -> {
            fdb.put(key, entry);
            departed.remove(key);
        });
    }

    /** This part's last entry for the MAC of a later part's first learning on that port. */
    private FdbEntry lastEntry(String mac, String port, TopologyBuilder later) {
        for (Map.Entry<String, FdbEntry> first : later.fdb.entrySet()) {
            if (first.getValue().mac.equals(mac) && first.getValue().port.equals(port)) {
                FdbEntry mine = fdb.get(first.getKey());
                return mine != null ? mine : departed.get(first.getKey());
            }
        }
        for (Map.Entry<String, FdbEntry> first : later.departed.entrySet()) {
            if (first.getValue().mac.equals(mac)) {
                FdbEntry mine = fdb.get(first.getKey());
                return mine != null ? mine : departed.get(first.getKey());
            }
        }
        return null;
    }

    /**
     * The topology as seen so far: veth pairs and namespaces come from the interface identities the packet
     * tracker learned, VM names from the directory.
     */
    public Topology result(VmDirectory vms, InterfaceIdentities identities) {
        Set<String> vethPairs = new TreeSet<>();
        for (String device : identities.names()) {
            for (String peer : identities.peers(device)) {
                vethPairs.add(device + "\t" + peer);
            }
        }
        // ports: devices that forwarded to each other, grouped; bridges: what they hand packets up to
        Map<String, Set<String>> groups = new TreeMap<>();
        for (String device : forwardParent.keySet()) {
            groups.computeIfAbsent(root(device), r -> new TreeSet<>()).add(device);
        }
        Map<String, String> bridgeOfPort = new TreeMap<>(fdbBridgeOfPort);
        Set<String> confirmedBridges = new TreeSet<>(fdbBridgeOfPort.values());
        int unnamed = 0;
        for (Set<String> members : groups.values()) {
            Map<String, Integer> names = new HashMap<>();
            for (String member : members) {
                String known = fdbBridgeOfPort.get(member);
                if (known != null) {
                    names.merge(known, 1000, Integer::sum);
                }
                uppers.getOrDefault(member, Map.of()).forEach((upper, n) -> names.merge(upper, n.n, Integer::sum));
            }
            lowers.forEach((bridge, ports) -> ports.keySet().stream().filter(members::contains)
                    .forEach(p -> names.merge(bridge, 1, Integer::sum)));
            members.forEach(names::remove);
            String bridge = names.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                    .orElse("bridge?" + (++unnamed));
            confirmedBridges.add(bridge);
            for (String member : members) {
                bridgeOfPort.putIfAbsent(member, bridge);
            }
        }
        assignUnnamedGroups(bridgeOfPort, confirmedBridges);
        // devices that only handed packets up to, or got packets from, a known bridge
        uppers.forEach((port, targets) -> targets.keySet().stream().filter(confirmedBridges::contains)
                .filter(b -> !confirmedBridges.contains(port)).findFirst()
                .ifPresent(bridge -> bridgeOfPort.putIfAbsent(port, bridge)));
        lowers.forEach((bridge, ports) -> {
            if (confirmedBridges.contains(bridge)) {
                ports.keySet().stream().filter(p -> !confirmedBridges.contains(p))
                        .forEach(port -> bridgeOfPort.putIfAbsent(port, bridge));
            }
        });
        confirmedBridges.forEach(bridgeOfPort::remove);

        Map<String, String> peerOf = new HashMap<>();
        for (String pair : vethPairs) {
            String[] ends = pair.split("\t");
            if (bridgeOfPort.containsKey(ends[0]) && !bridgeOfPort.containsKey(ends[1])) {
                peerOf.put(ends[0], ends[1]);
            } else if (bridgeOfPort.containsKey(ends[1]) && !bridgeOfPort.containsKey(ends[0])) {
                peerOf.put(ends[1], ends[0]);
            }
        }
        Map<String, List<Topology.Mac>> macs = new TreeMap<>();
        for (FdbEntry entry : fdb.values()) {
            macs.computeIfAbsent(entry.port, p -> new ArrayList<>())
                    .add(new Topology.Mac(entry.mac, entry.vid == 0 ? null : entry.vid));
        }
        Map<String, List<String>> ipsOfPort = new TreeMap<>();
        ipBehindPort.forEach((ip, ports) -> ports.keySet().forEach(port ->
                ipsOfPort.computeIfAbsent(port, p -> new ArrayList<>()).add(ipv4(ip))));

        Map<String, DefaultPvid> defaultPvids = new HashMap<>();
        Map<String, Set<String>> devicesOfBridge = new TreeMap<>();
        bridgeOfPort.forEach((port, bridge) -> devicesOfBridge.computeIfAbsent(bridge, b -> new TreeSet<>()).add(port));
        devicesOfBridge.forEach((bridge, ports) -> {
            DefaultPvid pvid = defaultPvid(bridge, ports);
            if (pvid != null) {
                defaultPvids.put(bridge, pvid);
            }
        });

        Map<String, List<Topology.Port>> portsOfBridge = new TreeMap<>();
        bridgeOfPort.forEach((port, bridge) -> {
            String peerName = peerOf.get(port);
            Topology.Peer peer = peerName == null ? null
                    : new Topology.Peer(peerName, namespaceOf(identities, peerName, port));
            String kind = peerName != null ? "veth" : tapStarts.containsKey(port) ? "tap" : "other";
            List<Topology.Mac> portMacs = macs.getOrDefault(port, List.of());
            String vm = vms.vmOf(port, portMacs.stream().map(Topology.Mac::mac).toList(),
                    peer == null ? null : peer.netns());
            List<String> ips = ipsOfPort.getOrDefault(port, List.of()).stream().sorted().toList();
            portsOfBridge.computeIfAbsent(bridge, b -> new ArrayList<>()).add(new Topology.Port(port, kind, vm,
                    List.copyOf(portMacs), List.copyOf(portVlans.getOrDefault(port, Set.of())),
                    vlanMembership(port, removedPorts.get(port), defaultPvids.get(bridge)), peer, ips,
                    lastSeen.containsKey(port) ? lastSeen.get(port)[0] : null, removedPorts.get(port),
                    lastSeen.containsKey(port) ? lastSeen.get(port)[1] : null));
        });
        Map<String, List<List<String>>> forwardingGroups = new TreeMap<>();
        for (Set<String> members : groups.values()) {
            Map<String, List<String>> portsByBridge = new TreeMap<>();
            members.stream().filter(bridgeOfPort::containsKey)
                    .forEach(port -> portsByBridge.computeIfAbsent(bridgeOfPort.get(port), b -> new ArrayList<>()).add(port));
            portsByBridge.forEach((bridge, ports) -> {
                if (ports.size() > 1) {
                    forwardingGroups.computeIfAbsent(bridge, b -> new ArrayList<>()).add(List.copyOf(ports));
                }
            });
        }
        forwardingGroups.values().forEach(list -> list.sort(Comparator.comparing(ports -> ports.get(0))));
        List<Topology.Bridge> bridges = new ArrayList<>();
        portsOfBridge.forEach((bridge, ports) -> bridges.add(new Topology.Bridge(bridge,
                statedump.get(bridge) == null ? List.of() : List.of(statedump.get(bridge)), List.copyOf(ports),
                vlanFiltering(bridge), defaultPvids.containsKey(bridge) ? defaultPvids.get(bridge).vid : null,
                defaultPvids.containsKey(bridge) ? defaultPvids.get(bridge).source : null,
                vlanMembership(bridge, null, defaultPvids.get(bridge)),
                List.copyOf(forwardingGroups.getOrDefault(bridge, List.of())))));

        Set<String> unattachedPairs = new TreeSet<>();
        for (String pair : vethPairs) {
            String[] ends = pair.split("\t");
            if (!bridgeOfPort.containsKey(ends[0]) && !bridgeOfPort.containsKey(ends[1])) {
                unattachedPairs.add(ends[0].compareTo(ends[1]) < 0 ? pair : ends[1] + "\t" + ends[0]);
            }
        }
        List<Topology.VethPair> unattached = new ArrayList<>();
        for (String pair : unattachedPairs) {
            String[] ends = pair.split("\t");
            for (InterfaceId pairId : identities.pairs(ends[0], ends[1])) {
                unattached.add(new Topology.VethPair(ends[0], ends[1], identities.netns(pairId),
                        identities.relayTap(pairId)));
            }
        }
        List<Topology.Interface> interfaces = new ArrayList<>();
        statedump.forEach((name, ip) -> interfaces.add(new Topology.Interface(name, ip)));

        List<Topology.Change> changes = new ArrayList<>(fdbChanges);
        if (fdbChanges.isEmpty()) {
            changes.addAll(ipMoves());
        }
        changes.sort(Comparator.comparingLong(Topology.Change::timeNs));
        return new Topology(List.copyOf(bridges), List.copyOf(unattached), List.copyOf(interfaces),
                List.copyOf(changes));
    }

    /**
     * Ports of a bridge that never carried host traffic (a VLAN-filtering bridge whose own address sits in
     * another VLAN) form unnamed groups, one per isolated VLAN. The state dump lists the initial namespace's
     * interfaces with IPv4, which bridge ports lack: when exactly one of them is neither loopback nor a known
     * device, it is taken as the bridge of those groups.
     */
    private void assignUnnamedGroups(Map<String, String> bridgeOfPort, Set<String> confirmedBridges) {
        List<String> candidates = statedump.keySet().stream()
                .filter(name -> !name.equals("lo") && !confirmedBridges.contains(name)
                        && !bridgeOfPort.containsKey(name) && !lastSeen.containsKey(name))
                .toList();
        boolean unnamed = bridgeOfPort.values().stream().anyMatch(b -> b.startsWith("bridge?"));
        if (unnamed && candidates.size() == 1) {
            String bridge = candidates.get(0);
            bridgeOfPort.replaceAll((port, b) -> b.startsWith("bridge?") ? bridge : b);
            confirmedBridges.removeIf(b -> b.startsWith("bridge?"));
            confirmedBridges.add(bridge);
        }
    }

    /** Whether the bridge filters VLANs, as the entries it learned last show: a filtering bridge learns a VLAN id. */
    private Boolean vlanFiltering(String bridge) {
        long[] last = learnedVids.get(bridge);
        return last == null ? null : last[1] > last[0];
    }

    /**
     * The default PVID of a bridge that does not filter VLANs (it learns with VLAN id 0): there the ports keep the
     * VLAN the kernel gave each when it joined, the bridge's default PVID (also given to the bridge device itself).
     * A VLAN id that every device with membership evidence showed is taken as that default; when no device showed
     * any and no event of the bridge carried a VLAN id at all, the kernel's own default (1) is assumed, and said
     * to be. Null when the bridge filters, is not known not to, or its devices showed no single common VLAN.
     */
    private DefaultPvid defaultPvid(String bridge, Set<String> ports) {
        if (!Boolean.FALSE.equals(vlanFiltering(bridge))) {
            return null;
        }
        List<String> devices = new ArrayList<>(ports);
        devices.add(bridge);
        Set<Integer> common = null;
        for (String device : devices) {
            Map<Integer, VlanEvidence> vids = vlanEvidence.get(device);
            if (vids != null) {
                if (common == null) {
                    common = new TreeSet<>(vids.keySet());
                } else {
                    common.retainAll(vids.keySet());
                }
            }
        }
        if (common == null) {
            // a VLAN id requested in an entry of one of its devices hints at a VLAN set-up: assume nothing then
            boolean anyVid = devices.stream().anyMatch(device -> !portVlans.getOrDefault(device, Set.of()).isEmpty());
            return anyVid ? null : new DefaultPvid(KERNEL_DEFAULT_PVID, KERNEL_DEFAULT);
        }
        return common.size() == 1 ? new DefaultPvid(common.iterator().next(), DEFAULT_PVID) : null;
    }

    /**
     * A device's VLANs: those its forwarding-database events showed, each with the time its local entry was
     * deleted unless that was its removal; without any, the bridge's default PVID when it is inferred.
     */
    private List<Topology.Vlan> vlanMembership(String device, Long removedNs, DefaultPvid defaultPvid) {
        Map<Integer, VlanEvidence> vids = vlanEvidence.get(device);
        if (vids == null) {
            return defaultPvid == null ? List.of()
                    : List.of(new Topology.Vlan(defaultPvid.vid, true, true, defaultPvid.source, defaultPvid.source,
                    null, null));
        }
        List<Topology.Vlan> vlans = new ArrayList<>();
        new TreeMap<>(vids).forEach((vid, evidence) -> {
            boolean isDefault = defaultPvid != null && defaultPvid.vid == vid;
            Long until = null;
            if (evidence.lastLocalDeletedNs > evidence.lastMemberNs
                    && (removedNs == null || Math.abs(removedNs - evidence.lastLocalDeletedNs) > REMOVAL_BURST_NS)) {
                until = evidence.lastLocalDeletedNs;
            }
            vlans.add(new Topology.Vlan(vid, isDefault ? Boolean.TRUE : null, isDefault ? Boolean.TRUE : null, "fdb",
                    isDefault ? defaultPvid.source : null, evidence.firstNs, until));
        });
        return List.copyOf(vlans);
    }

    /** A bridge's default PVID and how it is known: {@link #DEFAULT_PVID} or {@link #KERNEL_DEFAULT}. */
    private record DefaultPvid(int vid, String source) {
    }

    /** Without forwarding-database events, a VM's move shows as its IPv4 address entering through a new port. */
    private List<Topology.Change> ipMoves() {
        List<Topology.Change> moves = new ArrayList<>();
        ipBehindPort.forEach((ip, ports) -> {
            List<Map.Entry<String, long[]>> byTime = new ArrayList<>(ports.entrySet());
            byTime.sort(Comparator.comparingLong(e -> e.getValue()[0]));
            for (int i = 1; i < byTime.size(); i++) {
                long[] previous = byTime.get(i - 1).getValue();
                long[] current = byTime.get(i).getValue();
                if (current[0] > previous[1]) {
                    moves.add(new Topology.Change(current[0], "move", null, ipv4(ip), byTime.get(i - 1).getKey(),
                            byTime.get(i).getKey(), previous[1]));
                }
            }
        });
        return moves;
    }

    private static Long namespaceOf(InterfaceIdentities identities, String device, String peer) {
        return identities.netns(identities.id(device, peer));
    }

    static String mac(byte[] address) {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < address.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Character.forDigit((address[i] >> 4) & 0xF, 16)).append(Character.forDigit(address[i] & 0xF, 16));
        }
        return sb.toString();
    }

    static String ipv4(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
                + (address & 0xFF);
    }

    /**
     * What FDB events showed of a device's VLAN: the first event, the last that proves it still there, and the
     * last deletion of its local entry (the VLAN left the device, or the device its bridge). Times combine by
     * min and max, so parts of a trace merge in any order.
     */
    private static final class VlanEvidence {
        long firstNs = Long.MAX_VALUE;
        long lastMemberNs = Long.MIN_VALUE;
        long lastLocalDeletedNs = Long.MIN_VALUE;

        void seen(long timeNs, boolean localDeleted) {
            firstNs = Math.min(firstNs, timeNs);
            if (localDeleted) {
                lastLocalDeletedNs = Math.max(lastLocalDeletedNs, timeNs);
            } else {
                lastMemberNs = Math.max(lastMemberNs, timeNs);
            }
        }

        void add(VlanEvidence other) {
            firstNs = Math.min(firstNs, other.firstNs);
            lastMemberNs = Math.max(lastMemberNs, other.lastMemberNs);
            lastLocalDeletedNs = Math.max(lastLocalDeletedNs, other.lastLocalDeletedNs);
        }
    }

    private record FdbEntry(String port, String mac, int vid, long since) {
        FdbEntry {
            Objects.requireNonNull(port);
        }
    }
}
