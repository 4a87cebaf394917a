package org.vnetscope.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.EventStream;

/**
 * The stream list, from the IPv4 and IPv6 headers LTTng records on {@code net_dev_queue}, {@code net_if_rx} and
 * {@code net_if_receive_skb}.
 *
 * <p>A packet crossing five devices fires a dozen header events. It is counted once. Where the packet tracker
 * follows the skb from device to device, its chain says which events are one packet. Where a packet goes on in
 * another skb (a bridge's flood clone, a segment cut by software GSO, a relay's copy), a fingerprint of the header
 * fields that stay the same along the path (addresses, ports, IP id, IP length, TCP sequence, ICMP echo id and
 * sequence; for IPv6, which has no IP id, the TCP acknowledgment or the UDP checksum) seen less than
 * {@link #DUPLICATE_WINDOW_NS} ago is the same packet. Over IPv6 the fingerprint of UDP and ICMPv6 is weak: with
 * checksum offload the recorded UDP checksum is the same for every datagram of a flow, and ICMPv6 has no recorded
 * transport header at all. There a matching fingerprint is a copy only when it first shows on another device or
 * hop than the packet counted under it: a sender's next packet starts where its previous one did.
 *
 * <p>TCP payload is the sequence space a direction covers, each byte once: from the IP length minus the IP and TCP
 * headers, so a GSO super-packet brings all of its segments' data. A data packet whose bytes were all covered
 * before is either another view of a transmission already counted, or a retransmission. The sender gives every
 * segment it emits a fresh IP id (a super-packet of n segments takes n consecutive ids), so a packet is another
 * view when an earlier one of its direction had its id, or a nearby lower id with the sequence offset of a
 * segment cut from it: a segment of software GSO (a tap, a relay, a device without TSO), a GRO merge, a relay's
 * copy. Otherwise it is a retransmission, counted in packets (skbs) and in segments of the MSS that the MTU
 * allows, the unit of the sender's own retransmission counter. IPv6 has no IP id: only the latest super-packet of
 * a direction tells its segments from retransmissions there. ICMPv6 is listed by addresses alone, as LTTng records
 * no header of it beyond the IPv6 one: its payload is what follows a 4-byte ICMPv6 header and 4 bytes of
 * message body (an echo's id and sequence).
 *
 * <p>Bytes a sender wrote to its socket but never transmitted (left in the send buffer when the peer reset or
 * closed the connection) are in no trace: {@link StreamReport#closed()} shows such endings.
 *
 * <p>Memory: two fixed caches of recent keys (fingerprints, sent ids) plus one record per stream.
 */
public final class StreamAnalysis {

    static final long DUPLICATE_WINDOW_NS = 1_000_000_000L;
    /** How long a sent TCP packet's id is remembered: longer than any relay or queue holds a copy. */
    private static final long SENT_WINDOW_NS = 10_000_000_000L;
    /**
     * Sequence distance beyond which a remembered id belongs to an earlier wrap of the 16-bit id space, not to
     * this packet: far more than a window in flight, far less than the 64 Ki segments one id wrap takes.
     */
    private static final long SENT_SEQ_REACH = 1 << 24;
    /**
     * Segments one super-packet can be cut into: 64 KiB over a small MSS, with margin. The ids probed are the bits
     * of one long ({@link RecentIdBits#mayHoldBelow}).
     */
    private static final int MAX_SEGMENT_OFFSET = Long.SIZE;
    private static final long SEQ_MASK = 0xFFFF_FFFFL;
    private static final int FIN_A = 1;
    private static final int FIN_B = 2;
    private static final int RST_A = 4;
    private static final int RST_B = 8;

    /** One direction of a stream. */
    private static final class Direction {
        long packets;
        long bytes;
        long payload;
        boolean seqKnown;
        long highSeq;
        boolean superKnown;
        long superSeqStart;
        long superSeqEnd;
    }

    private static final class Stream {
        final long hash;
        final int protocol;
        /** The endpoint that sent the first packet: address as two longs (IPv4 mapped into IPv6), port. */
        final long aHigh;
        final long aLow;
        final int aPort;
        final long bHigh;
        final long bLow;
        final int bPort;
        final Direction ab = new Direction();
        final Direction ba = new Direction();
        long retransmittedPackets;
        long retransmittedBytes;
        long retransmittedSegments;
        int closeFlags;
        long startNs;
        long endNs;
        Stream next;

        Stream(long hash, int protocol, long aHigh, long aLow, int aPort, long bHigh, long bLow, int bPort,
               long startNs) {
            this.hash = hash;
            this.protocol = protocol;
            this.aHigh = aHigh;
            this.aLow = aLow;
            this.aPort = aPort;
            this.bHigh = bHigh;
            this.bLow = bLow;
            this.bPort = bPort;
            this.startNs = startNs;
            this.endNs = startNs;
        }

        boolean is(int protocol, long aHigh, long aLow, int aPort, long bHigh, long bLow, int bPort) {
            return this.protocol == protocol
                    && (this.aHigh == aHigh && this.aLow == aLow && this.aPort == aPort
                    && this.bHigh == bHigh && this.bLow == bLow && this.bPort == bPort
                    || this.aHigh == bHigh && this.aLow == bLow && this.aPort == bPort
                    && this.bHigh == aHigh && this.bLow == aLow && this.bPort == aPort);
        }
    }

    private final int mtu;
    private final LongObjectMap<Stream> streams = new LongObjectMap<>();
    private final List<Stream> all = new ArrayList<>();
    /** Fingerprints of counted packets, with where each was first seen ({@link PacketTracker#currentHop}). */
    private final RecentKeys fingerprints;
    /** TCP data packets by direction and IP id, with their sequence range (start << 32 | end). */
    private final RecentKeys sent;
    /**
     * The ids {@link #sent} was given lately, by direction: a retransmission check probes up to
     * {@link #MAX_SEGMENT_OFFSET} ids and nearly all of them were never sent (on lab-large 4.3 million probes for
     * 5,122 ids sent), so the probes this says would find nothing are not made.
     */
    private final RecentIdBits sentIds;

    /** The header of the event being counted: read here, or by whoever shares it before this reads it. */
    private final PacketHeader header;
    private final boolean readsHeader;
    /** The chains of the packets, or null where the list runs alone (fingerprints only). */
    private final PacketTracker chains;
    // what tells the packet apart, beside its header's addresses and ports
    private long sequence;
    private long discriminator;
    private int transportHeader;

    /** @param mtu the MTU telling super-packets from frames, and giving the MSS retransmitted segments count in */
    public StreamAnalysis(int mtu) {
        this(mtu, new PacketHeader(), true, null, true);
    }

    /**
     * A stream list reading the header that {@code shared} holds, and the chains that {@code chains} follows,
     * both updated for each event before this sees it.
     */
    StreamAnalysis(int mtu, PacketHeader shared, PacketTracker chains) {
        this(mtu, shared, false, chains, true);
    }

    /**
     * A stream list that keeps nothing: it takes the events as the one above would and reports no stream, without
     * setting up its tables (3.75 MB), for an analysis that wants the traffic alone.
     */
    static StreamAnalysis none(int mtu, PacketHeader shared, PacketTracker chains) {
        return new StreamAnalysis(mtu, shared, false, chains, false);
    }

    private StreamAnalysis(int mtu, PacketHeader header, boolean readsHeader, PacketTracker chains, boolean keeps) {
        this.mtu = mtu;
        this.header = header;
        this.readsHeader = readsHeader;
        this.chains = chains;
        this.fingerprints = keeps ? new RecentKeys(15, true) : null;
        this.sent = keeps ? new RecentKeys(13, true) : null;
        this.sentIds = keeps ? new RecentIdBits(10, SENT_WINDOW_NS) : null;
    }

    void subscribe(EventStream stream) {
        stream.onEvent(NetFields.NET_DEV_QUEUE, this::onHeader);
        for (String name : NetFields.NETIF_RX) {
            stream.onEvent(name, this::onHeader);
        }
        for (String name : NetFields.RECEIVE_SKB) {
            stream.onEvent(name, this::onHeader);
        }
    }

    void onHeader(Event event) {
        if (fingerprints == null) {
            return; // keeps nothing
        }
        if (readsHeader) {
            header.read(event);
        }
        if (!(header.kind == PacketHeader.IPV4 || header.kind == PacketHeader.IPV6)) {
            return;
        }
        if (chains != null && chains.currentPacketCounted()) {
            return; // most events: another view of a packet counted on the way (asked first, as it costs least)
        }
        header.readDetails(event);
        if (!distinguish()) {
            return;
        }
        long now = event.timestampNs();
        PacketHeader h = header;
        int protocol = h.protocol;
        long sourceHigh = h.sourceHigh;
        long sourceLow = h.sourceLow;
        long destinationHigh = h.destinationHigh;
        long destinationLow = h.destinationLow;
        int sourcePort = h.sourcePort;
        int destinationPort = h.destinationPort;
        long ipLength = h.ipLength;
        long ipId = h.ipId;
        long fingerprint = mix(mix(mix(mix(sourceHigh, sourceLow), destinationHigh), destinationLow),
                (long) sourcePort << 32 | (long) destinationPort << 16 | protocol);
        fingerprint = mix(mix(mix(fingerprint, ipId << 32 | ipLength), sequence), discriminator);
        int hop = chains != null ? chains.currentHop() : 0;
        int seen = fingerprints.find(fingerprint, now, DUPLICATE_WINDOW_NS);
        boolean weak = h.kind == PacketHeader.IPV6 && protocol != NetFields.IPPROTO_TCP;
        if (seen >= 0 && !(weak && chains != null && fingerprints.value(seen) == hop)) {
            fingerprints.touch(seen, now);
            if (chains != null) {
                chains.markCurrentPacketCounted();
            }
            return;
        }
        fingerprints.put(fingerprint, hop, now);
        if (chains != null) {
            chains.markCurrentPacketCounted();
        }

        Stream stream = stream(protocol, sourceHigh, sourceLow, sourcePort, destinationHigh, destinationLow,
                destinationPort, now);
        boolean forward = stream.aHigh == sourceHigh && stream.aLow == sourceLow && stream.aPort == sourcePort;
        Direction direction = forward ? stream.ab : stream.ba;
        long payload = Math.max(0, ipLength - h.ipHeaderLength - transportHeader);
        if (protocol == NetFields.IPPROTO_TCP) {
            if ((h.tcpFlags & NetFields.TCP_RST) != 0) {
                stream.closeFlags |= forward ? RST_A : RST_B;
            } else if ((h.tcpFlags & NetFields.TCP_FIN) != 0) {
                stream.closeFlags |= forward ? FIN_A : FIN_B;
            }
            if (payload > 0) {
                payload = countTcpData(stream, forward, direction, payload, now);
                if (payload < 0) {
                    return;
                }
            }
        }
        direction.packets++;
        direction.bytes += ipLength;
        direction.payload += payload;
        stream.endNs = Math.max(stream.endNs, now);
        stream.startNs = Math.min(stream.startNs, now);
    }

    /**
     * What tells this packet apart beside addresses and ports (TCP sequence, ICMP echo id and sequence, for IPv6
     * the TCP acknowledgment or the UDP checksum), and its transport header's length; false for packets the list
     * leaves out: protocols other than TCP, UDP, ICMP over IPv4 and ICMPv6, or TCP and UDP without their
     * transport header.
     */
    private boolean distinguish() {
        PacketHeader h = header;
        boolean ipv6 = h.kind == PacketHeader.IPV6;
        if (ipv6 && h.protocol == NetFields.IPPROTO_ICMPV6) {
            sequence = 0;
            discriminator = 0;
            transportHeader = 8;
            return true;
        }
        if (h.protocol == NetFields.IPPROTO_ICMP && !ipv6) {
            // echo id and sequence live in the "gateway" word: they tell pings apart. A packet received through a
            // tunnel (VXLAN) is traced with no ICMP header (nothing set it yet): its IP id, in the fingerprint,
            // still tells it apart
            sequence = h.icmp ? h.icmpGateway << 8 | h.icmpType : 0;
            discriminator = 0;
            transportHeader = 8;
            return true;
        }
        if (h.protocol == NetFields.IPPROTO_TCP && h.tcp) {
            sequence = h.tcpSequence & SEQ_MASK;
            discriminator = ipv6 ? h.tcpAck : 0;
            transportHeader = h.tcpHeaderLength;
            return true;
        }
        if (h.protocol == NetFields.IPPROTO_UDP && h.udp) {
            sequence = 0;
            discriminator = ipv6 ? h.udpCheck : 0;
            transportHeader = 8;
            return true;
        }
        return false;
    }

    /**
     * The new payload bytes this TCP packet brings (sequence space not covered before in its direction), or -1 for
     * another view of a transmission already counted. Records retransmissions.
     */
    private long countTcpData(Stream stream, boolean forward, Direction direction, long payload, long now) {
        long end = (sequence + payload) & SEQ_MASK;
        long newData;
        if (!direction.seqKnown) {
            direction.seqKnown = true;
            direction.highSeq = end;
            newData = payload;
        } else if (seqAfter(end, direction.highSeq)) {
            newData = Math.min(payload, (end - direction.highSeq) & SEQ_MASK);
            direction.highSeq = end;
        } else if (seenBefore(stream, forward, direction, end, payload, now)) {
            return -1;
        } else {
            long mss = Math.max(1, mtu - header.ipHeaderLength - transportHeader);
            stream.retransmittedPackets++;
            stream.retransmittedBytes += payload;
            stream.retransmittedSegments += (payload + mss - 1) / mss;
            newData = 0;
        }
        if (header.ipId >= 0) {
            sentIds.add(directionTag(stream, forward), (int) header.ipId & 0xFFFF, now);
            sent.put(sentTag(stream, forward, header.ipId), sequence << 32 | end, now);
        } else if (header.ipLength > mtu) {
            direction.superKnown = true;
            direction.superSeqStart = sequence;
            direction.superSeqEnd = end;
        }
        return newData;
    }

    /** True when a packet of this direction already carried these bytes under this IP id, or cut them from one. */
    private boolean seenBefore(Stream stream, boolean forward, Direction direction, long end, long payload,
                               long now) {
        long ipId = header.ipId;
        if (ipId < 0) {
            return direction.superKnown
                    && seqAfterOrEqual(sequence, direction.superSeqStart) && seqAfterOrEqual(direction.superSeqEnd, end);
        }
        long tag = directionTag(stream, forward);
        // the offsets whose id the table may hold, in order: find would answer -1 for the others
        long candidates = sentIds.mayHoldBelow(tag, (int) ipId & 0xFFFF, now);
        while (candidates != 0) {
            int offset = Long.numberOfTrailingZeros(candidates);
            candidates &= candidates - 1;
            int entry = sent.find(mix(tag, (ipId - offset) & 0xFFFF), now, SENT_WINDOW_NS);
            if (entry < 0) {
                continue;
            }
            long start = sent.value(entry) >>> 32;
            long sentEnd = sent.value(entry) & SEQ_MASK;
            long distance = (sequence - start) & SEQ_MASK;
            if (distance >= SENT_SEQ_REACH && distance <= SEQ_MASK - SENT_SEQ_REACH) {
                continue; // this id's previous wrap
            }
            if (offset == 0) {
                return sequence == start; // the same transmission, or a GRO merge that starts with it
            }
            // segment k of a super-packet: id + k, sequence start + k * MSS, inside the super-packet
            return seqAfterOrEqual(sequence, start) && distance % offset == 0 && distance / offset >= payload
                    && seqAfterOrEqual(sentEnd, end);
        }
        return false;
    }

    private static long sentTag(Stream stream, boolean forward, long id) {
        return mix(directionTag(stream, forward), id);
    }

    private static long directionTag(Stream stream, boolean forward) {
        return stream.hash + (forward ? 1 : 2);
    }

    private static boolean seqAfter(long a, long b) {
        return (int) (a - b) > 0;
    }

    private static boolean seqAfterOrEqual(long a, long b) {
        return (int) (a - b) >= 0;
    }

    private Stream stream(int protocol, long aHigh, long aLow, int aPort, long bHigh, long bLow, int bPort,
                          long now) {
        boolean aFirst = aHigh != bHigh ? Long.compareUnsigned(aHigh, bHigh) < 0
                : aLow != bLow ? Long.compareUnsigned(aLow, bLow) < 0 : aPort <= bPort;
        long hash = aFirst ? endpointsHash(protocol, aHigh, aLow, aPort, bHigh, bLow, bPort)
                : endpointsHash(protocol, bHigh, bLow, bPort, aHigh, aLow, aPort);
        Stream first = streams.get(hash);
        for (Stream s = first; s != null; s = s.next) {
            if (s.is(protocol, aHigh, aLow, aPort, bHigh, bLow, bPort)) {
                return s;
            }
        }
        Stream created = new Stream(hash, protocol, aHigh, aLow, aPort, bHigh, bLow, bPort, now);
        created.next = first;
        streams.put(hash, created);
        all.add(created);
        return created;
    }

    private static long endpointsHash(int protocol, long lowHigh, long lowLow, int lowPort, long highHigh,
                                      long highLow, int highPort) {
        return mix(mix(mix(mix(protocol, lowHigh), lowLow ^ (long) lowPort << 48),
                highHigh), highLow ^ (long) highPort << 48);
    }

    private static long mix(long a, long b) {
        long h = a * 0x9E3779B97F4A7C15L + b;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ h >>> 32;
    }

    /** Adds the streams of another part of the trace; the side that started first stays A. */
    public void merge(StreamAnalysis other) {
        for (Stream theirs : other.all) {
            Stream mine = stream(theirs.protocol, theirs.aHigh, theirs.aLow, theirs.aPort, theirs.bHigh,
                    theirs.bLow, theirs.bPort, theirs.startNs);
            boolean sameOrientation = mine.aHigh == theirs.aHigh && mine.aLow == theirs.aLow
                    && mine.aPort == theirs.aPort;
            add(sameOrientation ? mine.ab : mine.ba, theirs.ab);
            add(sameOrientation ? mine.ba : mine.ab, theirs.ba);
            mine.retransmittedPackets += theirs.retransmittedPackets;
            mine.retransmittedBytes += theirs.retransmittedBytes;
            mine.retransmittedSegments += theirs.retransmittedSegments;
            mine.closeFlags |= sameOrientation ? theirs.closeFlags
                    : (theirs.closeFlags & (FIN_A | RST_A)) << 1 | (theirs.closeFlags & (FIN_B | RST_B)) >>> 1;
            mine.startNs = Math.min(mine.startNs, theirs.startNs);
            mine.endNs = Math.max(mine.endNs, theirs.endNs);
        }
    }

    private static void add(Direction into, Direction from) {
        into.packets += from.packets;
        into.bytes += from.bytes;
        into.payload += from.payload;
    }

    /** Streams by total bytes, largest first. */
    public List<StreamReport> report() {
        List<StreamReport> reports = new ArrayList<>(all.size());
        java.util.Map<Stream, Stream> homeOf = portlessDatagramHomes();
        java.util.Map<Stream, List<Stream>> foldedInto = new java.util.IdentityHashMap<>();
        homeOf.forEach((portless, home) -> foldedInto.computeIfAbsent(home, h -> new ArrayList<>()).add(portless));
        for (Stream s : all) {
            if (s.ab.packets + s.ba.packets == 0 || homeOf.containsKey(s)) {
                continue;
            }
            Direction ab = copy(s.ab);
            Direction ba = copy(s.ba);
            long startNs = s.startNs;
            long endNs = s.endNs;
            for (Stream portless : foldedInto.getOrDefault(s, List.of())) {
                boolean sameWay = s.aHigh == portless.aHigh && s.aLow == portless.aLow;
                add(sameWay ? ab : ba, portless.ab);
                add(sameWay ? ba : ab, portless.ba);
                startNs = Math.min(startNs, portless.startNs);
                endNs = Math.max(endNs, portless.endNs);
            }
            double seconds = (endNs - startNs) / 1e9;
            reports.add(new StreamReport(protocolName(s), endpoint(s.protocol, s.aHigh, s.aLow, s.aPort),
                    endpoint(s.protocol, s.bHigh, s.bLow, s.bPort), ab.packets, ab.bytes, ba.packets,
                    ba.bytes, ab.payload, ba.payload, s.retransmittedPackets, s.retransmittedBytes, startNs,
                    endNs, seconds > 0 ? ab.bytes * 8 / seconds : 0, seconds > 0 ? ba.bytes * 8 / seconds : 0,
                    s.retransmittedSegments, closed(s)));
        }
        reports.sort(Comparator.comparingLong((StreamReport r) -> r.bytesAb() + r.bytesBa()).reversed()
                .thenComparingLong(StreamReport::startNs).thenComparing(StreamReport::a)
                .thenComparing(StreamReport::b).thenComparing(StreamReport::protocol));
        return reports;
    }

    private static Direction copy(Direction from) {
        Direction copy = new Direction();
        add(copy, from);
        return copy;
    }

    /**
     * UDP datagrams whose recorded transport header is all zeros: a packet received and forwarded (bridged to a VM)
     * is traced before any layer set its transport header, and the event reads zeros where the ports would be (seen
     * on virtio-net receives in the lab recordings). Port 0 is reserved, so such a "stream" is the datagrams of the
     * one UDP stream between the same two addresses that was active at the time; with several such streams the
     * datagrams cannot be told apart and stay listed under port 0.
     *
     * @return each portless stream that has one, with the stream its datagrams belong to
     */
    private java.util.Map<Stream, Stream> portlessDatagramHomes() {
        java.util.Map<Stream, Stream> homes = new java.util.IdentityHashMap<>();
        for (Stream portless : all) {
            if (portless.protocol != NetFields.IPPROTO_UDP || portless.aPort != 0 || portless.bPort != 0) {
                continue;
            }
            Stream home = null;
            int candidates = 0;
            for (Stream other : all) {
                if (other != portless && other.protocol == NetFields.IPPROTO_UDP && (other.aPort != 0 || other.bPort != 0)
                        && sameAddresses(other, portless) && other.startNs - DUPLICATE_WINDOW_NS <= portless.endNs
                        && portless.startNs <= other.endNs + DUPLICATE_WINDOW_NS) {
                    home = other;
                    candidates++;
                }
            }
            if (candidates == 1) {
                homes.put(portless, home);
            }
        }
        return homes;
    }

    private static boolean sameAddresses(Stream a, Stream b) {
        return a.aHigh == b.aHigh && a.aLow == b.aLow && a.bHigh == b.bHigh && a.bLow == b.bLow
                || a.aHigh == b.bHigh && a.aLow == b.bLow && a.bHigh == b.aHigh && a.bLow == b.aLow;
    }

    private static String closed(Stream s) {
        if (s.protocol != NetFields.IPPROTO_TCP) {
            return null;
        }
        if ((s.closeFlags & (RST_A | RST_B)) != 0) {
            return (s.closeFlags & RST_A) != 0 ? "rst_a" : "rst_b";
        }
        return switch (s.closeFlags & (FIN_A | FIN_B)) {
            case FIN_A | FIN_B -> "fin";
            case FIN_A -> "fin_a";
            case FIN_B -> "fin_b";
            default -> null;
        };
    }

    private static String protocolName(Stream s) {
        return protocolName(s.protocol);
    }

    /** An IP protocol number as the stream list names it: tcp, udp, icmp, icmpv6, else the number. */
    static String protocolName(int protocol) {
        return switch (protocol) {
            case NetFields.IPPROTO_TCP -> "tcp";
            case NetFields.IPPROTO_UDP -> "udp";
            case NetFields.IPPROTO_ICMP -> "icmp";
            case NetFields.IPPROTO_ICMPV6 -> "icmpv6";
            default -> Integer.toString(protocol);
        };
    }

    /** {@code 192.0.2.1:80}, {@code [2001:db8::1]:80}, or the address alone for ICMP and ICMPv6. */
    static String endpoint(int protocol, long high, long low, int port) {
        String address = address(high, low);
        boolean v4 = high == 0 && (low >>> 32) == 0xFFFF;
        if (protocol == NetFields.IPPROTO_ICMP || protocol == NetFields.IPPROTO_ICMPV6) {
            return address;
        }
        return v4 ? address + ":" + port : "[" + address + "]:" + port;
    }

    /** An address as two longs (IPv4 mapped into IPv6) as text: {@code 192.0.2.1}, {@code 2001:db8::1}. */
    static String address(long high, long low) {
        if (high == 0 && (low >>> 32) == 0xFFFF) {
            return (low >>> 24 & 0xFF) + "." + (low >>> 16 & 0xFF) + "." + (low >>> 8 & 0xFF) + "." + (low & 0xFF);
        }
        return ipv6Text(high, low);
    }

    /** RFC 5952 text: lower-case hex words, the longest run of two or more zero words as {@code ::}. */
    private static String ipv6Text(long high, long low) {
        int[] words = new int[8];
        for (int i = 0; i < 4; i++) {
            words[i] = (int) (high >>> (48 - 16 * i)) & 0xFFFF;
            words[4 + i] = (int) (low >>> (48 - 16 * i)) & 0xFFFF;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && words[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(words[i]));
        }
        return text.toString();
    }
}
