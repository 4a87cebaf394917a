package org.vnetscope.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.vnetscope.analysis.sync.ClockSync;
import org.vnetscope.analysis.sync.LinearMap;

/**
 * What {@code vnetscope sync} prints: the JSON document (docs/schema/sync.schema.json; its contract fields
 * {@code hosts[]{name, trace, clock_uuid}} and {@code sync{reference, transforms[]{host, slope, offset_ns, matches,
 * accuracy_ns, quality}}} are never renamed) and the same as tables.
 */
final class SyncReport {

    private SyncReport() {
    }

    static ObjectNode json(ClockSync.Result result) {
        ObjectNode root = ReportJson.MAPPER.createObjectNode();
        ArrayNode hosts = root.putArray("hosts");
        for (ClockSync.Host host : result.hosts()) {
            ObjectNode node = hosts.addObject();
            node.put("name", host.name());
            node.put("trace", host.trace());
            node.put("clock_uuid", host.clockUuid() == null ? null : host.clockUuid().toString());
            node.put("start_ns", host.startNs());
            node.put("end_ns", host.endNs());
            node.put("boundary_packets", host.packets().size());
        }
        ObjectNode sync = root.putObject("sync");
        sync.put("reference", result.reference());
        ArrayNode transforms = sync.putArray("transforms");
        for (ClockSync.Transform transform : result.transforms()) {
            ObjectNode node = transforms.addObject();
            node.put("host", transform.host());
            node.put("slope", transform.slope());
            node.put("offset_ns", transform.offsetNs());
            node.put("matches", transform.matches());
            putAccuracy(node, "accuracy_ns", transform.accuracyNs());
            node.put("quality", transform.quality().label());
            node.put("drift_ppm", transform.driftPpm());
            node.put("middle_ns", transform.middleNs());
            node.put("middle_offset_ns", transform.middleOffsetNs());
            putAccuracy(node, "accuracy_at_ends_ns", transform.accuracyAtEndsNs());
            node.put("matches_sent", transform.matchesSent());
            node.put("matches_received", transform.matchesReceived());
            node.put("via", transform.via());
            ArrayNode segments = node.putArray("segments");
            for (ClockSync.Segment segment : transform.segments()) {
                ObjectNode piece = segments.addObject();
                piece.put("from_ns", segment.fromNs());
                piece.put("to_ns", segment.toNs());
                LinearMap map = segment.map();
                piece.put("slope", map.slope());
                piece.put("offset_ns", map.offsetNs());
                piece.put("drift_ppm", map.drift() * 1e6);
                piece.put("middle_ns", map.anchorNs());
                piece.put("middle_offset_ns", Math.round(map.shiftAtAnchor()));
                putAccuracy(piece, "accuracy_ns", segment.accuracyNs());
                piece.put("quality", segment.quality().label());
                piece.put("matches", segment.matches());
            }
        }
        ArrayNode pairs = sync.putArray("pairs");
        for (ClockSync.Pair pair : result.pairs()) {
            ObjectNode node = pairs.addObject();
            node.put("a", pair.a());
            node.put("b", pair.b());
            node.put("matches_ab", pair.aToB());
            node.put("matches_ba", pair.bToA());
            node.put("dropped_keys", pair.droppedKeys());
            node.put("rejected", pair.rejected());
            node.put("segments", pair.segments());
            node.put("quality", pair.quality().label());
            putAccuracy(node, "accuracy_ns", pair.accuracyNs());
            node.put("in_tree", pair.inTree());
            node.put("violations", pair.violations());
            putDelay(node, "min_delay_ab_ns", pair.minDelayAToBNs());
            putDelay(node, "min_delay_ba_ns", pair.minDelayBToANs());
        }
        ArrayNode notes = sync.putArray("notes");
        result.notes().forEach(notes::add);
        return root;
    }

    private static void putAccuracy(ObjectNode node, String name, long accuracyNs) {
        if (accuracyNs < 0) {
            node.putNull(name);
        } else {
            node.put(name, accuracyNs);
        }
    }

    private static void putDelay(ObjectNode node, String name, long delayNs) {
        if (delayNs == Long.MIN_VALUE) {
            node.putNull(name);
        } else {
            node.put(name, delayNs);
        }
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
        if (!result.pairs().isEmpty()) {
            text.append(String.format("%nPairs:%n"));
            for (ClockSync.Pair pair : result.pairs()) {
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
        }
        if (!result.notes().isEmpty()) {
            text.append(String.format("%nNotes:%n"));
            result.notes().forEach(note -> text.append("  ").append(note).append('\n'));
        }
        return text.toString();
    }
}
