package org.vnetscope.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code spark.read.format("vnetscope")}: the tables read straight from traces are those spark-submit writes in
 * Parquet, and the packets table holds the events the interface table counts, by its counting rules.
 */
class TraceSourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Rows in one order whatever the order of their members (Spark puts a Parquet partition column last). */
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();
    private static final String ONE_HOST = "samples/lab4/recordings/nic1-virtio-gro-on/hostA/trace/kernel";

    @BeforeAll
    static void startSpark() {
        SparkTests.session();
    }

    @Test
    void oneHostsTablesAreTheParquetTables(@TempDir Path output) throws Exception {
        Path trace = SparkTests.REPO.resolve(ONE_HOST);
        JsonNode document = submit(output, trace.toString());
        int tasksBefore = SparkTests.tasksEnded();
        List<String> interfaces = canonicalRows(source("interfaces", trace.toString()));
        assertThat(SparkTests.tasksEnded() - tasksBefore).as("one partition: the host").isEqualTo(1);
        assertThat(interfaces).hasSize(document.path("interfaces").size())
                .isEqualTo(canonicalRows(parquet(output, "interfaces")));
        List<String> streams = canonicalRows(source("streams", trace.toString()));
        assertThat(streams).hasSize(document.path("streams").size()).isNotEmpty()
                .isEqualTo(canonicalRows(parquet(output, "streams")));
        assertThat(canonicalRows(source("hosts", trace.toString())))
                .isEqualTo(canonicalRows(parquet(output, "hosts")));
    }

    @Test
    void severalHostsTablesAreTheParquetTablesOnTheReferenceClock(@TempDir Path output) throws Exception {
        Path trace = SparkTests.REPO.resolve("samples/lab5/recordings/mh-uplink");
        JsonNode document = submit(output, trace.toString());
        for (String table : List.of("streams", "sync", "topology_changes", "cluster_vm_matrix")) {
            Dataset<Row> read = source(table, trace.toString());
            assertThat(canonicalRows(read)).as(table).isNotEmpty().isEqualTo(canonicalRows(parquet(output, table)));
            // a partition per host; the cluster's own table is one
            assertThat(read.rdd().getNumPartitions()).as(table)
                    .isEqualTo(table.equals("cluster_vm_matrix") ? 1 : document.path("hosts").size());
        }
    }

    /**
     * The relation between the packets table and the document's interface counts, per interface name (the
     * document's rows of one name, pairs in several namespaces, summed):
     * <ul>
     * <li>transmit: the document counts a packet per {@code net_dev_xmit} that returned 0, with its {@code len}
     * (the queue comes before the qdisc and before software segmentation, so it is not the count);</li>
     * <li>receive: a packet per {@code netif_rx}, and per {@code netif_receive_skb} unless it delivers an skb whose
     * last receive-side event was a {@code netif_rx} on the same device (a veth's backlog handing up what its
     * {@code netif_rx} counted); transmit events in between do not matter (the peer's xmit returns after it);</li>
     * <li>except where GRO merged packets before the stack saw them (virtio and e1000 NICs): the driver counted each,
     * the trace shows only the packet they were merged into, so the document's receive count is the offload
     * table's {@code gro_entered}, and the events counted are its {@code received}.</li>
     * </ul>
     * A NIC whose driver counts TSO segments (e1000 with TSO) would add the segments beyond the first to its
     * transmit count; neither trace here has one.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {ONE_HOST, "samples/bridge-basic/trace/kernel"})
    void packetsCountedPerInterfaceAreTheDocumentsCounts(String name) throws Exception {
        Path trace = SparkTests.REPO.resolve(name);
        JsonNode document = JSON.readTree(SparkTests.cli("analyze", "--format", "json", trace.toString()).out());
        Dataset<Row> packets = source(TraceSource.PACKETS, trace.toString());
        assertThat(packets.schema()).isEqualTo(TraceSource.PACKET_COLUMNS);

        Map<String, long[]> transmitted = new TreeMap<>();
        for (Row row : packets.where("event = 'net_dev_xmit' and rc = 0").groupBy("interface")
                .agg(org.apache.spark.sql.functions.count("*"), org.apache.spark.sql.functions.sum("length"))
                .collectAsList()) {
            transmitted.put(row.getString(0), new long[] {row.getLong(1), row.getLong(2)});
        }
        // a partition's rows come in the trace's order: what each skb did last is read in that order
        Map<String, long[]> received = new TreeMap<>();
        Map<Long, Row> lastReceiveSide = new HashMap<>();
        List<Row> rows = packets.collectAsList();
        for (Row row : rows) {
            String event = row.getAs("event");
            long skb = row.getAs("skbaddr");
            if (event.equals("net_dev_xmit")) {
                assertThat(row.<String>getAs("src_address")).as("an xmit shows no header").isNull();
                continue;
            }
            Row before = lastReceiveSide.put(skb, row);
            if (event.equals("net_dev_queue")) {
                continue;
            }
            boolean handedUp = event.equals("netif_receive_skb") && before != null
                    && before.getAs("event").equals("netif_rx")
                    && before.getAs("interface").equals(row.getAs("interface"));
            if (!handedUp) {
                long[] counts = received.computeIfAbsent(row.getAs("interface"), device -> new long[2]);
                counts[0]++;
                counts[1] += row.<Long>getAs("length");
            }
        }

        Map<String, long[]> documentCounts = new TreeMap<>();
        for (JsonNode iface : document.path("interfaces")) {
            long[] counts = documentCounts.computeIfAbsent(iface.path("name").asText(), device -> new long[4]);
            counts[0] += iface.path("rx").path("packets").asLong();
            counts[1] += iface.path("rx").path("skb_bytes").asLong();
            counts[2] += iface.path("tx").path("packets").asLong();
            counts[3] += iface.path("tx").path("skb_bytes").asLong();
        }
        Map<String, JsonNode> merging = new TreeMap<>();
        for (JsonNode offload : document.path("offload")) {
            if (offload.path("gro_entered").asLong() > offload.path("received").asLong()) {
                merging.put(offload.path("interface").asText(), offload);
            }
        }
        assertThat(merging.keySet()).isEqualTo(name.equals(ONE_HOST) ? new TreeSet<>(List.of("phy0")) : Map.of()
                .keySet());

        assertThat(documentCounts.keySet()).containsAll(transmitted.keySet()).containsAll(received.keySet());
        for (Map.Entry<String, long[]> entry : documentCounts.entrySet()) {
            String device = entry.getKey();
            long[] counted = entry.getValue();
            long[] tx = transmitted.getOrDefault(device, new long[2]);
            long[] rx = received.getOrDefault(device, new long[2]);
            assertThat(new long[] {counted[2], counted[3]}).as(device + " tx packets, bytes").containsExactly(tx);
            if (merging.containsKey(device)) {
                assertThat(rx[0]).as(device + " rx events").isEqualTo(merging.get(device).path("received").asLong());
                assertThat(counted[0]).as(device + " rx packets")
                        .isEqualTo(merging.get(device).path("gro_entered").asLong()).isGreaterThan(rx[0]);
            } else {
                assertThat(new long[] {counted[0], counted[1]}).as(device + " rx packets, bytes").containsExactly(rx);
            }
        }
        assertThat(rows).allMatch(row -> row.getAs("host") != null)
                .anyMatch(row -> "tcp".equals(row.getAs("protocol")) && row.getAs("src_port") != null);
    }

    /**
     * A filter on the packets' time is read as a range of the traces (shown in the scan's description), and gives the
     * rows the whole table gives under that filter: every one, bounds included, on one host and on two.
     */
    @ParameterizedTest
    @ValueSource(strings = {ONE_HOST, "samples/lab5/recordings/mh-uplink"})
    void aTimeFilterIsReadAsARangeAndKeepsEveryRowInIt(String name) {
        String trace = SparkTests.REPO.resolve(name).toString();
        List<Row> all = source("packets", trace).collectAsList();
        List<Long> times = all.stream().map(row -> (Long) row.getAs("timestamp_ns")).sorted().toList();
        long from = times.get(times.size() / 3);
        long to = times.get(2 * times.size() / 3);

        Dataset<Row> filtered = source("packets", trace).filter(org.apache.spark.sql.functions.col("timestamp_ns")
                .geq(from).and(org.apache.spark.sql.functions.col("timestamp_ns").leq(to)));

        assertThat(filtered.queryExecution().executedPlan().toString())
                .contains("read over timestamp_ns " + from + " to " + to);
        List<String> expected = all.stream().filter(row -> (Long) row.getAs("timestamp_ns") >= from
                && (Long) row.getAs("timestamp_ns") <= to).map(Row::toString).sorted().toList();
        assertThat(expected).hasSizeGreaterThan(times.size() / 4);
        assertThat(filtered.collectAsList().stream().map(Row::toString).sorted().toList()).isEqualTo(expected);
        assertThat(source("packets", trace).filter(org.apache.spark.sql.functions.col("timestamp_ns").gt(to))
                .count()).isEqualTo(all.stream().filter(row -> (Long) row.getAs("timestamp_ns") > to).count());
    }

    /**
     * Packets read in time parts (a task each, cut from the index files) are the rows of the traces read whole, in
     * the same order: every event once, in the part its time falls in; a time filter then reads only the parts it
     * overlaps, and still every row in it.
     */
    @ParameterizedTest
    @ValueSource(strings = {ONE_HOST, "samples/lab5/recordings/mh-uplink"})
    void packetsReadInTimePartsAreTheWholeTracesRowsInOrder(String name) {
        String trace = SparkTests.REPO.resolve(name).toString();
        Dataset<Row> whole = SparkTests.session().read().format("vnetscope").option("maxPartitionBytes", "1g")
                .load(trace);
        Dataset<Row> inParts = SparkTests.session().read().format("vnetscope").option("maxPartitionBytes", "256k")
                .load(trace);
        int hosts = (int) whole.select("host").distinct().count();

        List<String> rows = whole.collectAsList().stream().map(Row::toString).toList();
        assertThat(whole.rdd().getNumPartitions()).as("a part per host").isEqualTo(hosts);
        assertThat(inParts.rdd().getNumPartitions()).as("time parts").isGreaterThan(2 * hosts);
        assertThat(inParts.collectAsList().stream().map(Row::toString).toList()).hasSize(rows.size())
                .isEqualTo(rows);

        List<Long> times = whole.collectAsList().stream().map(row -> (Long) row.getAs("timestamp_ns")).sorted()
                .toList();
        long from = times.get(times.size() / 3);
        long to = times.get(times.size() / 2);
        Dataset<Row> filtered = inParts.filter(org.apache.spark.sql.functions.col("timestamp_ns").between(from, to));
        assertThat(filtered.rdd().getNumPartitions()).isLessThan(inParts.rdd().getNumPartitions());
        assertThat(filtered.collectAsList().stream().map(Row::toString).toList()).isEqualTo(whole.collectAsList()
                .stream().filter(row -> (Long) row.getAs("timestamp_ns") >= from
                        && (Long) row.getAs("timestamp_ns") <= to).map(Row::toString).toList());
    }

    /** Spark's rule for file parts: at most the maximum, at least the cost of an open, and every core a part. */
    @Test
    void aPartIsAtMostTheMaximumAndNoMoreThanTheBytesPerCore() {
        long mb = 1L << 20;
        assertThat(TimeParts.partBytes(new long[] {5000 * mb}, 128 * mb, 4 * mb, 2)).isEqualTo(128 * mb);
        assertThat(TimeParts.partBytes(new long[] {196 * mb}, 128 * mb, 4 * mb, 2)).isEqualTo(100 * mb);
        assertThat(TimeParts.partBytes(new long[] {1 * mb, 1 * mb}, 128 * mb, 4 * mb, 8)).isEqualTo(4 * mb);
        assertThatThrownBy(() -> SparkTests.session().read().format("vnetscope").option("maxPartitionBytes", "lots")
                .load(SparkTests.REPO.resolve(ONE_HOST).toString()).count())
                .hasMessageContaining("maxPartitionBytes 'lots' is not a size");
    }

    /** The columns a query reads are the only ones made, with the values the whole rows have, in any order. */
    @Test
    void packetsOfSomeColumnsAreThoseOfTheWholeRows() {
        String trace = SparkTests.REPO.resolve("samples/lab5/recordings/mh-uplink").toString();
        List<String> expected = source("packets", trace).collectAsList().stream()
                .map(row -> row.getAs("dst_port") + "|" + row.getAs("host") + "|" + row.getAs("timestamp_ns") + "|"
                        + row.getAs("direction"))
                .sorted().toList();

        Dataset<Row> some = source("packets", trace).select("dst_port", "host", "timestamp_ns", "direction");

        List<Row> rows = some.collectAsList();
        assertThat(rows).allMatch(row -> row.length() == 4);
        assertThat(rows.stream().map(row -> row.get(0) + "|" + row.get(1) + "|" + row.get(2) + "|" + row.get(3))
                .sorted().toList()).isEqualTo(expected);
        assertThat(source("packets", trace).count()).isEqualTo(expected.size());
    }

    @Test
    void aTableThereIsNotIsNamed() {
        String trace = SparkTests.REPO.resolve(ONE_HOST).toString();
        assertThatThrownBy(() -> source("nope", trace)).hasMessageContaining("no table 'nope'")
                .hasMessageContaining("packets, hosts, interfaces");
        assertThatThrownBy(() -> SparkTests.session().read().format("vnetscope").option("mtu", "20").load(trace)
                .count()).hasMessageContaining("--mtu must be at least 68");
    }

    private static Dataset<Row> source(String table, String... paths) {
        return SparkTests.session().read().format("vnetscope").option("table", table).load(paths);
    }

    private static Dataset<Row> parquet(Path output, String table) {
        return SparkTests.session().read().parquet(output.resolve(table).toString());
    }

    private static JsonNode submit(Path output, String trace) throws Exception {
        SparkTests.Run run = SparkTests.sparkMain("analyze", "--output", output.toString(), trace);
        assertThat(run.exitCode()).as(run.err()).isZero();
        return JSON.readTree(Files.readString(output.resolve("analyze.json")));
    }

    /** Each row as JSON with its members sorted, the rows sorted. */
    private static List<String> canonicalRows(Dataset<Row> frame) throws JsonProcessingException {
        List<String> rows = new ArrayList<>();
        for (String row : frame.toJSON().collectAsList()) {
            rows.add(CANONICAL.writeValueAsString(JSON.readTree(row)));
        }
        rows.sort(null);
        return rows;
    }
}
