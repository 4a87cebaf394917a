package org.vnetscope.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.vnetscope.analysis.cluster.ClusterTraffic;
import org.vnetscope.document.ReportJson;
import org.vnetscope.placement.HostSpec;
import org.vnetscope.placement.MappingResult;
import org.vnetscope.placement.PlacementProblem;
import org.vnetscope.placement.PlacementResult;
import org.vnetscope.placement.Substrate;

/** {@code vnetscope placement}'s output: the JSON document (docs/schema/placement.schema.json) and the text form. */
final class PlacementReport {

    private static final ObjectMapper SNAKE_CASE = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private PlacementReport() {
    }

    static ObjectNode json(PlacementResult result, PlacementProblem problem, ClusterTraffic.Result cluster,
                           List<String> notes) {
        ObjectNode root = ReportJson.MAPPER.createObjectNode();
        ArrayNode hosts = root.putArray("hosts");
        for (HostSpec host : problem.hosts()) {
            hosts.addObject().put("name", host.name()).put("cpu", host.cpu()).put("memory_mib", host.memoryMib())
                    .put("nic_bits_per_second", host.nicBitsPerSecond());
        }
        root.put("window_ns", problem.windowNs());
        root.put("bin_ns", problem.binNs());
        root.set("before", SNAKE_CASE.valueToTree(result.before()));
        root.set("after", SNAKE_CASE.valueToTree(result.after()));
        root.set("placement", SNAKE_CASE.valueToTree(result.placement()));
        root.set("moves", moves(result.moves()));
        root.set("unordered_moves", moves(result.unordered()));
        root.put("lower_bound_bytes", result.lowerBoundBytes());
        root.put("optimal", result.optimal());
        root.put("stopped_by", result.stoppedBy());
        root.put("seed", result.seed());
        root.put("max_moves", problem.maxMoves());
        root.set("baselines", SNAKE_CASE.valueToTree(result.baselines()));
        root.set("remaining", SNAKE_CASE.valueToTree(result.remaining()));
        ArrayNode traffic = root.putArray("traffic");
        if (cluster != null) {
            root.set("vms", SNAKE_CASE.valueToTree(cluster.vms()));
            for (ClusterTraffic.Pair pair : cluster.pairs()) {
                traffic.addObject().put("a", pair.a()).put("b", pair.b()).put("bytes", pair.bytes())
                        .put("packets", pair.packets()).put("cross_host", pair.crossHost());
            }
        } else {
            problem.demands().forEach(d -> traffic.addObject().put("a", d.a()).put("b", d.b()).put("bytes", d.bytes()));
        }
        ArrayNode warnings = root.putArray("warnings");
        result.warnings().forEach(warnings::add);
        notes.forEach(warnings::add);
        return root;
    }

    private static ArrayNode moves(List<PlacementResult.Move> moves) {
        ArrayNode array = ReportJson.MAPPER.createArrayNode();
        for (PlacementResult.Move move : moves) {
            ObjectNode node = SNAKE_CASE.valueToTree(move);
            node.put("virsh", move.virsh());
            array.add(node);
        }
        return array;
    }

    /** The {@code substrate} section of the JSON document, present with {@code --substrate}. */
    static ObjectNode substrateJson(MappingResult mapping, Substrate substrate) {
        ObjectNode node = ReportJson.MAPPER.createObjectNode();
        ArrayNode switches = node.putArray("switches");
        substrate.switches().forEach(switches::add);
        node.put("paths_per_pair", mapping.pathsPerPair());
        node.put("bin_ns", mapping.linkBinNs());
        node.put("max_link_utilization_before", mapping.maxLinkUtilizationBefore());
        node.put("max_link_utilization_after", mapping.maxLinkUtilizationAfter());
        node.set("links", SNAKE_CASE.valueToTree(mapping.links()));
        node.put("tenants_from", mapping.tenantsFrom());
        node.set("tenants", SNAKE_CASE.valueToTree(mapping.tenants()));
        node.set("routes", SNAKE_CASE.valueToTree(mapping.routes()));
        node.set("baselines", SNAKE_CASE.valueToTree(mapping.baselines()));
        return node;
    }

    static String text(PlacementResult result, PlacementProblem problem, List<String> notes) {
        return text(result, problem, notes, null);
    }

    static String text(PlacementResult result, PlacementProblem problem, List<String> notes, MappingResult mapping) {
        StringBuilder sb = new StringBuilder();
        PlacementResult.Figures before = result.before();
        PlacementResult.Figures after = result.after();
        sb.append(String.format("placement of %d VMs on %d hosts, traffic measured over %s%n",
                result.placement().size(), result.hostNames().size(),
                problem.windowNs() > 0 ? String.format("%.1f s", problem.windowNs() / 1e9) : "an unknown window"));
        sb.append(String.format("cross-host traffic: %s before, %s after (%s); lower bound %s%n",
                ReportText.bytes(before.crossHostBytes()), ReportText.bytes(after.crossHostBytes()),
                result.optimal() ? "optimal" : "search " + result.stoppedBy().replace('_', ' '),
                ReportText.bytes(result.lowerBoundBytes())));
        if (before.maxNicUtilization() > 0 || after.maxNicUtilization() > 0) {
            sb.append(String.format("busiest NIC (p95 of cross-host rate): %.1f%% before, %.1f%% after%n",
                    100 * before.maxNicUtilization(), 100 * after.maxNicUtilization()));
        }
        if (mapping != null) {
            sb.append(String.format("busiest link (p95 of its binned rate): %.1f%% before, %.1f%% after%n",
                    100 * mapping.maxLinkUtilizationBefore(), 100 * mapping.maxLinkUtilizationAfter()));
            long refused = mapping.tenants().stream().filter(t -> !t.embedded()).count();
            sb.append(String.format("tenant networks: %d, %d embedded%s%n", mapping.tenants().size(),
                    mapping.tenants().size() - refused, refused > 0 ? ", " + refused + " not (below, with why)" : ""));
        }
        if (!before.feasible()) {
            sb.append(mapping != null ? "the current placement breaks a capacity (a host's or a link's)\n"
                    : "the current placement breaks a capacity\n");
        }
        sb.append('\n');
        if (result.moves().isEmpty() && result.unordered().isEmpty()) {
            sb.append("no migration: the current placement is the best found\n");
        } else {
            sb.append("migrations, in an order that keeps every host within CPU and memory after each:\n");
            int step = 1;
            for (PlacementResult.Move move : result.moves()) {
                String effect = move.bytesSaved() >= 0 ? "saves " + ReportText.bytes(move.bytesSaved())
                        : "adds " + ReportText.bytes(-move.bytesSaved());
                sb.append(String.format("  %2d. %-20s %s -> %s%s, %s cross-host, copies %d MiB%n", step++,
                        move.vm(), move.from(), move.to(), move.transit() ? " (on the way)" : "", effect,
                        move.memoryMib()));
                sb.append("      ").append(move.virsh()).append('\n');
            }
            for (PlacementResult.Move move : result.unordered()) {
                sb.append(String.format("   ?  %-20s %s -> %s: no order keeps the hosts within capacity on the way%n",
                        move.vm(), move.from(), move.to()));
            }
        }
        sb.append("\nhosts after (before)\n");
        sb.append(String.format("  %-16s %-8s %-16s %-20s %s%n", "host", "VMs", "vCPU", "memory MiB", "NIC p95"));
        for (int h = 0; h < after.hosts().size(); h++) {
            PlacementResult.HostLoad now = after.hosts().get(h);
            PlacementResult.HostLoad was = before.hosts().get(h);
            sb.append(String.format("  %-16s %-8s %-16s %-20s %s%n", now.host(),
                    now.vms().size() + " (" + was.vms().size() + ")",
                    trim(now.cpu()) + "/" + trim(now.cpuCapacity()) + " (" + trim(was.cpu()) + ")",
                    now.memoryMib() + "/" + now.memoryCapacityMib() + " (" + was.memoryMib() + ")",
                    rate(now.nicP95BitsPerSecond()) + (now.nicBitsPerSecond() > 0 ? "/" + rate(now.nicBitsPerSecond())
                            : "") + " (" + rate(was.nicP95BitsPerSecond()) + ")"));
            sb.append("      ").append(now.vms().isEmpty() ? "-" : String.join(" ", now.vms())).append('\n');
        }
        if (mapping != null) {
            substrateText(sb, mapping);
        }
        sb.append("\nbytes between hosts, before -> after (diagonal: within a host)\n");
        matrix(sb, result.hostNames(), before.hostMatrix(), after.hostMatrix());
        if (!result.remaining().isEmpty()) {
            sb.append("\nlargest pairs still across hosts, and what keeps them apart\n");
            for (PlacementResult.RemainingPair pair : result.remaining()) {
                sb.append(String.format("  %s (%s) - %s (%s): %s%n", pair.a(), pair.aHost(), pair.b(), pair.bHost(),
                        ReportText.bytes(pair.bytes())));
                pair.keptApart().forEach(why -> sb.append("      ").append(why).append('\n'));
            }
        }
        sb.append("\nbaselines (cross-host bytes): ");
        for (PlacementResult.Baseline baseline : result.baselines()) {
            sb.append(baseline.name()).append(' ').append(ReportText.bytes(baseline.crossHostBytes()))
                    .append(baseline.feasible() ? "" : " (breaks a rule)").append("; ");
        }
        sb.setLength(sb.length() - 2);
        sb.append('\n');
        if (mapping != null) {
            sb.append("baselines (busiest link): ");
            for (MappingResult.Baseline baseline : mapping.baselines()) {
                sb.append(baseline.name()).append(String.format(" %.1f%%", 100 * baseline.maxLinkUtilization()))
                        .append(baseline.feasible() ? "" : " (breaks a rule)").append("; ");
            }
            sb.setLength(sb.length() - 2);
            sb.append('\n');
        }
        for (String warning : result.warnings()) {
            sb.append("warning: ").append(warning).append('\n');
        }
        for (String note : notes) {
            sb.append("note: ").append(note).append('\n');
        }
        return sb.toString();
    }

    private static void substrateText(StringBuilder sb, MappingResult mapping) {
        sb.append(String.format("%nlinks after (before): p95 of the binned rate (%s bins), both directions together%n",
                mapping.linkBinNs() % 1_000_000_000L == 0 ? mapping.linkBinNs() / 1_000_000_000L + " s"
                        : String.format("%.3f s", mapping.linkBinNs() / 1e9)));
        int width = Math.max(16, mapping.links().stream().mapToInt(l -> l.a().length() + l.b().length() + 1).max()
                .orElse(0) + 2);
        sb.append(String.format("  %-" + width + "s %-12s %-22s %s%n", "link", "capacity", "after", "before"));
        for (MappingResult.LinkLoad link : mapping.links()) {
            sb.append(String.format("  %-" + width + "s %-12s %-22s %s%n", link.a() + "-" + link.b(),
                    rate(link.capacityBitsPerSecond()),
                    rate(link.afterBitsPerSecond()) + String.format(" (%.1f%%)", 100 * link.afterUtilization()),
                    rate(link.beforeBitsPerSecond()) + String.format(" (%.1f%%)", 100 * link.beforeUtilization())));
        }
        sb.append(String.format("%ntenant networks (%s)%n", switch (mapping.tenantsFrom()) {
            case "declared" -> "as SUBSTRATE.json declares them";
            case "traffic" -> "the connected groups of the VM traffic graph: SUBSTRATE.json declares none";
            default -> "declared, and the traffic graph's connected groups among the VMs no tenant names";
        }));
        for (MappingResult.TenantOutcome tenant : mapping.tenants()) {
            sb.append(String.format("  %-16s %d VM(s), %s: %s%n", tenant.name(), tenant.vms().size(),
                    ReportText.bytes(tenant.bytes()), tenant.embedded() ? "embedded" : "NOT embedded: " + tenant.reason()));
            sb.append("      ").append(String.join(" ", tenant.vms())).append('\n');
        }
        if (!mapping.routes().isEmpty()) {
            sb.append("\nroutes of the heaviest pairs across hosts\n");
            mapping.routes().stream()
                    .sorted(java.util.Comparator.comparingLong(MappingResult.Route::bytes).reversed()).limit(10)
                    .forEach(route -> sb.append(String.format("  %s - %s: %s, %s p95: %s%n", route.a(), route.b(),
                            ReportText.bytes(route.bytes()), rate(route.p95BitsPerSecond()),
                            String.join(" > ", route.path()))));
        }
    }

    private static void matrix(StringBuilder sb, List<String> hosts, long[][] before, long[][] after) {
        int width = Math.max(12, hosts.stream().mapToInt(String::length).max().orElse(0) + 2);
        sb.append(String.format("  %-" + width + "s", ""));
        hosts.forEach(host -> sb.append(String.format("%" + (2 * width) + "s", host)));
        sb.append('\n');
        for (int a = 0; a < hosts.size(); a++) {
            sb.append(String.format("  %-" + width + "s", hosts.get(a)));
            for (int b = 0; b < hosts.size(); b++) {
                String cell = ReportText.bytes(before[a][b]) + " -> " + ReportText.bytes(after[a][b]);
                sb.append(String.format("%" + (2 * width) + "s", cell));
            }
            sb.append('\n');
        }
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format("%.1f", value);
    }

    private static String rate(long bitsPerSecond) {
        if (bitsPerSecond >= 1_000_000_000L) {
            return String.format("%.2f Gb/s", bitsPerSecond / 1e9);
        }
        if (bitsPerSecond >= 1_000_000L) {
            return String.format("%.1f Mb/s", bitsPerSecond / 1e6);
        }
        return bitsPerSecond >= 1000 ? String.format("%.0f kb/s", bitsPerSecond / 1e3) : bitsPerSecond + " b/s";
    }
}
