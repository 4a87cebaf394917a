package org.vnetscope.analysis;

import java.io.Closeable;
import java.util.Arrays;
import java.util.function.Consumer;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.EventStream;
import org.vnetscope.ctf.TraceReader;

/**
 * Every packet seen at a device, one record per event, as the analyses read those events: each {@code net_dev_queue}
 * and {@code net_dev_xmit} (transmit side) and each {@code netif_rx} and {@code netif_receive_skb} (receive side,
 * under every name LTTng gave them), with the network and transport header {@link PacketHeader} reads of it. What
 * the interface table makes of these events (a packet counted once per device and direction, a failed transmit not
 * counted, the packets GRO merged counted without an event of their own) is the tracker's; these are the events
 * themselves, for a table of packets.
 *
 * <p>Pull it ({@link #of(TraceReader)}, {@link #next()}) or subscribe it to an {@link EventStream}.
 */
public final class PacketEvents implements Closeable {

    /** The event names as the kernel's tracepoints name them, whatever LTTng called them. */
    public static final String QUEUE = "net_dev_queue";
    public static final String XMIT = "net_dev_xmit";
    public static final String NETIF_RX = "netif_rx";
    public static final String RECEIVE_SKB = "netif_receive_skb";

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;

    /**
     * A packet event at a device.
     *
     * @param timestampNs     when, in ns since the Unix epoch on the trace's clock
     * @param event           {@link #QUEUE}, {@link #XMIT}, {@link #NETIF_RX} or {@link #RECEIVE_SKB}
     * @param device          the device's name
     * @param netns           the {@code net_ns} context: the namespace of the task the event fired in (for a
     *                        receive in a softirq, whatever task it interrupted), null when not recorded
     * @param transmit        whether it is of the transmit side (queue, xmit), else the receive side
     * @param length          {@code len} as traced (a transmit with the Ethernet header, a receive without it)
     * @param skbaddr         the skb's address, which the kernel reuses
     * @param rc              a transmit's return code (0: handed to the driver), null for the other events
     * @param ethertype       0x0800 or 0x86DD when the event shows an IPv4 or IPv6 header, else null
     * @param protocol        the IP protocol as the stream list names it (tcp, udp, icmp, icmpv6, else the
     *                        number), null without an IP header
     * @param source          the source address, null without an IP header
     * @param destination     the destination address, null without an IP header
     * @param sourcePort      the TCP or UDP source port, null without a TCP or UDP header
     * @param destinationPort the TCP or UDP destination port, null without one
     */
    public record PacketEvent(long timestampNs, String event, String device, Long netns, boolean transmit,
                              long length, long skbaddr, Long rc, Integer ethertype, String protocol, String source,
                              String destination, Integer sourcePort, Integer destinationPort) {
    }

    private static final byte UNKNOWN = 0;
    private static final byte NONE = 1;
    private static final byte IS_QUEUE = 2;
    private static final byte IS_XMIT = 3;
    private static final byte IS_NETIF_RX = 4;
    private static final byte IS_RECEIVE_SKB = 5;

    /** Addresses kept as text: a direct-mapped cache, as a trace's packets come from few addresses. */
    private static final int ADDRESSES = 1024;

    private final TraceReader reader;
    private final PacketHeader header = new PacketHeader();
    /** Device names as the analyses read them: one String per name, not one per event. */
    private final DeviceNames names = new DeviceNames(new InterfaceIdentities());
    private final long[] addressHigh = new long[ADDRESSES];
    private final long[] addressLow = new long[ADDRESSES];
    private final String[] addressText = new String[ADDRESSES];
    /** By event class index: which packet event it is, {@link #NONE}, or {@link #UNKNOWN} before its first event. */
    private byte[] kinds = new byte[64];

    private PacketEvents(TraceReader reader) {
        this.reader = reader;
    }

    /** The packet events of a reader, read as {@link #next()} asks; closing closes the reader. */
    public static PacketEvents of(TraceReader reader) {
        return new PacketEvents(reader);
    }

    /** Hands every packet event of the stream to {@code consumer} (subscribe before the stream starts). */
    public static void subscribe(EventStream stream, Consumer<PacketEvent> consumer) {
        PacketEvents events = new PacketEvents(stream.reader());
        for (String name : PacketHeader.EVENT_NAMES) {
            stream.onEvent(name, event -> consumer.accept(events.read(event, events.kindOf(event))));
        }
    }

    /** The next packet event, or null once the trace has ended. */
    public PacketEvent next() {
        while (reader.next()) {
            Event event = reader.event();
            if (event == null) {
                continue; // a discard record: the tracer lost what it does not show
            }
            byte kind = kindOf(event);
            if (kind != NONE) {
                return read(event, kind);
            }
        }
        return null;
    }

    private byte kindOf(Event event) {
        int index = event.classIndex();
        if (index >= kinds.length) {
            kinds = Arrays.copyOf(kinds, Math.max(index + 1, 2 * kinds.length));
        }
        if (kinds[index] == UNKNOWN) {
            String name = event.name();
            kinds[index] = name.equals(NetFields.NET_DEV_QUEUE) ? IS_QUEUE
                    : name.equals(NetFields.NET_DEV_XMIT) ? IS_XMIT
                    : Arrays.asList(NetFields.NETIF_RX).contains(name) ? IS_NETIF_RX
                    : Arrays.asList(NetFields.RECEIVE_SKB).contains(name) ? IS_RECEIVE_SKB : NONE;
        }
        return kinds[index];
    }

    private PacketEvent read(Event event, byte kind) {
        header.read(event);
        boolean ip = header.kind == PacketHeader.IPV4 || header.kind == PacketHeader.IPV6;
        boolean ports = ip && (header.tcp || header.udp);
        return new PacketEvent(event.timestampNs(), switch (kind) {
            case IS_QUEUE -> QUEUE;
            case IS_XMIT -> XMIT;
            case IS_NETIF_RX -> NETIF_RX;
            default -> RECEIVE_SKB;
        }, names.read(event, NetFields.NAME).name(), event.has(NetFields.NET_NS) ? event.getLong(NetFields.NET_NS) : null,
                kind == IS_QUEUE || kind == IS_XMIT, event.getLong(NetFields.LEN), event.getLong(NetFields.SKBADDR),
                kind == IS_XMIT ? event.getLong(NetFields.RC) : null,
                header.kind == PacketHeader.IPV4 ? Integer.valueOf(ETHERTYPE_IPV4)
                        : header.kind == PacketHeader.IPV6 ? Integer.valueOf(ETHERTYPE_IPV6) : null,
                ip ? StreamAnalysis.protocolName(header.protocol) : null,
                ip ? address(header.sourceHigh, header.sourceLow) : null,
                ip ? address(header.destinationHigh, header.destinationLow) : null,
                ports ? Integer.valueOf(header.sourcePort) : null,
                ports ? Integer.valueOf(header.destinationPort) : null);
    }

    /** {@link StreamAnalysis#address} of the address, the same String for the same address while it is kept. */
    private String address(long high, long low) {
        long mixed = (high ^ low) * 0x9E3779B97F4A7C15L;
        int slot = (int) (mixed >>> 54) & (ADDRESSES - 1);
        String text = addressText[slot];
        if (text == null || addressHigh[slot] != high || addressLow[slot] != low) {
            text = StreamAnalysis.address(high, low);
            addressHigh[slot] = high;
            addressLow[slot] = low;
            addressText[slot] = text;
        }
        return text;
    }

    @Override
    public void close() {
        reader.close();
    }
}
