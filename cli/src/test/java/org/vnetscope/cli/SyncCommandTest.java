package org.vnetscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetscope.document.ReportJson;

/**
 * {@code vnetscope sync} on the two-host recording (samples/lab5 mh-uplink), whose hostb clock reads about 2.646 s
 * ahead of hosta's (measured by probes over the control wire): the contract fields, their shape, and that the
 * contract's numbers say what the table says.
 */
class SyncCommandTest {

    private static final Path REPO = Path.of(System.getProperty("vnetscope.repo", ".."));
    private static final Path UPLINK = REPO.resolve("samples/lab5/recordings/mh-uplink");
    private static final String HOSTA = UPLINK.resolve("hosta/trace/kernel").toString();
    private static final String HOSTB = UPLINK.resolve("hostb/trace/kernel").toString();

    @Test
    void jsonHasTheContractFieldsAndTheirNumbersAgree() throws Exception {
        CommandRun run = CommandRun.of("sync", "--format", "json", HOSTA, HOSTB);
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        JsonNode schema = ReportJson.MAPPER.readTree(REPO.resolve("docs/schema/sync.schema.json").toFile());
        List<String> problems = new ArrayList<>();
        SchemaShape.check(schema, schema, json, "$", problems);
        assertThat(problems).isEmpty();

        assertThat(json.get("hosts").get(0).get("name").asText()).isEqualTo("hosta");
        assertThat(json.get("hosts").get(0).get("trace").asText()).isEqualTo(HOSTA);
        assertThat(json.get("hosts").get(1).get("clock_uuid").asText()).hasSize(36);
        JsonNode sync = json.get("sync");
        assertThat(sync.get("reference").asText()).isEqualTo("hosta");
        JsonNode hosta = sync.get("transforms").get(0);
        assertThat(hosta.get("quality").asText()).isEqualTo("exact");
        assertThat(hosta.get("slope").asDouble()).isEqualTo(1.0);
        assertThat(hosta.get("offset_ns").asLong()).isZero();
        JsonNode hostb = sync.get("transforms").get(1);
        assertThat(hostb.get("host").asText()).isEqualTo("hostb");
        assertThat(hostb.get("quality").asText()).isEqualTo("accurate");
        assertThat(hostb.get("matches").asInt())
                .isEqualTo(hostb.get("matches_sent").asInt() + hostb.get("matches_received").asInt()).isPositive();
        long accuracy = hostb.get("accuracy_ns").asLong();
        assertThat(accuracy).isPositive();
        // the contract's line and the exact form give the same reference time at the middle
        long middle = hostb.get("middle_ns").asLong();
        double contract = hostb.get("slope").asDouble() * middle + hostb.get("offset_ns").asLong();
        assertThat(Math.abs(contract - (middle + hostb.get("middle_offset_ns").asLong()))).isLessThan(512.0);
        // hostb's clock is about 2.646 s ahead (probes: 2,646,034,032 ns +- 1.1 ms before the trace)
        assertThat(Math.abs(-hostb.get("middle_offset_ns").asLong() - 2_646_034_032L))
                .isLessThanOrEqualTo(accuracy + 1_111_010);
        JsonNode pair = sync.get("pairs").get(0);
        assertThat(pair.get("violations").asInt()).isZero();
        assertThat(pair.get("min_delay_ab_ns").asLong()).isPositive();
        assertThat(pair.get("min_delay_ba_ns").asLong()).isPositive();
    }

    @Test
    void aFolderOfHostsTracesIsSplitByHostAndPrintedAsATable() {
        CommandRun run = CommandRun.of("sync", UPLINK.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("reference hosta");
        String hostbRow = run.out().lines().filter(line -> line.startsWith("hostb ") && line.contains("accurate"))
                .findFirst().orElseThrow();
        assertThat(hostbRow).contains("-2.64").contains("hosta");
        assertThat(run.out()).contains(UPLINK.resolve("hostb").toString());
        assertThat(run.out()).contains("0 arrive before they left");
    }

    @Test
    void pairsThatMatchedNothingAreCountedInTheTextAndListedInTheJson() throws Exception {
        String elsewhere = REPO.resolve("samples/bridge-basic/trace/kernel").toString();
        CommandRun run = CommandRun.of("sync", HOSTA, HOSTB, elsewhere);
        assertThat(run.exit()).as(run.err()).isZero();
        List<String> pairLines = run.out().lines().dropWhile(line -> !line.equals("Pairs:")).skip(1)
                .takeWhile(line -> line.startsWith("  ")).toList();
        assertThat(pairLines).hasSize(2);
        assertThat(pairLines.get(0)).startsWith("  hosta - hostb: ").doesNotContain("pair not used");
        assertThat(pairLines.get(1)).isEqualTo("  2 of 3 pairs matched no packet either way (each is in --format json)");
        JsonNode pairs = CommandRun.of("sync", "--format", "json", HOSTA, HOSTB, elsewhere).json().get("sync")
                .get("pairs");
        assertThat(pairs).hasSize(3);
        int silent = 0;
        for (JsonNode pair : pairs) {
            silent += pair.get("matches_ab").asInt() + pair.get("matches_ba").asInt() == 0 ? 1 : 0;
        }
        assertThat(silent).isEqualTo(2);
    }

    @Test
    void notesSeveralHostsGaveAlikeAreSaidOnce() {
        List<String> hosts = List.of("a", "b", "c", "d", "e", "f", "g");
        List<String> notes = new ArrayList<>();
        for (String host : hosts.subList(1, 7)) {
            notes.add(host + ": no packet ties it to a");
        }
        notes.add(1, "c: its own words");
        notes.add("a note of no host");
        notes.add("z: not a host's name");
        assertThat(SyncReport.byHost(notes, hosts)).containsExactly(
                "6 hosts (b, c, d, e, f and 1 more): no packet ties it to a", "c: its own words", "a note of no host",
                "z: not a host's name");
    }

    @Test
    void anotherReferenceInvertsTheTransform() throws Exception {
        JsonNode sync = CommandRun.of("sync", "--format", "json", "--reference", "hostb", HOSTA,
                HOSTB).json().get("sync");
        assertThat(sync.get("reference").asText()).isEqualTo("hostb");
        JsonNode hosta = sync.get("transforms").get(0);
        assertThat(hosta.get("quality").asText()).isEqualTo("accurate");
        assertThat(hosta.get("via").asText()).isEqualTo("hostb");
        assertThat(hosta.get("middle_offset_ns").asLong()).isBetween(2_640_000_000L, 2_650_000_000L);
        assertThat(sync.get("transforms").get(1).get("quality").asText()).isEqualTo("exact");
    }

    @Test
    void oneHostIsItsOwnReference() throws Exception {
        CommandRun run = CommandRun.of("sync", "--format", "json", HOSTA);
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode sync = run.json().get("sync");
        assertThat(sync.get("transforms")).hasSize(1);
        assertThat(sync.get("transforms").get(0).get("quality").asText()).isEqualTo("exact");
        assertThat(sync.get("notes").toString()).contains("one host");
    }

    @Test
    void badInputGivesOneLine(@TempDir Path empty) throws Exception {
        CommandRun missing = CommandRun.of("sync", empty.resolve("nowhere").toString(), HOSTA);
        assertThat(missing.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(missing.err().strip()).startsWith("vnetscope: error:").contains("nowhere").doesNotContain("\n")
                .doesNotContain("Exception");

        Files.createDirectories(empty.resolve("folder"));
        CommandRun noTrace = CommandRun.of("sync", empty.resolve("folder").toString());
        assertThat(noTrace.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(noTrace.err().strip()).contains("no CTF trace").doesNotContain("\n");

        CommandRun unknown = CommandRun.of("sync", "--reference", "hostz", HOSTA, HOSTB);
        assertThat(unknown.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(unknown.err().strip()).contains("hostz").doesNotContain("\n");
    }
}
