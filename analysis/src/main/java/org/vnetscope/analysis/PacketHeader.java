package org.vnetscope.analysis;

import java.util.ArrayList;
import java.util.List;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.EventStream;
import org.vnetscope.ctf.FieldGroup;
import org.vnetscope.ctf.TraceReader;

/**
 * The network and transport header of the packet event being dispatched, read once per event for every analysis
 * that looks at it (the tracker's same-packet check, the stream list): a header lookup walks variant options, and
 * reading it once instead of once per analysis is a large share of an analysis pass. One reusable instance, no
 * allocation per event.
 *
 * <p>Subscribed to the stream before the analyses that use it, so their handlers see the current event's header.
 * Of an IPv4 header it reads what tells packets apart (addresses, id, protocol, ports, sequence), which the tracker
 * checks on every event; the lengths, TCP flags and ICMP fields only the stream list needs, for the first view of
 * each packet, through {@link #readDetails}: every field read walks the variant options it lies in.
 */
final class PacketHeader {

    /** Values of {@link #kind}. */
    static final int NONE = 0;
    static final int IPV4 = 1;
    static final int IPV6 = 2;
    /** A network header field of another kind, or an IPv4 one without addresses. */
    static final int OTHER = 3;

    private static final long IPV4_MAPPED = 0xFFFFL << 32;

    private final byte[] address = new byte[16];

    /** Which network header the event had: {@link #NONE} when it has no header field at all. */
    int kind;
    int protocol;
    /** Addresses as two longs each, IPv4 mapped into IPv6 ({@code ::ffff:a.b.c.d}). */
    long sourceHigh;
    long sourceLow;
    long destinationHigh;
    long destinationLow;
    /** IPv4 total length, or the IPv6 header plus its payload length ({@link #readDetails} for IPv4). */
    long ipLength;
    long ipHeaderLength;
    /** IPv4 id, or -1 for IPv6. */
    long ipId;
    /** Which transport header the trace recorded, whatever the protocol field says. */
    boolean tcp;
    boolean udp;
    boolean icmp;
    int sourcePort;
    int destinationPort;
    /** TCP sequence number as traced. */
    long tcpSequence;
    /**
     * TCP acknowledgment number: read for IPv6 with the header (it has no IP id to tell packets apart), for IPv4
     * with the details.
     */
    long tcpAck;
    int tcpHeaderLength;
    int tcpFlags;
    /** UDP checksum, read for IPv6 only; 0 without the field. */
    long udpCheck;
    long icmpType;
    /** ICMP gateway word (echo id and sequence); 0 without the field. */
    long icmpGateway;
    /** {@link #readDetails} already read the current event's details. */
    private boolean detailed;

    /** The reader of the stream read, whose reading thread may have read the current header. */
    private TraceReader reader;
    /** Whether that reading thread reads headers ahead ({@link PreparedEvents}). */
    private boolean readAhead;

    /** The events whose header is read: those of the names that carry one, and transmits, which have none. */
    static final List<String> EVENT_NAMES = names();

    private static List<String> names() {
        List<String> names = new ArrayList<>(List.of(NetFields.NET_DEV_QUEUE, NetFields.NET_DEV_XMIT));
        names.addAll(List.of(NetFields.NETIF_RX));
        names.addAll(List.of(NetFields.RECEIVE_SKB));
        return List.copyOf(names);
    }

    /**
     * Prepares to read the headers of the stream's events of {@link #EVENT_NAMES} ({@link #take}): where its
     * reading thread reads headers ahead ({@link PreparedEvents}), to take what it read of those it read.
     */
    void readFrom(EventStream stream) {
        reader = stream.reader();
        readAhead = reader.preparation() instanceof PreparedEvents;
    }

    /** The header of an event of {@link #EVENT_NAMES} of the stream given to {@link #readFrom}, as it comes. */
    void take(Event event) {
        if (readAhead) {
            readOrCopy(event);
        } else {
            read(event);
        }
    }

    private void readOrCopy(Event event) {
        Object prepared = reader.prepared();
        if (prepared != null) {
            copyRead(((PreparedEvents.Slot) prepared).header);
        } else {
            read(event);
        }
    }

    /**
     * Takes over from {@code read} the fields {@link #read} wrote there, as it wrote them: exactly those, so that
     * what only {@link #readDetails} wrote, or an earlier event, stays as reading here would have left it. Follows
     * {@link #read}'s branches; {@code PacketHeaderAheadTest} checks the two against each other field by field.
     */
    void copyRead(PacketHeader read) {
        detailed = false; // as read starts: the details of an earlier event are not this one's
        tcp = read.tcp;
        udp = read.udp;
        icmp = read.icmp;
        kind = read.kind;
        if (kind != IPV4 && kind != IPV6) {
            return;
        }
        protocol = read.protocol;
        ipId = read.ipId;
        sourceHigh = read.sourceHigh;
        sourceLow = read.sourceLow;
        destinationHigh = read.destinationHigh;
        destinationLow = read.destinationLow;
        sourcePort = read.sourcePort;
        destinationPort = read.destinationPort;
        if (tcp) {
            tcpSequence = read.tcpSequence;
            tcpAck = read.tcpAck;
        } else if (udp) {
            udpCheck = read.udpCheck;
        }
        if (kind == IPV6) {
            ipLength = read.ipLength;
            ipHeaderLength = read.ipHeaderLength;
            if (tcp) {
                tcpHeaderLength = read.tcpHeaderLength;
                tcpFlags = read.tcpFlags;
            }
        }
    }

    /**
     * What {@link #read} reads of an IPv4 header, read as one group: each of these fields lies behind the network
     * header's variant option, the ports behind the transport header's too, and reading them one by one checks
     * those options again for every field.
     */
    private static final FieldGroup IPV4_FIELDS = FieldGroup.builder()
            .integer(NetFields.NETWORK_HEADER_TYPE)
            .bytes(NetFields.IP4_SADDR, 4)
            .bytes(NetFields.IP4_DADDR, 4)
            .integer(NetFields.IP4_PROTOCOL)
            .integer(NetFields.IP4_ID)
            .integer(NetFields.IP4_TRANSPORT.tcpSport())
            .integer(NetFields.IP4_TRANSPORT.tcpDport())
            .integer(NetFields.IP4_TRANSPORT.tcpSeq())
            .integer(NetFields.IP4_TRANSPORT.udpSport())
            .integer(NetFields.IP4_TRANSPORT.udpDport())
            .build();
    private static final int TYPE = 0;
    private static final int SADDR = 1;
    private static final int DADDR = 2;
    private static final int PROTOCOL = 3;
    private static final int ID = 4;
    private static final int TCP_SPORT = 5;
    private static final int TCP_DPORT = 6;
    private static final int TCP_SEQ = 7;
    private static final int UDP_SPORT = 8;
    private static final int UDP_DPORT = 9;
    /** An IPv4 header as read together ({@link #IPV4_FIELDS}). */
    private static final long IPV4_READ = 1L << TYPE | 1L << SADDR | 1L << DADDR | 1L << PROTOCOL | 1L << ID;
    private static final long TCP_READ = 1L << TCP_SPORT | 1L << TCP_DPORT | 1L << TCP_SEQ;
    private static final long UDP_READ = 1L << UDP_SPORT | 1L << UDP_DPORT;
    private final long[] values = new long[IPV4_FIELDS.size()];

    void read(Event event) {
        long present = event.readLongs(IPV4_FIELDS, values);
        if (present != Event.READ_ONE_BY_ONE && readIpv4Together(present)) {
            return;
        }
        readOneByOne(event);
    }

    /**
     * What {@link #readOneByOne} does to an event without a network header or with an IPv4 header whose fields
     * {@link #IPV4_FIELDS} holds, from the group's values: the same fields written with the same values, the address
     * scratch too; true then. False, having written nothing, for the others (IPv6, a header of another kind, or one
     * that a read would fail on), which are read one by one.
     */
    private boolean readIpv4Together(long present) {
        if ((present & IPV4_READ) != IPV4_READ || values[TYPE] != NetFields.HEADER_IPV4) {
            // no header at all is read here; IPv6, another kind, or a field missing are read one by one
            return (present & 1L << TYPE) == 0 && none();
        }
        boolean tcpHeader = (present & 1L << TCP_SPORT) != 0;
        boolean udpHeader = !tcpHeader && (present & 1L << UDP_SPORT) != 0;
        if (tcpHeader && (present & TCP_READ) != TCP_READ || udpHeader && (present & UDP_READ) != UDP_READ) {
            return false; // reading them one by one fails as it does
        }
        detailed = false;
        icmp = false;
        tcp = tcpHeader;
        udp = udpHeader;
        kind = IPV4;
        protocol = (int) values[PROTOCOL];
        ipId = values[ID];
        sourceHigh = 0;
        sourceLow = IPV4_MAPPED | values[SADDR];
        destinationHigh = 0;
        destinationLow = IPV4_MAPPED | values[DADDR];
        long lastAddress = values[DADDR]; // the scratch holds the last address copied, as ipv4Address leaves it
        address[0] = (byte) (lastAddress >>> 24);
        address[1] = (byte) (lastAddress >>> 16);
        address[2] = (byte) (lastAddress >>> 8);
        address[3] = (byte) lastAddress;
        if (tcpHeader) {
            sourcePort = (int) values[TCP_SPORT];
            destinationPort = (int) values[TCP_DPORT];
            tcpSequence = values[TCP_SEQ];
            tcpAck = 0;
        } else if (udpHeader) {
            sourcePort = (int) values[UDP_SPORT];
            destinationPort = (int) values[UDP_DPORT];
            udpCheck = 0;
        } else {
            sourcePort = 0;
            destinationPort = 0;
        }
        return true;
    }

    /** An event without a network header, as reading it alone finds it. */
    private boolean none() {
        detailed = false;
        tcp = false;
        udp = false;
        icmp = false;
        kind = NONE;
        return true;
    }

    private void readOneByOne(Event event) {
        detailed = false;
        tcp = false;
        udp = false;
        icmp = false;
        if (!event.has(NetFields.NETWORK_HEADER_TYPE)) {
            kind = NONE;
            return;
        }
        long type = event.getLong(NetFields.NETWORK_HEADER_TYPE);
        if (type == NetFields.HEADER_IPV4 && event.has(NetFields.IP4_SADDR)) {
            kind = IPV4;
            readIpv4(event);
        } else if (type == NetFields.HEADER_IPV6 && event.has(NetFields.IP6_SADDR)) {
            kind = IPV6;
            readIpv6(event);
        } else {
            kind = OTHER;
        }
    }

    private void readIpv4(Event event) {
        protocol = (int) event.getLong(NetFields.IP4_PROTOCOL);
        ipId = event.getLong(NetFields.IP4_ID);
        sourceHigh = 0;
        sourceLow = IPV4_MAPPED | NetFields.ipv4Address(event, NetFields.IP4_SADDR, address);
        destinationHigh = 0;
        destinationLow = IPV4_MAPPED | NetFields.ipv4Address(event, NetFields.IP4_DADDR, address);
        readTransport(event, NetFields.IP4_TRANSPORT, false);
    }

    /** What {@link #readDetails} reads, read as one group ({@link #IPV4_FIELDS} says why). */
    private static final FieldGroup DETAIL_FIELDS = FieldGroup.builder()
            .integer(NetFields.IP4_TOT_LEN)
            .integer(NetFields.IP4_IHL)
            .integer(NetFields.IP4_TRANSPORT.tcpDataOffset())
            .integer(NetFields.IP4_TRANSPORT.tcpFlags())
            .integer(NetFields.IP4_TRANSPORT.tcpAck())
            .integer(NetFields.ICMP_TYPE)
            .integer(NetFields.ICMP_GATEWAY)
            .build();
    private static final int TOT_LEN = 0;
    private static final int IHL = 1;
    private static final int TCP_DOFF = 2;
    private static final int TCP_FLAGS = 3;
    private static final int TCP_ACK = 4;
    private static final int ICMP_TYPE = 5;
    private static final int ICMP_GATEWAY = 6;
    private static final long LENGTHS_READ = 1L << TOT_LEN | 1L << IHL;
    private static final long TCP_DETAILS_READ = 1L << TCP_DOFF | 1L << TCP_FLAGS | 1L << TCP_ACK;
    private final long[] details = new long[DETAIL_FIELDS.size()];

    /**
     * Completes the header of an IPv4 or IPv6 event {@link #read} just read (the same event): its lengths, TCP
     * header length, acknowledgment number and flags, ICMP type and gateway. An IPv6 header was read whole
     * already. Several analyses may ask for the same event: it is read once.
     */
    void readDetails(Event event) {
        if (kind != IPV4 || detailed) {
            return;
        }
        long present = event.readLongs(DETAIL_FIELDS, details);
        if (present != Event.READ_ONE_BY_ONE && (present & LENGTHS_READ) == LENGTHS_READ
                && (!tcp || (present & TCP_DETAILS_READ) == TCP_DETAILS_READ)) {
            detailed = true;
            ipLength = details[TOT_LEN];
            ipHeaderLength = 4 * details[IHL];
            if (tcp) {
                tcpHeaderLength = 4 * (int) details[TCP_DOFF];
                tcpFlags = (int) details[TCP_FLAGS];
                tcpAck = details[TCP_ACK];
            } else if (!udp && (present & 1L << ICMP_TYPE) != 0) {
                icmp = true;
                icmpType = details[ICMP_TYPE];
                icmpGateway = (present & 1L << ICMP_GATEWAY) != 0 ? details[ICMP_GATEWAY] : 0;
            }
            return;
        }
        detailed = true;
        ipLength = event.getLong(NetFields.IP4_TOT_LEN);
        ipHeaderLength = 4 * event.getLong(NetFields.IP4_IHL);
        NetFields.Transport keys = NetFields.IP4_TRANSPORT;
        if (tcp) {
            tcpHeaderLength = 4 * (int) event.getLong(keys.tcpDataOffset());
            tcpFlags = (int) event.getLong(keys.tcpFlags());
            tcpAck = event.getLong(keys.tcpAck());
        } else if (!udp && event.has(NetFields.ICMP_TYPE)) {
            icmp = true;
            icmpType = event.getLong(NetFields.ICMP_TYPE);
            icmpGateway = event.has(NetFields.ICMP_GATEWAY) ? event.getLong(NetFields.ICMP_GATEWAY) : 0;
        }
    }

    private void readIpv6(Event event) {
        protocol = (int) event.getLong(NetFields.IP6_NEXTHDR);
        ipLength = NetFields.IPV6_HEADER + event.getLong(NetFields.IP6_PAYLOAD_LEN);
        ipHeaderLength = NetFields.IPV6_HEADER;
        ipId = -1;
        event.copyBytes(NetFields.IP6_SADDR, address);
        sourceHigh = addressHalf(0);
        sourceLow = addressHalf(8);
        event.copyBytes(NetFields.IP6_DADDR, address);
        destinationHigh = addressHalf(0);
        destinationLow = addressHalf(8);
        readTransport(event, NetFields.IP6_TRANSPORT, true);
        if (tcp) {
            tcpHeaderLength = 4 * (int) event.getLong(NetFields.IP6_TRANSPORT.tcpDataOffset());
            tcpFlags = (int) event.getLong(NetFields.IP6_TRANSPORT.tcpFlags());
        }
    }

    /** The TCP or UDP ports and what tells packets apart, when the trace recorded either header. */
    private void readTransport(Event event, NetFields.Transport keys, boolean ipv6) {
        if (event.has(keys.tcpSport())) {
            tcp = true;
            sourcePort = (int) event.getLong(keys.tcpSport());
            destinationPort = (int) event.getLong(keys.tcpDport());
            tcpSequence = event.getLong(keys.tcpSeq());
            tcpAck = ipv6 ? event.getLong(keys.tcpAck()) : 0;
        } else if (event.has(keys.udpSport())) {
            udp = true;
            sourcePort = (int) event.getLong(keys.udpSport());
            destinationPort = (int) event.getLong(keys.udpDport());
            udpCheck = ipv6 && event.has(keys.udpCheck()) ? event.getLong(keys.udpCheck()) : 0;
        } else {
            sourcePort = 0;
            destinationPort = 0;
        }
    }

    /** Eight bytes of the IPv6 address last copied into {@link #address}, from byte {@code first}. */
    private long addressHalf(int first) {
        long half = 0;
        for (int i = first; i < first + 8; i++) {
            half = half << 8 | (address[i] & 0xFFL);
        }
        return half;
    }
}
