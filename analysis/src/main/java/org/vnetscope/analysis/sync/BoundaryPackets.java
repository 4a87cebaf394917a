package org.vnetscope.analysis.sync;

import java.io.Serializable;
import java.util.List;
import java.util.UUID;

/**
 * The packets that crossed one traced host's boundary, with what finding each in another host's trace needs: a
 * packet that left the host (its last transmit there) or entered it (its first receive there), its time on the
 * host's clock and its key. One trace's result, immutable; {@link ClockSync} matches several hosts' tables.
 *
 * <p>Kinds of key:
 * <ul>
 * <li>{@link #TCP}: addresses, ports, the acknowledgment number (the flow), the sequence number, the IP id (IPv4)
 * and the payload length, so that a GSO send matches each segment received from it, and a GRO-merged receive its
 * first segment's send;</li>
 * <li>{@link #OTHER_IP} (UDP, ICMP and the rest): addresses, protocol, IP id and IP total length. Not the ports:
 * a receive event may not have recorded the transport header (it is set later on the way up) while the send did.
 * Not the IP header checksum either: it covers the TTL, which a router on the way decrements, while the other
 * fields it covers are the same for every packet of a flow, so it would tell no more packets apart;</li>
 * <li>{@link #SOCKET}: the TCP header fields the network addon events ({@code inet_sock_local_out/in}) record:
 * sequence and acknowledgment numbers and the window; they carry no addresses.</li>
 * </ul>
 * Columns rather than objects: a busy trace has hundreds of thousands of them.
 */
public final class BoundaryPackets implements Serializable {

    static final byte TCP = 1;
    static final byte OTHER_IP = 2;
    static final byte SOCKET = 3;
    /** Set in {@link #kinds} for a packet that left the host. */
    static final byte OUTGOING = (byte) 0x80;

    /** No packets and no clock: the report of a trace part, or of a test. */
    public static final BoundaryPackets NONE = new BoundaryPackets(null, null, 0, 0, List.of(), 0, new byte[0],
            new long[0], new long[0], new long[0], new int[0], new int[0], new short[0]);

    private final String clockName;
    private final UUID clockUuid;
    private final long clockFrequency;
    private final long clockOriginNs;
    private final List<String> devices;
    private final int size;
    final byte[] kinds;
    final long[] times;
    /** A hash of the addresses, protocol and ports (0 for {@link #SOCKET}). */
    final long[] flows;
    /** Sequence number in the high 32 bits, acknowledgment number in the low ones (TCP and SOCKET). */
    final long[] sequences;
    /** IPv4 id, -1 without one; the TCP window for {@link #SOCKET}. */
    final int[] ids;
    /** TCP payload bytes (-1 when the header gave no length), else the IP total length. */
    final int[] lengths;
    /** Index in {@link #devices()} of the device the packet left or entered through. */
    final short[] deviceIndexes;
    /** The row in {@link #journeys()} of each packet's journey, -1 for the addon events; null without journeys. */
    private final int[] journeyIndexes;
    private final BoundaryJourneys journeys;

    BoundaryPackets(String clockName, UUID clockUuid, long clockFrequency, long clockOriginNs, List<String> devices,
                    int size, byte[] kinds, long[] times, long[] flows, long[] sequences, int[] ids, int[] lengths,
                    short[] deviceIndexes) {
        this(clockName, clockUuid, clockFrequency, clockOriginNs, devices, size, kinds, times, flows, sequences, ids,
                lengths, deviceIndexes, null, BoundaryJourneys.NONE);
    }

    BoundaryPackets(String clockName, UUID clockUuid, long clockFrequency, long clockOriginNs, List<String> devices,
                    int size, byte[] kinds, long[] times, long[] flows, long[] sequences, int[] ids, int[] lengths,
                    short[] deviceIndexes, int[] journeyIndexes, BoundaryJourneys journeys) {
        this.clockName = clockName;
        this.clockUuid = clockUuid;
        this.clockFrequency = clockFrequency;
        this.clockOriginNs = clockOriginNs;
        this.devices = List.copyOf(devices);
        this.size = size;
        this.kinds = kinds;
        this.times = times;
        this.flows = flows;
        this.sequences = sequences;
        this.ids = ids;
        this.lengths = lengths;
        this.deviceIndexes = deviceIndexes;
        this.journeyIndexes = journeyIndexes;
        this.journeys = journeys;
    }

    /** The journeys the packets belong to: their paths through the host and their times. */
    public BoundaryJourneys journeys() {
        return journeys;
    }

    /** The row in {@link #journeys()} of packet {@code i}'s journey, or -1 (an addon event, or no journeys kept). */
    public int journeyOf(int i) {
        return journeyIndexes == null ? -1 : journeyIndexes[i];
    }

    /** The name of the clock the trace's events are timed by, or null. */
    public String clockName() {
        return clockName;
    }

    /**
     * That clock's uuid, or null: LTTng sets it to the boot id of the traced kernel, so two traces with the same
     * one were timed by the same clock.
     */
    public UUID clockUuid() {
        return clockUuid;
    }

    /** The clock's frequency in Hz, 0 when the trace has no clock. */
    public long clockFrequency() {
        return clockFrequency;
    }

    /**
     * The time of the clock's value 0, in ns since the epoch: its offset, which LTTng takes from the realtime clock
     * when the session starts. Two traces of one clock (the same uuid) may differ by it, and by nothing else.
     */
    public long clockOriginNs() {
        return clockOriginNs;
    }

    /** How many packets. */
    public int size() {
        return size;
    }

    /** How many left the host. */
    public int outgoing() {
        int count = 0;
        for (int i = 0; i < size; i++) {
            count += (kinds[i] & OUTGOING) != 0 ? 1 : 0;
        }
        return count;
    }

    /** The devices packets left or entered through, as the tracker named them. */
    public List<String> devices() {
        return devices;
    }

    boolean isOutgoing(int i) {
        return (kinds[i] & OUTGOING) != 0;
    }

    byte kind(int i) {
        return (byte) (kinds[i] & ~OUTGOING);
    }

    long sequence(int i) {
        return sequences[i] >>> 32;
    }

    long ack(int i) {
        return sequences[i] & 0xFFFF_FFFFL;
    }

    String device(int i) {
        return devices.get(deviceIndexes[i]);
    }
}
