package org.vnetscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vnetscope.analysis.cluster.TraceHosts;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.document.ReportJson;

/**
 * {@code analyze} and {@code topology} over several hosts' traces (samples/lab5: two qemu guests as hosts, a VM
 * torn down on hosta and recreated on hostb while pings ran), against the recording's ground truth: each host's
 * kernel counters, its metadata, and the migration's times as the recording's README reads them off the events.
 */
class MultiHostCommandsTest {

    private static final Path REPO = Path.of(System.getProperty("vnetscope.repo", ".."));
    private static final Path UPLINK = REPO.resolve("samples/lab5/recordings/mh-uplink");

    private static JsonNode analyze(String... traces) throws Exception {
        List<String> args = new ArrayList<>(List.of("analyze", "--format", "json"));
        args.addAll(List.of(traces));
        CommandRun run = CommandRun.of(args.toArray(String[]::new));
        assertThat(run.exit()).as(run.err()).isZero();
        return run.json();
    }

    @Test
    void aFolderOfTwoHostsIsAnalysedHostByHost() throws Exception {
        JsonNode json = analyze(UPLINK.toString());
        assertThat(json.get("hosts")).extracting(host -> host.get("name").asText()).containsExactly("hosta", "hostb");
        for (JsonNode host : json.get("hosts")) {
            try (TraceReader reader = TraceReader.open(Path.of(host.get("trace").asText()))) {
                assertThat(host.get("clock_uuid").asText()).isEqualTo(TraceHosts.clockUuid(reader.traces().get(0)));
                assertThat(reader.traces().get(0).hostname()).isEqualTo(host.get("name").asText());
            }
        }
        for (JsonNode row : json.get("interfaces")) {
            assertThat(row.get("host").asText()).isIn("hosta", "hostb");
        }
        // the same document whether the folder or each host's trace is named
        JsonNode separately = analyze(UPLINK.resolve("hosta/trace/kernel").toString(),
                UPLINK.resolve("hostb/trace/kernel").toString());
        assertThat(separately.get("interfaces")).isEqualTo(json.get("interfaces"));
        assertThat(separately.get("topology")).isEqualTo(json.get("topology"));
        assertThat(separately.get("vm_matrix")).isEqualTo(json.get("vm_matrix"));
    }

    @Test
    void everyBundledTraceAtOnceIsOneDocumentOfHostsNamedApart() throws Exception {
        // lab4's hostA and lab5's hosta are names one letter's case apart: the clocks must still be told apart
        JsonNode json = analyze(REPO.resolve("samples").toString());
        List<String> hosts = new ArrayList<>();
        json.get("hosts").forEach(host -> hosts.add(host.get("name").asText()));
        assertThat(hosts).contains("hostA").anyMatch(name -> name.startsWith("hosta#"));
        assertThat(hosts.stream().map(name -> name.toLowerCase(java.util.Locale.ROOT)).distinct()).hasSameSizeAs(hosts);
        List<String> tied = new ArrayList<>();
        json.get("sync").get("transforms").forEach(transform -> tied.add(transform.get("host").asText()));
        assertThat(tied).containsExactlyElementsOf(hosts);
    }

    @Test
    void everyVmPortAndBridgeOfBothHostsEqualsItsKernelCounters() throws Exception {
        JsonNode json = analyze(UPLINK.toString());
        int compared = 0;
        for (String host : List.of("hosta", "hostb")) {
            Path truth = UPLINK.resolve(host).resolve("groundtruth");
            Map<String, JsonNode> before = links(truth.resolve("link-pre-root.json"));
            Map<String, JsonNode> after = links(truth.resolve("link-post-root.json"));
            // hosta's vnet2 was deleted during the trace: its last counters were read just before
            links(truth.resolve("link-predelete-root.json")).forEach(after::putIfAbsent);
            for (String device : List.of("virbr0", "vnet0", "vnet1", "vnet2")) {
                List<JsonNode> rows = new ArrayList<>();
                json.get("interfaces").forEach(row -> {
                    if (row.get("host").asText().equals(host) && row.get("name").asText().equals(device)) {
                        rows.add(row);
                    }
                });
                assertThat(rows).as(host + " " + device).hasSize(1);
                for (String direction : List.of("rx", "tx")) {
                    for (String figure : List.of("packets", "bytes")) {
                        long expected = delta(before.get(device), after.get(device), direction, figure);
                        assertThat(rows.get(0).get(direction).get(figure).asLong())
                                .as(host + " " + device + " " + direction + " " + figure).isEqualTo(expected);
                        compared++;
                    }
                }
            }
        }
        assertThat(compared).isEqualTo(2 * 4 * 4);
    }

    @Test
    void theVmThatMovedIsOneMigrationFromHostaToHostb() throws Exception {
        JsonNode json = analyze(UPLINK.toString());
        List<JsonNode> migrated = new ArrayList<>();
        json.get("topology").get("changes").forEach(change -> {
            if (change.get("kind").asText().equals("migrated")) {
                migrated.add(change);
            }
        });
        assertThat(migrated).hasSize(1);
        JsonNode migration = migrated.get(0);
        assertThat(migration.get("mac").asText()).isEqualTo("52:54:00:0a:00:13");
        assertThat(migration.get("ip").asText()).isEqualTo("192.168.122.13");
        assertThat(migration.get("from_host").asText()).isEqualTo("hosta");
        assertThat(migration.get("to_host").asText()).isEqualTo("hostb");
        assertThat(migration.get("from").asText()).isEqualTo("vnet2");
        assertThat(migration.get("to").asText()).isEqualTo("vnet2");
        assertThat(migration.get("downtime_ns").asLong())
                .isEqualTo(migration.get("first_packet_ns").asLong() - migration.get("last_packet_ns").asLong())
                .isPositive();
        // on the recording's clocks: the last frame left between the pause and the port going down on hosta, the
        // first came on hostb between the VM's recreation and the end of its announcements
        Map<String, Long> a = times(UPLINK.resolve("hosta/groundtruth/times.txt"));
        Map<String, Long> b = times(UPLINK.resolve("hostb/groundtruth/times.txt"));
        assertThat(onHost(json, "hosta", migration.get("last_packet_ns").asLong()))
                .isBetween(a.get("PAUSE_NS"), a.get("DOWN_NS"));
        assertThat(onHost(json, "hostb", migration.get("first_packet_ns").asLong()))
                .isBetween(b.get("RECREATE_NS"), b.get("ANN_END_NS"));
        // the pings to the VM that went unanswered while it was away were sent and lost: 98-byte frames
        long unanswered = 0;
        for (Path ping : List.of(UPLINK.resolve("hosta/groundtruth/ping-M2.txt"),
                UPLINK.resolve("hostb/groundtruth/ping-M1.txt"))) {
            unanswered += Files.readAllLines(ping).stream().filter(line -> line.contains("no answer yet")).count();
        }
        assertThat(unanswered).isEqualTo(50);
        assertThat(migration.get("lost_packets").asLong()).isEqualTo(unanswered);
        assertThat(migration.get("lost_bytes").asLong()).isEqualTo(unanswered * 98);
        // the VM pinged from hosta crossed hosts only after it moved: part of its traffic, not all
        JsonNode pair = pair(json, "52:54:00:0a:00:11", "52:54:00:0a:00:13");
        assertThat(pair.get("to_hosts")).extracting(JsonNode::asText).containsExactly("hosta", "hostb");
        assertThat(pair.get("cross_host_share").asDouble()).isStrictlyBetween(0.0, 1.0);
        assertThat(pair(json, "52:54:00:0a:00:11", "52:54:00:0b:00:21").get("cross_host_share").asDouble())
                .isEqualTo(1.0);
        assertThat(pair(json, "52:54:00:0a:00:11", "52:54:00:0a:00:12").get("cross_host_bytes").asLong()).isZero();
    }

    @Test
    void topologyShowsEachHostAsAClusterAndTheMigrationBetweenThem() {
        CommandRun run = CommandRun.of("topology", "--format", "dot", UPLINK.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("subgraph \"cluster_hosta\"", "subgraph \"cluster_hostb\"",
                "\"hosta:virbr0\"", "\"hostb:virbr0\"", "\"hosta:vnet2\" -- \"hostb:vnet2\" [style=dashed");
        CommandRun text = CommandRun.of("topology", UPLINK.toString());
        assertThat(text.out()).contains("=== host hosta", "=== host hostb",
                "52:54:00:0a:00:13 (192.168.122.13): hosta vnet2 -> hostb vnet2");
    }

    @Test
    void placementOfAFolderOfHostsIsThatOfItsTraces() {
        String hosts = REPO.resolve("samples/lab5/hosts.json").toString();
        CommandRun folder = CommandRun.of("placement", UPLINK.toString(), "--hosts", hosts,
                "--format", "json");
        CommandRun traces = CommandRun.of("placement",
                UPLINK.resolve("hosta/trace/kernel").toString(), UPLINK.resolve("hostb/trace/kernel").toString(),
                "--hosts", hosts, "--format", "json");
        assertThat(folder.exit()).as(folder.err()).isZero();
        assertThat(folder.out()).isEqualTo(traces.out());
    }

    @Test
    void theReportOfSeveralHostsEmbedsTheClusterDocument(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path html = dir.resolve("cluster.html");
        CommandRun run = CommandRun.of("report", UPLINK.toString(), "-o", html.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        String page = Files.readString(html);
        JsonNode embedded = ReportJson.MAPPER.readTree(page.substring(
                page.indexOf('>', page.indexOf("id=\"vnetscope-data\"")) + 1,
                page.indexOf("</script>", page.indexOf("id=\"vnetscope-data\""))));
        assertThat(embedded.get("hosts")).isEqualTo(analyze(UPLINK.toString()).get("hosts"));
        assertThat(embedded.get("topology").get("changes").findValuesAsText("kind")).contains("migrated");
    }

    @Test
    void oneHostsDocumentIsUnchanged() throws Exception {
        JsonNode json = analyze(UPLINK.resolve("hosta/trace/kernel").toString());
        assertThat(json.has("hosts")).isFalse();
        assertThat(json.get("interfaces").get(0).has("host")).isFalse();
    }

    /** A reference time on a host's own clock, by the document's synchronization. */
    private static long onHost(JsonNode json, String host, long referenceNs) {
        for (JsonNode transform : json.get("sync").get("transforms")) {
            if (transform.get("host").asText().equals(host)) {
                // exact enough for windows of milliseconds: the double keeps epoch times to 256 ns
                return Math.round((referenceNs - transform.get("offset_ns").asLong())
                        / transform.get("slope").asDouble());
            }
        }
        throw new AssertionError("no transform for " + host);
    }

    private static Map<String, Long> times(Path file) throws Exception {
        Map<String, Long> times = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2) {
                times.put(parts[0], Long.parseLong(parts[1]));
            }
        }
        return times;
    }

    private static JsonNode pair(JsonNode json, String a, String b) {
        for (JsonNode row : json.get("vm_matrix")) {
            if (row.get("from").asText().equals(a) && row.get("to").asText().equals(b)) {
                return row;
            }
        }
        throw new AssertionError("no pair " + a + " " + b);
    }

    private static Map<String, JsonNode> links(Path file) throws Exception {
        Map<String, JsonNode> links = new HashMap<>();
        if (Files.exists(file)) {
            ReportJson.MAPPER.readTree(file.toFile()).forEach(link -> links.put(link.get("ifname").asText(), link));
        }
        return links;
    }

    private static long delta(JsonNode before, JsonNode after, String direction, String figure) {
        long start = before == null ? 0 : before.get("stats64").get(direction).get(figure).asLong();
        return after.get("stats64").get(direction).get(figure).asLong() - start;
    }
}
