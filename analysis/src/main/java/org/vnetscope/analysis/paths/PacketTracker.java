package org.vnetscope.analysis.paths;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.EventStream;
import org.vnetscope.ctf.FieldKey;

/**
 * Follows each skb address from its first net event to {@code skb_consume} or {@code skb_kfree}, and hands every
 * finished {@link Journey} to its listeners. Memory is bounded by the packets alive at a time: a finished chain
 * goes back to a pool.
 *
 * <p>Addresses are reused, and some frees have no tracepoint, so a chain is also ended (as
 * {@link Outcome#UNTERMINATED}) when the next event on its address cannot belong to the same packet: its IPv4
 * header disagrees with the chain's, or it has lost the IPv4 header the chain had (counted as splits); or, with no
 * header to tell, the packet would visit the same device the same way twice, or move on after it was copied to a
 * user-space socket (counted as ambiguous).
 */
public final class PacketTracker {

    private static final FieldKey SKBADDR = FieldKey.of("skbaddr");
    private static final FieldKey NAME = FieldKey.of("name");
    private static final FieldKey LEN = FieldKey.of("len");
    private static final FieldKey NET_NS = FieldKey.of("net_ns");
    private static final FieldKey REASON = FieldKey.of("reason");
    private static final FieldKey HEADER_TYPE = FieldKey.of("network_header_type");
    private static final FieldKey SADDR = FieldKey.of("network_header", "ipv4", "saddr");
    private static final FieldKey DADDR = FieldKey.of("network_header", "ipv4", "daddr");
    private static final FieldKey IP_ID = FieldKey.of("network_header", "ipv4", "id");
    private static final FieldKey PROTOCOL = FieldKey.of("network_header", "ipv4", "protocol");
    private static final FieldKey TCP_SPORT = FieldKey.of("network_header", "ipv4", "transport_header", "tcp", "source_port");
    private static final FieldKey TCP_DPORT = FieldKey.of("network_header", "ipv4", "transport_header", "tcp", "dest_port");
    private static final FieldKey TCP_SEQ = FieldKey.of("network_header", "ipv4", "transport_header", "tcp", "seq");
    private static final FieldKey UDP_SPORT = FieldKey.of("network_header", "ipv4", "transport_header", "udp", "source_port");
    private static final FieldKey UDP_DPORT = FieldKey.of("network_header", "ipv4", "transport_header", "udp", "dest_port");
    private static final int ETHERNET_HEADER = 14;
    private static final int IPV4 = 1;

    private final List<Consumer<Journey>> listeners = new ArrayList<>();
    private final LongObjectMap<Chain> live = new LongObjectMap<>();
    private final ArrayDeque<Chain> pool = new ArrayDeque<>();
    private final Map<String, String> names = new HashMap<>();
    private final Header scratch = new Header();
    private long journeys;
    private long splits;
    private long ambiguous;
    private long unterminated;
    private long maxLive;

    /** Calls the listener with every finished journey. */
    public PacketTracker addListener(Consumer<Journey> listener) {
        listeners.add(listener);
        return this;
    }

    /** Subscribes to the net events of the stream, under their current and pre-2.7 names. */
    public void subscribe(EventStream stream) {
        stream.onEvent("net_dev_queue", e -> onHop(e, HopKind.QUEUE));
        stream.onEvent("net_dev_xmit", e -> onHop(e, HopKind.XMIT));
        stream.onEvent("net_if_rx", e -> onHop(e, HopKind.RX));
        stream.onEvent("netif_rx", e -> onHop(e, HopKind.RX));
        stream.onEvent("net_if_receive_skb", e -> onHop(e, HopKind.RECEIVE));
        stream.onEvent("netif_receive_skb", e -> onHop(e, HopKind.RECEIVE));
        stream.onEvent("skb_copy_datagram_iovec", this::onCopy);
        stream.onEvent("skb_consume", e -> onFree(e, Outcome.DELIVERED));
        stream.onEvent("skb_kfree", e -> onFree(e, Outcome.DROPPED));
    }

    /** Ends the chains still alive (the trace ended before their free) as unterminated. */
    public void finish() {
        live.forEachValue(chain -> end(chain, chain.lastTime(), Outcome.UNTERMINATED, null));
        live.clear();
    }

    /** Counts over the chains seen so far. */
    public ChainStats stats() {
        return new ChainStats(journeys, splits, ambiguous, unterminated, maxLive);
    }

    void onHop(Event event, HopKind kind) {
        long address = event.getLong(SKBADDR);
        String device = intern(event.getString(NAME));
        boolean hasHeader = readHeader(event);
        boolean lostHeader = !hasHeader && event.has(HEADER_TYPE);
        Chain chain = live.get(address);
        if (chain != null) {
            if (chain.header.valid && (lostHeader || hasHeader && !chain.header.samePacket(scratch))) {
                splits++;
                live.remove(address);
                end(chain, chain.lastTime(), Outcome.UNTERMINATED, null);
                chain = null;
            } else if (chain.receiverHop >= 0 || chain.visited(device, kind)) {
                ambiguous++;
                live.remove(address);
                end(chain, chain.lastTime(), Outcome.UNTERMINATED, null);
                chain = null;
            }
        }
        if (chain == null) {
            chain = pool.isEmpty() ? new Chain() : pool.pop();
            chain.reset();
            live.put(address, chain);
            maxLive = Math.max(maxLive, live.size());
        }
        chain.add(device, kind, event.timestampNs(), event.getLong(NET_NS));
        if (hasHeader && !chain.header.valid) {
            chain.header.copyFrom(scratch);
        }
        if (chain.bytes == 0 && event.has(LEN)) {
            int len = (int) event.getLong(LEN);
            chain.bytes = kind.transmit() ? len : len + ETHERNET_HEADER;
        } else if (kind.transmit() && chain.bytesFromReceive && event.has(LEN)) {
            chain.bytes = (int) event.getLong(LEN);
        }
        chain.bytesFromReceive &= !kind.transmit();
    }

    private void onCopy(Event event) {
        Chain chain = live.get(event.getLong(SKBADDR));
        if (chain != null && chain.receiverHop < 0) {
            chain.receiverHop = chain.hops - 1;
            chain.receiverNetns = event.getLong(NET_NS);
        }
    }

    private void onFree(Event event, Outcome outcome) {
        Chain chain = live.remove(event.getLong(SKBADDR));
        if (chain == null) {
            return; // a packet that never touched a device (local sockets): no path
        }
        end(chain, event.timestampNs(), outcome, outcome == Outcome.DROPPED ? reason(event) : null);
    }

    private String reason(Event event) {
        if (!event.has(REASON)) {
            return "unknown";
        }
        String[] labels = event.getEnumLabels(REASON);
        if (labels.length > 0) {
            return intern(labels[0].startsWith("_") ? labels[0].substring(1) : labels[0]);
        }
        return intern("reason " + event.getLong(REASON));
    }

    private void end(Chain chain, long endTime, Outcome outcome, String reason) {
        chain.endTime = endTime;
        chain.outcome = outcome;
        chain.reason = reason;
        journeys++;
        if (outcome == Outcome.UNTERMINATED) {
            unterminated++;
        }
        for (Consumer<Journey> listener : listeners) {
            listener.accept(chain);
        }
        pool.push(chain);
    }

    private boolean readHeader(Event event) {
        scratch.valid = false;
        if (!event.has(HEADER_TYPE) || event.getLong(HEADER_TYPE) != IPV4 || !event.has(SADDR)) {
            return false;
        }
        scratch.valid = true;
        scratch.source = ipv4(event.getBytes(SADDR));
        scratch.destination = ipv4(event.getBytes(DADDR));
        scratch.id = (int) event.getLong(IP_ID);
        scratch.protocol = (int) event.getLong(PROTOCOL);
        if (event.has(TCP_SPORT)) {
            scratch.sourcePort = (int) event.getLong(TCP_SPORT);
            scratch.destinationPort = (int) event.getLong(TCP_DPORT);
            scratch.sequence = event.getLong(TCP_SEQ);
        } else if (event.has(UDP_SPORT)) {
            scratch.sourcePort = (int) event.getLong(UDP_SPORT);
            scratch.destinationPort = (int) event.getLong(UDP_DPORT);
            scratch.sequence = 0;
        } else {
            scratch.sourcePort = 0;
            scratch.destinationPort = 0;
            scratch.sequence = 0;
        }
        return true;
    }

    private static int ipv4(byte[] address) {
        return (address[0] & 0xFF) << 24 | (address[1] & 0xFF) << 16 | (address[2] & 0xFF) << 8 | (address[3] & 0xFF);
    }

    /** Device names repeat on every event: keep one instance each, so chains compare them by identity. */
    private String intern(String name) {
        String known = names.putIfAbsent(name, name);
        return known == null ? name : known;
    }

    /** Counts over all chains: how many were split on header disagreement or cut without proof. */
    public record ChainStats(long journeys, long splitOnHeaders, long ambiguous, long unterminated, long maxLive) {
    }

    private static final class Header {
        boolean valid;
        int source;
        int destination;
        int id;
        int protocol;
        int sourcePort;
        int destinationPort;
        long sequence;

        boolean samePacket(Header other) {
            return source == other.source && destination == other.destination && id == other.id
                    && protocol == other.protocol && sourcePort == other.sourcePort
                    && destinationPort == other.destinationPort && sequence == other.sequence;
        }

        void copyFrom(Header other) {
            valid = other.valid;
            source = other.source;
            destination = other.destination;
            id = other.id;
            protocol = other.protocol;
            sourcePort = other.sourcePort;
            destinationPort = other.destinationPort;
            sequence = other.sequence;
        }
    }

    private static final class Chain implements Journey {
        String[] devices = new String[8];
        HopKind[] kinds = new HopKind[8];
        long[] times = new long[8];
        long[] netns = new long[8];
        int hops;
        final Header header = new Header();
        int bytes;
        boolean bytesFromReceive;
        int receiverHop;
        long receiverNetns;
        long endTime;
        Outcome outcome;
        String reason;

        void reset() {
            hops = 0;
            header.valid = false;
            bytes = 0;
            bytesFromReceive = true;
            receiverHop = -1;
            receiverNetns = 0;
            reason = null;
        }

        void add(String device, HopKind kind, long time, long ns) {
            if (hops == devices.length) {
                int size = hops * 2;
                devices = Arrays.copyOf(devices, size);
                kinds = Arrays.copyOf(kinds, size);
                times = Arrays.copyOf(times, size);
                netns = Arrays.copyOf(netns, size);
            }
            devices[hops] = device;
            kinds[hops] = kind;
            times[hops] = time;
            netns[hops] = ns;
            hops++;
        }

        boolean visited(String device, HopKind kind) {
            for (int i = 0; i < hops; i++) {
                if (devices[i] == device && kinds[i] == kind) {
                    return true;
                }
            }
            return false;
        }

        long lastTime() {
            return times[hops - 1];
        }

        @Override
        public int hopCount() {
            return hops;
        }

        @Override
        public String device(int hop) {
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
        public int bytes() {
            return bytes;
        }

        @Override
        public boolean hasIpv4() {
            return header.valid;
        }

        @Override
        public int ipv4Source() {
            return header.source;
        }

        @Override
        public int ipv4Destination() {
            return header.destination;
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
    }
}
