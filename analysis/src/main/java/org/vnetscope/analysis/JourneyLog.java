package org.vnetscope.analysis;

import java.util.Arrays;
import java.util.List;
import org.vnetscope.analysis.paths.DeviceStep;
import org.vnetscope.analysis.paths.HopKind;
import org.vnetscope.analysis.paths.Journey;
import org.vnetscope.analysis.paths.Outcome;
import org.vnetscope.ctf.Event;

/**
 * The journey of one skb chain, hop by hop, as {@link PacketTracker} follows it; handed to observers when the
 * chain ends, then reused. It also keeps the IP header the chain first showed, which decides whether a later
 * event on the same address is the same packet.
 */
final class JourneyLog implements Journey {

    private InterfaceId[] devices = new InterfaceId[8];
    private HopKind[] kinds = new HopKind[8];
    private long[] times = new long[8];
    private long[] netns = new long[8];
    private int hops;
    final IpHeader header = new IpHeader();
    /** The hop whose event showed the header first, -1 before any did. */
    int headerHop = -1;
    private static final IpHeader NO_HEADER = new IpHeader();
    private static final long IPV4_MAPPED = 0xFFFFL << 32;
    private int bytes;
    private boolean bytesFromReceive;
    private int receiverHop;
    private long receiverNetns;
    private long endTime;
    private Outcome outcome;
    private String reason;
    private boolean overlapsLostEvents;
    /** See {@link Journey#headerChangeBefore()} and {@link Journey#headerChangeAfter()}. */
    long headerChangeBefore;
    long headerChangeAfter;
    /** The steps once a listener asked, until the hops change. */
    private List<DeviceStep> steps;
    /** Where the steps of every hop sequence are kept. */
    private final StepShapes shapes;

    JourneyLog(StepShapes shapes) {
        this.shapes = shapes;
    }

    void reset() {
        hops = 0;
        steps = null;
        header.type = IpHeader.NONE;
        headerHop = -1;
        bytes = 0;
        bytesFromReceive = true;
        receiverHop = -1;
        receiverNetns = 0;
        reason = null;
        overlapsLostEvents = false;
        headerChangeBefore = 0;
        headerChangeAfter = 0;
    }

    /** The tracer lost events while this chain was alive, on a stream it used: see {@link PacketTracker}. */
    void overlapLostEvents() {
        overlapsLostEvents = true;
    }

    boolean isEmpty() {
        return hops == 0;
    }

    /**
     * True when the event cannot continue this journey though it uses the same address: it was already copied to
     * a socket, or it would visit the same device the same way twice (no header told them apart).
     */
    boolean cannotContinue(InterfaceId device, HopKind kind) {
        if (receiverHop >= 0) {
            return true;
        }
        for (int i = 0; i < hops; i++) {
            if (devices[i] == device && kinds[i] == kind) {
                return true;
            }
        }
        return false;
    }

    void add(InterfaceId device, HopKind kind, Event event, IpHeader seen) {
        if (hops == devices.length) {
            int size = hops * 2;
            devices = Arrays.copyOf(devices, size);
            kinds = Arrays.copyOf(kinds, size);
            times = Arrays.copyOf(times, size);
            netns = Arrays.copyOf(netns, size);
        }
        steps = null;
        devices[hops] = device;
        kinds[hops] = kind;
        times[hops] = event.timestampNs();
        netns[hops] = event.has(NetFields.NET_NS) ? event.getLong(NetFields.NET_NS) : 0;
        hops++;
        if (seen.type != IpHeader.NONE && !header.ip()) {
            header.copyFrom(seen);
            headerHop = hops - 1;
        }
        boolean transmit = kind == HopKind.QUEUE || kind == HopKind.XMIT;
        if (bytes == 0 && event.has(NetFields.LEN)) {
            int len = (int) event.getLong(NetFields.LEN);
            bytes = transmit ? len : len + NetFields.ETH_HEADER;
        } else if (transmit && bytesFromReceive && event.has(NetFields.LEN)) {
            bytes = (int) event.getLong(NetFields.LEN);
        }
        bytesFromReceive &= !transmit;
    }

    /** Whether the packet was queued for transmit on a device of this name. */
    boolean queuedOn(String name) {
        for (int i = 0; i < hops; i++) {
            if (kinds[i] == HopKind.QUEUE && devices[i].name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Records a hop that happened before the last one recorded (which it caused), in its place on the way. */
    void addBeforeLast(InterfaceId device, HopKind kind, Event event) {
        add(device, kind, event, NO_HEADER);
        int last = hops - 1;
        InterfaceId movedDevice = devices[last];
        HopKind movedKind = kinds[last];
        long movedTime = times[last];
        long movedNetns = netns[last];
        devices[last] = devices[last - 1];
        kinds[last] = kinds[last - 1];
        times[last] = times[last - 1];
        netns[last] = netns[last - 1];
        devices[last - 1] = movedDevice;
        kinds[last - 1] = movedKind;
        times[last - 1] = movedTime;
        netns[last - 1] = movedNetns;
    }

    /** A hand-over named the peer of the device that sent this skb: its earlier hops take that identity. */
    void revealPeer(InterfaceId peerless, InterfaceId withPeer) {
        steps = null;
        for (int i = 0; i < hops; i++) {
            if (devices[i] == peerless) {
                devices[i] = withPeer;
            }
        }
    }

    /** The chain's relay is decided: every hop's device takes its id under that relay. */
    void ownedBy(InterfaceIdentities identities, long part) {
        steps = null;
        for (int i = 0; i < hops; i++) {
            devices[i] = identities.withPart(devices[i], part);
        }
    }

    void copiedToUser(long taskNetns) {
        if (receiverHop < 0 && hops > 0) {
            receiverHop = hops - 1;
            receiverNetns = taskNetns;
        }
    }

    void end(long endTimeNs, Outcome how, String dropReason) {
        endTime = endTimeNs;
        outcome = how;
        reason = dropReason;
    }

    long lastTimeNs() {
        return times[hops - 1];
    }

    @Override
    public int hopCount() {
        return hops;
    }

    @Override
    public List<DeviceStep> steps() {
        if (steps == null) {
            steps = shapes.of(this, devices, kinds, hops);
        }
        return steps;
    }

    @Override
    public InterfaceId device(int hop) {
        return devices[hop];
    }

    @Override
    public HopKind kind(int hop) {
        return kinds[hop];
    }

    @Override
    public long timeNs(int hop) {
        return times[hop];
    }

    @Override
    public long contextNetns(int hop) {
        return netns[hop];
    }

    @Override
    public long receiverNetns() {
        return receiverNetns;
    }

    @Override
    public int receiverHop() {
        return receiverHop;
    }

    @Override
    public long endTimeNs() {
        return endTime;
    }

    @Override
    public Outcome outcome() {
        return outcome;
    }

    @Override
    public String dropReason() {
        return reason;
    }

    @Override
    public boolean overlapsLostEvents() {
        return overlapsLostEvents;
    }

    @Override
    public long headerChangeBefore() {
        return headerChangeBefore;
    }

    @Override
    public long headerChangeAfter() {
        return headerChangeAfter;
    }

    @Override
    public int bytes() {
        return bytes;
    }

    @Override
    public boolean hasIpv4() {
        return header.type == IpHeader.IPV4;
    }

    @Override
    public int ipHeaderHop() {
        return headerHop;
    }

    @Override
    public int ipv4Source() {
        return (int) header.source;
    }

    @Override
    public int ipv4Destination() {
        return (int) header.destination;
    }

    @Override
    public int ipProtocol() {
        return header.protocol;
    }

    @Override
    public int sourcePort() {
        return header.sourcePort;
    }

    @Override
    public int destinationPort() {
        return header.destinationPort;
    }

    @Override
    public boolean hasIpv6() {
        return header.type == IpHeader.IPV6;
    }

    @Override
    public long sourceAddressHigh() {
        return header.type == IpHeader.IPV4 ? 0 : header.sourceHigh;
    }

    @Override
    public long sourceAddressLow() {
        return header.type == IpHeader.IPV4 ? IPV4_MAPPED | header.source : header.source;
    }

    @Override
    public long destinationAddressHigh() {
        return header.type == IpHeader.IPV4 ? 0 : header.destinationHigh;
    }

    @Override
    public long destinationAddressLow() {
        return header.type == IpHeader.IPV4 ? IPV4_MAPPED | header.destination : header.destination;
    }

    @Override
    public int ipId() {
        return header.type == IpHeader.IPV4 ? (int) header.id & 0xFFFF : -1;
    }

    @Override
    public int ipLength() {
        return header.length;
    }

    @Override
    public int ipHeaderLength() {
        return header.headerLength;
    }

    @Override
    public boolean hasTcp() {
        return header.transport == IpHeader.TCP;
    }

    @Override
    public boolean hasUdp() {
        return header.transport == IpHeader.UDP;
    }

    @Override
    public long tcpSequence() {
        return header.sequence;
    }

    @Override
    public long tcpAck() {
        return header.ack;
    }

    @Override
    public int tcpHeaderLength() {
        return header.tcpHeaderLength;
    }
}
