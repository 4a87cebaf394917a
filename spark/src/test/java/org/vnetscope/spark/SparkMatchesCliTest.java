package org.vnetscope.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code vnetscope analyze --engine spark} prints what {@code vnetscope analyze} prints, byte for byte, with every
 * host analysed by a task of its own: one host, several hosts (clock synchronization, a migration), lost events.
 */
class SparkMatchesCliTest {

    @BeforeAll
    static void startSpark() {
        SparkTests.session();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "samples/bridge-basic/trace/kernel, 1",
        "samples/lab5/recordings/mh-uplink, 2",          // two hosts, synchronized; a VM migrated between them
        "samples/lab4/recordings/nic1-virtio-gro-on, 2", // two hosts joined by a NIC
        "samples/lab2/ipv6/trace/kernel, 1",
        "samples/lab2/discards/trace/kernel, 1",         // the tracer lost events
        "samples/lab3/scenarios/g11-2brL-vlan-v6-offl-move/trace/kernel, 1"})
    void sparkDocumentIsTheCommandLines(String trace, int hosts) throws Exception {
        // as the user names it, relative to the working folder (tasks open it by its absolute path)
        Path path = Path.of("").toAbsolutePath().relativize(SparkTests.REPO.resolve(trace));
        assertThat(path).isDirectory();
        SparkTests.Run local = SparkTests.cli("analyze", "--format", "json", path.toString());
        assertThat(local.exitCode()).as(local.err()).isZero();

        int tasksBefore = SparkTests.tasksEnded();
        SparkTests.Run spark = SparkTests.cli("analyze", "--engine", "spark", "--format", "json", path.toString());
        assertThat(spark.exitCode()).as(spark.err()).isZero();

        assertThat(spark.out()).isEqualTo(local.out());
        assertThat(SparkTests.tasksEnded() - tasksBefore).as("one task per host").isEqualTo(hosts);
        JsonNode document = new ObjectMapper().readTree(spark.out());
        assertThat(document.path("interfaces").size()).isPositive();
        assertThat(document.path("hosts").size()).isEqualTo(hosts == 1 ? 0 : hosts);
    }

    @Test
    void everyBundledTraceAtOnce() throws Exception {
        // every lab trace in one document: each boot a host, some of them named one letter's case apart
        Path samples = SparkTests.REPO.resolve("samples");
        SparkTests.Run local = SparkTests.cli("analyze", "--format", "json", samples.toString());
        assertThat(local.exitCode()).as(local.err()).isZero();
        int tasksBefore = SparkTests.tasksEnded();
        SparkTests.Run spark = SparkTests.cli("analyze", "--engine", "spark", "--format", "json", samples.toString());
        assertThat(spark.exitCode()).as(spark.err()).isZero();
        assertThat(spark.out()).isEqualTo(local.out());
        int hosts = new ObjectMapper().readTree(local.out()).path("hosts").size();
        assertThat(hosts).isGreaterThan(2);
        assertThat(SparkTests.tasksEnded() - tasksBefore).as("one task per host").isEqualTo(hosts);
    }

    @Test
    void optionsReachTheTasks() {
        Path path = SparkTests.REPO.resolve("samples/lab5/recordings/mh-uplink");
        // a bin, an MTU and a time range of each host's own clock (seconds since the epoch), as the CLI gives them
        String[] options = {"--bin", "250ms", "--mtu", "9000", "--end", "1796631200"};
        assertThat(Files.isDirectory(path)).isTrue();
        SparkTests.Run local = SparkTests.cli(concat(new String[] {"analyze", "--format", "json"}, options,
                path.toString()));
        SparkTests.Run spark = SparkTests.cli(concat(new String[] {"analyze", "--engine", "spark", "--format", "json"},
                options, path.toString()));
        assertThat(local.exitCode()).as(local.err()).isZero();
        assertThat(spark.exitCode()).as(spark.err()).isZero();
        assertThat(spark.out()).isEqualTo(local.out());
        assertThat(spark.out()).contains("\"bin_ns\" : 250000000");
    }

    @Test
    void aMasterSparkDoesNotKnowIsAUsageError() {
        Path sample = SparkTests.REPO.resolve("samples/bridge-basic/trace/kernel");
        SparkTests.Run run = SparkTests.cli("analyze", "--engine", "spark", "--master", "bogus", sample.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("--master bogus: not a Spark master");
        assertThat(Sessions.checkMaster("local[3]")).isEqualTo("local[3]");
        assertThat(Sessions.checkMaster("spark://10.0.0.1:7077")).isEqualTo("spark://10.0.0.1:7077");
    }

    private static String[] concat(String[] head, String[] middle, String last) {
        String[] all = new String[head.length + middle.length + 1];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(middle, 0, all, head.length, middle.length);
        all[all.length - 1] = last;
        return all;
    }
}
