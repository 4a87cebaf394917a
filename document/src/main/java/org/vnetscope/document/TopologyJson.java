package org.vnetscope.document;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.paths.PacketPath;

/**
 * The {@code topology}, {@code paths}, {@code chains}, {@code vm_matrix} and {@code datapaths} members shared by
 * {@code vnetscope analyze --format json} and {@code vnetscope topology --format json}: the snake_case forms of the
 * report's records, as {@code docs/schema/analyze.schema.json} describes them.
 */
public final class TopologyJson {

    private static final ObjectMapper SNAKE_CASE = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private TopologyJson() {
    }

    public static void addTo(ObjectNode root, AnalysisReport report) {
        root.set("topology", SNAKE_CASE.valueToTree(report.topology()));
        ArrayNode paths = root.putArray("paths");
        for (PacketPath path : report.paths()) {
            ObjectNode node = SNAKE_CASE.valueToTree(path);
            node.remove("devices"); // the labels in hops say the same for people; the ids are internal
            paths.add(node);
        }
        root.set("chains", SNAKE_CASE.valueToTree(report.chains()));
        root.set("vm_matrix", SNAKE_CASE.valueToTree(report.vmMatrix()));
        root.set("datapaths", SNAKE_CASE.valueToTree(report.datapaths()));
    }
}
