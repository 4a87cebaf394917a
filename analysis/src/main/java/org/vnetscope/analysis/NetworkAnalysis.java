package org.vnetscope.analysis;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.vnetscope.analysis.ovs.DatapathAnalysis;
import org.vnetscope.analysis.paths.DeviceRef;
import org.vnetscope.analysis.paths.Journey;
import org.vnetscope.analysis.paths.PacketPath;
import org.vnetscope.analysis.paths.PathGraph;
import org.vnetscope.analysis.sync.BoundaryCollector;
import org.vnetscope.analysis.topology.Topology;
import org.vnetscope.analysis.topology.TopologyBuilder;
import org.vnetscope.analysis.topology.SenderTraffic;
import org.vnetscope.analysis.topology.VmTraffic;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.EventStream;
import org.vnetscope.ctf.StreamFile;
import org.vnetscope.ctf.Trace;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.ctf.meta.EventClass;
import org.vnetscope.ctf.meta.StreamClass;

/**
 * Runs every network analysis over a trace in one pass: opens the trace once, feeds the packet tracker (which
 * feeds interface traffic, drops, offload, and with each packet's journey the path graph and the topology) and
 * the stream list, collects lost-event ranges, and builds the report. Paths and the traffic tables share one
 * tracker, so they see the same skb chains and the same interface identities.
 */
public final class NetworkAnalysis {

    private final AnalysisOptions options;
    private final InterfaceIdentities identities = new InterfaceIdentities();
    private final PacketHeader header = new PacketHeader();
    private final InterfaceTraffic traffic;
    private final DropAnalysis drops = new DropAnalysis();
    private final OffloadAnalysis offload;
    private final StreamAnalysis streams;
    private final PacketTracker tracker;
    private final PathGraph paths = new PathGraph();
    private final SenderTraffic senderTraffic;
    private final TopologyBuilder topology = new TopologyBuilder();
    private final DatapathAnalysis datapaths = new DatapathAnalysis();
    private final BoundaryCollector boundary = new BoundaryCollector();
    private final List<Consumer<Journey>> journeyListeners = new ArrayList<>();
    private final List<LostRange> lost = new ArrayList<>();
    /** Whether the report's paths carry their latency percentiles (see {@link #analyzeTraffic}). */
    private final boolean latencies;
    /** The handlers' names of the interrupts the state dump listed (a NIC driver names its own after its device). */
    private final Set<String> interruptActions = new java.util.TreeSet<>();
    private static final org.vnetscope.ctf.FieldKey INTERRUPT_ACTION = org.vnetscope.ctf.FieldKey.of("action");
    private long startNs = Long.MAX_VALUE;
    private long endNs = Long.MIN_VALUE;

    public NetworkAnalysis(AnalysisOptions options) {
        this(options, false);
    }

    /** With {@code trafficOnly}, no stream list and no path latencies (see {@link #analyzeTraffic}). */
    private NetworkAnalysis(AnalysisOptions options, boolean trafficOnly) {
        this.options = options;
        this.latencies = !trafficOnly;
        this.traffic = new InterfaceTraffic(options.binNs());
        this.offload = new OffloadAnalysis(options.mtu());
        this.senderTraffic = new SenderTraffic(options.binNs());
        PacketObserver journeys = new PacketObserver() {
            @Override
            public void journeyEnded(Journey journey) {
                if (!journey.overlapsLostEvents()) {
                    paths.accept(journey);
                    topology.accept(journey);
                    senderTraffic.accept(journey);
                    boundary.accept(journey);
                }
                for (int i = 0; i < journeyListeners.size(); i++) { // no iterator per journey
                    journeyListeners.get(i).accept(journey);
                }
            }
        };
        this.tracker = new PacketTracker(identities, header, traffic, drops, offload, journeys);
        tracker.assumeMtu(options.mtu());
        this.streams = trafficOnly ? StreamAnalysis.none(options.mtu(), header, tracker)
                : new StreamAnalysis(options.mtu(), header, tracker);
    }

    /** Also hands every packet journey to this listener (call before the stream starts). */
    public NetworkAnalysis onJourney(Consumer<Journey> listener) {
        journeyListeners.add(listener);
        return this;
    }

    /** The note of a report that read no event. */
    public static final String NO_EVENTS_NOTE = "no event was read (the trace is empty, or has none in the time range"
            + " given): every figure is empty, and the start and end are given as 0";

    /** How many events the analyses take between two calls of a checkpoint given to {@code analyze}. */
    public static final int CHECKPOINT_EVENTS = 1 << 16;

    /** Reads the trace (a trace directory or an LTTng session folder) and reports. */
    public static AnalysisReport analyze(Path trace, AnalysisOptions options) {
        return analyze(trace, options, null);
    }

    /**
     * As {@link #analyze(Path, AnalysisOptions)}, also calling {@code checkpoint} every {@value #CHECKPOINT_EVENTS}
     * events while the trace is read (null for none; {@link EventStream#onCheckpoint}), e.g. to show progress on
     * long traces.
     */
    public static AnalysisReport analyze(Path trace, AnalysisOptions options, Consumer<EventStream> checkpoint) {
        return analyze(TraceReader.open(trace, TraceReader.Warnings.IGNORE), trace.toString(), options, checkpoint);
    }

    /**
     * As {@link #analyze(Path, AnalysisOptions, Consumer)}, over a reader the caller opened, e.g. to limit it to a
     * time range; the reader is closed at the end.
     */
    public static AnalysisReport analyze(TraceReader reader, String traceName, AnalysisOptions options,
                                         Consumer<EventStream> checkpoint) {
        try (EventStream stream = EventStream.of(reader)) {
            NetworkAnalysis analysis = new NetworkAnalysis(options);
            analysis.subscribe(stream);
            if (checkpoint != null) {
                stream.onCheckpoint(CHECKPOINT_EVENTS, checkpoint);
            }
            stream.start();
            return analysis.report(traceName, stream.reader().traces());
        }
    }

    /**
     * As {@link #analyze(TraceReader, String, AnalysisOptions, Consumer)}, for what a part of a trace tells of its
     * traffic (the sender traffic, the interfaces' counts, drops): the report's paths keep their counts, but their
     * latency percentiles are null, not computed, and its stream list is empty, not kept. A few seconds of a trace (a
     * migration's downtime read again) spend most of their analysis on those percentiles and on setting up the
     * stream list's tables, and the traffic depends on neither (the stream list only reads what the tracker
     * decided).
     */
    public static AnalysisReport analyzeTraffic(TraceReader reader, String traceName, AnalysisOptions options) {
        try (EventStream stream = EventStream.of(reader)) {
            NetworkAnalysis analysis = new NetworkAnalysis(options, true);
            analysis.subscribe(stream);
            stream.start();
            return analysis.report(traceName, stream.reader().traces());
        }
    }

    /** Subscribes every analysis to the stream; call {@link EventStream#start()} next. */
    public void subscribe(EventStream stream) {
        // a packet event's header first, then the tracker, then the stream list, which asks the tracker about the
        // chain of the event: in one handler
        tracker.subscribe(stream, streams);
        topology.subscribe(stream);
        datapaths.subscribe(stream);
        boundary.subscribe(stream);
        // the trace's span from the stream, which sees every event, those no analysis subscribed to as well
        stream.onEnd(ended -> {
            startNs = Math.min(startNs, ended.firstEventNs());
            endNs = Math.max(endNs, ended.lastEventNs());
        });
        stream.onEvent("lttng_statedump_interrupt", event -> {
            if (event.has(INTERRUPT_ACTION)) {
                interruptActions.add(event.getString(INTERRUPT_ACTION));
            }
        });
        stream.onDiscard(discard -> lost.add(new LostRange(
                discard.kind().name().toLowerCase(java.util.Locale.ROOT), discard.count(), discard.beginNs(),
                discard.endNs(), describe(discard.stream()))));
    }

    /** The traced host's name: the {@code hostname} its traces agree on, or null. */
    static String hostname(List<Trace> traces) {
        String name = null;
        for (Trace trace : traces) {
            String hostname = trace.hostname();
            if (hostname != null && name != null && !name.equals(hostname)) {
                return null; // traces of several hosts in one folder: none is the host
            }
            name = hostname != null ? hostname : name;
        }
        return name;
    }

    private static String describe(StreamFile stream) {
        return stream == null ? null : stream.path().getFileName().toString();
    }

    /** The report, once the stream has ended. */
    public AnalysisReport report(String traceName, List<Trace> traces) {
        tracker.finish();
        tracker.endUpcalls();
        Topology map = topology.result(options.vms(), identities);
        Map<String, String> bridgeOfPort = new HashMap<>();
        map.bridges().stream().filter(bridge -> !bridge.name().contains("?")) // a group no event named
                .forEach(bridge -> bridge.ports().forEach(port -> bridgeOfPort.put(port.name(), bridge.name())));
        Kallsyms kallsyms = options.kallsyms();
        traffic.countSegmentsOn(segmentCountingDevices(map, interruptActions));
        // a port that moved to another bridge counts on the bridge it belonged to then
        tracker.settleBridgeInput((port, timeNs) -> {
            String then = topology.bridgeOf(port, timeNs);
            return then != null && !then.contains("?") ? then : bridgeOfPort.get(port);
        }, address -> kallsyms == null ? null : kallsyms.symbolize(address));
        Function<DeviceRef, String> pathLabels = pathLabels(map);
        List<PacketPath> pathList = paths.result(identities::resolve, pathLabels, latencies);
        ChainStats chains = tracker.stats();
        List<String> notes = new ArrayList<>();
        if (startNs == Long.MAX_VALUE) {
            // the document's start and end stay integers (0) for scripts; the note says why they are
            notes.add(NO_EVENTS_NOTE);
        }
        if (!lost.isEmpty()) {
            notes.add(lostNote(lost, chains));
        }
        notes.addAll(notes(traces));
        List<DropReport> dropList = drops.report(identities, options.kallsyms());
        return new AnalysisReport(traceName, startNs == Long.MAX_VALUE ? 0 : startNs,
                endNs == Long.MIN_VALUE ? 0 : endNs, options.binNs(), traffic.report(identities, knownDevices(map)),
                streams.report(), dropList, offload.report(identities), map, pathList, chains,
                VmTraffic.matrix(pathList, map), datapaths.report(dropList, map), lost, notes, hostname(traces),
                senderTraffic.result(identities::resolve), boundary.result(traces, identities::resolve, pathLabels));
    }

    /**
     * Devices whose driver counts the segments it sends: a hardware NIC driver requests its interrupts under its
     * device's name ({@code eth0}, {@code eth0-rx-0}, {@code eth0-TxRx-0}: e1000, e1000e, igb, ixgbe, i40e), where
     * virtio-net names them after its virtio device ({@code virtio0-input.0}) and counts skbs, as software devices
     * (veth, tap, bridge) do. What the state dump does not show keeps the skb count.
     */
    static Set<String> segmentCountingDevices(Topology map, Set<String> interruptActions) {
        Set<String> devices = new java.util.TreeSet<>();
        for (Topology.Interface device : map.interfaces()) {
            addIfNamedInterrupt(devices, device.name(), interruptActions);
        }
        map.bridges().forEach(bridge -> bridge.ports().forEach(port ->
                addIfNamedInterrupt(devices, port.name(), interruptActions)));
        return devices;
    }

    private static void addIfNamedInterrupt(Set<String> devices, String name, Set<String> interruptActions) {
        for (String action : interruptActions) {
            if (action.equals(name) || action.startsWith(name + "-")) {
                devices.add(name);
            }
        }
    }

    /** The devices the trace names apart from their traffic: the state dump's, bridges, ports and their peers. */
    private static List<InterfaceTraffic.KnownDevice> knownDevices(Topology map) {
        List<InterfaceTraffic.KnownDevice> known = new ArrayList<>();
        map.interfaces().forEach(device -> known.add(new InterfaceTraffic.KnownDevice(device.name(), null, null)));
        for (Topology.Bridge bridge : map.bridges()) {
            if (bridge.name().contains("?")) {
                continue; // a group of ports no event named
            }
            known.add(new InterfaceTraffic.KnownDevice(bridge.name(), null, null));
            for (Topology.Port port : bridge.ports()) {
                Topology.Peer peer = port.peer();
                known.add(new InterfaceTraffic.KnownDevice(port.name(), peer == null ? null : peer.name(), null));
                if (peer != null) {
                    known.add(new InterfaceTraffic.KnownDevice(peer.name(), port.name(), peer.netns()));
                }
            }
        }
        return known;
    }

    /** Which figures lost events touch, and how: the counts are short, the inferences use intact chains only. */
    static String lostNote(List<LostRange> lost, ChainStats chains) {
        long events = 0;
        long packets = 0;
        boolean unknown = false;
        for (LostRange range : lost) {
            unknown |= range.count() < 0;
            if (range.kind().equals("packets")) {
                packets += Math.max(0, range.count());
            } else {
                events += Math.max(0, range.count());
            }
        }
        String what = (unknown ? "at least " : "") + events + " events" + (packets > 0 ? " and " + packets
                + " packets" : "");
        return "the tracer lost " + what + " in " + lost.size() + " ranges: interface, stream, drop and offload"
                + " figures count only the events kept and are short; paths and topology come from the "
                + (chains.journeys() - chains.overlappingLostEvents()) + " of " + chains.journeys()
                + " packet chains clear of the lost ranges, and so do veth pairs, namespaces and device kinds"
                + " (a row marked ? holds packets whose hand-over was lost)";
    }

    /**
     * Labels for path devices: a port by its name; a veth peer by its name and the VM (or port) it sits behind,
     * since names like eth0 repeat in every VM; a relayed VM's pair by its names and the VM (or tap) its relay
     * copies to.
     */
    private Function<DeviceRef, String> pathLabels(Topology map) {
        Map<String, String> vmOfPort = new HashMap<>();
        map.bridges().forEach(bridge -> bridge.ports().forEach(port ->
                vmOfPort.putIfAbsent(port.name(), port.vm() != null ? port.vm() : port.name())));
        return device -> {
            if (vmOfPort.containsKey(device.name()) || device.partner() == null) {
                return device.name();
            }
            if (device.part() != 0) {
                // one of several pairs with these names: it sits behind the tap its relay copies to
                String tap = identities.relayTap(new InterfaceId(device.name(), device.partner(), device.part()));
                return device.name() + "@" + (tap != null ? vmOfPort.getOrDefault(tap, tap)
                        : device.partner() + "#" + (device.netns() != null ? device.netns() : "?"));
            }
            String behind = vmOfPort.get(device.partner());
            return device.name() + "@" + (behind != null ? behind : device.partner());
        };
    }

    /** What the trace cannot show: events that were not enabled, and packets no tracepoint sees. */
    static List<String> notes(List<Trace> traces) {
        Set<String> events = new HashSet<>();
        boolean netnsContext = false;
        for (Trace trace : traces) {
            for (StreamClass streamClass : trace.metadata().streams().values()) {
                netnsContext |= streamClass.eventContext().indexOf("net_ns") >= 0;
                for (EventClass eventClass : streamClass.events().values()) {
                    events.add(eventClass.name());
                    netnsContext |= eventClass.context().indexOf("net_ns") >= 0;
                }
            }
        }
        List<String> notes = new ArrayList<>();
        if (!events.contains(NetFields.NET_DEV_XMIT)) {
            notes.add("no transmit events: `lttng enable-event --kernel net_dev_queue,net_dev_xmit`");
        }
        if (!anyOf(events, NetFields.RECEIVE_SKB) && !anyOf(events, NetFields.NETIF_RX)) {
            notes.add("no receive events: `lttng enable-event --kernel net_if_receive_skb,net_if_rx`");
        }
        if (!events.contains(NetFields.SKB_KFREE)) {
            notes.add("no drop events: `lttng enable-event --kernel skb_kfree,skb_consume`");
        }
        if (!events.contains(NetFields.NET_DEV_QUEUE)) {
            notes.add("no queue events, so no GSO figures: `lttng enable-event --kernel net_dev_queue`");
        }
        if (!netnsContext) {
            notes.add("no net_ns context, so no namespaces: `lttng add-context --kernel --type=net_ns`");
        }
        notes.add("NIC ring drops happen before any tracepoint and are invisible here (ip -s -s link)");
        return notes;
    }

    private static boolean anyOf(Set<String> events, String[] names) {
        for (String name : names) {
            if (events.contains(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Adds what another part of the same trace (another stream or time slice) found; that part's packets still
     * in flight end there. The topology takes the other part as the later one.
     */
    public void merge(NetworkAnalysis other) {
        other.tracker.finish();
        tracker.mergeUpcalls(other.tracker);
        tracker.mergeBridgeInput(other.tracker);
        identities.merge(other.identities);
        traffic.merge(other.traffic);
        drops.merge(other.drops);
        offload.merge(other.offload);
        streams.merge(other.streams);
        paths.merge(other.paths);
        senderTraffic.merge(other.senderTraffic);
        topology.merge(other.topology);
        datapaths.merge(other.datapaths);
        boundary.merge(other.boundary);
        interruptActions.addAll(other.interruptActions);
        lost.addAll(other.lost);
        startNs = Math.min(startNs, other.startNs);
        endNs = Math.max(endNs, other.endNs);
    }
}
