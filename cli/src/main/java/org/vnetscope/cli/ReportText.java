package org.vnetscope.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.DropReport;
import org.vnetscope.analysis.InterfaceReport;
import org.vnetscope.analysis.LostRange;
import org.vnetscope.analysis.OffloadReport;
import org.vnetscope.analysis.StreamReport;

/** The tables of {@code vnetscope analyze}: at most 100 columns, numbers right-aligned, human units. */
final class ReportText {

    private static final int TOP_STREAMS = 15;
    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSSSSS").withZone(ZoneOffset.UTC);

    private ReportText() {
    }

    static void print(AnalysisReport report, PrintWriter out) {
        out.printf("Trace %s%n", report.trace());
        if (report.startNs() == 0 && report.endNs() == 0) {
            // what the analysis reports of a trace without events, or whose events carry no time (no clock)
            out.printf("No event times (no events, or none with a timestamp)%n%n");
        } else {
            out.printf("From %s to %s UTC (%s)%n%n", clock(report.startNs()), clock(report.endNs()),
                    seconds(report.endNs() - report.startNs()));
        }
        String lostNote = lostNote(report);

        out.println("Interfaces (bytes as `ip -s link` counts them)");
        out.printf("%-22s %-10s %8s %10s %8s %10s %7s %6s%n", "interface", "netns", "rx pkts", "rx bytes",
                "tx pkts", "tx bytes", "drops", "drop%");
        for (InterfaceReport i : report.interfaces()) {
            out.printf("%-22s %-10s %8d %10s %8d %10s %7d %6s%n", fit(i.label() + (i.ambiguous() ? "?" : ""), 22),
                    i.netns() == null ? "-" : Long.toString(i.netns()), i.rx().packets(), bytes(i.rx().bytes()),
                    i.tx().packets(), bytes(i.tx().bytes()), i.drops().packets(), percent(i.drops().rate()));
        }
        if (report.interfaces().stream().anyMatch(InterfaceReport::ambiguous)) {
            out.println("? several interfaces share this name and no hand-over told these packets apart");
        }
        out.print(lostNote);
        out.println();

        out.printf("Streams (top %d by bytes, %d in all; bytes at the IP layer)%n", TOP_STREAMS,
                report.streams().size());
        out.printf("%-4s %-21s %-21s %6s %8s %6s %8s %7s %11s%n", "prot", "A", "B", "pkts", "A>B",
                "pkts", "B>A", "time", "A>B rate");
        report.streams().stream().limit(TOP_STREAMS).forEach((StreamReport s) ->
                out.printf("%-4s %-21s %-21s %6d %8s %6d %8s %7s %11s%n", s.protocol(), fit(s.a(), 21),
                        fit(s.b(), 21), s.packetsAb(), bytes(s.bytesAb()), s.packetsBa(), bytes(s.bytesBa()),
                        duration(s.durationNs()), rate(s.bitsPerSecondAb())));
        long retransmitted = report.streams().stream().mapToLong(StreamReport::retransmittedPackets).sum();
        if (retransmitted > 0) {
            out.printf("TCP retransmissions: %d packets, %d segments%n", retransmitted,
                    report.streams().stream().mapToLong(StreamReport::retransmittedSegments).sum());
        }
        out.print(lostNote);
        out.println();

        out.println("Drops (skb_kfree, datapath; by the interface where the packet was last seen)");
        out.printf("%-22s %-21s %-43s %9s%n", "interface", "reason", "location", "packets");
        Set<String> sharedDropLabels = sharedLabels(report.drops(), DropReport::iface, DropReport::netns);
        for (DropReport d : report.drops()) {
            String iface = d.iface() == null ? "(no interface)" : label(d.iface(), d.netns(), sharedDropLabels);
            out.printf("%-22s %-21s %-43s %9d%n", fit(iface, 22),
                    fit(d.reason() == null ? "-" : d.reason(), 21), fit(d.location(), 43), d.packets());
        }
        out.print(lostNote);
        out.println();

        out.println("Offload (GSO: queued skbs larger than MTU + 14; GRO: packets entering GRO)");
        out.printf("%-22s %5s %9s %10s %9s %10s %6s %9s %9s%n", "interface", "mtu", "queued", "queued B",
                "gso skbs", "gso B", "gso%", "gro in", "received");
        Set<String> sharedOffloadLabels = sharedLabels(report.offload(), OffloadReport::iface, OffloadReport::netns);
        for (OffloadReport o : report.offload()) {
            out.printf("%-22s %5d %9d %10s %9d %10s %6s %9d %9d%n",
                    fit(label(o.iface(), o.netns(), sharedOffloadLabels), 22), o.mtu(), o.queued().packets(),
                    bytes(o.queued().bytes()), o.gso().packets(), bytes(o.gso().bytes()), percent(o.gsoByteShare()),
                    o.groEntered(), o.received());
        }
        out.print(lostNote);
        out.println();

        out.println("Topology, packet paths and VM traffic");
        out.print(TopologyCommand.tree(report));
        out.println();

        out.println("Notes");
        for (String note : report.notes()) {
            out.println("- " + note);
        }
    }

    /** Labels that rows of several namespaces share (each VM's pair behind a user-space relay). */
    private static <T> Set<String> sharedLabels(List<T> rows, Function<T, String> label, Function<T, Long> netns) {
        Map<String, Set<Long>> namespaces = new HashMap<>();
        for (T row : rows) {
            namespaces.computeIfAbsent(Objects.toString(label.apply(row)), l -> new HashSet<>()).add(netns.apply(row));
        }
        Set<String> shared = new HashSet<>();
        namespaces.forEach((l, set) -> {
            if (set.size() > 1) {
                shared.add(l);
            }
        });
        return shared;
    }

    /** The label, followed by the namespace where rows of several namespaces share it. */
    private static String label(String label, Long netns, Set<String> shared) {
        return shared.contains(label) ? label + " " + (netns == null ? "-" : netns) : label;
    }

    /** A line per lost range, repeated under every table: each figure there may be short. */
    private static String lostNote(AnalysisReport report) {
        if (report.lostEvents().isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("! the tracer lost data; figures may be short over:\n");
        for (LostRange range : report.lostEvents()) {
            text.append(String.format("!   %s: %d %s lost (%s)%n", lostSpan(range), range.count(), range.kind(),
                    range.stream()));
        }
        return text.toString();
    }

    /**
     * When a lost range was: {@code 12:00:01.5 to 12:00:02.1}; a bound the tracer did not tell (no timestamps in the
     * packet contexts: {@link Long#MIN_VALUE}) is not a time of day.
     */
    static String lostSpan(LostRange range) {
        boolean begins = range.beginNs() != Long.MIN_VALUE;
        boolean ends = range.endNs() != Long.MIN_VALUE;
        if (begins && ends) {
            return clock(range.beginNs()) + " to " + clock(range.endNs());
        }
        return begins ? "from " + clock(range.beginNs()) + " on" : ends ? "until " + clock(range.endNs())
                : "at an unknown time";
    }

    /** Three significant digits at most, so that a column of 8 holds any size: {@code 1023 KiB}. */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return threeDigits(value) + " " + units[unit];
    }

    /** Decimal units as link speeds are quoted: {@code 656 Mbit/s}, {@code 4.12 Gbit/s}. */
    static String rate(double bitsPerSecond) {
        if (bitsPerSecond == 0) {
            return "-";
        }
        String[] units = {"bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s"};
        double value = bitsPerSecond;
        int unit = 0;
        while (value >= 999.5 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return threeDigits(value) + " " + units[unit];
    }

    /** {@code 812 ns}, {@code 35.2 us}, {@code 4.01 ms}, {@code 12.3 s}. */
    static String duration(long ns) {
        String[] units = {"ns", "us", "ms", "s"};
        double value = ns;
        int unit = 0;
        while (Math.abs(value) >= 999.5 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return (unit == 0 ? Long.toString(ns) : threeDigits(value)) + " " + units[unit];
    }

    private static String threeDigits(double value) {
        double magnitude = Math.abs(value);
        String pattern = magnitude >= 99.95 ? "%.0f" : magnitude >= 9.995 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, pattern, value);
    }

    private static String seconds(long ns) {
        double seconds = ns / 1e9;
        String pattern = seconds >= 100 ? "%.0f s" : seconds >= 10 ? "%.2f s" : "%.3f s";
        return String.format(Locale.ROOT, pattern, seconds);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    private static String clock(long ns) {
        return CLOCK.format(Instant.ofEpochSecond(0, ns));
    }

    /** A moment of the trace: UTC time of day and the offset from the trace's start, e.g. {@code 12:39:23.732709340 (+7.566 s)}. */
    static String instant(long ns, long traceStartNs) {
        return clock(ns) + " (+" + seconds(ns - traceStartNs) + ")";
    }

    private static String fit(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "~";
    }
}
