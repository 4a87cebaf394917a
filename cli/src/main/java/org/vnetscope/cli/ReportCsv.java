package org.vnetscope.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.DropReport;
import org.vnetscope.analysis.InterfaceReport;
import org.vnetscope.analysis.LostRange;
import org.vnetscope.analysis.OffloadReport;
import org.vnetscope.analysis.StreamReport;
import org.vnetscope.analysis.TimelineBin;

/** {@code --format csv}: one RFC 4180 file per table, with a header line. */
final class ReportCsv {

    private ReportCsv() {
    }

    static List<Path> write(AnalysisReport report, Path directory) {
        AnalyzeCommand.ensureDirectory(directory);
        List<Path> written = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        rows.add(List.of("name", "peer", "netns", "kind", "rx_packets", "rx_bytes", "tx_packets", "tx_bytes",
                "drop_packets"));
        for (InterfaceReport i : report.interfaces()) {
            rows.add(row(i.name(), i.peer(), i.netns(), i.kind(), i.rx().packets(), i.rx().bytes(), i.tx().packets(),
                    i.tx().bytes(), i.drops().packets()));
        }
        written.add(write(directory.resolve("interfaces.csv"), rows));

        rows = new ArrayList<>();
        rows.add(List.of("interface", "start_ns", "rx_packets", "rx_bytes", "tx_packets", "tx_bytes", "drop_packets"));
        for (InterfaceReport i : report.interfaces()) {
            for (TimelineBin b : i.timeline()) {
                rows.add(row(i.label(), b.startNs(), b.rxPackets(), b.rxBytes(), b.txPackets(), b.txBytes(),
                        b.dropPackets()));
            }
        }
        written.add(write(directory.resolve("timeline.csv"), rows));

        rows = new ArrayList<>();
        rows.add(List.of("protocol", "a", "b", "packets_ab", "bytes_ab", "packets_ba", "bytes_ba", "payload_ab",
                "payload_ba", "retransmitted_packets", "retransmitted_bytes", "retransmitted_segments", "closed", "start_ns",
                "end_ns"));
        for (StreamReport s : report.streams()) {
            rows.add(row(s.protocol(), s.a(), s.b(), s.packetsAb(), s.bytesAb(), s.packetsBa(), s.bytesBa(),
                    s.payloadAb(), s.payloadBa(), s.retransmittedPackets(), s.retransmittedBytes(), s.retransmittedSegments(),
                    s.closed(), s.startNs(),
                    s.endNs()));
        }
        written.add(write(directory.resolve("streams.csv"), rows));

        rows = new ArrayList<>();
        rows.add(List.of("interface", "reason", "location", "address", "ethertype", "packets"));
        for (DropReport d : report.drops()) {
            rows.add(row(d.iface(), d.reason(), d.location(), "0x" + Long.toHexString(d.address()), d.ethertype(),
                    d.packets()));
        }
        written.add(write(directory.resolve("drops.csv"), rows));

        rows = new ArrayList<>();
        rows.add(List.of("interface", "mtu", "queued_packets", "queued_bytes", "gso_packets", "gso_bytes",
                "gro_entered", "received"));
        for (OffloadReport o : report.offload()) {
            rows.add(row(o.iface(), o.mtu(), o.queued().packets(), o.queued().bytes(), o.gso().packets(),
                    o.gso().bytes(), o.groEntered(), o.received()));
        }
        written.add(write(directory.resolve("offload.csv"), rows));

        rows = new ArrayList<>();
        rows.add(List.of("kind", "count", "begin_ns", "end_ns", "stream"));
        for (LostRange l : report.lostEvents()) {
            rows.add(row(l.kind(), l.count(), l.beginNs(), l.endNs(), l.stream()));
        }
        written.add(write(directory.resolve("lost_events.csv"), rows));
        return written;
    }

    private static List<Object> row(Object... values) {
        return java.util.Arrays.asList(values);
    }

    private static Path write(Path file, List<List<Object>> rows) {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (List<Object> row : rows) {
                for (int i = 0; i < row.size(); i++) {
                    if (i > 0) {
                        out.write(',');
                    }
                    out.write(quote(row.get(i)));
                }
                out.write("\r\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write: " + e.getMessage(), e);
        }
        return file;
    }

    private static String quote(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
