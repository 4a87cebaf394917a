package org.vnetscope.analysis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.vnetscope.analysis.ovs.OvsFields;
import org.vnetscope.analysis.paths.HopKind;
import org.vnetscope.analysis.paths.Outcome;
import org.vnetscope.ctf.Discard;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.FieldKey;
import org.vnetscope.ctf.EventStream;
import org.vnetscope.ctf.StreamFile;

/**
 * Follows every skb through the network events of one trace, in timestamp order, and turns them into one
 * receive and one transmit per packet and interface, attributed to an {@link InterfaceId}.
 *
 * <p>The counting rules, checked against the interface counters of real traces:
 * <ul>
 * <li>Receive: {@code net_if_rx} counts; a following {@code net_if_receive_skb} of the same skb on the same
 * device does not (a veth packet fires both). {@code net_if_receive_skb} alone counts (NAPI drivers, taps,
 * and upper devices such as a bridge receiving what its port received).</li>
 * <li>Transmit: {@code net_dev_xmit} with {@code rc == 0}; {@code net_dev_queue} is before the qdisc (netem
 * drops sit between the two) and before software segmentation (one queued GSO skb, many sent segments).</li>
 * <li>Drops: {@code skb_kfree}, attributed to the device where the skb was last seen.</li>
 * </ul>
 * An skb chain ends at {@code skb_kfree}/{@code skb_consume}; some frees have no tracepoint, so a chain older than
 * {@link #STALE_NS} is forgotten rather than allowed to swallow the next packet that reuses the address. State is
 * one small record per live skb address.
 *
 * <p>Each chain also logs its {@link JourneyLog journey}, device by device, handed to
 * {@link PacketObserver#journeyEnded} when the chain ends. Addresses are reused and not every free is traced, so
 * an event whose header contradicts its chain's (another IPv4 or IPv6 header, or another kind of frame), or a
 * copy to user space longer than the chain's packet could carry, starts a new chain (a <em>split</em>); without a
 * header to tell, a journey that would visit a device the same way twice, or move on
 * after a socket took its data, is cut there (<em>ambiguous</em>). A chain queued on a device and freed there
 * unsent was cut into GSO segments ({@link Outcome#SEGMENTED}); the segments are new skbs whose journeys begin with
 * that device's xmit. A copy through a tap and a user-space relay is a new skb too, so such a path comes in legs.
 *
 * <p>Where the tracer lost events, a chain may have lost its free, or the hand-over that named its peer, and run
 * on into the next packet at its address: a chain alive when a stream's lost range begins, or with an event
 * inside a lost range of its stream, is <em>no evidence</em>. Its events still count on the devices they name,
 * but it pairs no veths, votes for no namespace, tells no device kind, and its journey says so
 * ({@link JourneyLog#overlapsLostEvents}). The peer its hand-over shows holds only if an intact chain paired the
 * same names ({@link InterfaceIdentities#resolve}).
 *
 * <p>User-space relays (a process per VM copying frames between a tap and the VM's side of a veth pair, as QEMU
 * does without vhost) make pairs with the same names in every VM: what tells them apart is the relay. Each chain's
 * relay ({@link InterfaceId#relayPart part}) is decided once, and every count, drop and journey of the chain goes
 * under it. A relay's copy into the VM is a new skb queued by the relay's process right after it read the same
 * frame (same length, same headers) off a tap. A frame the VM sends reaches the relay's veth end, whose stack frees
 * it, and the relay writes a copy into its tap, again a new skb with the same length and headers, received in the
 * relay's process. So a chain that crosses a veth pair to a device that never delivered to a socket nor passed
 * anything on keeps its counts back and is <em>claimable</em>: the first such copy names its relay, whether it
 * comes before the chain's free (a relay on another CPU) or after it; a chain that ends unclaimed is held until
 * {@link #STALE_NS} passes (no relay), or for good once it delivered to a socket or passed on.
 *
 * <p>A GSO super-packet cut into segments before any hand-over (its device cannot take it whole) shows only its
 * queue: its first segment, cut right after on the same CPU, names the pair and the relay it takes.
 */
final class PacketTracker {

    /** A packet does not stay in a host's stack this long; a chain this old was freed without a tracepoint. */
    static final long STALE_NS = 1_000_000_000L;
    private static final long NO_NETNS = Long.MIN_VALUE;
    /** The smallest IPv4 header and transport header (UDP, ICMP): what a frame holds besides its payload. */
    private static final int MIN_IP_AND_TRANSPORT = 20 + 8;

    private enum Step { QUEUED, RECEIVED_RX, RECEIVED, SENT }

    /**
     * Where a chain stands with an Open vSwitch datapath: it entered through a port and awaits the datapath's
     * verdict, got actions, or went to user space (an upcall).
     */
    private enum Datapath { NONE, AWAITING, ACTED, UPCALLED }

    private static final class Chain {
        Step step;
        InterfaceId iface;
        /** The transmitting side once a hand-over named it; an xmit on that name is attributed to it. */
        InterfaceId transmitter;
        /** A queue not yet reported, waiting for the hand-over that names its interface. */
        long pendingQueueLen = -1;
        long queuedAtNs;
        /** net_ns of the task that created and queued the skb: a vote for the transmitter's namespace. */
        long senderNetns = NO_NETNS;
        /** The receive had no queue before it: a segment from software GSO, or a software netif_rx. */
        boolean rxWithoutQueue;
        /** User space read the packet off the device it was queued on (a tap) before that xmit's event fired. */
        boolean readWhileQueued;
        long lastNs;
        Datapath datapath = Datapath.NONE;
        /** The flow key of the upcall, to match the packet user space sends back. */
        long upcallKey;
        final JourneyLog journey;

        Chain(StepShapes shapes) {
            journey = new JourneyLog(shapes);
        }
        /** The stream list counted the packet of the current journey. */
        boolean streamCounted;
        /** The relay whose packet this is ({@link InterfaceId#relayPart}), 0 when none. */
        long part;
        /** Reached the device it is on through a veth hand-over, or was received there with no queue before. */
        boolean crossedPair;
        /** Some count went to the observers: the part can no longer change. */
        boolean emitted;
        /** Counts kept back while the relay may still be decided. */
        final OwedCounts owed = new OwedCounts();
        /** Waiting for a relay's copy to claim it: its fingerprint, the next claimable chain with the same one. */
        boolean claimable;
        long claimKey;
        Chain nextClaimable;
        /** Ended, kept for a claim since then (0 while the chain lives). */
        long heldNs;
        /** The stream (CPU) the chain was last queued on, and the length it was queued with. */
        StreamFile queuedOn;
        long queuedLen;
        /** The length of the IP packet in what was last queued, or -1 when the queue showed no IP header. */
        long queuedIpLen;
        /** Counts kept back only until the xmit of a software GSO segment names the pair it came through. */
        boolean heldForPeer;
        /** Of a TCP super-packet queued: the segments beyond the first TSO will make, and their header bytes. */
        long extraSegments;
        long extraSegmentBytes;
        /** When and how long the chain's packet was last received (len after the link header, as counted). */
        long rxNs;
        long rxLen;
        /** Which chain this is, as long as it is in use: what a segment checks its parent by. */
        long serial;
        /** A super-packet cut before it counted anything: waiting for its first segment to name its pair. */
        boolean awaitingSegments;
        /** For a segment: the super-packet it was cut from, while that one waits, and its serial. */
        Chain parent;
        long parentSerial;
    }

    /** Counts a chain owes the observers, by kind, time, raw device and length; at most one drop. */
    private static final class OwedCounts {
        boolean active;
        int size;
        byte[] kinds = new byte[4];
        long[] times = new long[4];
        InterfaceId[] devices = new InterfaceId[4];
        long[] lengths = new long[4];
        boolean dropped;
        long dropNs;
        InterfaceId dropDevice;
        String dropReason;
        long dropLocation;
        int dropEthertype;
        /** Freed where it was received: its length there, and a device a copy of it was queued on (or null). */
        long dropRxLen = -1;
        String dropClone;

        void add(byte kind, long timeNs, InterfaceId device, long len) {
            if (size == kinds.length) {
                kinds = Arrays.copyOf(kinds, size * 2);
                times = Arrays.copyOf(times, size * 2);
                devices = Arrays.copyOf(devices, size * 2);
                lengths = Arrays.copyOf(lengths, size * 2);
            }
            kinds[size] = kind;
            times[size] = timeNs;
            devices[size] = device;
            lengths[size] = len;
            size++;
        }

        /** A hand-over named the peer of a device that the kept counts name without one. */
        void reveal(InterfaceId peerless, InterfaceId withPeer) {
            for (int i = 0; i < size; i++) {
                if (devices[i] == peerless) {
                    devices[i] = withPeer;
                }
            }
        }

        void clear() {
            active = false;
            Arrays.fill(devices, 0, size, null);
            size = 0;
            dropped = false;
            dropDevice = null;
            dropReason = null;
            dropRxLen = -1;
            dropClone = null;
        }
    }

    private static final byte RECEIVED = 0;
    private static final byte TRANSMITTED = 1;
    private static final byte QUEUED = 2;

    /** Streams that lost events, and until when their latest lost range runs. */
    private StreamFile[] lossyStreams = new StreamFile[0];
    private long[] lossyUntilNs = new long[0];

    private final InterfaceIdentities identities;
    private final PacketObserver[] observers;
    private final BridgeInputDrops bridgeInput = new BridgeInputDrops();
    private final ReceiveWindows softirqs = new ReceiveWindows();
    private final GroReceives gro = new GroReceives();
    /** Whether GRO entry events name their device (newer lttng-modules); else the delivery tells it. */
    private boolean groEntriesNamed;
    private final RecentQueues newQueues = new RecentQueues();
    private final DeviceNames names;
    private final LongObjectMap<Chain> chains = new LongObjectMap<>();
    private final ArrayDeque<Chain> spare = new ArrayDeque<>();
    private final StepShapes shapes = new StepShapes();
    /** The header of the event being handled, read before this tracker sees the event. */
    private final PacketHeader header;
    /** The same header as chains keep it. */
    private final IpHeader seen = new IpHeader();
    private long journeys;
    private long splits;
    /** Header changes numbered so far, and the address whose chain the last one cut (0 once taken). */
    private long headerChanges;
    private long headerChangeSkb;
    private long ambiguous;
    private long unterminated;
    private int maxLive;
    /** Datapath ports seen, and whether packets enter the datapath from them on transmit (an internal port). */
    private String[] datapathPorts = new String[0];
    private boolean[] entersOnTransmit = new boolean[0];
    /**
     * Chains that went to user space, freed there, waiting for user space to send the packet back. Kept to the
     * end of the analysis, as answers may sit in another part of the trace; few stay: user space answers in
     * milliseconds, and a flow it drops it also installs in the kernel, which then drops without upcalls.
     */
    private final List<Chain> upcalled = new ArrayList<>();
    /** Packets user space sent back that answered no upcall seen here (maybe one of another part): key, time. */
    private long[] unmatchedAnswers = new long[0];
    private int unmatchedAnswerCount;
    private final byte[] flowKeyScratch = new byte[8];
    private long latestNs;
    /**
     * Packets freed before the xmit that queued them returned (a tap's reader copied them, or a NIC completed their
     * transmit on another CPU): the address, device and TSO segments of each, so that the late xmit event counts on its
     * device without starting a journey. Few are in flight at once (one per CPU), so a small ring, oldest overwritten.
     */
    private final long[] lateXmitSkbs = new long[8];
    private final InterfaceId[] lateXmitDevices = new InterfaceId[8];
    private final long[] lateXmitSegments = new long[8];
    private final long[] lateXmitSegmentBytes = new long[8];
    private int lateXmitNext;
    private int lateXmitPending;
    private long overlappingLostEvents;
    /**
     * Devices that delivered a packet to a socket or passed one on (a bridge port, a VM's interface): what ends
     * unread there is no relay's. By reference; few.
     */
    private InterfaceId[] endpoints = new InterfaceId[16];
    private int endpointCount;
    /** Devices a relay's copies were sent through: what ends unread on them is most likely a relay's. */
    private InterfaceId[] relaySides = new InterfaceId[4];
    private int relaySideCount;
    /**
     * Per process (direct-mapped by pid), the last frame it read off a device's transmit side (a tap): a relay's
     * next queue of the same frame is its copy.
     */
    private static final int READERS = 64;
    private final long[] readerPids = new long[READERS];
    private final int[] readFrames = new int[READERS];
    private final IpHeader[] readHeaders = new IpHeader[READERS];
    private final long[] readNs = new long[READERS];
    private final String[] readDevices = new String[READERS];
    private boolean tapReadSeen;
    /** Claimable chains by fingerprint (oldest first, through {@link Chain#nextClaimable}). */
    private final LongObjectMap<Chain> claimableByKey = new LongObjectMap<>();
    private int claimableCount;
    /** Chains that ended while claimable or awaiting segments, in the order they ended, until settled or stale. */
    private final ArrayDeque<Chain> held = new ArrayDeque<>();
    private long serials;
    /** Per stream (a CPU), the super-packet it cut last: its segments follow on the same CPU. */
    private StreamFile[] cuttingStreams = new StreamFile[0];
    private Chain[] cutParents = new Chain[0];
    /** The chain of the packet event just handled: what the stream list asks about. */
    private Chain current;
    private InterfaceId currentDevice;
    private HopKind currentKind;

    /** The MTU the analysis assumes (--mtu): the segment size of TSO. */
    private int mtu = 1500;

    void assumeMtu(int mtu) {
        this.mtu = mtu;
    }

    PacketTracker(InterfaceIdentities identities, PacketHeader header, PacketObserver... observers) {
        this.identities = identities;
        this.header = header;
        this.names = new DeviceNames(identities);
        this.observers = observers.clone();
        Arrays.fill(readerPids, -1);
        for (int i = 0; i < READERS; i++) {
            readHeaders[i] = new IpHeader();
        }
    }

    /**
     * Subscribes to the events it needs, under every name they have had. A packet event is read by the header, then
     * this tracker, then the stream list (which asks the tracker about the event's chain), in one handler: the
     * stream's handler call site sees a class per handler, so each call there is an interface lookup, and a pass
     * makes millions of them.
     */
    void subscribe(EventStream stream, StreamAnalysis streams) {
        header.readFrom(stream);
        names.readFrom(stream);
        PacketHeader header = this.header;
        stream.onEvent(NetFields.NET_DEV_QUEUE, event -> {
            header.take(event);
            onQueue(event);
            streams.onHeader(event);
        });
        stream.onEvent(NetFields.NET_DEV_XMIT, event -> {
            header.take(event);
            onXmit(event);
        });
        for (String name : NetFields.NETIF_RX) {
            stream.onEvent(name, event -> {
                header.take(event);
                onNetifRx(event);
                streams.onHeader(event);
            });
        }
        for (String name : NetFields.RECEIVE_SKB) {
            stream.onEvent(name, event -> {
                header.take(event);
                onReceiveSkb(event);
                streams.onHeader(event);
            });
        }
        for (String name : NetFields.GRO_ENTRY) {
            stream.onEvent(name, this::onGroEntry);
        }
        for (String name : NetFields.GRO_EXIT) {
            stream.onEvent(name, this::onGroExit);
        }
        stream.onEvent(NetFields.NAPI_POLL, this::onNapiPoll);
        stream.onEvent(NetFields.SKB_KFREE, this::onKfree);
        stream.onEvent(NetFields.SKB_CONSUME, this::onConsume);
        stream.onEvent(NetFields.SKB_COPY_DATAGRAM, this::onCopyToUser);
        stream.onEvent(OvsFields.UPCALL, this::onDatapathUpcall);
        stream.onEvent(OvsFields.EXECUTE_ACTION, this::onDatapathAction);
        stream.onDiscard(this::onDiscard);
    }

    /** The tracer lost events of one stream from now on (the range's beginning) until the range's end. */
    private void onDiscard(Discard discard) {
        int index = -1;
        for (int i = 0; i < lossyStreams.length; i++) {
            if (java.util.Objects.equals(lossyStreams[i], discard.stream())) {
                index = i;
            }
        }
        if (index < 0) {
            index = lossyStreams.length;
            lossyStreams = java.util.Arrays.copyOf(lossyStreams, index + 1);
            lossyUntilNs = java.util.Arrays.copyOf(lossyUntilNs, index + 1);
            lossyStreams[index] = discard.stream();
        }
        lossyUntilNs[index] = Math.max(lossyUntilNs[index], discard.endNs());
        // a live chain may have lost any of its coming events on that stream
        chains.forEachValue(chain -> chain.journey.overlapLostEvents());
    }

    /** True when the event's stream is inside one of its lost ranges: events around it may be missing. */
    private boolean inLostRange(Event event, long now) {
        if (lossyStreams.length == 0) {
            return false;
        }
        StreamFile stream = event.stream();
        for (int i = 0; i < lossyStreams.length; i++) {
            // a range without its stream named may be any stream's
            boolean same = lossyStreams[i] == stream || lossyStreams[i] == null || lossyStreams[i].equals(stream);
            if (same && now <= lossyUntilNs[i]) {
                return true;
            }
        }
        return false;
    }

    /** The chain, marked as no evidence when this event sits in a lost range of its stream. */
    private Chain checked(Chain chain, Event event, long now) {
        if (chain != null && inLostRange(event, now)) {
            chain.journey.overlapLostEvents();
        }
        return chain;
    }

    /**
     * Whether the stream list already counted the packet of the header event just handled: another event of
     * the same chain (the same skb followed across devices) is the same packet.
     */
    boolean currentPacketCounted() {
        return current.streamCounted;
    }

    void markCurrentPacketCounted() {
        current.streamCounted = true;
    }

    /**
     * Where the packet event just handled was seen, as a number: its device's name and the kind of hop. A new
     * packet starts where its sender's earlier ones did; a copy of a packet (a bridge's flood clone, a segment,
     * a relay's copy) first shows further along the way.
     */
    int currentHop() {
        return currentDevice.name().hashCode() * 8 + currentKind.ordinal();
    }

    /** Live skb chains right now: what the tracker's memory is proportional to. */
    int liveChains() {
        return chains.size();
    }

    /** How chains were followed so far. */
    ChainStats stats() {
        return new ChainStats(journeys, splits, ambiguous, unterminated, maxLive, overlappingLostEvents);
    }

    private void onQueue(Event event) {
        long now = event.timestampNs();
        long skb = event.getLong(NetFields.SKBADDR);
        InterfaceId device = names.read(event, NetFields.NAME);
        long ipPacket = ipPacketLength(event);
        Chain before = live(skb, now);
        if (before != null && ipPacket > 0) {
            encapsulatedBy(before, device, event, ipPacket);
        }
        if (before != null && before.step == Step.SENT) {
            // its packet left through a device whose transmit returned: a queue now is another packet (the free
            // had no tracepoint, or the xmit was a tunnel's, returning after the packet it wrapped was cut and freed)
            splits++;
            end(skb, before, before.lastNs, Outcome.UNTERMINATED, null);
            before = null;
        }
        Chain chain = sameHeader(skb, before);
        boolean created = chain == null;
        if (created) {
            chain = create(skb);
            if (tapReadSeen) {
                chain.part = relayCopy(event, now);
            }
            newQueues.remember(event.stream(), now, event.getLong(NetFields.LEN), device.name());
        } else {
            if (chain.step == Step.RECEIVED || chain.step == Step.RECEIVED_RX) {
                endpoint(chain.iface); // it passes packets on
            }
            flushQueue(chain, chain.iface);
        }
        checked(chain, event, now);
        chain.step = Step.QUEUED;
        chain.iface = device;
        chain.transmitter = null;
        chain.pendingQueueLen = event.getLong(NetFields.LEN);
        gsoSegments(chain, event);
        chain.queuedAtNs = now;
        chain.queuedOn = event.stream();
        chain.queuedLen = event.getLong(NetFields.LEN);
        chain.queuedIpLen = ipPacket;
        // a packet made while the CPU handles received ones (an echo reply, an ACK) is queued in whatever task
        // the softirq interrupted: its net_ns says nothing of the device's namespace
        chain.senderNetns = created && event.has(NetFields.NET_NS) && !softirqs.receiving(event.stream())
                ? event.getLong(NetFields.NET_NS) : NO_NETNS;
        chain.rxWithoutQueue = false;
        chain.readWhileQueued = false;
        chain.lastNs = now;
        record(chain, chain.iface, HopKind.QUEUE, event);
    }

    /**
     * An skb queued on a device and, before that device's xmit returned, queued on another one inside an IP packet
     * whose payload holds the whole frame first queued, its Ethernet header included: the first device is a tunnel
     * that carries Ethernet frames (VXLAN, Geneve, gretap), which counts what it sends as {@code iptunnel_xmit}
     * does: {@code skb->len - skb_inner_network_offset(skb)}, the inner IP packet, without the frame's Ethernet
     * header.
     */
    private void encapsulatedBy(Chain chain, InterfaceId outer, Event event, long outerIpPacket) {
        if (chain.step != Step.QUEUED || chain.iface == null || chain.iface.name().equals(outer.name())
                || chain.queuedIpLen < 0 || chain.queuedLen - chain.queuedIpLen != NetFields.ETH_HEADER
                || chain.journey.overlapsLostEvents()) {
            return;
        }
        if (outerIpPacket - ipHeaderBytes(event) > chain.queuedLen) {
            identities.frameTunnel(chain.iface);
        }
    }

    private void onNetifRx(Event event) {
        long now = event.timestampNs();
        long skb = event.getLong(NetFields.SKBADDR);
        InterfaceId named = names.read(event, NetFields.NAME);
        String name = named.name();
        Chain chain = checked(sameHeader(skb, live(skb, now)), event, now);
        boolean evidence = chain != null ? !chain.journey.overlapsLostEvents() : !inLostRange(event, now);
        InterfaceId iface;
        boolean rxWithoutQueue = false;
        if (chain != null && chain.step == Step.QUEUED && !chain.iface.name().equals(name)) {
            // veth: the peer's xmit handed this very skb over
            String sender = chain.iface.name();
            iface = identities.id(name, sender);
            InterfaceId transmitter = identities.id(sender, name);
            if (evidence) {
                identities.pair(sender, name);
                identities.evidence(iface, DeviceKind.VETH, 1);
                if (chain.senderNetns != NO_NETNS) {
                    identities.voteSenderNetns(transmitter, chain.senderNetns);
                }
            }
            chain.journey.revealPeer(chain.iface, transmitter);
            if (chain.part != 0 && !contains(relaySides, relaySideCount, transmitter)) {
                relaySides = add(relaySides, relaySideCount++, transmitter);
            }
            oweUntilSettled(chain, iface);
            chain.crossedPair = true;
            flushQueue(chain, transmitter);
            chain.transmitter = transmitter;
        } else if (chain != null && chain.step == Step.QUEUED && chain.iface.name().equals(name)) {
            iface = chain.iface;
            // kept even where events were lost: queued and received on one device is what only a loopback does
            identities.evidence(iface, DeviceKind.LOOPBACK, 1);
            flushQueue(chain, iface);
            chain.transmitter = iface;
            chain.crossedPair = false;
        } else {
            iface = named;
            if (evidence) {
                identities.evidence(iface, DeviceKind.SOFTWARE, 1);
            }
            rxWithoutQueue = true;
            if (chain == null) {
                chain = checked(create(skb), event, now);
                segmentOf(event.stream(), chain);
            }
            oweUntilSettled(chain, iface);
            if (!chain.emitted && !chain.owed.active && chain.part == 0) {
                // a segment of software GSO is received on a veth end before the xmit that names the pair: its
                // count waits for that name, else it would land on a row of the bare name, shared by every VM
                chain.owed.active = true;
                chain.heldForPeer = true;
            }
            chain.crossedPair = true;
            flushQueue(chain, chain.iface);
            chain.transmitter = null;
        }
        received(chain, iface, Step.RECEIVED_RX, HopKind.RX, rxWithoutQueue, event, now);
        if (chain.owed.active && !chain.claimable && !chain.heldForPeer) {
            register(chain);
        }
    }

    /** Counts a receive on an interface, once per packet, and moves the chain there. */
    private void received(Chain chain, InterfaceId iface, Step step, HopKind kind, boolean rxWithoutQueue,
                          Event event, long now) {
        chain.rxNs = now;
        chain.rxLen = event.getLong(NetFields.LEN);
        count(chain, RECEIVED, now, iface, chain.rxLen);
        chain.step = step;
        chain.iface = iface;
        chain.rxWithoutQueue = rxWithoutQueue;
        chain.lastNs = now;
        record(chain, iface, kind, event);
    }

    private void onReceiveSkb(Event event) {
        softirqs.received(event.stream());
        receiveSkb(event);
        if (gro.seen() && gro.cameOut(event.stream(), event.getLong(NetFields.SKBADDR))) {
            InterfaceId device = names.read(event, NetFields.NAME);
            long headerBytes = headerBytes(event);
            long merged = gro.takeMerged(event.stream(), device, headerBytes, carriesTcpPayload(event),
                    event.timestampNs());
            for (long i = 0; i < merged; i++) {
                countMerged(event.timestampNs(), device, headerBytes);
            }
            if (!groEntriesNamed) {
                for (PacketObserver observer : observers) {
                    observer.groEntered(event.timestampNs(), device.name()); // its entry named no device
                }
            }
        }
    }

    /** A NAPI poll ended: what GRO merged during it counts on the poll's device; a receive window closes. */
    private void onNapiPoll(Event event) {
        softirqs.polled(event.stream());
        InterfaceId polled = null;
        if (event.has(NetFields.DEV_NAME)) {
            polled = names.read(event, NetFields.DEV_NAME);
            if (polled.name().isEmpty() || polled.name().startsWith("(")) {
                polled = null; // the backlog's poll, "(no_device)": no device of its own
            }
        }
        gro.polled(event.stream(), polled, event.timestampNs(), (device, packets, headerBytes, timeNs) -> {
            for (long i = 0; i < packets; i++) {
                countMerged(timeNs, device, headerBytes);
            }
        });
    }

    /** A packet GRO merged into another: counted on its device as the driver counted it, with its own headers. */
    private void countMerged(long timeNs, InterfaceId device, long headerBytes) {
        for (PacketObserver observer : observers) {
            observer.receivedMerged(timeNs, device, headerBytes);
            if (!groEntriesNamed) {
                observer.groEntered(timeNs, device.name());
            }
        }
    }

    /**
     * How many segments beyond the first a TCP super-packet queued now will make on the wire, and their headers'
     * bytes (link, IP, TCP): segments of the MTU's payload (the MSS TCP takes from it), as TSO cuts them.
     */
    private void gsoSegments(Chain chain, Event event) {
        chain.extraSegments = 0;
        chain.extraSegmentBytes = 0;
        long len = event.getLong(NetFields.LEN);
        if (len - NetFields.ETH_HEADER <= mtu) {
            return;
        }
        long ip = ipHeaderBytes(event);
        long tcp = ip == 0 ? 0 : tcpHeaderBytes(event);
        long headers = ip + tcp;
        if (tcp == 0 || headers >= mtu) {
            return;
        }
        long payload = len - NetFields.ETH_HEADER - headers;
        // the segment size is the connection's MSS, whose options are the timestamps at most: a super-packet
        // carrying SACK blocks has a longer header but is cut at the same size (e1000: 1,448 bytes at MTU 1500)
        long mss = mtu - headers + Math.max(0, tcp - TCP_BASE_HEADER - TCP_TIMESTAMP_OPTIONS);
        long segments = (payload + mss - 1) / mss;
        if (segments > 1) {
            chain.extraSegments = segments - 1;
            chain.extraSegmentBytes = (segments - 1) * (NetFields.ETH_HEADER + headers);
        }
    }

    private static final long TCP_TIMESTAMP_OPTIONS = 12;
    private static final long TCP_BASE_HEADER = 20;
    private static final long UDP_HEADER = 8;

    /** The IP header's length of the packet an event shows (IPv4 with its options), or 0 when it shows none. */
    private static long ipHeaderBytes(Event event) {
        long type = event.has(NetFields.NETWORK_HEADER_TYPE) ? event.getLong(NetFields.NETWORK_HEADER_TYPE) : 0;
        return type == NetFields.HEADER_IPV4 ? 4 * event.getLong(NetFields.IP4_IHL)
                : type == NetFields.HEADER_IPV6 ? NetFields.IPV6_HEADER : 0;
    }

    /** The TCP header's length (with its options) of an event showing an IP header, or 0 when it is no TCP. */
    private static long tcpHeaderBytes(Event event) {
        boolean ipv4 = event.getLong(NetFields.NETWORK_HEADER_TYPE) == NetFields.HEADER_IPV4;
        long protocol = ipv4 ? event.getLong(NetFields.IP4_PROTOCOL) : event.getLong(NetFields.IP6_NEXTHDR);
        FieldKey dataOffset = (ipv4 ? NetFields.IP4_TRANSPORT : NetFields.IP6_TRANSPORT).tcpDataOffset();
        return protocol == NetFields.IPPROTO_TCP && event.has(dataOffset) ? 4 * event.getLong(dataOffset) : 0;
    }

    /**
     * The headers before the payload of the packet a receive event shows, or 0 when it shows none: the IP and TCP
     * or UDP headers, and what comes before the IP header it shows. GRO leaves the network header on the innermost
     * packet it parsed, and the receive event reads it there, so a packet of a tunnel (VXLAN: outer IP, UDP, VXLAN
     * and inner Ethernet headers) shows its inner IP header while {@code len} counts from the outer one.
     */
    private static long headerBytes(Event event) {
        long ip = ipHeaderBytes(event);
        if (ip == 0) {
            return 0;
        }
        long tcp = tcpHeaderBytes(event);
        long transport = tcp;
        if (tcp == 0) {
            boolean ipv4 = event.getLong(NetFields.NETWORK_HEADER_TYPE) == NetFields.HEADER_IPV4;
            long protocol = ipv4 ? event.getLong(NetFields.IP4_PROTOCOL) : event.getLong(NetFields.IP6_NEXTHDR);
            transport = protocol == NetFields.IPPROTO_UDP ? UDP_HEADER : 0;
        }
        long ipPacket = ipPacketLength(event);
        // a frame shorter than Ethernet's minimum arrives padded: only a packet that needed no padding tells
        long outer = ipPacket >= MIN_ETH_PAYLOAD ? Math.max(0, event.getLong(NetFields.LEN) - ipPacket) : 0;
        return outer + ip + transport;
    }

    /** Whether a receive event shows a TCP segment carrying data: what GRO merges, and what it merges into. */
    private static boolean carriesTcpPayload(Event event) {
        long ip = ipHeaderBytes(event);
        long tcp = ip == 0 ? 0 : tcpHeaderBytes(event);
        return tcp > 0 && ipPacketLength(event) > ip + tcp;
    }

    /** The length of the IP packet an event shows (IPv4 total length, IPv6 header and payload), or -1. */
    private static long ipPacketLength(Event event) {
        long type = event.has(NetFields.NETWORK_HEADER_TYPE) ? event.getLong(NetFields.NETWORK_HEADER_TYPE) : 0;
        return type == NetFields.HEADER_IPV4 && event.has(NetFields.IP4_TOT_LEN)
                ? event.getLong(NetFields.IP4_TOT_LEN)
                : type == NetFields.HEADER_IPV6 && event.has(NetFields.IP6_PAYLOAD_LEN)
                ? NetFields.IPV6_HEADER + event.getLong(NetFields.IP6_PAYLOAD_LEN) : -1;
    }

    /** The smallest Ethernet payload: a shorter packet is padded up to it, and its frame's length says nothing. */
    private static final long MIN_ETH_PAYLOAD = 46;

    private void receiveSkb(Event event) {
        long now = event.timestampNs();
        long skb = event.getLong(NetFields.SKBADDR);
        InterfaceId iface = names.read(event, NetFields.NAME);
        String name = iface.name();
        Chain chain = checked(sameHeader(skb, live(skb, now)), event, now);
        boolean afterReceive = chain != null
                && (chain.step == Step.RECEIVED_RX || chain.step == Step.RECEIVED);
        if (afterReceive && chain.iface.name().equals(name)) {
            chain.step = Step.RECEIVED; // the backlog delivering what net_if_rx already counted
            chain.lastNs = now;
            record(chain, chain.iface, HopKind.RECEIVE, event);
            return;
        }
        boolean created = chain == null;
        if (created) {
            chain = checked(create(skb), event, now);
        } else {
            if (afterReceive) {
                endpoint(chain.iface); // it hands packets up to another device
            }
            flushQueue(chain, chain.iface);
        }
        if (!chain.journey.overlapsLostEvents()) {
            identities.evidence(iface, afterReceive ? DeviceKind.UPPER : DeviceKind.DRIVER, 1);
        }
        chain.transmitter = null;
        chain.crossedPair = false;
        received(chain, iface, Step.RECEIVED, HopKind.RECEIVE, false, event, now);
        if (created && claimableCount > 0) {
            claim(event, iface, now);
        }
    }

    private void onXmit(Event event) {
        long now = event.timestampNs();
        long skb = event.getLong(NetFields.SKBADDR);
        InterfaceId named = names.read(event, NetFields.NAME);
        String name = named.name();
        Chain chain = checked(sameHeader(skb, live(skb, now)), event, now);
        int late = lateXmitPending == 0 ? -1 : lateXmit(skb, name);
        if (late >= 0 && (chain == null || !chain.journey.queuedOn(name))) {
            lateXmitDevices[late] = null;
            lateXmitPending--;
            if (event.getLong(NetFields.RC) == 0) {
                long len = event.getLong(NetFields.LEN);
                for (PacketObserver observer : observers) {
                    observer.transmitted(now, named, len);
                    if (lateXmitSegments[late] > 0) {
                        observer.transmittedSegments(now, named, lateXmitSegments[late], lateXmitSegmentBytes[late]);
                    }
                }
            }
            return;
        }
        InterfaceId iface;
        boolean gsoSegment = false;
        if (chain != null && chain.transmitter != null && chain.transmitter.name().equals(name)) {
            iface = chain.transmitter;
        } else if (chain != null && chain.step == Step.QUEUED && chain.iface.name().equals(name)) {
            iface = chain.iface;
            flushQueue(chain, iface);
        } else if (chain != null && chain.step == Step.RECEIVED_RX && chain.rxWithoutQueue
                && !chain.iface.name().equals(name)) {
            // a segment of software GSO: no queue of its own, handed to the peer before this xmit returned
            String receiver = chain.iface.name();
            iface = identities.id(name, receiver);
            gsoSegment = true;
            if (!chain.journey.overlapsLostEvents()) {
                identities.pair(name, receiver);
                identities.evidence(chain.iface, DeviceKind.SOFTWARE, -1);
                identities.evidence(chain.iface, DeviceKind.VETH, 1);
            }
            chain.rxWithoutQueue = false;
            chain.transmitter = iface;
            if (chain.parent != null) {
                revealToParent(chain, iface);
            }
            chain.journey.revealPeer(named, iface);
            chain.journey.revealPeer(chain.iface, identities.id(receiver, name));
            chain.owed.reveal(chain.iface, identities.id(receiver, name));
            chain.iface = identities.id(receiver, name);
            if (chain.heldForPeer) {
                chain.heldForPeer = false;
                pay(chain);
            }
        } else {
            iface = named;
            if (chain != null && (chain.step == Step.RECEIVED || chain.step == Step.RECEIVED_RX)
                    && !chain.journey.queuedOn(name)) {
                // a received packet is sent on through a queue: an xmit never queued is a new skb at the address
                // (a segment software GSO cut from a queued super-packet) whose predecessor's free was not traced;
                // an xmit that was queued returns after the devices it handed the packet to (an internal port)
                splits++;
                end(skb, chain, chain.lastNs, Outcome.UNTERMINATED, null);
                chain = null;
            }
        }
        if (chain == null) {
            chain = checked(create(skb), event, now);
            segmentOf(event.stream(), chain); // a segment the device sends itself
            chain.step = Step.SENT;
            chain.iface = iface;
            if (event.getLong(NetFields.RC) == 0) {
                count(chain, TRANSMITTED, now, iface, event.getLong(NetFields.LEN));
            }
        } else {
            if (event.getLong(NetFields.RC) == 0) {
                count(chain, TRANSMITTED, now, iface, event.getLong(NetFields.LEN));
                if (chain.extraSegments > 0 && chain.step == Step.QUEUED) {
                    InterfaceId counted = identities.withPart(iface, chain.part);
                    for (PacketObserver observer : observers) {
                        observer.transmittedSegments(now, counted, chain.extraSegments, chain.extraSegmentBytes);
                    }
                }
            }
            if (chain.step == Step.QUEUED || chain.step == Step.SENT) {
                chain.step = Step.SENT;
                chain.iface = iface;
            }
        }
        // otherwise the skb already lives on the receiving peer, where a drop must be attributed
        chain.lastNs = now;
        if (gsoSegment) {
            // the peer received the segment inside this xmit: the xmit comes first on the packet's way
            chain.journey.addBeforeLast(iface, HopKind.XMIT, event);
        } else {
            record(chain, iface, HopKind.XMIT, event);
        }
    }

    private void onKfree(Event event) {
        long now = event.timestampNs();
        Chain chain = live(event.getLong(NetFields.SKBADDR), now);
        String reason = null;
        if (event.has(NetFields.REASON)) {
            String[] labels = event.getEnumLabels(NetFields.REASON);
            reason = labels.length > 0 ? labels[0] : Long.toString(event.getLong(NetFields.REASON));
        }
        long location = event.has(NetFields.LOCATION) ? event.getLong(NetFields.LOCATION) : 0;
        int ethertype = event.has(NetFields.PROTOCOL) ? (int) event.getLong(NetFields.PROTOCOL) : 0;
        if (chain != null) {
            if ((chain.step == Step.RECEIVED || chain.step == Step.RECEIVED_RX) && chain.iface != null) {
                // freed where it was received: perhaps after its bridge counted it (settled at the end)
                String cloneDevice = newQueues.sameFrameSince(event.stream(), chain.rxNs, chain.rxLen,
                        chain.iface.name());
                if (chain.owed.active) {
                    countDrop(chain, now, reason, location, ethertype);
                    chain.owed.dropRxLen = chain.rxLen;
                    chain.owed.dropClone = cloneDevice;
                } else {
                    bridgeInput.add(new BridgeInputDrops.Candidate(now, identities.withPart(chain.iface, chain.part),
                            chain.rxLen, reason, location, ethertype, cloneDevice));
                    chain.emitted = true;
                }
            } else {
                countDrop(chain, now, reason, location, ethertype);
            }
            end(event.getLong(NetFields.SKBADDR), chain, now, Outcome.DROPPED, reason);
        } else {
            for (PacketObserver observer : observers) {
                observer.dropped(now, null, reason, location, ethertype);
            }
        }
    }

    private void onConsume(Event event) {
        long skb = event.getLong(NetFields.SKBADDR);
        Chain chain = chains.get(skb);
        if (chain == null) {
            return;
        }
        long now = event.timestampNs();
        if (chain.datapath == Datapath.AWAITING) {
            // a datapath port took it in and the datapath freed it with neither actions nor upcall
            latestNs = now;
            droppedByDatapath(chain, now);
            end(skb, chain, now, Outcome.DROPPED, OvsFields.NO_OUTPUT_REASON);
        } else if (chain.datapath == Datapath.UPCALLED) {
            // user space has a copy: whether it goes on shows when (and if) user space sends it back
            latestNs = now;
            flushQueue(chain, chain.iface);
            chains.remove(skb);
            chain.lastNs = now;
            upcalled.add(chain);
        } else if (chain.step == Step.QUEUED && !chain.readWhileQueued && event.stream() == chain.queuedOn
                && chain.queuedLen > mtu + NetFields.ETH_HEADER) {
            // queued, never sent, freed without a drop: validate_xmit_skb consumes a GSO skb once it has cut the
            // segments that the device then sends (on the CPU that queued it, and only a packet longer than a frame;
            // otherwise the freeing is a NIC's transmit completion that came before the xmit's event, which another
            // CPU may even report, as a tap's reader may)
            if (!chain.emitted && !chain.owed.active) {
                chain.owed.active = true;
                chain.awaitingSegments = true;
                cutOn(event.stream(), chain);
            }
            end(skb, chain, now, Outcome.SEGMENTED, null);
        } else {
            if (chain.step == Step.QUEUED) {
                // a tap's reader on another CPU was quicker than the xmit's event, which is still to come
                if (lateXmitDevices[lateXmitNext] == null) {
                    lateXmitPending++;
                }
                lateXmitSkbs[lateXmitNext] = skb;
                lateXmitDevices[lateXmitNext] = chain.iface;
                lateXmitSegments[lateXmitNext] = chain.extraSegments;
                lateXmitSegmentBytes[lateXmitNext] = chain.extraSegmentBytes;
                lateXmitNext = (lateXmitNext + 1) % lateXmitSkbs.length;
            }
            end(skb, chain, now, Outcome.DELIVERED, null);
        }
    }

    private void onCopyToUser(Event event) {
        long skb = event.getLong(NetFields.SKBADDR);
        Chain chain = live(skb, event.timestampNs());
        if (chain != null && chain.step == Step.QUEUED) {
            chain.readWhileQueued = true;
        }
        if (chain != null && (chain.step == Step.QUEUED || chain.step == Step.SENT)) {
            rememberTapRead(event, chain);
        }
        if (chain == null || (chain.step != Step.RECEIVED && chain.step != Step.RECEIVED_RX)
                || !event.has(NetFields.NET_NS)) {
            return;
        }
        int frame = chain.journey.bytes();
        if (frame > 0 && event.getLong(NetFields.LEN) > frame - NetFields.ETH_HEADER - MIN_IP_AND_TRANSPORT) {
            // more bytes than the packet's payload can hold: a relay's packet socket copying whole frames, or
            // another skb at an address whose last packet was freed without a tracepoint (a TCP ack): either way
            // no socket of the device's namespace read it, so no vote, and the chain ends here
            splits++;
            end(skb, chain, chain.lastNs, Outcome.UNTERMINATED, null);
            return;
        }
        // the reader of a socket runs in its own namespace, so the device that received the skb is there too
        if (!checked(chain, event, event.timestampNs()).journey.overlapsLostEvents()) {
            identities.voteNetns(chain.iface, event.getLong(NetFields.NET_NS));
            if (chain.part != 0) {
                identities.voteRelayReader(chain.part, event.getLong(NetFields.NET_NS));
            }
        }
        endpoint(chain.iface);
        chain.journey.copiedToUser(event.getLong(NetFields.NET_NS));
    }

    private void onGroExit(Event event) {
        if (event.has(NetFields.RET)) {
            gro.exited(event.stream(), event.getLong(NetFields.RET));
        }
    }

    private void onGroEntry(Event event) {
        gro.entered(event.stream(), event.getLong(NetFields.SKBADDR));
        groEntriesNamed = event.has(NetFields.NAME);
        if (event.has(NetFields.NAME)) {
            String name = names.read(event, NetFields.NAME).name();
            for (PacketObserver observer : observers) {
                observer.groEntered(event.timestampNs(), name);
            }
        }
    }

    /** Where an xmit of this skb on this device waits as the late event of a packet its tap's reader freed, or -1. */
    private int lateXmit(long skb, String device) {
        for (int i = 0; i < lateXmitSkbs.length; i++) {
            if (lateXmitSkbs[i] == skb && lateXmitDevices[i] != null && lateXmitDevices[i].name().equals(device)) {
                return i;
            }
        }
        return -1;
    }

    /** The chain of this skb, or null when there is none or it is too old to be the same packet. */
    private Chain live(long skb, long now) {
        Chain chain = chains.get(skb);
        if (chain != null && now - chain.lastNs > STALE_NS) {
            end(skb, chain, chain.lastNs, Outcome.UNTERMINATED, null);
            return null;
        }
        return chain;
    }

    /** The chain, or null when the event's header says it is another packet on the same address. */
    private Chain sameHeader(long skb, Chain chain) {
        seen.read(header);
        headerChangeSkb = 0;
        if (chain != null && chain.journey.header.contradictedBy(seen)) {
            splits++;
            // the chain the caller creates next at this address takes the number too (a tunnel's two headers)
            chain.journey.headerChangeAfter = ++headerChanges;
            headerChangeSkb = skb;
            end(skb, chain, chain.lastNs, Outcome.UNTERMINATED, null);
            return null;
        }
        return chain;
    }

    private void record(Chain chain, InterfaceId device, HopKind kind, Event event) {
        JourneyLog journey = chain.journey;
        if (!journey.isEmpty() && journey.cannotContinue(device, kind)) {
            ambiguous++;
            journey.end(journey.lastTimeNs(), Outcome.UNTERMINATED, null);
            pay(chain);
            report(chain);
        }
        if (journey.isEmpty()) {
            chain.streamCounted = false;
        }
        current = chain;
        currentDevice = device;
        currentKind = kind;
        boolean hadHeader = journey.header.ip();
        journey.add(device, kind, event, seen);
        if (!hadHeader && journey.header.ip()) {
            // once per chain: what finding the same packet in another host's trace needs
            header.readDetails(event);
            journey.header.details(header);
        }
        if (datapathPorts.length > 0 && kind != HopKind.XMIT) {
            // an xmit hop leaves the state alone: an internal port's xmit returns after the datapath ran
            chain.datapath = entersDatapath(device, kind) ? Datapath.AWAITING : Datapath.NONE;
        }
    }

    /** Hands the chain's journey to the observers, its devices under the chain's relay. */
    private void report(Chain chain) {
        if (chain.part != 0) {
            chain.journey.ownedBy(identities, chain.part);
        }
        report(chain.journey);
    }

    private void report(JourneyLog journey) {
        journeys++;
        if (journey.overlapsLostEvents()) {
            overlappingLostEvents++;
        }
        if (journey.outcome() == Outcome.UNTERMINATED) {
            unterminated++;
        }
        for (PacketObserver observer : observers) {
            observer.journeyEnded(journey);
        }
        journey.reset();
    }

    private Chain create(long skb) {
        Chain chain = spare.isEmpty() ? new Chain(shapes) : spare.pop();
        chain.transmitter = null;
        chain.pendingQueueLen = -1;
        chain.senderNetns = NO_NETNS;
        chain.rxWithoutQueue = false;
        chain.readWhileQueued = false;
        chain.datapath = Datapath.NONE;
        chain.part = 0;
        chain.crossedPair = false;
        chain.emitted = false;
        chain.heldForPeer = false;
        chain.claimable = false;
        chain.nextClaimable = null;
        chain.heldNs = 0;
        chain.serial = ++serials;
        chain.awaitingSegments = false;
        chain.parent = null;
        chain.journey.reset();
        if (skb == headerChangeSkb) {
            chain.journey.headerChangeBefore = headerChanges;
            headerChangeSkb = 0;
        }
        chains.put(skb, chain);
        maxLive = Math.max(maxLive, chains.size());
        return chain;
    }

    private void end(long skb, Chain chain, long endNs, Outcome outcome, String reason) {
        flushQueue(chain, chain.iface);
        chains.remove(skb);
        if (!chain.journey.isEmpty()) {
            chain.journey.end(endNs, outcome, reason);
        }
        if (chain.awaitingSegments || chain.claimable && awaitsRelay(chain, outcome)) {
            chain.heldNs = Math.max(endNs, 1);
            held.addLast(chain);
            expireHeld(endNs);
            return;
        }
        settle(chain);
        recycle(chain);
    }

    /** Pays what the chain owes and hands on its journey; no relay can claim it any more. */
    private void settle(Chain chain) {
        if (chain.claimable) {
            unregister(chain);
        }
        chain.awaitingSegments = false;
        pay(chain);
        if (!chain.journey.isEmpty()) {
            report(chain);
        }
        if (chain.parent != null) {
            settleParent(chain);
        }
    }

    /**
     * Remembers the super-packet a CPU just cut: the new skbs that follow there, received without a queue on the
     * peer or sent by the device, are its segments.
     */
    private void cutOn(StreamFile stream, Chain parent) {
        for (int i = 0; i < cuttingStreams.length; i++) {
            if (cuttingStreams[i] == stream) {
                cutParents[i] = parent;
                return;
            }
        }
        cuttingStreams = Arrays.copyOf(cuttingStreams, cuttingStreams.length + 1);
        cutParents = Arrays.copyOf(cutParents, cutParents.length + 1);
        cuttingStreams[cuttingStreams.length - 1] = stream;
        cutParents[cutParents.length - 1] = parent;
    }

    private void segmentOf(StreamFile stream, Chain segment) {
        for (int i = 0; i < cuttingStreams.length; i++) {
            if (cuttingStreams[i] == stream && cutParents[i].awaitingSegments) {
                segment.parent = cutParents[i];
                segment.parentSerial = cutParents[i].serial;
                return;
            }
        }
    }

    /** A segment's hand-over named the pair it was sent through: the super-packet it was cut from was queued there. */
    private void revealToParent(Chain segment, InterfaceId sender) {
        Chain parent = segment.parent;
        if (parent.serial == segment.parentSerial && parent.awaitingSegments && parent.iface != null
                && parent.iface.peer() == null && sender.name().equals(parent.iface.name())) {
            parent.owed.reveal(parent.iface, sender);
            parent.journey.revealPeer(parent.iface, sender);
            parent.iface = sender;
        }
    }

    /** A segment is settled: the super-packet it was cut from takes its relay, if it still waits. */
    private void settleParent(Chain segment) {
        Chain parent = segment.parent;
        segment.parent = null;
        if (parent.serial != segment.parentSerial || !parent.awaitingSegments) {
            return;
        }
        parent.part = segment.part;
        settle(parent); // recycled when the held queue reaches it
    }

    private void recycle(Chain chain) {
        chain.iface = null;
        chain.transmitter = null;
        spare.push(chain);
    }

    private void flushQueue(Chain chain, InterfaceId iface) {
        if (chain.pendingQueueLen >= 0) {
            count(chain, QUEUED, chain.queuedAtNs, iface, chain.pendingQueueLen);
            chain.pendingQueueLen = -1;
        }
    }

    /** A count of the chain: to the observers under the chain's relay, or kept while that may still change. */
    private void count(Chain chain, byte kind, long timeNs, InterfaceId iface, long len) {
        if (chain.owed.active) {
            chain.owed.add(kind, timeNs, iface, len);
            return;
        }
        chain.emitted = true;
        emit(kind, timeNs, identities.withPart(iface, chain.part), len);
    }

    private void emit(byte kind, long timeNs, InterfaceId counted, long len) {
        for (PacketObserver observer : observers) {
            switch (kind) {
                case RECEIVED -> observer.received(timeNs, counted, len);
                case TRANSMITTED -> observer.transmitted(timeNs, counted, len);
                default -> observer.queued(timeNs, counted, len);
            }
        }
    }

    /** The chain's drop, where it was last seen: under its relay, or kept like its other counts. */
    private void countDrop(Chain chain, long timeNs, String reason, long location, int ethertype) {
        OwedCounts owed = chain.owed;
        if (owed.active) {
            owed.dropped = true;
            owed.dropNs = timeNs;
            owed.dropDevice = chain.iface;
            owed.dropReason = reason;
            owed.dropLocation = location;
            owed.dropEthertype = ethertype;
            return;
        }
        chain.emitted = true;
        InterfaceId iface = chain.iface == null ? null : identities.withPart(chain.iface, chain.part);
        for (PacketObserver observer : observers) {
            observer.dropped(timeNs, iface, reason, location, ethertype);
        }
    }

    /** Hands the observers what the chain kept back, under the relay it now has (or none). */
    private void pay(Chain chain) {
        OwedCounts owed = chain.owed;
        if (!owed.active) {
            return;
        }
        for (int i = 0; i < owed.size; i++) {
            emit(owed.kinds[i], owed.times[i], identities.withPart(owed.devices[i], chain.part), owed.lengths[i]);
        }
        if (owed.dropped && owed.dropRxLen >= 0 && owed.dropDevice != null) {
            bridgeInput.add(new BridgeInputDrops.Candidate(owed.dropNs, identities.withPart(owed.dropDevice,
                    chain.part), owed.dropRxLen, owed.dropReason, owed.dropLocation, owed.dropEthertype,
                    owed.dropClone));
        } else if (owed.dropped) {
            InterfaceId iface = owed.dropDevice == null ? null : identities.withPart(owed.dropDevice, chain.part);
            for (PacketObserver observer : observers) {
                observer.dropped(owed.dropNs, iface, owed.dropReason, owed.dropLocation, owed.dropEthertype);
            }
        }
        chain.emitted |= owed.size > 0 || owed.dropped;
        owed.clear();
    }

    /**
     * Starts keeping the chain's counts back when it has no relay yet, has counted nothing, and reaches a device
     * that may be a relay's end: one that never delivered to a socket nor passed a packet on.
     */
    private void oweUntilSettled(Chain chain, InterfaceId device) {
        if (chain.part == 0 && !chain.emitted && !chain.owed.active && !isEndpoint(device)) {
            chain.owed.active = true;
        }
    }

    private boolean isEndpoint(InterfaceId device) {
        return contains(endpoints, endpointCount, device);
    }

    private void endpoint(InterfaceId device) {
        if (device != null && !isEndpoint(device)) {
            endpoints = add(endpoints, endpointCount++, device);
        }
    }

    private static boolean contains(InterfaceId[] devices, int count, InterfaceId device) {
        for (int i = 0; i < count; i++) {
            if (devices[i] == device) {
                return true;
            }
        }
        return false;
    }

    private static InterfaceId[] add(InterfaceId[] devices, int count, InterfaceId device) {
        InterfaceId[] grown = count == devices.length ? Arrays.copyOf(devices, count * 2) : devices;
        grown[count] = device;
        return grown;
    }

    /**
     * Whether an ending chain may be a frame its VM sent to a relay: it came through a veth pair (or as a
     * segment) to a device that neither delivered it to a socket nor passed it on, nor ever did so with another.
     */
    private boolean awaitsRelay(Chain chain, Outcome outcome) {
        return chain.owed.active && chain.part == 0 && chain.crossedPair && outcome != Outcome.SEGMENTED
                && (chain.step == Step.RECEIVED || chain.step == Step.RECEIVED_RX)
                && chain.journey.receiverHop() < 0 && !isEndpoint(chain.iface);
    }

    /** Lets a relay's copy of the chain's frame claim it, by the frame's length and headers. */
    private void register(Chain chain) {
        chain.claimable = true;
        chain.claimKey = chain.journey.header.fingerprint(chain.journey.bytes());
        chain.nextClaimable = null;
        Chain last = claimableByKey.get(chain.claimKey);
        if (last == null) {
            claimableByKey.put(chain.claimKey, chain);
        } else {
            while (last.nextClaimable != null) {
                last = last.nextClaimable;
            }
            last.nextClaimable = chain;
        }
        claimableCount++;
    }

    private void unregister(Chain chain) {
        Chain first = claimableByKey.get(chain.claimKey);
        if (first == chain) {
            if (chain.nextClaimable == null) {
                claimableByKey.remove(chain.claimKey);
            } else {
                claimableByKey.put(chain.claimKey, chain.nextClaimable);
            }
        } else {
            Chain previous = first;
            while (previous.nextClaimable != chain) {
                previous = previous.nextClaimable;
            }
            previous.nextClaimable = chain.nextClaimable;
        }
        chain.nextClaimable = null;
        chain.claimable = false;
        claimableCount--;
    }

    /**
     * A new skb received in a task's context (a relay writing into its tap): when it copies a claimable frame (the
     * same length and headers; the oldest such), that frame is the VM's, sent to this process's relay.
     */
    private void claim(Event event, InterfaceId device, long now) {
        expireHeld(now);
        if (claimableCount == 0 || !event.has(NetFields.PID)) {
            return;
        }
        int frame = (int) event.getLong(NetFields.LEN) + NetFields.ETH_HEADER;
        long key = seen.fingerprint(frame);
        // a frame without IP header (ARP) matches on its length alone: one on a device relays write to comes
        // first, before, say, a copy the bridge flooded into a VM that has read nothing yet
        for (int pass = 0; pass < 2; pass++) {
            for (Chain chain = claimableByKey.get(key); chain != null; chain = chain.nextClaimable) {
                if (chain.journey.bytes() == frame && chain.journey.header.sameAs(seen)
                        && (pass == 1 || contains(relaySides, relaySideCount, chain.iface))) {
                    unregister(chain);
                    chain.part = InterfaceId.relayPart(event.getLong(NetFields.PID));
                    identities.voteRelayTap(chain.part, device.name());
                    if (chain.senderNetns != NO_NETNS) {
                        identities.voteRelayCreator(chain.part, chain.senderNetns);
                    }
                    if (chain.heldNs != 0) {
                        settle(chain); // recycled when the held queue reaches it
                    }
                    return;
                }
            }
        }
    }

    /** Settles, without a relay, the held chains older than {@link #STALE_NS}; recycles those already settled. */
    private void expireHeld(long now) {
        while (!held.isEmpty()) {
            Chain oldest = held.peekFirst();
            if (oldest.claimable || oldest.awaitingSegments) {
                if (now - oldest.heldNs <= STALE_NS) {
                    return;
                }
                settle(oldest);
            }
            held.pollFirst();
            recycle(oldest);
        }
    }

    /** Remembers the frame a process read off a device's transmit side (a tap), as a relay reads it. */
    private void rememberTapRead(Event event, Chain chain) {
        int frame = chain.journey.bytes();
        if (!event.has(NetFields.PID) || frame == 0 || event.getLong(NetFields.LEN) != frame) {
            return; // a reader of a whole frame copies exactly its bytes
        }
        long pid = event.getLong(NetFields.PID);
        int slot = (int) pid & (READERS - 1);
        readerPids[slot] = pid;
        readFrames[slot] = frame;
        readHeaders[slot].copyFrom(chain.journey.header);
        readNs[slot] = event.timestampNs();
        readDevices[slot] = chain.iface.name();
        tapReadSeen = true;
    }

    /**
     * The relay part of a new skb queued in a process that just read the same frame (length, and headers where
     * the frame had any) off a tap: the process's copy. 0 otherwise.
     */
    private long relayCopy(Event event, long now) {
        if (!event.has(NetFields.PID)) {
            return 0;
        }
        long pid = event.getLong(NetFields.PID);
        int slot = (int) pid & (READERS - 1);
        if (readerPids[slot] != pid || now - readNs[slot] > STALE_NS
                || readFrames[slot] != event.getLong(NetFields.LEN)
                || readHeaders[slot].type != IpHeader.NONE && !readHeaders[slot].sameAs(seen)) {
            return 0;
        }
        readerPids[slot] = -1;
        long part = InterfaceId.relayPart(pid);
        identities.voteRelayTap(part, readDevices[slot]);
        return part;
    }

    /** Ends every live chain when the trace (or this part of it) ends: queues reported, journeys handed on. */
    void finish() {
        gro.drain((device, packets, headerBytes, timeNs) -> {
            for (long i = 0; i < packets; i++) {
                countMerged(timeNs, device, headerBytes);
            }
        });
        chains.forEachValue(chain -> {
            flushQueue(chain, chain.iface);
            if (!chain.journey.isEmpty()) {
                chain.journey.end(chain.lastNs, Outcome.UNTERMINATED, null);
            }
            settle(chain);
        });
        chains.clear();
        expireHeld(Long.MAX_VALUE);
        for (Chain chain : upcalled) {
            if (chain.claimable) {
                unregister(chain); // what waits for user space's answer may move to another part's tracker
            }
        }
    }

    // Open vSwitch kernel datapath. A packet enters the datapath when a port takes it in: a netdev port receives
    // it, an internal port (the bridge's own device) is handed it for transmit. The datapath then runs actions on
    // that very skb (ovs_do_execute_action), or copies it to user space (ovs_dp_upcall) and frees it; a flow
    // without actions frees it with no event at all. User space answers an upcall by sending the packet back in a
    // new skb, whose actions run with the same flow key; a packet it never sends back got no output either.
    // Ports are learned from the datapath events on packets they took in (the first packet of a flow always goes
    // to user space), per part of a trace: a part that sees a port drop before any datapath event named it there
    // cannot count those drops.

    private void onDatapathUpcall(Event event) {
        latestNs = event.timestampNs();
        Chain chain = atDatapathPort(event);
        if (chain != null) {
            chain.datapath = Datapath.UPCALLED;
            chain.upcallKey = OvsFields.flowKeyHash(event, flowKeyScratch);
        }
    }

    private void onDatapathAction(Event event) {
        long now = event.timestampNs();
        latestNs = now;
        Chain chain = atDatapathPort(event);
        if (chain != null) {
            chain.datapath = Datapath.ACTED;
        } else if (event.getLong(OvsFields.IS_LAST) != 0) {
            // a packet user space sent back: it answers the oldest upcall of its flow key
            long key = OvsFields.flowKeyHash(event, flowKeyScratch);
            if (!answer(key, now)) {
                if (2 * unmatchedAnswerCount == unmatchedAnswers.length) {
                    unmatchedAnswers = Arrays.copyOf(unmatchedAnswers, Math.max(16, 2 * unmatchedAnswers.length));
                }
                unmatchedAnswers[2 * unmatchedAnswerCount] = key;
                unmatchedAnswers[2 * unmatchedAnswerCount + 1] = now;
                unmatchedAnswerCount++;
            }
        }
    }

    /** Ends the oldest upcall of this key that an answer at this time can be for; false when there is none. */
    private boolean answer(long key, long timeNs) {
        for (Iterator<Chain> it = upcalled.iterator(); it.hasNext(); ) {
            Chain waiting = it.next();
            if (waiting.upcallKey == key && timeNs >= waiting.lastNs && timeNs - waiting.lastNs <= STALE_NS) {
                it.remove();
                endUpcalled(waiting, Outcome.DELIVERED, null);
                return true;
            }
        }
        return false;
    }

    /**
     * Frames received on a device and freed there, to be counted where the kernel counted them once the bridges
     * above the ports are known ({@link BridgeInputDrops}).
     */
    void settleBridgeInput(java.util.function.BiFunction<String, Long, String> bridgeOfPort,
            java.util.function.Function<Long, String> symbol) {
        bridgeInput.settle(bridgeOfPort, bridge -> identities.id(bridge, null), symbol, observers);
    }

    void mergeBridgeInput(PacketTracker other) {
        bridgeInput.merge(other.bridgeInput);
    }

    /**
     * Takes over another part's upcalls still waiting (their journeys end here) and its unmatched answers, and
     * pairs what each part has for the other. Call after {@code other.finish()}.
     */
    void mergeUpcalls(PacketTracker other) {
        upcalled.addAll(other.upcalled);
        other.upcalled.clear();
        upcalled.sort((a, b) -> Long.compare(a.lastNs, b.lastNs));
        long[] answers = Arrays.copyOf(unmatchedAnswers, 2 * unmatchedAnswerCount + 2 * other.unmatchedAnswerCount);
        System.arraycopy(other.unmatchedAnswers, 0, answers, 2 * unmatchedAnswerCount, 2 * other.unmatchedAnswerCount);
        int count = unmatchedAnswerCount + other.unmatchedAnswerCount;
        unmatchedAnswerCount = 0;
        for (int i = 0; i < count; i++) {
            if (!answer(answers[2 * i], answers[2 * i + 1])) {
                answers[2 * unmatchedAnswerCount] = answers[2 * i];
                answers[2 * unmatchedAnswerCount + 1] = answers[2 * i + 1];
                unmatchedAnswerCount++;
            }
        }
        unmatchedAnswers = answers;
        latestNs = Math.max(latestNs, other.latestNs);
    }

    /**
     * Ends the upcalls user space never answered, once every part is in: the packet got no output, unless the
     * trace ended before an answer could come.
     */
    void endUpcalls() {
        for (Chain chain : upcalled) {
            if (latestNs - chain.lastNs > STALE_NS) {
                droppedByDatapath(chain, chain.lastNs);
                endUpcalled(chain, Outcome.DROPPED, OvsFields.NO_OUTPUT_REASON);
            } else {
                endUpcalled(chain, Outcome.UNTERMINATED, null);
            }
        }
        upcalled.clear();
    }

    /**
     * The chain the datapath event is about when that skb came in through the port the event names (learning the
     * port and its side), or null for a packet user space sent back (a new skb, no chain on that port).
     */
    private Chain atDatapathPort(Event event) {
        Chain chain = chains.get(event.getLong(OvsFields.SKBADDR));
        if (chain == null || chain.iface == null) {
            return null;
        }
        String port = names.read(event, OvsFields.DEV_NAME).name();
        if (!chain.iface.name().equals(port)) {
            return null;
        }
        for (String known : datapathPorts) {
            if (known.equals(port)) {
                return chain;
            }
        }
        int size = datapathPorts.length;
        datapathPorts = Arrays.copyOf(datapathPorts, size + 1);
        entersOnTransmit = Arrays.copyOf(entersOnTransmit, size + 1);
        datapathPorts[size] = port;
        entersOnTransmit[size] = chain.step == Step.QUEUED || chain.step == Step.SENT;
        return chain;
    }

    private boolean entersDatapath(InterfaceId device, HopKind kind) {
        String name = device.name();
        for (int i = 0; i < datapathPorts.length; i++) {
            if (datapathPorts[i].equals(name)) {
                return entersOnTransmit[i] ? kind == HopKind.QUEUE : kind == HopKind.RX || kind == HopKind.RECEIVE;
            }
        }
        return false;
    }

    private void droppedByDatapath(Chain chain, long timeNs) {
        countDrop(chain, timeNs, OvsFields.NO_OUTPUT_REASON, 0, chain.journey.hasIpv4() ? 0x0800 : 0);
    }

    private void endUpcalled(Chain chain, Outcome outcome, String reason) {
        chain.journey.end(chain.lastNs, outcome, reason);
        settle(chain);
        recycle(chain);
    }

    /**
     * The last few packets each stream (CPU) queued as new skbs: a bridge flooding a frame queues a clone of it on
     * its other ports, in the same softirq, before the original goes on up.
     */
    private static final class RecentQueues {
        private static final int KEPT = 8;
        private final PerStream<Ring> byStream = new PerStream<>(Ring::new);

        private static final class Ring {
            final long[] times = new long[KEPT];
            final long[] lengths = new long[KEPT];
            final String[] devices = new String[KEPT];
            int next;
        }

        void remember(StreamFile stream, long timeNs, long len, String device) {
            Ring ring = byStream.of(stream);
            int slot = ring.next;
            ring.times[slot] = timeNs;
            ring.lengths[slot] = len;
            ring.devices[slot] = device;
            ring.next = (slot + 1) % KEPT;
        }

        /**
         * A device other than {@code receivedOn} on which this stream queued a new skb since {@code sinceNs} with
         * the length a copy of a frame received with {@code rxLen} has on transmit (the link header again, with or
         * without a VLAN tag), or null.
         */
        String sameFrameSince(StreamFile stream, long sinceNs, long rxLen, String receivedOn) {
            Ring ring = byStream.of(stream);
            for (int i = 0; i < KEPT; i++) {
                String device = ring.devices[i];
                long extra = ring.lengths[i] - rxLen;
                if (device != null && ring.times[i] >= sinceNs && !device.equals(receivedOn)
                        && (extra == 14 || extra == 18 || extra == 10)) {
                    return device;
                }
            }
            return null;
        }
    }

    /**
     * Whether a CPU is handling received packets: from a {@code net_if_receive_skb} on its stream until the
     * {@code napi_poll} that ends that poll (every NAPI poll, the backlog's included, ends with one). Only once
     * the trace has shown a {@code napi_poll} at all, since without that event no window would ever close.
     */
    private static final class ReceiveWindows {
        private final PerStream<boolean[]> open = new PerStream<>(() -> new boolean[1]);
        private boolean pollsSeen;

        void received(StreamFile stream) {
            open.of(stream)[0] = true;
        }

        void polled(StreamFile stream) {
            pollsSeen = true;
            open.of(stream)[0] = false;
        }

        boolean receiving(StreamFile stream) {
            return pollsSeen && open.of(stream)[0];
        }
    }
}
