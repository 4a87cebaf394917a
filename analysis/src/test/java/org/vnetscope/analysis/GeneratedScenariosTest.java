package org.vnetscope.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.vnetscope.ctf.TraceReader;

/**
 * The scenario generator's recordings (samples/lab3): every interface counter and every flow of every scenario
 * against vnetscope's figures. The bundled scenarios run on every build; {@code -Dvnetscope.scenarios=DIR} checks
 * another folder of scenarios (a whole generator run), and the summary of mismatches is printed either way.
 */
class GeneratedScenariosTest {

    private static Path root() {
        String other = System.getProperty("vnetscope.scenarios");
        Path root = other != null ? Path.of(other)
                : Path.of(System.getProperty("vnetscope.repo", "..")).resolve("samples/lab3/scenarios");
        assumeTrue(Files.isDirectory(root), "no generated scenarios at " + root);
        return root;
    }

    @Test
    void everyCounterAndFlowOfEveryScenarioMatches() throws IOException {
        List<Path> scenarios;
        try (Stream<Path> list = Files.list(root())) {
            scenarios = list.filter(d -> Files.isRegularFile(d.resolve("groundtruth-summary.json"))).sorted().toList();
        }
        assertThat(scenarios).as("scenarios under " + root()).isNotEmpty();
        Map<String, List<String>> mismatches = new TreeMap<>();
        int counters = 0;
        int flows = 0;
        for (Path scenario : scenarios) {
            AnalysisReport report = NetworkAnalysis.analyze(scenario.resolve("trace/kernel"),
                    AnalysisOptions.defaults());
            List<String> found = new ArrayList<>(interfaceMismatches(report, scenario));
            counters += GroundTruth.read(scenario.resolve("groundtruth-summary.json"))
                    .path("interface_counter_deltas").size();
            for (JsonNode flow : GroundTruth.read(scenario.resolve("groundtruth-summary.json")).path("flows")) {
                flows++;
                try {
                    FlowAndDropGroundTruthTest.checkFlow(report, flow);
                } catch (AssertionError | RuntimeException e) {
                    found.add("flow " + flow.path("id").asText() + " (" + flow.path("tool").asText() + " "
                            + flow.path("proto").asText() + "): " + String.valueOf(e.getMessage()).strip()
                            .replaceAll("\\s+", " "));
                }
            }
            if (!found.isEmpty()) {
                mismatches.put(scenario.getFileName().toString(), found);
            }
        }
        StringBuilder summary = new StringBuilder();
        summary.append(String.format("%d scenarios, %d interface counters, %d flows: %d scenarios with mismatches%n",
                scenarios.size(), counters, flows, mismatches.size()));
        mismatches.forEach((name, lines) -> lines.forEach(line -> summary.append(name).append(": ").append(line)
                .append('\n')));
        System.out.print(summary);
        Files.writeString(Path.of("target", "generated-scenarios-summary.txt"), summary);
        assertThat(mismatches).as(summary.toString()).isEmpty();
    }

    /**
     * One line per interface whose counter delta differs from its row (or rows: a VM whose port moved has one
     * row per peer it had). A row is found by name and namespace; a row whose namespace the trace did not show is
     * found by its veth peer, read from the ground truth's link dumps (link index).
     */
    static List<String> interfaceMismatches(AnalysisReport report, Path scenario) {
        JsonNode summary = GroundTruth.read(scenario.resolve("groundtruth-summary.json"));
        Map<String, Long> snapshotNs = new HashMap<>();
        summary.path("snapshots_in_time_order").forEach(snapshot -> snapshotNs.put(snapshot.path("tag").asText(),
                snapshot.path("realtime_ns").asLong()));
        // a counter read between the first and the last snapshot is compared with the events between them: a
        // device deleted during the trace was last read before it went, and may have carried packets since
        Map<String, AnalysisReport> byWindow = new HashMap<>();
        Map<String, Long> inodes = new HashMap<>();
        summary.path("netns_inodes").forEach(ns -> inodes.put(ns.path("netns").asText(), ns.path("inode").asLong()));
        // namespaces made during the trace are in the later snapshots' lists only
        try (Stream<Path> list = Files.list(scenario.resolve("groundtruth"))) {
            list.filter(f -> f.getFileName().toString().matches("netns-.*\\.json")).forEach(f -> GroundTruth.read(f)
                    .forEach(ns -> inodes.putIfAbsent(ns.path("netns").asText(), ns.path("inode").asLong())));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Map<String, List<String>> peers = vethPeers(scenario);
        List<String> mismatches = new ArrayList<>();
        for (JsonNode entry : summary.path("interface_counter_deltas")) {
            String netns = entry.path("netns").asText();
            String name = entry.path("ifname").asText();
            JsonNode delta = entry.path("delta");
            long[] expected = {delta.path("rx_packets").asLong(), delta.path("rx_bytes").asLong(),
                    delta.path("tx_packets").asLong(), delta.path("tx_bytes").asLong()};
            String first = summary.path("snapshots_in_time_order").path(0).path("tag").asText();
            String last = summary.path("snapshots_in_time_order")
                    .path(summary.path("snapshots_in_time_order").size() - 1).path("tag").asText();
            String from = entry.path("from_snapshot").isTextual() ? entry.path("from_snapshot").asText() : first;
            String to = entry.path("to_snapshot").asText(last);
            List<String> peerNames = peers.getOrDefault(netns + "/" + name + "/" + entry.path("ifindex").asLong(),
                    List.of());
            Long inode = inodes.get(netns);
            long[] fromRead = readTimes(scenario, from, netns);
            long[] toRead = readTimes(scenario, to, netns);
            long[] actual;
            long[] upTo;
            // a device created during the trace has no earlier read (its namespace may not have existed either)
            boolean created = !entry.path("from_snapshot").isTextual();
            if ((fromRead != null || created) && toRead != null) {
                // snapshots taken inside the trace, each namespace's read timed: the counters hold every packet
                // between the two reads and perhaps those during them
                actual = counts(windowed(scenario, byWindow, created ? Long.MIN_VALUE : fromRead[1], toRead[0]),
                        name, netns, inode, peerNames);
                upTo = counts(windowed(scenario, byWindow, created ? Long.MIN_VALUE : fromRead[0], toRead[1]),
                        name, netns, inode, peerNames);
            } else {
                AnalysisReport windowed = report;
                if (!from.equals(first) || !to.equals(last)) {
                    windowed = windowed(scenario, byWindow, from.equals(first) ? Long.MIN_VALUE : snapshotNs.get(from),
                            snapshotNs.getOrDefault(to, Long.MAX_VALUE));
                }
                actual = counts(windowed, name, netns, inode, peerNames);
                // a device deleted during the trace: its counters were last read during a snapshot that took a
                // while, before the packets it still carried until it went; they lie between the two counts
                upTo = entry.path("deleted_during_trace").asBoolean()
                        ? counts(report, name, netns, inode, peerNames) : actual;
            }
            String where = netns + "/" + name;
            String[] direction = {"rx", "tx"};
            for (int d = 0; d < 2; d++) {
                boolean packets = expected[2 * d] >= actual[2 * d] && expected[2 * d] <= upTo[2 * d];
                boolean bytes = expected[2 * d + 1] >= actual[2 * d + 1] && expected[2 * d + 1] <= upTo[2 * d + 1];
                if (!packets || !bytes) {
                    mismatches.add(where + ": " + direction[d] + " " + actual[2 * d] + "/" + actual[2 * d + 1]
                            + (upTo != actual ? " to " + upTo[2 * d] + "/" + upTo[2 * d + 1] : "") + " vs counters "
                            + expected[2 * d] + "/" + expected[2 * d + 1]);
                }
            }
        }
        return mismatches;
    }

    /** The figures of the events between two times (ns since the epoch), analysed once per window. */
    private static AnalysisReport windowed(Path scenario, Map<String, AnalysisReport> byWindow, long begin, long end) {
        return byWindow.computeIfAbsent(begin + "-" + end, key -> {
            TraceReader reader = TraceReader.open(scenario.resolve("trace/kernel"), TraceReader.Warnings.IGNORE);
            reader.limitTo(begin, end);
            return NetworkAnalysis.analyze(reader, scenario.resolve("trace/kernel").toString(),
                    AnalysisOptions.defaults(), null);
        });
    }

    /** When a snapshot began and ended reading a namespace's counters (groundtruth/time-TAG-NETNS.begin.ns, .end.ns), or null. */
    private static long[] readTimes(Path scenario, String tag, String netns) {
        Path begin = scenario.resolve("groundtruth/time-" + tag + "-" + netns + ".begin.ns");
        Path end = scenario.resolve("groundtruth/time-" + tag + "-" + netns + ".end.ns");
        if (!Files.isRegularFile(begin) || !Files.isRegularFile(end)) {
            return null;
        }
        try {
            return new long[] {Long.parseLong(Files.readString(begin).strip()), Long.parseLong(Files.readString(end).strip())};
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /**
     * Rx packets, rx bytes, tx packets, tx bytes of the device of that name in that namespace: its rows by
     * namespace, and where one name had several devices there (a VM's interface made again), by peer too; rows
     * whose namespace the trace did not show, by peer (or a root device without one).
     */
    private static long[] counts(AnalysisReport report, String name, String netns, Long inode,
            List<String> peerNames) {
        List<InterfaceReport> named = report.interfaces().stream().filter(r -> r.name().equals(name)).toList();
        List<InterfaceReport> rows = named.stream().filter(r -> inode != null && inode.equals(r.netns())).toList();
        if (rows.size() > 1 && !peerNames.isEmpty()) {
            rows = rows.stream().filter(r -> peerNames.contains(r.peer())).toList();
        }
        if (rows.isEmpty()) {
            rows = named.stream().filter(r -> r.netns() == null && (r.peer() != null ? peerNames.contains(r.peer())
                    : netns.equals("root") || named.size() == 1)).toList();
        }
        long[] counts = new long[4];
        for (InterfaceReport row : rows) {
            counts[0] += row.rx().packets();
            counts[1] += row.rx().bytes();
            counts[2] += row.tx().packets();
            counts[3] += row.tx().bytes();
        }
        return counts;
    }

    /**
     * Each veth end ("netns/name") and the names its peer had over the snapshots, from the link dumps: a VM's end
     * points into the root namespace (its link index is the root device's ifindex), a root end into the namespace
     * whose id (nsid, as root sees it) is its link_netnsid.
     */
    private static Map<String, List<String>> vethPeers(Path scenario) {
        Path groundTruth = scenario.resolve("groundtruth");
        List<Path> dumps;
        try (Stream<Path> list = Files.list(groundTruth)) {
            dumps = list.filter(f -> f.getFileName().toString().startsWith("link-")).toList();
        } catch (IOException e) {
            return Map.of();
        }
        Map<String, Map<Long, String>> byIndex = new HashMap<>();
        for (Path dump : dumps) {
            for (JsonNode device : GroundTruth.read(dump)) {
                byIndex.computeIfAbsent(netnsOf(dump), n -> new HashMap<>()).put(device.path("ifindex").asLong(),
                        device.path("ifname").asText());
            }
        }
        Map<Long, String> netnsById = new HashMap<>();
        try (Stream<Path> list = Files.list(groundTruth)) {
            list.filter(f -> f.getFileName().toString().startsWith("netns-")).forEach(f ->
                    GroundTruth.read(f).forEach(ns -> {
                        if (ns.path("nsid").isNumber()) {
                            netnsById.put(ns.path("nsid").asLong(), ns.path("netns").asText());
                        }
                    }));
        } catch (IOException e) {
            return Map.of();
        }
        Map<String, List<String>> peers = new HashMap<>();
        for (Path dump : dumps) {
            String netns = netnsOf(dump);
            for (JsonNode device : GroundTruth.read(dump)) {
                if (!"veth".equals(device.at("/linkinfo/info_kind").asText())) {
                    continue;
                }
                String peer;
                if (device.path("link").isTextual()) {
                    peer = device.path("link").asText(); // its peer in the same namespace, by name
                } else if (device.has("link_index")) {
                    String peerNetns = !netns.equals("root") ? "root" : device.has("link_netnsid")
                            ? netnsById.get(device.path("link_netnsid").asLong()) : "root";
                    peer = peerNetns == null ? null
                            : byIndex.getOrDefault(peerNetns, Map.of()).get(device.path("link_index").asLong());
                } else {
                    continue;
                }
                if (peer != null) {
                    List<String> names = peers.computeIfAbsent(netns + "/" + device.path("ifname").asText() + "/"
                            + device.path("ifindex").asLong(), k -> new ArrayList<>());
                    if (!names.contains(peer)) {
                        names.add(peer);
                    }
                }
            }
        }
        return peers;
    }

    /** The namespace a dump {@code link-TAG-NETNS.json} is of. */
    private static String netnsOf(Path dump) {
        String file = dump.getFileName().toString();
        String rest = file.substring("link-".length(), file.length() - ".json".length());
        return rest.substring(rest.lastIndexOf('-') + 1); // namespace names (root, vmN) have no dash; tags may
    }
}
