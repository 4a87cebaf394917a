package org.vnetscope.document;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vnetscope.analysis.sync.ClockSync;
import org.vnetscope.analysis.sync.LinearMap;

/**
 * The JSON document of {@code vnetscope sync} (docs/schema/sync.schema.json; its contract fields
 * {@code hosts[]{name, trace, clock_uuid}} and {@code sync{reference, transforms[]{host, slope, offset_ns, matches,
 * accuracy_ns, quality}}} are never renamed), whose {@code sync} member the document of several hosts embeds.
 */
public final class SyncJson {

    private SyncJson() {
    }

    public static ObjectNode of(ClockSync.Result result) {
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
}
