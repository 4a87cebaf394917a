package org.vnetscope.document;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.DropReport;
import org.vnetscope.analysis.InterfaceReport;
import org.vnetscope.analysis.LostRange;
import org.vnetscope.analysis.OffloadReport;
import org.vnetscope.analysis.StreamReport;
import org.vnetscope.analysis.TimelineBin;
import org.vnetscope.analysis.TrafficCounts;

/**
 * The JSON document of {@code vnetscope analyze --format json}, field by field: its shape is a public contract
 * described by {@code docs/schema/analyze.schema.json}, so it is written explicitly rather than derived from
 * the Java records.
 */
public final class ReportJson {

    public static final ObjectMapper MAPPER = new ObjectMapper();
    /** Indented, and leaving the writer open for what follows. */
    private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter()
            .without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private ReportJson() {
    }

    /**
     * Prints a document as {@code vnetscope} commands print JSON: indented, then a line separator. It goes to the
     * writer as it is written, rather than as one string first: a document of hundreds of hosts is tens of
     * megabytes.
     */
    public static void print(JsonNode document, PrintWriter out) throws IOException {
        PRETTY.writeValue(out, document);
        out.println();
    }

    public static ObjectNode of(AnalysisReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("trace", report.trace());
        root.put("start_ns", report.startNs());
        root.put("end_ns", report.endNs());
        root.put("bin_ns", report.binNs());
        ArrayNode interfaces = root.putArray("interfaces");
        for (InterfaceReport iface : report.interfaces()) {
            ObjectNode node = interfaces.addObject();
            node.put("name", iface.name());
            node.put("peer", iface.peer());
            putNetns(node, iface.netns());
            node.put("kind", iface.kind().name().toLowerCase(java.util.Locale.ROOT));
            node.put("ambiguous", iface.ambiguous());
            counts(node.putObject("rx"), iface.rx());
            counts(node.putObject("tx"), iface.tx());
            ObjectNode drops = node.putObject("drops");
            drops.put("packets", iface.drops().packets());
            drops.put("rate", iface.drops().rate());
            ArrayNode timeline = node.putArray("timeline");
            for (TimelineBin bin : iface.timeline()) {
                ObjectNode b = timeline.addObject();
                b.put("start_ns", bin.startNs());
                b.put("rx_packets", bin.rxPackets());
                b.put("rx_bytes", bin.rxBytes());
                b.put("tx_packets", bin.txPackets());
                b.put("tx_bytes", bin.txBytes());
                b.put("drop_packets", bin.dropPackets());
            }
        }
        ArrayNode streams = root.putArray("streams");
        for (StreamReport s : report.streams()) {
            ObjectNode node = streams.addObject();
            node.put("protocol", s.protocol());
            node.put("a", s.a());
            node.put("b", s.b());
            node.put("packets_ab", s.packetsAb());
            node.put("bytes_ab", s.bytesAb());
            node.put("packets_ba", s.packetsBa());
            node.put("bytes_ba", s.bytesBa());
            node.put("payload_ab", s.payloadAb());
            node.put("payload_ba", s.payloadBa());
            node.put("retransmitted_packets", s.retransmittedPackets());
            node.put("retransmitted_bytes", s.retransmittedBytes());
            node.put("retransmitted_segments", s.retransmittedSegments());
            node.put("closed", s.closed());
            node.put("start_ns", s.startNs());
            node.put("end_ns", s.endNs());
            node.put("duration_ns", s.durationNs());
            node.put("bits_per_second_ab", s.bitsPerSecondAb());
            node.put("bits_per_second_ba", s.bitsPerSecondBa());
        }
        ArrayNode drops = root.putArray("drops");
        for (DropReport d : report.drops()) {
            ObjectNode node = drops.addObject();
            node.put("interface", d.iface());
            node.put("reason", d.reason());
            node.put("location", d.location());
            node.put("address", "0x" + Long.toHexString(d.address()));
            node.put("ethertype", d.ethertype());
            node.put("packets", d.packets());
            putNetns(node, d.netns());
        }
        ArrayNode offload = root.putArray("offload");
        for (OffloadReport o : report.offload()) {
            ObjectNode node = offload.addObject();
            node.put("interface", o.iface());
            node.put("mtu", o.mtu());
            node.put("queued_packets", o.queued().packets());
            node.put("queued_bytes", o.queued().bytes());
            node.put("gso_packets", o.gso().packets());
            node.put("gso_bytes", o.gso().bytes());
            node.put("gso_byte_share", o.gsoByteShare());
            node.put("gro_entered", o.groEntered());
            node.put("received", o.received());
            putNetns(node, o.netns());
        }
        TopologyJson.addTo(root, report);
        ArrayNode lost = root.putArray("lost_events");
        for (LostRange range : report.lostEvents()) {
            ObjectNode node = lost.addObject();
            node.put("kind", range.kind());
            node.put("count", range.count());
            node.put("begin_ns", range.beginNs());
            node.put("end_ns", range.endNs());
            node.put("stream", range.stream());
        }
        ArrayNode notes = root.putArray("notes");
        report.notes().forEach(notes::add);
        return root;
    }

    private static void putNetns(ObjectNode node, Long netns) {
        if (netns == null) {
            node.putNull("netns");
        } else {
            node.put("netns", netns);
        }
    }

    private static void counts(ObjectNode node, TrafficCounts counts) {
        node.put("packets", counts.packets());
        node.put("bytes", counts.bytes());
        node.put("skb_bytes", counts.skbBytes());
    }
}
