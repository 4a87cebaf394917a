package org.vnetscope.analysis.sync;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
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
 * <p>Per journey it adds a handful of numbers to growing columns: no allocation but their growth.
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
    private final List<String> devices = new ArrayList<>();
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
        add(SOCKET, outgoing, event.timestampNs(), 0, sequence << 32 | ack, window, 0, deviceIndex(SOCKET_DEVICE));
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
        if (!journey.kind(0).transmit()) {
            record(journey, false, 0);
        }
        if (lastQueue > lastReceive && journey.outcome() != Outcome.DROPPED) {
            record(journey, true, lastQueue);
        }
    }

    private void record(Journey journey, boolean outgoing, int hop) {
        boolean tcp = journey.ipProtocol() == IPPROTO_TCP;
        if (tcp && !journey.hasTcp()) {
            return; // a TCP packet whose event recorded no TCP header: nothing to find it by on the other side
        }
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
                deviceIndex(journey.device(hop).name()));
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
                     int device) {
        if (size == kinds.length) {
            int grown = size * 2;
            kinds = Arrays.copyOf(kinds, grown);
            times = Arrays.copyOf(times, grown);
            flows = Arrays.copyOf(flows, grown);
            sequences = Arrays.copyOf(sequences, grown);
            ids = Arrays.copyOf(ids, grown);
            lengths = Arrays.copyOf(lengths, grown);
            deviceIndexes = Arrays.copyOf(deviceIndexes, grown);
        }
        kinds[size] = (byte) (kind | (outgoing ? BoundaryPackets.OUTGOING : 0));
        times[size] = timeNs;
        flows[size] = flow;
        sequences[size] = sequence;
        ids[size] = id;
        lengths[size] = length;
        deviceIndexes[size] = (short) device;
        size++;
    }

    /** Adds another part's packets (another stream or time part of the same trace). */
    public void merge(BoundaryCollector other) {
        for (int i = 0; i < other.size; i++) {
            add((byte) (other.kinds[i] & ~BoundaryPackets.OUTGOING), (other.kinds[i] & BoundaryPackets.OUTGOING) != 0,
                    other.times[i], other.flows[i], other.sequences[i], other.ids[i], other.lengths[i],
                    deviceIndex(other.devices.get(other.deviceIndexes[i])));
        }
    }

    private static final byte TCP = BoundaryPackets.TCP;
    private static final byte OTHER_IP = BoundaryPackets.OTHER_IP;
    private static final byte SOCKET = BoundaryPackets.SOCKET;

    /** The table, with the clock the traces' events are timed by (the first trace's first clock). */
    public BoundaryPackets result(List<Trace> traces) {
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
                Arrays.copyOf(lengths, size), Arrays.copyOf(deviceIndexes, size));
    }
}
