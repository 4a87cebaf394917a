package org.vnetscope.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The interfaces' time series of a document made coarse enough for a page: a trace of hours at one-second bins would
 * put tens of thousands of points per interface into the HTML. Consecutive bins are added up into bins a whole
 * number of times wider (1, 2 or 5 times a power of ten), aligned on multiples of their width as the analysis aligns
 * its own, so every count stays exact and only the resolution changes; the document says so in a note.
 */
final class ReportBins {

    /** Bins per series at most, over the trace's span: about one per pixel of a wide chart. */
    static final int MAX_BINS = 1000;

    private ReportBins() {
    }

    /**
     * The document with its interfaces' timelines in bins wide enough that the span holds at most {@code maxBins}
     * of them; the document itself (not a copy) when its bins are already that few, or it has no such series.
     */
    static JsonNode coarsened(JsonNode document, int maxBins) {
        long binNs = document.path("bin_ns").asLong(0);
        long startNs = document.path("start_ns").asLong(0);
        long endNs = document.path("end_ns").asLong(0);
        if (!(document instanceof ObjectNode) || binNs <= 0 || endNs <= startNs
                || !document.path("interfaces").isArray()) {
            return document;
        }
        long factor = factor((endNs - startNs) / binNs + 1, maxBins);
        if (factor == 1) {
            return document;
        }
        long widthNs = binNs * factor;
        ObjectNode coarse = ((ObjectNode) document).deepCopy();
        coarse.put("bin_ns", widthNs);
        for (JsonNode itf : coarse.path("interfaces")) {
            if (itf.path("timeline").isArray()) {
                ((ObjectNode) itf).set("timeline", merged((ArrayNode) itf.get("timeline"), widthNs));
            }
        }
        ArrayNode notes = coarse.path("notes").isArray() ? (ArrayNode) coarse.get("notes") : coarse.putArray("notes");
        notes.add("The report shows the interfaces' time series in bins of " + duration(widthNs) + " (the analysis's "
                + duration(binNs) + " bins added up by " + factor + ") to keep the page small; --bin sets the"
                + " analysis's bin, and analyze --format json gives every bin.");
        return coarse;
    }

    /** The smallest of 1, 2, 5, 10, 20, 50, ... that brings {@code bins} down to {@code maxBins} or fewer. */
    static long factor(long bins, int maxBins) {
        long needed = (bins + maxBins - 1) / maxBins;
        for (long decade = 1; ; decade *= 10) {
            for (long step : new long[] {1, 2, 5}) {
                if (step * decade >= needed) {
                    return step * decade;
                }
            }
        }
    }

    /** The points added up by coarse bin: every numeric field summed, the bin's start its coarse start. */
    private static ArrayNode merged(ArrayNode timeline, long widthNs) {
        Map<Long, ObjectNode> byBin = new TreeMap<>();
        for (JsonNode point : timeline) {
            long start = Math.floorDiv(point.path("start_ns").asLong(), widthNs) * widthNs;
            ObjectNode bin = byBin.computeIfAbsent(start, key -> {
                ObjectNode created = JsonNodeFactory.instance.objectNode();
                created.put("start_ns", key);
                return created;
            });
            Iterator<Map.Entry<String, JsonNode>> fields = point.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!field.getKey().equals("start_ns") && field.getValue().isIntegralNumber()) {
                    bin.put(field.getKey(), bin.path(field.getKey()).asLong(0) + field.getValue().asLong());
                }
            }
        }
        ArrayNode merged = JsonNodeFactory.instance.arrayNode();
        byBin.values().forEach(merged::add);
        return merged;
    }

    private static String duration(long ns) {
        if (ns % 1_000_000_000L == 0) {
            return ns / 1_000_000_000L + " s";
        }
        if (ns % 1_000_000L == 0) {
            return ns / 1_000_000L + " ms";
        }
        return ns / 1_000L + " us";
    }
}
