package org.vnetscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetscope.document.ReportJson;

/**
 * {@code vnetscope placement} on the bundled sample and on the two-host lab recording (samples/lab5), against what
 * the recording's scenario sent: every ping is counted once, on the host that sent it, with its frames' bytes.
 */
class PlacementCommandTest {

    private static final Path REPO = Path.of(System.getProperty("vnetscope.repo", ".."));
    private static final Path SAMPLE = REPO.resolve("samples/bridge-basic");
    private static final Path UPLINK = REPO.resolve("samples/lab5/recordings/mh-uplink");

    private static Path twoHosts(Path dir, int cpu, int memory) throws Exception {
        Path hosts = dir.resolve("hosts.json");
        Files.writeString(hosts, "{\"hosts\":[{\"name\":\"hosta\",\"cpu\":" + cpu + ",\"memory_mib\":" + memory
                + ",\"nic_bits_per_second\":1000000000},{\"name\":\"hostb\",\"cpu\":" + cpu + ",\"memory_mib\":"
                + memory + ",\"nic_bits_per_second\":1000000000}]}");
        return hosts;
    }

    @Test
    void twoHostRecordingCountsEachPacketOnceWhereItWasSent(@TempDir Path dir) throws Exception {
        CommandRun run = CommandRun.of("placement", UPLINK.resolve("hosta/trace/kernel").toString(),
                UPLINK.resolve("hostb/trace/kernel").toString(), "--hosts", twoHosts(dir, 4, 4096).toString(),
                "--format", "json");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        Map<String, JsonNode> pairs = new HashMap<>();
        json.get("traffic").forEach(pair -> pairs.put(pair.get("a").asText() + " " + pair.get("b").asText(), pair));
        // P1: 100 pings hosta vmA1 -> hostb vmB1, all answered: 200 frames of 98 bytes, across hosts
        assertThat(pairs.get("52:54:00:0a:00:11 52:54:00:0b:00:21").get("bytes").asLong()).isEqualTo(200 * 98);
        // P2: 20 pings within hosta
        assertThat(pairs.get("52:54:00:0a:00:11 52:54:00:0a:00:12").get("bytes").asLong()).isEqualTo(40 * 98);
        // M1 and M2: 150 pings each to the VM that migrated, 125 answered
        assertThat(pairs.get("52:54:00:0a:00:11 52:54:00:0a:00:13").get("packets").asLong()).isEqualTo(275);
        assertThat(pairs.get("52:54:00:0a:00:13 52:54:00:0b:00:21").get("packets").asLong()).isEqualTo(275);
        assertThat(pairs.get("52:54:00:0a:00:12 52:54:00:0b:00:22").get("bytes").asLong())
                .as("iperf3 TCP payload alone").isGreaterThan(12_582_912L);

        JsonNode migrated = null;
        for (JsonNode vm : json.get("vms")) {
            if (vm.get("name").asText().equals("52:54:00:0a:00:13")) {
                migrated = vm;
            }
        }
        assertThat(migrated).isNotNull();
        assertThat(migrated.get("host").asText()).isEqualTo("hostb");
        assertThat(migrated.get("hosts").toString()).isEqualTo("[\"hosta\",\"hostb\"]");

        // room for all: the bulk pair joins, only the small ping pair within the old hosta stays apart
        assertThat(json.get("before").get("cross_host_bytes").asLong()).isGreaterThan(15_000_000L);
        assertThat(json.get("after").get("cross_host_bytes").asLong()).isEqualTo(40 * 98);
        assertThat(json.get("optimal").asBoolean()).isTrue();
        assertThat(json.get("lower_bound_bytes").asLong()).isEqualTo(40 * 98);
        assertThat(json.get("moves")).isNotEmpty();
        JsonNode schema = ReportJson.MAPPER.readTree(REPO.resolve("docs/schema/placement.schema.json").toFile());
        java.util.List<String> problems = new java.util.ArrayList<>();
        SchemaShape.check(schema, schema, json, "$", problems);
        assertThat(problems).isEmpty();
        for (JsonNode move : json.get("moves")) {
            assertThat(move.get("virsh").asText()).startsWith("virsh migrate --live")
                    .endsWith("qemu+ssh://" + move.get("to").asText() + "/system");
        }
    }

    @Test
    void aMigrationBudgetAndPinsAreKept(@TempDir Path dir) throws Exception {
        Path hosts = twoHosts(dir, 4, 4096);
        CommandRun run = CommandRun.of("placement", UPLINK.resolve("hosta/trace/kernel").toString(),
                UPLINK.resolve("hostb/trace/kernel").toString(), "--hosts", hosts.toString(), "--format", "json",
                "--max-moves", "1", "--pin", "52:54:00:0b:00:22=hostb");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        assertThat(json.get("moves")).hasSize(1);
        assertThat(json.get("moves").get(0).get("vm").asText()).isEqualTo("52:54:00:0a:00:12");
        for (JsonNode assignment : json.get("placement")) {
            if (assignment.get("vm").asText().equals("52:54:00:0b:00:22")) {
                assertThat(assignment.get("host").asText()).isEqualTo("hostb");
            }
        }
    }

    @Test
    void anOverfullHostSendsVmsWhereTheyFit() throws Exception {
        CommandRun run = CommandRun.of("placement", SAMPLE.resolve("trace/kernel").toString(), "--hosts",
                SAMPLE.resolve("hosts.json").toString(), "--format", "json", "--max-moves", "1");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        assertThat(json.get("before").get("feasible").asBoolean()).isFalse();
        assertThat(json.get("after").get("feasible").asBoolean()).isTrue();
        assertThat(json.get("moves")).hasSize(1);
        // of the three VMs, the one that talks least to the others leaves
        String leaving = json.get("moves").get(0).get("vm").asText();
        long cut = json.get("after").get("cross_host_bytes").asLong();
        long least = Long.MAX_VALUE;
        Map<String, Long> traffic = new HashMap<>();
        for (JsonNode pair : json.get("traffic")) {
            traffic.merge(pair.get("a").asText(), pair.get("bytes").asLong(), Long::sum);
            traffic.merge(pair.get("b").asText(), pair.get("bytes").asLong(), Long::sum);
        }
        for (long bytes : traffic.values()) {
            least = Math.min(least, bytes);
        }
        assertThat(traffic.get(leaving)).isEqualTo(least);
        assertThat(cut).isEqualTo(least);
    }

    @Test
    void aMatrixFileIsPlacedWithoutTraces(@TempDir Path dir) throws Exception {
        Path matrix = dir.resolve("matrix.json");
        Files.writeString(matrix, "{\"vms\":[{\"name\":\"web\",\"host\":\"hosta\",\"cpu\":2,\"memory_mib\":2048},"
                + "{\"name\":\"db\",\"host\":\"hostb\",\"cpu\":2,\"memory_mib\":2048},"
                + "{\"name\":\"batch\",\"host\":\"hosta\",\"cpu\":2,\"memory_mib\":2048}],"
                + "\"traffic\":[{\"a\":\"web\",\"b\":\"db\",\"bytes\":1000000},{\"a\":\"batch\",\"b\":\"db\",\"bytes\":10}]}");
        CommandRun run = CommandRun.of("placement", "--matrix", matrix.toString(), "--hosts", twoHosts(dir, 4,
                4096).toString(),
                "--format", "json");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        assertThat(json.get("before").get("cross_host_bytes").asLong()).isEqualTo(1_000_010L);
        // each host holds two VMs at most: web and db together, batch alone
        assertThat(json.get("after").get("cross_host_bytes").asLong()).isEqualTo(10);
        assertThat(json.get("moves")).hasSize(1);
        CommandRun text = CommandRun.of("placement", "--matrix", matrix.toString(), "--hosts",
                dir.resolve("hosts.json").toString());
        assertThat(text.out()).contains("virsh migrate --live").contains("batch").contains("keeps them apart");
    }

    @Test
    void badInputIsOneLineNamingTheFile(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("hosts.json");
        Files.writeString(broken, "{\"hosts\": [{\"name\": \"a\"}]}");
        CommandRun run = CommandRun.of("placement", "--matrix", broken.toString(), "--hosts", broken.toString());
        assertThat(run.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(run.err().strip()).doesNotContain("\n").contains(broken.toString()).contains("cpu");

        Path oneHost = dir.resolve("one.json");
        Files.writeString(oneHost, "{\"hosts\":[{\"name\":\"elsewhere\",\"cpu\":4,\"memory_mib\":4096}]}");
        CommandRun missing = CommandRun.of("placement", SAMPLE.resolve("trace/kernel").toString(), "--hosts",
                oneHost.toString());
        assertThat(missing.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(missing.err().strip()).doesNotContain("\n").contains("labguest").contains(oneHost.toString());

        CommandRun neither = CommandRun.of("placement", "--hosts", oneHost.toString());
        assertThat(neither.exit()).isEqualTo(2);
        assertThat(neither.err()).contains("either traces or --matrix");
    }

    /**
     * samples/lab5/substrate.json joins hosta and hostb through one switch, each by a 10 Mbit/s link. Every byte
     * between the hosts crosses both links, so each link carries what each host's NIC carries: before, the NIC's
     * p95 exactly. That p95 (of 71 one-second bins, nearest rank: the 4th largest) falls in the 5 s of T1, vmA2's
     * TCP to vmB2 at 20 Mbit/s (12,582,912 payload bytes in 5 s, 20.1 Mbit/s, plus headers): about 20 Mbit/s,
     * twice the links' capacity. Placed together (4 vCPU hosts, 1 vCPU VMs), vmA2 and vmB2 leave only P2 across,
     * 40 frames of 98 bytes in 2 s: at most 3 bins not empty, so the 4th largest, the p95, is 0.
     */
    @Test
    void aSubstrateOfTwoHostsAndASwitchCarriesNothingAfterTheBulkPairJoins() throws Exception {
        Path substrate = REPO.resolve("samples/lab5/substrate.json");
        CommandRun run = CommandRun.of("placement", UPLINK.resolve("hosta/trace/kernel").toString(),
                UPLINK.resolve("hostb/trace/kernel").toString(), "--substrate", substrate.toString(), "--format", "json");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        JsonNode mapping = json.get("substrate");
        assertThat(mapping.get("links")).hasSize(2);
        long nicBefore = json.get("before").get("hosts").get(0).get("nic_p95_bits_per_second").asLong();
        assertThat(nicBefore).isBetween(19_000_000L, 22_000_000L);
        for (JsonNode link : mapping.get("links")) {
            assertThat(link.get("capacity_bits_per_second").asLong()).isEqualTo(10_000_000L);
            assertThat(link.get("before_bits_per_second").asLong()).isEqualTo(nicBefore);
            assertThat(link.get("before_utilization").asDouble()).isEqualTo(nicBefore / 1e7);
            assertThat(link.get("after_bits_per_second").asLong()).isZero();
            assertThat(link.get("after_bytes").asLong()).isEqualTo(40 * 98);
        }
        assertThat(mapping.get("max_link_utilization_before").asDouble()).isEqualTo(nicBefore / 1e7);
        assertThat(mapping.get("max_link_utilization_after").asDouble()).isZero();
        assertThat(json.get("before").get("feasible").asBoolean()).isFalse();
        assertThat(json.get("after").get("feasible").asBoolean()).isTrue();
        assertThat(json.get("after").get("cross_host_bytes").asLong()).isEqualTo(40 * 98);
        assertThat(json.get("optimal").asBoolean()).isTrue();
        // one tenant: every VM talks to another, vmA1 to all but vmB2, which talks to vmA2
        assertThat(mapping.get("tenants_from").asText()).isEqualTo("traffic");
        assertThat(mapping.get("tenants")).hasSize(1);
        assertThat(mapping.get("tenants").get(0).get("embedded").asBoolean()).isTrue();
        assertThat(mapping.get("routes")).hasSize(1);
        JsonNode route = mapping.get("routes").get(0);
        assertThat(route.get("a").asText() + " " + route.get("b").asText())
                .isEqualTo("52:54:00:0a:00:11 52:54:00:0a:00:12");
        assertThat(route.get("path").toString()).isEqualTo("[\"" + route.get("a_host").asText() + "\",\"sw\",\""
                + route.get("b_host").asText() + "\"]");
        JsonNode schema = ReportJson.MAPPER.readTree(REPO.resolve("docs/schema/placement.schema.json").toFile());
        java.util.List<String> problems = new java.util.ArrayList<>();
        SchemaShape.check(schema, schema, json, "$", problems);
        assertThat(problems).isEmpty();

        CommandRun text = CommandRun.of("placement", UPLINK.resolve("hosta/trace/kernel").toString(),
                UPLINK.resolve("hostb/trace/kernel").toString(), "--substrate", substrate.toString());
        assertThat(text.out()).contains("busiest link (p95 of its binned rate): ").contains("hosta-sw")
                .contains("tenant networks (the connected groups of the VM traffic graph");
    }

    /**
     * The same recording with the bulk pair declared a tenant of its own and pinned apart: its 20 Mbit/s at p95
     * cannot cross a 10 Mbit/s link, so it is turned away, and the ping tenant is embedded on one host.
     */
    @Test
    void aTenantPinnedAcrossTooNarrowALinkIsTurnedAwayWithTheLink(@TempDir Path dir) throws Exception {
        Path substrate = dir.resolve("substrate.json");
        Files.writeString(substrate, Files.readString(REPO.resolve("samples/lab5/substrate.json")).replaceFirst(
                "\\}\\s*$", ",\"tenants\":[{\"name\":\"bulk\",\"vms\":[\"52:54:00:0a:00:12\",\"52:54:00:0b:00:22\"]},"
                        + "{\"name\":\"pings\",\"vms\":[\"52:54:00:0a:00:11\",\"52:54:00:0a:00:13\",\"52:54:00:0b:00:21\"]}]}"));
        CommandRun run = CommandRun.of("placement", UPLINK.resolve("hosta/trace/kernel").toString(),
                UPLINK.resolve("hostb/trace/kernel").toString(), "--substrate", substrate.toString(), "--format", "json",
                "--pin", "52:54:00:0a:00:12=hosta", "--pin", "52:54:00:0b:00:22=hostb");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        Map<String, JsonNode> tenants = new HashMap<>();
        json.get("substrate").get("tenants").forEach(t -> tenants.put(t.get("name").asText(), t));
        assertThat(json.get("substrate").get("tenants_from").asText()).isEqualTo("declared");
        assertThat(tenants.get("bulk").get("embedded").asBoolean()).isFalse();
        assertThat(tenants.get("bulk").get("reason").asText()).startsWith("link hosta-sw: needs ")
                .contains("at p95 for 52:54:00:0a:00:12 - 52:54:00:0b:00:22 (pinned to hosta and hostb), "
                        + "capacity 10.0 Mbit/s");
        assertThat(tenants.get("pings").get("embedded").asBoolean()).isTrue();
        assertThat(tenants.get("pings").get("reason").isNull()).isTrue();
        for (JsonNode assignment : json.get("placement")) {
            boolean bulk = assignment.get("vm").asText().matches("52:54:00:0(a:00:12|b:00:22)");
            assertThat(assignment.get("host").isNull()).as(assignment.toString()).isEqualTo(bulk);
        }
        assertThat(json.get("after").get("feasible").asBoolean()).isTrue();
        assertThat(json.get("substrate").get("max_link_utilization_after").asDouble()).isZero();
    }

    @Test
    void badSubstratesAreOneLineNamingTheFile(@TempDir Path dir) throws Exception {
        String trace = SAMPLE.resolve("trace/kernel").toString();
        Path hosts = SAMPLE.resolve("hosts.json");
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"switches\":[{\"name\":\"tor\"}],\"links\":[{\"a\":\"labguest\",\"b\":\"tor\",\"bits_per_second\":"
                + "1000},{\"a\":\"ghost\",\"b\":\"tor\",\"bits_per_second\":1000}]}",
                "link ghost-tor names ghost, which is neither a host nor a switch");
        cases.put("{\"switches\":[\"tor\"],\"links\":[{\"a\":\"labguest\",\"b\":\"tor\",\"bits_per_second\":-1}]}",
                "links[0]: link labguest-tor: its capacity (bits_per_second) must be positive, not -1");
        cases.put("{\"switches\": [", "not readable JSON");
        cases.put("[1, 2]", "expected {\"switches\"");
        cases.put("{\"links\":[{\"a\":\"labguest\",\"b\":\"tor\"}]}", "links[0]: \"bits_per_second\" (a number) is missing");
        cases.put("{\"switches\":[\"tor\"],\"links\":[],\"tenants\":[{\"name\":\"t\",\"vms\":[\"nobody\"]}]}",
                "tenant t names VM nobody, which is not among the VMs");
        int i = 0;
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path substrate = dir.resolve("substrate" + i++ + ".json");
            Files.writeString(substrate, c.getKey());
            CommandRun run = CommandRun.of("placement", trace, "--hosts", hosts.toString(), "--substrate",
                    substrate.toString());
            assertThat(run.exit()).as(c.getKey()).isEqualTo(Main.EXIT_BAD_INPUT);
            assertThat(run.err().strip()).as(c.getKey()).doesNotContain("\n").startsWith("vnetscope: error: "
                    + substrate).contains(c.getValue());
        }

        // hosts in both files must agree
        Path other = dir.resolve("other.json");
        Files.writeString(other, "{\"hosts\":[{\"name\":\"labguest\",\"cpu\":64,\"memory_mib\":2048}],"
                + "\"switches\":[\"tor\"],\"links\":[{\"a\":\"labguest\",\"b\":\"tor\",\"bits_per_second\":1000}]}");
        CommandRun disagree = CommandRun.of("placement", trace, "--hosts", hosts.toString(), "--substrate",
                other.toString());
        assertThat(disagree.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(disagree.err().strip()).doesNotContain("\n").contains(other.toString()).contains("64.0 vCPU");

        CommandRun nothing = CommandRun.of("placement", trace);
        assertThat(nothing.exit()).isEqualTo(2);
        assertThat(nothing.err()).contains("give --hosts HOSTS.json or --substrate SUBSTRATE.json");
    }
}
