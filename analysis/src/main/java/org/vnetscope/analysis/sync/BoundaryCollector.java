package org.vnetscope.analysis.sync;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.vnetscope.analysis.InterfaceId;
import org.vnetscope.analysis.paths.DeviceRef;
import org.vnetscope.analysis.paths.DeviceStep;
import org.vnetscope.analysis.paths.HopKind;
import org.vnetscope.analysis.paths.Journey;
import org.vnetscope.analysis.paths.Outcome;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.EventStream;
import org.vnetscope.ctf.FieldKey;
import org.vnetscope.ctf.Trace;
import org.vnetscope.ctf.meta.ClockClass;

/**
 * Collects, in the analysis's single pass, the packets that crossed the traced host's boundary
 * ({@link BoundaryPackets}). It reads finished journeys, not events: a journey is one packet followed across the
 * host's devices, so where it entered and where it left are known once it ends, whatever devices it crossed.
 * <ul>
 * <li>A journey that begins with a receive entered the host there (a NIC, a tunnel device handing up the inner
 * packet, a tap a VM wrote to): its first receive is the earliest time the host had it.</li>
 * <li>A journey queued for transmit after its last receive, and not dropped, left the host (a NIC, a tunnel
 * device's outer packet, a tap a VM reads): its last queue ({@code net_dev_queue}) is the latest time the host
 * surely still had it. Not its {@code net_dev_xmit}: that event fires when the driver returns, after the frame may
 * have reached the other host; on the lab traces (qemu guests under emulation) a few xmit events come up to 12 ms
 * after the other guest received the frame. A GSO super-packet cut into segments leaves with its queue on the
 * device that cut it; its segments' journeys show no header.</li>
 * </ul>
 * Packets that stay inside the host (VM to VM, to a local socket) give no record; neither do journeys that
 * overlap lost events, which may run into another packet. The network addon events ({@code inet_sock_local_out}
 * and {@code inet_sock_local_in}, recorded by Trace Compass's synchronization test traces) are read directly.
 *
 * <p>Each such journey also keeps, for joining it to its other half on the other host ({@link BoundaryJourneys}),
 * its path through this host (as the host's {@code paths[]} has it), when it reached each device of it and when it
 * ended, and how. A tunnel's two headers make two journeys of one skb (the tracker cuts the chain where the headers
 * change): both are kept, with the number that ties them, so that a packet reads through the tunnel device and the
 * NIC under it as one path.
 *
 * <p>Per journey it adds a handful of numbers to growing columns: no allocation but their growth (and a path's key,
 * once per distinct path).
 */
public final class BoundaryCollector implements Consumer<Journey> {

    /** The network addon events: a TCP segment a local socket sent, or one it received. */
    static final String SOCKET_OUT = "inet_sock_local_out";
    static final String SOCKET_IN = "inet_sock_local_in";
    private static final FieldKey SOCKET_SEQ = FieldKey.of("seq");
    private static final FieldKey SOCKET_ACK = FieldKey.of("ack_seq");
    private static final FieldKey SOCKET_WINDOW = FieldKey.of("window");
    private static final String SOCKET_DEVICE = "(socket)";
    private static final int IPPROTO_TCP = 6;

    private int size;
    private byte[] kinds = new byte[256];
    private long[] times = new long[256];
    private long[] flows = new long[256];
    private long[] sequences = new long[256];
    private int[] ids = new int[256];
    private int[] lengths = new int[256];
    private short[] deviceIndexes = new short[256];
    /** The journey (row of the journey columns below) each packet belongs to, -1 for the addon events. */
    private int[] journeyIndexes = new int[256];
    private final List<String> devices = new ArrayList<>();

    /** Step lists remembered by identity: the tracker shares one per hop sequence, of which a trace has few. */
    private static final int MAX_SHAPES = 1 << 16;
    private static final byte FIRST_TRANSMIT = 1;
    private static final byte LAST_QUEUE = 2;
    private static final byte ONLY_RECEIVES = 4;
    private int journeys;
    private int[] journeyPaths = new int[256];
    private long[] journeyFirstNs = new long[256];
    private int[] journeyDeltaAt = new int[256];
    private long[] journeyLeftNs = new long[256];
    private int[] journeyBytes = new int[256];
    private int[] journeyPayloads = new int[256];
    private byte[] journeyOutcomes = new byte[256];
    private short[] journeyReasons = new short[256];
    private byte[] journeyProtocols = new byte[256];
    /** {@link #FIRST_TRANSMIT}, {@link #LAST_QUEUE}, {@link #ONLY_RECEIVES}: whether a header change can be a tunnel's. */
    private byte[] journeyShapes = new byte[256];
    /** The step of the device a journey left the host through (where its last queue was), -1 when it did not. */
    private short[] journeyExitSteps = new short[256];
    private int[] journeyIpLengths = new int[256];
    private long[] journeyChangeBefore = new long[256];
    private long[] journeyChangeAfter = new long[256];
    private long largestChange;
    private int deltaCount;
    private int[] deltas = new int[1024];
    private final List<String> reasons = new ArrayList<>();
    /** The paths' keys as {@link org.vnetscope.analysis.paths.PathGraph} makes them, and their indexes. */
    private final List<List<DeviceRef>> pathKeys = new ArrayList<>();
    private final Map<List<DeviceRef>, Integer> pathIndexes = new HashMap<>();
    /** The same indexes by the tracker's shared step lists: found per journey without building a key. */
    private final Map<List<DeviceStep>, Integer> pathsByShape = new IdentityHashMap<>();
    /** The device names by identity, as the tracker interns them: a journey's device is found without hashing. */
    private String[] deviceKeys = new String[8];

    /** Subscribes to the addon events, when the trace has them; journeys come through {@link #accept}. */
    public void subscribe(EventStream stream) {
        stream.onEvent(SOCKET_OUT, event -> socketEvent(event, true));
        stream.onEvent(SOCKET_IN, event -> socketEvent(event, false));
    }

    private void socketEvent(Event event, boolean outgoing) {
        if (!event.has(SOCKET_SEQ) || !event.has(SOCKET_ACK)) {
            return;
        }
        long sequence = event.getLong(SOCKET_SEQ) & 0xFFFF_FFFFL;
        long ack = event.getLong(SOCKET_ACK) & 0xFFFF_FFFFL;
        int window = event.has(SOCKET_WINDOW) ? (int) (event.getLong(SOCKET_WINDOW) & 0xFFFF) : -1;
        add(SOCKET, outgoing, event.timestampNs(), 0, sequence << 32 | ack, window, 0, deviceIndex(SOCKET_DEVICE), -1);
    }

    @Override
    public void accept(Journey journey) {
        int hops = journey.hopCount();
        if (hops == 0 || journey.overlapsLostEvents() || !(journey.hasIpv4() || journey.hasIpv6())) {
            return;
        }
        int lastReceive = -1;
        int lastQueue = -1;
        for (int hop = 0; hop < hops; hop++) {
            HopKind kind = journey.kind(hop);
            if (kind == HopKind.QUEUE) {
                lastQueue = hop;
            } else if (!kind.transmit()) {
                lastReceive = hop;
            }
        }
        boolean entered = !journey.kind(0).transmit();
        boolean left = lastQueue > lastReceive && journey.outcome() != Outcome.DROPPED;
        // a TCP packet whose event recorded no TCP header: nothing to find it by on the other side
        boolean keyed = journey.ipProtocol() != IPPROTO_TCP || journey.hasTcp();
        // each journey of a tunnel's packet entered or left the host (the inner one by the tunnel device, the outer
        // one by the NIC): one that did neither is no half of one, whatever its headers did (an address reused)
        boolean changed = journey.headerChangeBefore() != 0 || journey.headerChangeAfter() != 0;
        if (!(entered || left) || !(keyed || changed)) {
            return;
        }
        int row = addJourney(journey, left ? lastQueue : -1);
        if (keyed && entered) {
            record(journey, false, 0, row);
        }
        if (keyed && left) {
            record(journey, true, lastQueue, row);
        }
    }

    private void record(Journey journey, boolean outgoing, int hop, int row) {
        boolean tcp = journey.ipProtocol() == IPPROTO_TCP;
        long flow = flow(journey, tcp);
        long sequences = tcp ? journey.tcpSequence() << 32 | journey.tcpAck() : 0;
        int length;
        if (tcp) {
            int payload = journey.ipLength() - journey.ipHeaderLength() - journey.tcpHeaderLength();
            length = journey.ipLength() == 0 || payload < 0 ? -1 : payload; // 0: BIG TCP's length is elsewhere
        } else {
            length = journey.ipLength();
        }
        add(tcp ? TCP : OTHER_IP, outgoing, journey.timeNs(hop), flow, sequences, journey.ipId(), length,
                deviceIndex(journey.device(hop).name()), row);
    }

    /** Adds the journey's row: its path, its times step by step, how it ended; {@code exitHop} its last queue or -1. */
    private int addJourney(Journey journey, int exitHop) {
        List<DeviceStep> steps = journey.steps();
        Integer path = pathsByShape.get(steps);
        if (path == null) {
            List<DeviceRef> key = new ArrayList<>(steps.size());
            for (DeviceStep step : steps) {
                key.add(new DeviceRef(step.name(), step.device().peer(), step.transmit(), step.device().part()));
            }
            path = pathIndex(key);
            if (pathsByShape.size() < MAX_SHAPES) { // a journey that builds its steps anew has no shared list
                pathsByShape.put(steps, path);
            }
        }
        if (journeys == journeyPaths.length) {
            growJourneys();
        }
        if (deltaCount + steps.size() > deltas.length) {
            deltas = Arrays.copyOf(deltas, Math.max(deltas.length * 2, deltaCount + steps.size()));
        }
        long first = journey.timeNs(steps.get(0).firstHop());
        journeyPaths[journeys] = path;
        journeyFirstNs[journeys] = first;
        journeyDeltaAt[journeys] = deltaCount;
        for (int i = 1; i < steps.size(); i++) {
            deltas[deltaCount++] = delta(first, journey.timeNs(steps.get(i).firstHop()));
        }
        deltas[deltaCount++] = delta(first, journey.endTimeNs());
        journeyLeftNs[journeys] = exitHop < 0 ? 0 : journey.timeNs(exitHop);
        journeyExitSteps[journeys] = (short) exitStep(journey, steps, exitHop);
        journeyBytes[journeys] = journey.bytes();
        journeyPayloads[journeys] = payload(journey);
        Outcome outcome = journey.outcome() == null ? Outcome.UNTERMINATED : journey.outcome();
        journeyOutcomes[journeys] = (byte) outcome.ordinal();
        journeyReasons[journeys] = outcome == Outcome.DROPPED
                ? (short) reasonIndex(journey.dropReason() == null ? "unknown" : journey.dropReason()) : -1;
        journeyProtocols[journeys] = (byte) journey.ipProtocol();
        boolean onlyReceives = true;
        for (int hop = 0; hop < journey.hopCount() && onlyReceives; hop++) {
            onlyReceives = !journey.kind(hop).transmit();
        }
        journeyShapes[journeys] = (byte) ((journey.kind(0).transmit() ? FIRST_TRANSMIT : 0)
                | (journey.kind(journey.hopCount() - 1) == HopKind.QUEUE ? LAST_QUEUE : 0)
                | (onlyReceives ? ONLY_RECEIVES : 0));
        journeyIpLengths[journeys] = journey.ipLength();
        journeyChangeBefore[journeys] = journey.headerChangeBefore();
        journeyChangeAfter[journeys] = journey.headerChangeAfter();
        largestChange = Math.max(largestChange, Math.max(journey.headerChangeBefore(), journey.headerChangeAfter()));
        return journeys++;
    }

    /** The step the hop belongs to: the last step of its device and direction that began at or before it. */
    private static int exitStep(Journey journey, List<DeviceStep> steps, int hop) {
        if (hop < 0) {
            return -1;
        }
        for (int i = steps.size() - 1; i >= 0; i--) {
            DeviceStep step = steps.get(i);
            if (step.firstHop() <= hop && step.device() == journey.device(hop) && step.transmit()) {
                return i;
            }
        }
        return -1;
    }

    /** The transport payload of the header the journey showed first (TCP, UDP, ICMP), else the IP payload. */
    private static int payload(Journey journey) {
        int transport = switch (journey.ipProtocol()) {
            case IPPROTO_TCP -> journey.hasTcp() ? journey.tcpHeaderLength() : 0;
            case 17, 1, 58 -> 8; // UDP, ICMP and ICMPv6 headers
            default -> 0;
        };
        return Math.max(0, journey.ipLength() - journey.ipHeaderLength() - transport);
    }

    private static int delta(long first, long time) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, time - first));
    }

    private int pathIndex(List<DeviceRef> key) {
        return pathIndexes.computeIfAbsent(key, k -> {
            pathKeys.add(k);
            return pathKeys.size() - 1;
        });
    }

    private int reasonIndex(String reason) {
        int index = reasons.indexOf(reason);
        if (index < 0) {
            reasons.add(reason);
            index = reasons.size() - 1;
        }
        return index;
    }

    private void growJourneys() {
        int grown = journeys * 2;
        journeyPaths = Arrays.copyOf(journeyPaths, grown);
        journeyFirstNs = Arrays.copyOf(journeyFirstNs, grown);
        journeyDeltaAt = Arrays.copyOf(journeyDeltaAt, grown);
        journeyLeftNs = Arrays.copyOf(journeyLeftNs, grown);
        journeyBytes = Arrays.copyOf(journeyBytes, grown);
        journeyPayloads = Arrays.copyOf(journeyPayloads, grown);
        journeyOutcomes = Arrays.copyOf(journeyOutcomes, grown);
        journeyReasons = Arrays.copyOf(journeyReasons, grown);
        journeyProtocols = Arrays.copyOf(journeyProtocols, grown);
        journeyShapes = Arrays.copyOf(journeyShapes, grown);
        journeyExitSteps = Arrays.copyOf(journeyExitSteps, grown);
        journeyIpLengths = Arrays.copyOf(journeyIpLengths, grown);
        journeyChangeBefore = Arrays.copyOf(journeyChangeBefore, grown);
        journeyChangeAfter = Arrays.copyOf(journeyChangeAfter, grown);
    }

    /** Addresses, protocol and, of TCP, the ports, as one 64-bit hash. */
    private static long flow(Journey journey, boolean tcp) {
        long hash = mix(journey.hasIpv6() ? 6 : 4, journey.ipProtocol());
        hash = mix(hash, journey.sourceAddressHigh());
        hash = mix(hash, journey.sourceAddressLow());
        hash = mix(hash, journey.destinationAddressHigh());
        hash = mix(hash, journey.destinationAddressLow());
        if (tcp) {
            hash = mix(hash, (long) journey.sourcePort() << 16 | journey.destinationPort());
        }
        return hash;
    }

    static long mix(long hash, long value) {
        long h = (hash ^ value) * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 29);
    }

    private int deviceIndex(String name) {
        for (int i = 0; i < devices.size(); i++) {
            if (deviceKeys[i] == name) {
                return i;
            }
        }
        int index = devices.indexOf(name);
        if (index < 0) {
            index = devices.size();
            devices.add(name);
        }
        if (index >= deviceKeys.length) {
            deviceKeys = Arrays.copyOf(deviceKeys, deviceKeys.length * 2);
        }
        deviceKeys[index] = name;
        return index;
    }

    private void add(byte kind, boolean outgoing, long timeNs, long flow, long sequence, int id, int length,
                     int device, int journey) {
        if (size == kinds.length) {
            int grown = size * 2;
            kinds = Arrays.copyOf(kinds, grown);
            times = Arrays.copyOf(times, grown);
            flows = Arrays.copyOf(flows, grown);
            sequences = Arrays.copyOf(sequences, grown);
            ids = Arrays.copyOf(ids, grown);
            lengths = Arrays.copyOf(lengths, grown);
            deviceIndexes = Arrays.copyOf(deviceIndexes, grown);
            journeyIndexes = Arrays.copyOf(journeyIndexes, grown);
        }
        kinds[size] = (byte) (kind | (outgoing ? BoundaryPackets.OUTGOING : 0));
        times[size] = timeNs;
        flows[size] = flow;
        sequences[size] = sequence;
        ids[size] = id;
        lengths[size] = length;
        deviceIndexes[size] = (short) device;
        journeyIndexes[size] = journey;
        size++;
    }

    /** Adds another part's packets (another stream or time part of the same trace). */
    public void merge(BoundaryCollector other) {
        int journeyBase = journeys;
        long changeBase = largestChange;
        int[] paths = new int[other.pathKeys.size()];
        for (int i = 0; i < paths.length; i++) {
            paths[i] = pathIndex(other.pathKeys.get(i));
        }
        for (int j = 0; j < other.journeys; j++) {
            if (journeys == journeyPaths.length) {
                growJourneys();
            }
            int steps = other.pathKeys.get(other.journeyPaths[j]).size();
            if (deltaCount + steps > deltas.length) {
                deltas = Arrays.copyOf(deltas, Math.max(deltas.length * 2, deltaCount + steps));
            }
            System.arraycopy(other.deltas, other.journeyDeltaAt[j], deltas, deltaCount, steps);
            journeyPaths[journeys] = paths[other.journeyPaths[j]];
            journeyFirstNs[journeys] = other.journeyFirstNs[j];
            journeyDeltaAt[journeys] = deltaCount;
            deltaCount += steps;
            journeyLeftNs[journeys] = other.journeyLeftNs[j];
            journeyBytes[journeys] = other.journeyBytes[j];
            journeyPayloads[journeys] = other.journeyPayloads[j];
            journeyOutcomes[journeys] = other.journeyOutcomes[j];
            journeyReasons[journeys] = other.journeyReasons[j] < 0 ? -1
                    : (short) reasonIndex(other.reasons.get(other.journeyReasons[j]));
            journeyProtocols[journeys] = other.journeyProtocols[j];
            journeyShapes[journeys] = other.journeyShapes[j];
            journeyExitSteps[journeys] = other.journeyExitSteps[j];
            journeyIpLengths[journeys] = other.journeyIpLengths[j];
            // each part numbered its header changes from 1: this part's numbers come first
            journeyChangeBefore[journeys] = other.journeyChangeBefore[j] == 0 ? 0 : other.journeyChangeBefore[j] + changeBase;
            journeyChangeAfter[journeys] = other.journeyChangeAfter[j] == 0 ? 0 : other.journeyChangeAfter[j] + changeBase;
            journeys++;
        }
        largestChange = changeBase + other.largestChange;
        for (int i = 0; i < other.size; i++) {
            add((byte) (other.kinds[i] & ~BoundaryPackets.OUTGOING), (other.kinds[i] & BoundaryPackets.OUTGOING) != 0,
                    other.times[i], other.flows[i], other.sequences[i], other.ids[i], other.lengths[i],
                    deviceIndex(other.devices.get(other.deviceIndexes[i])),
                    other.journeyIndexes[i] < 0 ? -1 : other.journeyIndexes[i] + journeyBase);
        }
    }

    private static final byte TCP = BoundaryPackets.TCP;
    private static final byte OTHER_IP = BoundaryPackets.OTHER_IP;
    private static final byte SOCKET = BoundaryPackets.SOCKET;

    /** The table, with the clock the traces' events are timed by (the first trace's first clock), paths unlabelled. */
    public BoundaryPackets result(List<Trace> traces) {
        return result(traces, UnaryOperator.identity(), DeviceRef::toString);
    }

    /**
     * The table, with the clock the traces' events are timed by (the first trace's first clock). Paths are named as
     * {@link org.vnetscope.analysis.paths.PathGraph#result} names them, with the same device resolution and labels,
     * so that a packet's path is the one of the host's {@code paths[]}.
     */
    public BoundaryPackets result(List<Trace> traces, UnaryOperator<InterfaceId> resolve,
                                  Function<DeviceRef, String> labeler) {
        ClockClass clock = null;
        for (Trace trace : traces) {
            if (clock == null && !trace.metadata().clocks().isEmpty()) {
                clock = trace.metadata().clocks().values().iterator().next();
            }
        }
        String name = clock == null ? null : clock.name();
        UUID uuid = clock == null ? null : clock.uuid();
        long frequency = clock == null ? 0 : clock.frequency();
        long origin = clock == null ? 0 : clock.offsetSeconds() * 1_000_000_000L + BigInteger.valueOf(clock.offsetCycles())
                .multiply(BigInteger.valueOf(1_000_000_000L)).divide(BigInteger.valueOf(clock.frequency())).longValue();
        return new BoundaryPackets(name, uuid, frequency, origin, devices, size, Arrays.copyOf(kinds, size),
                Arrays.copyOf(times, size),
                Arrays.copyOf(flows, size), Arrays.copyOf(sequences, size), Arrays.copyOf(ids, size),
                Arrays.copyOf(lengths, size), Arrays.copyOf(deviceIndexes, size), Arrays.copyOf(journeyIndexes, size),
                journeys(resolve, labeler));
    }

    private BoundaryJourneys journeys(UnaryOperator<InterfaceId> resolve, Function<DeviceRef, String> labeler) {
        // paths that resolve to the same devices are one path, as in PathGraph
        Map<List<DeviceRef>, Integer> resolvedIndexes = new HashMap<>();
        List<List<String>> labels = new ArrayList<>();
        int[] resolvedOf = new int[pathKeys.size()];
        for (int i = 0; i < pathKeys.size(); i++) {
            List<DeviceRef> resolved = new ArrayList<>();
            for (DeviceRef ref : pathKeys.get(i)) {
                InterfaceId id = resolve.apply(new InterfaceId(ref.name(), ref.partner(), ref.part()));
                resolved.add(new DeviceRef(id.name(), id.peer(), ref.transmit(), id.part()));
            }
            Integer index = resolvedIndexes.get(resolved);
            if (index == null) {
                index = labels.size();
                resolvedIndexes.put(resolved, index);
                labels.add(resolved.stream().map(labeler).toList());
            }
            resolvedOf[i] = index;
        }
        int[] paths = new int[journeys];
        for (int j = 0; j < journeys; j++) {
            paths[j] = resolvedOf[journeyPaths[j]];
        }
        int[] before = new int[journeys];
        int[] after = new int[journeys];
        Arrays.fill(before, -1);
        Arrays.fill(after, -1);
        Map<Long, Integer> endedByChange = new HashMap<>();
        for (int j = 0; j < journeys; j++) {
            if (journeyChangeAfter[j] != 0) {
                endedByChange.put(journeyChangeAfter[j], j);
            }
        }
        for (int j = 0; j < journeys; j++) {
            Integer previous = journeyChangeBefore[j] == 0 ? null : endedByChange.get(journeyChangeBefore[j]);
            if (previous != null && tunnelled(previous, j)) {
                before[j] = previous;
                after[previous] = j;
            }
        }
        return new BoundaryJourneys(labels, paths, Arrays.copyOf(journeyFirstNs, journeys),
                Arrays.copyOf(journeyDeltaAt, journeys), Arrays.copyOf(deltas, deltaCount),
                Arrays.copyOf(journeyLeftNs, journeys), Arrays.copyOf(journeyExitSteps, journeys),
                Arrays.copyOf(journeyBytes, journeys), Arrays.copyOf(journeyPayloads, journeys),
                Arrays.copyOf(journeyOutcomes, journeys), Arrays.copyOf(journeyReasons, journeys), reasons,
                Arrays.copyOf(journeyProtocols, journeys), before, after, journeys);
    }

    /**
     * Whether the change of headers between two journeys of one skb is a tunnel's, not another packet at an address
     * whose free no event showed: queued last on one device and then, wrapped in a longer packet, queued on another
     * device; or received on devices only and then, unwrapped to a shorter packet, received on another device (the
     * tunnel's). Another packet at a reused address would have been sent or delivered by then.
     */
    private boolean tunnelled(int earlier, int later) {
        List<DeviceRef> first = pathKeys.get(journeyPaths[earlier]);
        String next = pathKeys.get(journeyPaths[later]).get(0).name();
        for (DeviceRef device : first) {
            if (device.name().equals(next)) {
                return false;
            }
        }
        boolean wrapped = (journeyShapes[earlier] & LAST_QUEUE) != 0 && (journeyShapes[later] & FIRST_TRANSMIT) != 0
                && journeyIpLengths[later] > journeyIpLengths[earlier];
        boolean unwrapped = (journeyShapes[earlier] & ONLY_RECEIVES) != 0
                && (journeyShapes[later] & FIRST_TRANSMIT) == 0 && journeyIpLengths[later] < journeyIpLengths[earlier];
        return wrapped || unwrapped;
    }
}
