package org.vnetscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vnetscope.document.ReportJson;

/**
 * {@code paths[]} in the document of several hosts (samples/lab5): every hop names its host, each host's own paths
 * are those of the host's trace analysed alone, and the paths packets took from one host to the other are rows too,
 * their hop between the hosts marked as the wire. The text output lists them.
 */
class MultiHostPathsTest {

    private static final Path RECORDINGS = Path.of(System.getProperty("vnetscope.repo", ".."))
            .resolve("samples/lab5/recordings");
    private static final Map<String, JsonNode> DOCUMENTS = new ConcurrentHashMap<>();

    private static JsonNode analyze(String trace) {
        return DOCUMENTS.computeIfAbsent(trace, key -> {
            CommandRun run = CommandRun.of("analyze", "--format", "json", key);
            assertThat(run.exit()).as(run.err()).isZero();
            try {
                return run.json();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"mh-uplink", "mh-vxlan"})
    void everyHopNamesItsHostAndEachHostsOwnPathsAreThoseOfItsTraceAlone(String scenario) {
        JsonNode cluster = analyze(RECORDINGS.resolve(scenario).toString());
        List<String> hosts = new ArrayList<>();
        cluster.get("hosts").forEach(host -> hosts.add(host.get("name").asText()));
        assertThat(hosts).containsExactly("hosta", "hostb");
        int crossHost = 0;
        for (JsonNode path : cluster.get("paths")) {
            assertThat(path.get("hosts")).isNotEmpty();
            List<String> pathHosts = new ArrayList<>();
            path.get("hosts").forEach(host -> pathHosts.add(host.asText()));
            assertThat(pathHosts.get(0)).isEqualTo(path.get("host").asText());
            for (JsonNode hop : path.get("hops")) {
                assertThat(hop.isObject()).as(path.toString()).isTrue();
                assertThat(hop.get("device").asText()).isNotEmpty();
                assertThat(hop.get("host").asText()).isIn(pathHosts);
            }
            for (JsonNode entry : path.get("hop_latency_ns")) {
                assertThat(entry.get("from_host").asText()).isIn(pathHosts);
                assertThat(entry.get("to_host").asText()).isIn(pathHosts);
            }
            if (path.get("cross_host").asBoolean()) {
                crossHost++;
                crossHostPath(path);
            } else {
                assertThat(pathHosts).hasSize(1);
            }
        }
        // P1 both ways, T1's data and its ACKs with U1 (or P2's with P1's in mh-vxlan), the control wire both ways
        assertThat(crossHost).isGreaterThanOrEqualTo(6);
        for (String host : hosts) {
            JsonNode alone = analyze(RECORDINGS.resolve(scenario).resolve(host).resolve("trace/kernel").toString());
            assertThat(alone.has("hosts")).isFalse();
            alone.get("paths").forEach(path -> path.get("hops").forEach(hop -> assertThat(hop.isTextual()).isTrue()));
            List<JsonNode> own = new ArrayList<>();
            for (JsonNode path : cluster.get("paths")) {
                if (!path.get("cross_host").asBoolean() && path.get("host").asText().equals(host)) {
                    own.add(asOneHost(path));
                }
            }
            List<JsonNode> expected = new ArrayList<>();
            alone.get("paths").forEach(expected::add);
            assertThat(own).as(host).isEqualTo(expected);
        }
        JsonNode schema = readSchema();
        List<String> problems = new ArrayList<>();
        SchemaShape.check(schema, schema.at("/properties/paths"), cluster.get("paths"), "$.paths", problems);
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mh-uplink", "mh-vxlan"})
    void theTextListsTheHeaviestPathsBetweenTheHosts(String scenario) {
        CommandRun run = CommandRun.of("analyze", RECORDINGS.resolve(scenario).toString());
        assertThat(run.exit()).as(run.err()).isZero();
        String uplink = scenario.equals("mh-uplink") ? "phy0" : "vxlan100 -> phy0";
        String received = scenario.equals("mh-uplink") ? "phy0" : "phy0 -> vxlan100";
        assertThat(run.out()).contains("Paths between hosts")
                .contains("eth0@vnet0 -> vnet0 -> " + uplink + " [hosta] -> " + received
                        + " -> vnet0 -> eth0@vnet0 [hostb]")
                .contains("eth0@vnet1 -> vnet1 -> " + uplink + " [hosta] -> " + received
                        + " -> vnet1 -> eth0@vnet1 [hostb]");
        String table = run.out().substring(run.out().indexOf("Paths between hosts"));
        // the wire's median beside each path: a duration, in the column after the bytes
        assertThat(table.lines().skip(2).limit(4)).allSatisfy(line ->
                assertThat(line).matches("\\s+[\\d,]+\\s+\\S+ \\S+\\s+[\\d.]+ (ns|us|ms)\\s+.*"));
    }

    /** A path between the hosts: the sender's devices, then the receiver's, the hop between them the wire. */
    private static void crossHostPath(JsonNode path) {
        List<String> hosts = new ArrayList<>();
        path.get("hosts").forEach(host -> hosts.add(host.asText()));
        assertThat(hosts).hasSize(2).doesNotHaveDuplicates();
        JsonNode hops = path.get("hops");
        int leave = 0;
        while (hops.get(leave + 1).get("host").asText().equals(hosts.get(0))) {
            leave++;
        }
        for (int i = leave + 1; i < hops.size(); i++) {
            assertThat(hops.get(i).get("host").asText()).isEqualTo(hosts.get(1));
        }
        JsonNode entries = path.get("hop_latency_ns");
        assertThat(entries).hasSize(hops.size());
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            assertThat(entry.path("wire").asBoolean()).isEqualTo(i == leave);
            assertThat(entry.get("from").asText()).isEqualTo(hops.get(i).get("device").asText());
            assertThat(entry.get("from_host").asText()).isEqualTo(hops.get(i).get("host").asText());
        }
        JsonNode wire = entries.get(leave);
        assertThat(wire.get("from_host").asText()).isEqualTo(hosts.get(0));
        assertThat(wire.get("to_host").asText()).isEqualTo(hosts.get(1));
        assertThat(wire.get("latency_ns")).isEqualTo(path.get("wire_latency_ns"));
        assertThat(path.get("arrived_before_sent").asLong()).isZero();
        assertThat(path.get("packets").asLong()).isEqualTo(path.get("delivered").asLong() + path.get("dropped").asLong()
                + path.get("unterminated").asLong() + path.get("segmented").asLong());
        long byProtocol = 0;
        for (JsonNode count : path.get("protocols")) {
            byProtocol += count.asLong();
        }
        assertThat(byProtocol).isEqualTo(path.get("packets").asLong());
        path.get("drops").forEach(drop -> assertThat(drop.get("host").asText()).isEqualTo(hosts.get(1)));
    }

    /** A host's own path as the one-host document has it: hops as strings, no host members. */
    private static JsonNode asOneHost(JsonNode path) {
        ObjectNode copy = path.deepCopy();
        copy.remove(List.of("host", "hosts", "cross_host"));
        ArrayNode hops = copy.putArray("hops");
        path.get("hops").forEach(hop -> hops.add(hop.get("device").asText()));
        copy.get("hop_latency_ns").forEach(entry -> ((ObjectNode) entry).remove(List.of("from_host", "to_host")));
        copy.get("drops").forEach(drop -> ((ObjectNode) drop).remove("host"));
        return copy;
    }

    private static JsonNode readSchema() {
        try {
            return ReportJson.MAPPER.readTree(Path.of(System.getProperty("vnetscope.repo", ".."))
                    .resolve("docs/schema/analyze.schema.json").toFile());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
