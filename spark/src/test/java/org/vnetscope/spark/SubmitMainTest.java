package org.vnetscope.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code spark-submit ... vnetscope-spark.jar analyze --output DIR PATHS} writes: the command line's document,
 * and Parquet tables that Spark reads back as the document's rows, each with its host, partitioned by host.
 */
class SubmitMainTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Rows in one order whatever the order of their members (Spark puts the partition column last). */
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();

    @BeforeAll
    static void startSpark() {
        SparkTests.session();
    }

    @Test
    void severalHostsTablesAreTheDocumentsRows(@TempDir Path output) throws Exception {
        Path trace = SparkTests.REPO.resolve("samples/lab5/recordings/mh-uplink");
        JsonNode document = writeAndCompareDocument(trace, output);
        assertThat(document.path("hosts").size()).isEqualTo(2);

        List<JsonNode> interfaces = new ArrayList<>();
        List<JsonNode> timeline = new ArrayList<>();
        for (JsonNode iface : document.path("interfaces")) {
            interfaces.add(flatten(iface, "timeline"));
            for (JsonNode bin : iface.path("timeline")) {
                ObjectNode row = flatten(bin);
                row.set("host", iface.get("host"));
                row.set("interface", iface.get("name"));
                copyIfNotNull(iface, row, "peer");
                copyIfNotNull(iface, row, "netns");
                timeline.add(row);
            }
        }
        assertTable(output, "interfaces", interfaces);
        assertTable(output, "interface_timeline", timeline);
        assertTable(output, "streams", rows(document.path("streams")));
        assertTable(output, "drops", rows(document.path("drops")));
        assertTable(output, "offload", rows(document.path("offload")));
        List<JsonNode> paths = new ArrayList<>();
        ParquetTables.pathRows(document.path("paths")).forEach(path -> paths.add(flatten(path, "protocols")));
        assertTable(output, "paths", paths);
        assertTable(output, "vm_matrix", rows(document.path("host_vm_matrix")));
        assertTable(output, "cluster_vm_matrix", rows(document.path("vm_matrix")));
        List<JsonNode> changes = rows(document.path("topology").path("changes"));
        assertThat(changes).anyMatch(change -> change.path("kind").asText().equals("migrated"));
        assertTable(output, "topology_changes", changes);
        List<JsonNode> hosts = new ArrayList<>();
        for (JsonNode host : document.path("hosts")) {
            ObjectNode row = flatten(host, "name", "boundary_packets");
            row.set("host", host.get("name"));
            hosts.add(row);
        }
        assertTable(output, "hosts", hosts);
        List<JsonNode> sync = new ArrayList<>();
        for (JsonNode transform : document.path("sync").path("transforms")) {
            ObjectNode row = flatten(transform);
            row.set("reference", document.path("sync").get("reference"));
            sync.add(row);
        }
        assertTable(output, "sync", sync);

        // partitioned by host: one folder per host, the host read back from the folder's name
        assertThat(output.resolve("interfaces/host=hosta")).isDirectory();
        assertThat(output.resolve("interfaces/host=hostb")).isDirectory();
        assertThat(output.resolve("cluster_vm_matrix")).isDirectory();
    }

    @Test
    void oneHostsRowsTakeItsName(@TempDir Path output) throws Exception {
        Path trace = SparkTests.REPO.resolve("samples/bridge-basic/trace/kernel");
        JsonNode document = writeAndCompareDocument(trace, output);
        String host = read(output, "hosts").get(0).path("host").asText();
        assertThat(host).isNotEmpty();
        List<JsonNode> streams = new ArrayList<>();
        for (JsonNode stream : document.path("streams")) {
            ObjectNode row = flatten(stream);
            row.put("host", host);
            streams.add(row);
        }
        assertThat(streams).hasSizeGreaterThan(2);
        assertTable(output, "streams", streams);
        List<JsonNode> matrix = new ArrayList<>();
        for (JsonNode pair : document.path("vm_matrix")) {
            ObjectNode row = flatten(pair);
            row.put("host", host);
            matrix.add(row);
        }
        assertTable(output, "vm_matrix", matrix);
        assertThat(output.resolve("sync")).doesNotExist(); // one host: nothing to synchronize
        assertThat(output.resolve("streams/host=" + host)).isDirectory();
    }

    /**
     * The tables as a notebook reads them: docs/examples/read_tables.py, with pandas (pyarrow) and DuckDB, finds
     * in each table the rows of the document and in the interfaces its counts, host by host.
     */
    @Test
    void pandasAndDuckDbReadTheDocumentsRows(@TempDir Path output) throws Exception {
        // hidden with the other external tools (-Dvnetscope.oracles=none), so that CI sees the skip work
        Assumptions.assumeTrue(!"none".equals(System.getProperty("vnetscope.oracles"))
                        && python("-c", "import pandas, pyarrow, duckdb").exitCode() == 0,
                "skipped: no python3 with pandas, pyarrow and duckdb (pip install pandas pyarrow duckdb)");
        writeAndCompareDocument(SparkTests.REPO.resolve("samples/lab5/recordings/mh-uplink"), output);
        String example = SparkTests.REPO.resolve("docs/examples/read_tables.py").toString();
        SparkTests.Run checked = python(example, "--check", output.toString());
        assertThat(checked.exitCode()).as(checked.err()).isZero();
        assertThat(checked.out()).contains("every table has the document's rows")
                .contains("hosta: 10 interfaces").contains("hostb: 10 interfaces");
        // and it would tell: a host's rows gone from a table
        try (var files = Files.walk(output.resolve("streams/host=hostb"))) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
        SparkTests.Run broken = python(example, "--check", output.toString());
        assertThat(broken.exitCode()).isEqualTo(1);
        assertThat(broken.err()).contains("mismatch: streams:");
    }

    private static SparkTests.Run python(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3"));
        command.addAll(List.of(arguments));
        Path errors = Files.createTempFile("python", ".err");
        try {
            Process process;
            try {
                process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            } catch (IOException e) {
                return new SparkTests.Run(-1, "", e.getMessage());
            }
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new SparkTests.Run(-1, out, "python3 did not end in 120 s");
            }
            return new SparkTests.Run(process.exitValue(), out, Files.readString(errors));
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    @Test
    void globsNameTheTraces(@TempDir Path output) throws Exception {
        Path recordings = SparkTests.REPO.resolve("samples/lab5/recordings/mh-uplink");
        SparkTests.Run run = SparkTests.sparkMain("analyze", "--output", output.toString(),
                recordings + "/host*/trace/kernel");
        assertThat(run.exitCode()).as(run.err()).isZero();
        SparkTests.Run local = SparkTests.cli("analyze", "--format", "json",
                recordings.resolve("hosta/trace/kernel").toString(),
                recordings.resolve("hostb/trace/kernel").toString());
        assertThat(Files.readString(output.resolve("analyze.json"))).isEqualTo(local.out());
    }

    @Test
    void badInputIsOneLine(@TempDir Path output) {
        SparkTests.Run missing = SparkTests.sparkMain("analyze", "--output", output.toString(),
                output.resolve("no-such-trace").toString());
        assertThat(missing.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(missing.err().strip()).startsWith("vnetscope-spark: error: ").doesNotContain("\n");
        SparkTests.Run remote = SparkTests.sparkMain("analyze", "--output", output.toString(), "s3a://bucket/traces");
        // no S3A connector (hadoop-aws) on this class path: the location named, in one line
        assertThat(remote.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(remote.err().strip()).startsWith("vnetscope-spark: error: s3a://bucket/traces: ")
                .contains("S3AFileSystem").doesNotContain("\n");
        SparkTests.Run noOutput = SparkTests.sparkMain("analyze", output.toString());
        assertThat(noOutput.exitCode()).isEqualTo(2);
        assertThat(noOutput.err()).contains("--output");
    }

    /** Runs the submit entry point; its analyze.json must be the command line's output. */
    private static JsonNode writeAndCompareDocument(Path trace, Path output) throws Exception {
        SparkTests.Run run = SparkTests.sparkMain("analyze", "--output", output.toString(), trace.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("wrote " + output.resolve("analyze.json").toUri().getPath()
                .replaceFirst("/$", ""));
        SparkTests.Run local = SparkTests.cli("analyze", "--format", "json", trace.toString());
        String written = Files.readString(output.resolve("analyze.json"));
        assertThat(written).isEqualTo(local.out());
        return JSON.readTree(written);
    }

    /** The table as Spark reads it back, each row as JSON (Spark leaves out null members). */
    private static List<JsonNode> read(Path output, String table) throws Exception {
        Dataset<Row> frame = SparkTests.session().read().parquet(output.resolve(table).toString());
        List<JsonNode> rows = new ArrayList<>();
        for (String row : frame.toJSON().collectAsList()) {
            rows.add(JSON.readTree(row));
        }
        return rows;
    }

    private static void assertTable(Path output, String table, List<JsonNode> expected) throws Exception {
        assertThat(expected).as(table + " in the document").isNotEmpty();
        List<JsonNode> actual = read(output, table);
        Comparator<JsonNode> order = Comparator.comparing(SubmitMainTest::canonical);
        List<JsonNode> sortedActual = new ArrayList<>(actual);
        sortedActual.sort(order);
        List<JsonNode> sortedExpected = new ArrayList<>(expected);
        sortedExpected.sort(order);
        assertThat(sortedActual).as(table).containsExactlyElementsOf(sortedExpected);
    }

    private static String canonical(JsonNode row) {
        try {
            return CANONICAL.writeValueAsString(row);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonNode> rows(JsonNode section) {
        List<JsonNode> rows = new ArrayList<>();
        section.forEach(row -> rows.add(flatten(row)));
        return rows;
    }

    /**
     * A document row as a table row: members of nested objects become {@code outer_inner} columns, lists stay
     * lists, and null members are left out (as Spark's JSON of a row leaves them out).
     */
    private static ObjectNode flatten(JsonNode row, String... leftOut) {
        ObjectNode flat = JSON.createObjectNode();
        flattenInto(flat, "", row, List.of(leftOut));
        return flat;
    }

    private static void flattenInto(ObjectNode flat, String prefix, JsonNode object, List<String> leftOut) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            if (leftOut.contains(member.getKey()) || member.getValue().isNull()) {
                continue;
            }
            if (member.getValue().isObject()) {
                flattenInto(flat, prefix + member.getKey() + "_", member.getValue(), List.of());
            } else {
                flat.set(prefix + member.getKey(), withoutNulls(member.getValue()));
            }
        }
    }

    private static JsonNode withoutNulls(JsonNode value) {
        if (value.isArray()) {
            ArrayNode copy = JSON.createArrayNode();
            value.forEach(element -> copy.add(withoutNulls(element)));
            return copy;
        }
        if (value.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            value.fields().forEachRemaining(member -> {
                if (!member.getValue().isNull()) {
                    copy.set(member.getKey(), withoutNulls(member.getValue()));
                }
            });
            return copy;
        }
        return value;
    }

    private static void copyIfNotNull(JsonNode from, ObjectNode to, String member) {
        if (!from.path(member).isNull() && !from.path(member).isMissingNode()) {
            to.set(member, from.get(member));
        }
    }
}
