package org.vnetscope.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.vnetscope.analysis.sync.ClockSync;
import org.vnetscope.document.SyncJson;

/** What {@code vnetscope sync} prints: the JSON document ({@link SyncJson}) and the same as tables. */
final class SyncReport {

    private SyncReport() {
    }

    static ObjectNode json(ClockSync.Result result) {
        return SyncJson.of(result);
    }

    static String text(ClockSync.Result result) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Clock synchronization of %d hosts: reference %s%n%n",
                result.hosts().size(), result.reference()));
        int nameWidth = 4;
        for (ClockSync.Host host : result.hosts()) {
            nameWidth = Math.max(nameWidth, host.name().length());
        }
        String hostFormat = "%-" + nameWidth + "s  %-36s  %s%n";
        text.append(String.format(Locale.ROOT, hostFormat, "host", "clock uuid", "trace"));
        for (ClockSync.Host host : result.hosts()) {
            text.append(String.format(Locale.ROOT, hostFormat, host.name(),
                    host.clockUuid() == null ? "-" : host.clockUuid().toString(), host.trace()));
        }
        text.append('\n');
        String format = "%-" + nameWidth + "s %10s %20s %15s %13s %11s  %-11s %s%n";
        text.append(String.format(Locale.ROOT, format, "host", "drift ppm", "offset ns", "offset s", "matches >/<",
                "accuracy ns", "quality", "via"));
        for (ClockSync.Transform transform : result.transforms()) {
            boolean reference = transform.via() == null && transform.host().equals(result.reference());
            text.append(String.format(Locale.ROOT, format, transform.host(),
                    String.format(Locale.ROOT, "%+.3f", transform.driftPpm()),
                    transform.offsetNs(),
                    String.format(Locale.ROOT, "%+.9f", transform.middleOffsetNs() / 1e9),
                    reference ? "-" : transform.matchesSent() + "/" + transform.matchesReceived(),
                    transform.accuracyNs() < 0 ? "-" : Long.toString(transform.accuracyNs()),
                    transform.quality().label(), transform.via() == null ? "" : transform.via()));
        }
        text.append(String.format(Locale.ROOT, "%ntime_in_reference_ns = slope * time_on_host_ns + offset_ns,"
                + " slope = 1 + drift ppm / 1e6;%n"
                + "offset s: reference - host at the middle of the matched packets; accuracy: the most that offset"
                + " can be off there;%nmatches >/<: packets the host sent to / received from the host it is tied"
                + " to (via).%n"));
        for (ClockSync.Transform transform : result.transforms()) {
            if (transform.segments().size() > 1) {
                text.append(String.format(Locale.ROOT, "%n%s: %d segments%n", transform.host(),
                        transform.segments().size()));
                for (ClockSync.Segment segment : transform.segments()) {
                    text.append(String.format(Locale.ROOT, "  from %-20s drift %+.3f ppm  offset %+.9f s at %d"
                                    + "  accuracy %s  %s, %d packets%n",
                            segment.fromNs() == null ? "the start" : segment.fromNs().toString(),
                            segment.map().drift() * 1e6, segment.map().shiftAtAnchor() / 1e9,
                            segment.map().anchorNs(), segment.accuracyNs() < 0 ? "-" : segment.accuracyNs() + " ns",
                            segment.quality().label(), segment.matches()));
                }
            }
        }
        // among many hosts most pairs exchanged nothing: those are counted, not listed (the JSON lists every pair)
        List<ClockSync.Pair> shown = result.pairs().stream()
                .filter(pair -> pair.aToB() > 0 || pair.bToA() > 0 || pair.inTree()).toList();
        if (!result.pairs().isEmpty()) {
            text.append(String.format("%nPairs:%n"));
            for (ClockSync.Pair pair : shown) {
                text.append(String.format(Locale.ROOT, "  %s - %s: %d packets %s>%s, %d %s>%s; %s", pair.a(),
                        pair.b(), pair.aToB(), pair.a(), pair.b(), pair.bToA(), pair.b(), pair.a(),
                        pair.quality().label()));
                if (pair.accuracyNs() >= 0) {
                    text.append(String.format(Locale.ROOT, " (+-%s)", ReportText.duration(pair.accuracyNs())));
                }
                if (pair.minDelayAToBNs() != Long.MIN_VALUE && pair.minDelayBToANs() != Long.MIN_VALUE) {
                    text.append(String.format(Locale.ROOT, "; shortest trips once synchronized %s and %s",
                            ReportText.duration(pair.minDelayAToBNs()), ReportText.duration(pair.minDelayBToANs())));
                }
                text.append(String.format(Locale.ROOT, "; %d arrive before they left%s%n", pair.violations(),
                        pair.inTree() ? "" : " (pair not used)"));
            }
            int silent = result.pairs().size() - shown.size();
            if (silent > 0) {
                text.append(String.format(Locale.ROOT, "  %s of %d pairs matched no packet either way (each is in "
                        + "--format json)%n", silent == result.pairs().size() ? "all" : String.valueOf(silent),
                        result.pairs().size()));
            }
        }
        if (!result.notes().isEmpty()) {
            text.append(String.format("%nNotes:%n"));
            byHost(result.notes(), result.hosts().stream().map(ClockSync.Host::name).toList())
                    .forEach(note -> text.append("  ").append(note).append('\n'));
        }
        return text.toString();
    }

    /**
     * Notes that several hosts gave alike ("HOST: the same words"), said once with the hosts they concern: among
     * hundreds of hosts, most of them say that no packet ties the host to the reference.
     */
    static List<String> byHost(List<String> notes, List<String> hosts) {
        Set<String> names = new HashSet<>(hosts);
        Map<String, List<String>> hostsByText = new LinkedHashMap<>();
        for (String note : notes) {
            int colon = note.indexOf(": ");
            boolean ofHost = colon > 0 && names.contains(note.substring(0, colon));
            String text = ofHost ? note.substring(colon + 2) : note;
            hostsByText.computeIfAbsent(text, key -> new ArrayList<>()).add(ofHost ? note.substring(0, colon) : null);
        }
        List<String> grouped = new ArrayList<>();
        hostsByText.forEach((text, of) -> {
            if (of.contains(null)) {
                grouped.add(text);
            } else if (of.size() == 1) {
                grouped.add(of.get(0) + ": " + text);
            } else {
                String shown = String.join(", ", of.subList(0, Math.min(5, of.size())))
                        + (of.size() > 5 ? " and " + (of.size() - 5) + " more" : "");
                grouped.add(of.size() + " hosts (" + shown + "): " + text);
            }
        });
        return grouped;
    }
}
