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
import org.vnetscope.analysis.ovs.Datapath;
import org.vnetscope.analysis.paths.PacketPath;
import org.vnetscope.analysis.topology.Topology;
import org.vnetscope.analysis.topology.VmTraffic;

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
        rows.add(List.of("bridge", "port", "kind", "vm", "peer", "peer_netns", "macs", "vlans", "ipv4", "removed_ns"));
        for (Topology.Bridge bridge : report.topology().bridges()) {
            for (Topology.Port p : bridge.ports()) {
                rows.add(row(bridge.name(), p.name(), p.kind(), p.vm(), p.peer() == null ? null : p.peer().name(),
                        p.peer() == null ? null : p.peer().netns(),
                        String.join(" ", p.macs().stream().map(m -> m.vlan() == null ? m.mac() : m.mac() + "@" + m.vlan())
                                .toList()),
                        String.join(" ", p.vlans().stream().map(String::valueOf).toList()), String.join(" ", p.ipv4()),
                        p.removedNs()));
            }
        }
        written.add(write(directory.resolve("topology.csv"), rows));

        rows = new ArrayList<>();
        rows.add(List.of("time_ns", "kind", "mac", "ip", "from", "to", "left_ns"));
        for (Topology.Change c : report.topology().changes()) {
            rows.add(row(c.timeNs(), c.kind(), c.mac(), c.ip(), c.from(), c.to(), c.leftNs()));
        }
        written.add(write(directory.resolve("changes.csv"), rows));

        rows = new ArrayList<>();
        rows.add(List.of("path", "hop", "from", "to", "packets", "bytes", "delivered", "dropped", "unterminated",
                "segmented", "samples", "p50_ns", "p90_ns", "p99_ns", "max_ns"));
        int pathNumber = 0;
        for (PacketPath p : report.paths()) {
            pathNumber++;
            String hops = String.join(" > ", p.hops());
            PacketPath.Latency all = p.latencyNs();
            // hop 0 is the whole path; hops 1.. are its devices, each to the next
            rows.add(row(pathNumber, 0, hops, "end", p.packets(), p.bytes(), p.delivered(), p.dropped(),
                    p.unterminated(), p.segmented(), all.samples(), all.p50(), all.p90(), all.p99(), all.max()));
            int hop = 0;
            for (PacketPath.HopLatency h : p.hopLatencyNs()) {
                PacketPath.Latency l = h.latencyNs();
                rows.add(row(pathNumber, ++hop, h.from(), h.to(), null, null, null, null, null, null, l.samples(), l.p50(),
                        l.p90(), l.p99(), l.max()));
            }
        }
        written.add(write(directory.resolve("paths.csv"), rows));

        rows = new ArrayList<>();
        rows.add(List.of("from", "to", "packets", "bytes", "dropped"));
        for (VmTraffic v : report.vmMatrix()) {
            rows.add(row(v.from(), v.to(), v.packets(), v.bytes(), v.dropped()));
        }
        written.add(write(directory.resolve("vm_matrix.csv"), rows));

        rows = new ArrayList<>();
        rows.add(List.of("interface", "reason", "location", "address", "ethertype", "packets", "netns"));
        for (DropReport d : report.drops()) {
            rows.add(row(d.iface(), d.reason(), d.location(), "0x" + Long.toHexString(d.address()), d.ethertype(),
                    d.packets(), d.netns()));
        }
        written.add(write(directory.resolve("drops.csv"), rows));

        rows = new ArrayList<>();
        rows.add(List.of("interface", "mtu", "queued_packets", "queued_bytes", "gso_packets", "gso_bytes",
                "gro_entered", "received", "netns"));
        for (OffloadReport o : report.offload()) {
            rows.add(row(o.iface(), o.mtu(), o.queued().packets(), o.queued().bytes(), o.gso().packets(),
                    o.gso().bytes(), o.groEntered(), o.received(), o.netns()));
        }
        written.add(write(directory.resolve("offload.csv"), rows));

        rows = new ArrayList<>();
        rows.add(List.of("kind", "count", "begin_ns", "end_ns", "stream"));
        for (LostRange l : report.lostEvents()) {
            rows.add(row(l.kind(), l.count(), l.beginNs(), l.endNs(), l.stream()));
        }
        written.add(write(directory.resolve("lost_events.csv"), rows));

        rows = new ArrayList<>();
        rows.add(List.of("datapath", "port", "name", "internal", "output_actions", "upcalls", "first_upcall_ns",
                "last_upcall_ns", "drops"));
        for (Datapath dp : report.datapaths()) {
            for (Datapath.Port p : dp.ports()) {
                rows.add(row(dp.name(), p.number(), p.name(), p.internal(), p.outputActions(), p.upcalls(),
                        p.firstUpcallNs(), p.lastUpcallNs(), p.drops()));
            }
        }
        written.add(write(directory.resolve("datapath_ports.csv"), rows));

        rows = new ArrayList<>();
        rows.add(List.of("datapath", "in_port", "port", "eth_src", "eth_dst", "eth_type", "ip_proto", "ipv4_src",
                "ipv4_dst", "tp_src", "tp_dst", "packets", "bytes", "output_ports", "first_ns", "last_ns"));
        for (Datapath dp : report.datapaths()) {
            for (Datapath.Flow f : dp.flows()) {
                Datapath.FlowKey k = f.key();
                rows.add(row(dp.name(), f.inPort(), f.port(), k.ethSrc(), k.ethDst(), k.ethType(), k.ipProto(),
                        k.ipv4Src(), k.ipv4Dst(), k.tpSrc(), k.tpDst(), f.packets(), f.bytes(),
                        f.outputPorts().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(" ")),
                        f.firstNs(), f.lastNs()));
            }
        }
        written.add(write(directory.resolve("datapath_flows.csv"), rows));

        rows = new ArrayList<>();
        rows.add(List.of("datapath", "time_ns", "in_port", "port", "cmd", "eth_src", "eth_dst", "eth_type",
                "ip_proto", "ipv4_src", "ipv4_dst", "tp_src", "tp_dst"));
        for (Datapath dp : report.datapaths()) {
            for (Datapath.Upcall u : dp.upcallList()) {
                Datapath.FlowKey k = u.key();
                rows.add(row(dp.name(), u.timeNs(), u.inPort(), u.port(), u.cmd(), k.ethSrc(), k.ethDst(),
                        k.ethType(), k.ipProto(), k.ipv4Src(), k.ipv4Dst(), k.tpSrc(), k.tpDst()));
            }
        }
        written.add(write(directory.resolve("datapath_upcalls.csv"), rows));
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
