package org.vnetscope.analysis;

import java.util.ArrayList;
import java.util.List;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.EventStream;

/**
 * The stream list, from the IPv4 headers LTTng records on {@code net_dev_queue}, {@code net_if_rx} and
 * {@code net_if_receive_skb}.
 *
 * <p>A packet crossing five devices fires a dozen header events. It is counted once: a fingerprint of the header
 * fields that stay the same along the path (addresses, ports, IP id, IP length, TCP sequence or ICMP echo id and
 * sequence) seen less than {@link #DUPLICATE_WINDOW_NS} ago is the same packet. A retransmission has a new IP id
 * and counts again (and as a retransmission); a GSO super-packet counts once, and the segments software GSO cuts
 * from it later (new IP ids inside its sequence range) do not count again.
 *
 * <p>Memory: a fixed fingerprint cache plus one record per stream.
 */
public final class StreamAnalysis {

    static final long DUPLICATE_WINDOW_NS = 1_000_000_000L;
    private static final int CACHE_BITS = 16;

    /** One direction of a stream. */
    private static final class Direction {
        long packets;
        long bytes;
        long payload;
        boolean seqKnown;
        long highSeq;
        long superSeqStart;
        long superSeqEnd;
        long superIpId = -1;
    }

    private static final class Stream {
        final long key1;
        final long key2;
        final int protocol;
        /** The endpoint (address << 16 | port) that sent the first packet. */
        final long endpointA;
        final long endpointB;
        final Direction ab = new Direction();
        final Direction ba = new Direction();
        long retransmittedPackets;
        long retransmittedBytes;
        long startNs;
        long endNs;
        Stream next;

        Stream(long key1, long key2, int protocol, long endpointA, long endpointB, long startNs) {
            this.key1 = key1;
            this.key2 = key2;
            this.protocol = protocol;
            this.endpointA = endpointA;
            this.endpointB = endpointB;
            this.startNs = startNs;
            this.endNs = startNs;
        }
    }

    private final int mtu;
    private final LongObjectMap<Stream> streams = new LongObjectMap<>();
    private final List<Stream> all = new ArrayList<>();
    private final long[] seenFingerprints = new long[1 << CACHE_BITS];
    private final long[] seenAtNs = new long[1 << CACHE_BITS];

    public StreamAnalysis(int mtu) {
        this.mtu = mtu;
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

    private void onHeader(Event event) {
        if (!event.has(NetFields.NETWORK_HEADER_TYPE)
                || event.getLong(NetFields.NETWORK_HEADER_TYPE) != NetFields.HEADER_IPV4) {
            return;
        }
        int protocol = (int) event.getLong(NetFields.IP4_PROTOCOL);
        long sport = 0;
        long dport = 0;
        long sequence = 0;
        int transportHeader;
        if (protocol == NetFields.IPPROTO_TCP && event.has(NetFields.TCP_SPORT)) {
            sport = event.getLong(NetFields.TCP_SPORT);
            dport = event.getLong(NetFields.TCP_DPORT);
            sequence = event.getLong(NetFields.TCP_SEQ) & 0xFFFF_FFFFL;
            transportHeader = 4 * (int) event.getLong(NetFields.TCP_DATA_OFFSET);
        } else if (protocol == NetFields.IPPROTO_UDP && event.has(NetFields.UDP_SPORT)) {
            sport = event.getLong(NetFields.UDP_SPORT);
            dport = event.getLong(NetFields.UDP_DPORT);
            transportHeader = 8;
        } else if (protocol == NetFields.IPPROTO_ICMP && event.has(NetFields.ICMP_TYPE)) {
            // echo id and sequence live in the "gateway" word: they tell pings apart
            sequence = event.has(NetFields.ICMP_GATEWAY) ? event.getLong(NetFields.ICMP_GATEWAY) : 0;
            sequence = sequence << 8 | event.getLong(NetFields.ICMP_TYPE);
            transportHeader = 8;
        } else {
            return;
        }
        long source = ipv4(event.getBytes(NetFields.IP4_SADDR)) << 16 | sport;
        long destination = ipv4(event.getBytes(NetFields.IP4_DADDR)) << 16 | dport;
        long ipLength = event.getLong(NetFields.IP4_TOT_LEN);
        long ipId = event.getLong(NetFields.IP4_ID);
        long now = event.timestampNs();

        long fingerprint = mix(mix(mix(source, destination), ipId << 32 | ipLength), sequence << 8 | protocol);
        int slot = (int) (fingerprint >>> (64 - CACHE_BITS));
        if (seenFingerprints[slot] == fingerprint && now - seenAtNs[slot] < DUPLICATE_WINDOW_NS) {
            seenAtNs[slot] = now;
            return;
        }
        seenFingerprints[slot] = fingerprint;
        seenAtNs[slot] = now;

        Stream stream = stream(protocol, source, destination, now);
        boolean forward = source == stream.endpointA;
        Direction direction = forward ? stream.ab : stream.ba;
        long payload = Math.max(0, ipLength - 4 * event.getLong(NetFields.IP4_IHL) - transportHeader);
        if (protocol == NetFields.IPPROTO_TCP && payload > 0) {
            long newData = countTcpData(stream, direction, sequence, payload, ipLength, ipId);
            if (newData < 0) {
                return;
            }
            payload = newData;
        }
        direction.packets++;
        direction.bytes += ipLength;
        direction.payload += payload;
        stream.endNs = Math.max(stream.endNs, now);
        stream.startNs = Math.min(stream.startNs, now);
    }

    /**
     * The new payload bytes this TCP packet brings (sequence space not seen before in its direction), or -1 for
     * a segment of a super-packet already counted. Records retransmissions.
     */
    private long countTcpData(Stream stream, Direction direction, long sequence, long payload, long ipLength,
                              long ipId) {
        long end = (sequence + payload) & 0xFFFF_FFFFL;
        if (direction.superIpId >= 0 && seqWithin(direction.superSeqStart, sequence, end, direction.superSeqEnd)
                && ((ipId - direction.superIpId) & 0xFFFF) < 64) {
            return -1;
        }
        long newData;
        if (!direction.seqKnown) {
            newData = payload;
            direction.highSeq = end;
            direction.seqKnown = true;
        } else if (seqAfterOrEqual(direction.highSeq, end)) {
            stream.retransmittedPackets++;
            stream.retransmittedBytes += payload;
            newData = 0;
        } else {
            newData = Math.min(payload, (end - direction.highSeq) & 0xFFFF_FFFFL);
            direction.highSeq = end;
        }
        if (ipLength > mtu) {
            direction.superSeqStart = sequence;
            direction.superSeqEnd = end;
            direction.superIpId = ipId;
        }
        return newData;
    }

    private static boolean seqAfterOrEqual(long a, long b) {
        return (int) (a - b) >= 0;
    }

    private static boolean seqWithin(long low, long start, long end, long high) {
        return seqAfterOrEqual(start, low) && seqAfterOrEqual(high, end);
    }

    private Stream stream(int protocol, long source, long destination, long now) {
        long low = Math.min(source, destination);
        long high = Math.max(source, destination);
        long key1 = (long) protocol << 48 | low;
        long hash = mix(key1, high);
        Stream first = streams.get(hash);
        for (Stream s = first; s != null; s = s.next) {
            if (s.key1 == key1 && s.key2 == high) {
                return s;
            }
        }
        Stream created = new Stream(key1, high, protocol, source, destination, now);
        created.next = first;
        streams.put(hash, created);
        all.add(created);
        return created;
    }

    private static long ipv4(byte[] address) {
        return (address[0] & 0xFFL) << 24 | (address[1] & 0xFFL) << 16 | (address[2] & 0xFFL) << 8
                | address[3] & 0xFFL;
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
            long source = theirs.endpointA;
            long destination = theirs.endpointB;
            Stream mine = stream(theirs.protocol, source, destination, theirs.startNs);
            boolean sameOrientation = mine.endpointA == source;
            add(sameOrientation ? mine.ab : mine.ba, theirs.ab);
            add(sameOrientation ? mine.ba : mine.ab, theirs.ba);
            mine.retransmittedPackets += theirs.retransmittedPackets;
            mine.retransmittedBytes += theirs.retransmittedBytes;
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
        for (Stream s : all) {
            if (s.ab.packets + s.ba.packets == 0) {
                continue;
            }
            double seconds = (s.endNs - s.startNs) / 1e9;
            reports.add(new StreamReport(protocolName(s.protocol), endpoint(s.protocol, s.endpointA),
                    endpoint(s.protocol, s.endpointB), s.ab.packets, s.ab.bytes, s.ba.packets, s.ba.bytes,
                    s.ab.payload, s.ba.payload, s.retransmittedPackets, s.retransmittedBytes, s.startNs, s.endNs,
                    seconds > 0 ? s.ab.bytes * 8 / seconds : 0, seconds > 0 ? s.ba.bytes * 8 / seconds : 0));
        }
        reports.sort((x, y) -> Long.compare(y.bytesAb() + y.bytesBa(), x.bytesAb() + x.bytesBa()));
        return reports;
    }

    private static String protocolName(int protocol) {
        return switch (protocol) {
            case NetFields.IPPROTO_TCP -> "tcp";
            case NetFields.IPPROTO_UDP -> "udp";
            case NetFields.IPPROTO_ICMP -> "icmp";
            default -> Integer.toString(protocol);
        };
    }

    private static String endpoint(int protocol, long endpoint) {
        long address = endpoint >>> 16;
        String ip = (address >>> 24 & 0xFF) + "." + (address >>> 16 & 0xFF) + "." + (address >>> 8 & 0xFF) + "."
                + (address & 0xFF);
        return protocol == NetFields.IPPROTO_ICMP ? ip : ip + ":" + (endpoint & 0xFFFF);
    }
}
