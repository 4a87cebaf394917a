package org.vnetscope.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PATHS on a Hadoop file system that is not the local one: listed on the driver with Hadoop's API, each host's
 * traces copied by its task into a local folder and read there. The file system here is the local one under a scheme
 * of its own ({@link SchemeFileSystem}), so that the copy path runs for real; the documents must be the command
 * line's on the same traces, their {@code trace} labels aside (they name the locations as given).
 */
class HadoopFileSystemTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void registerScheme() {
        SparkTests.session().sparkContext().hadoopConfiguration()
                .set("fs." + SchemeFileSystem.SCHEME + ".impl", SchemeFileSystem.class.getName());
    }

    @Test
    void severalHostsFromAnotherFileSystem(@TempDir Path output) throws Exception {
        Path trace = SparkTests.REPO.resolve("samples/lab5/recordings/mh-uplink");
        Set<Path> scratchBefore = copiesLeft();
        SchemeFileSystem.OPENED.clear();
        String document = submit(output, List.of(), location(trace));
        String local = SparkTests.cli("analyze", "--format", "json", trace.toString()).out();
        assertThat(asLocal(document)).isEqualTo(local);
        // the labels name the locations, not the copies the tasks read
        assertThat(JSON.readTree(document).path("hosts").get(0).path("trace").asText())
                .isEqualTo(SchemeFileSystem.SCHEME + ":" + trace.resolve("hosta/trace/kernel"));
        JsonNode migrated = null;
        for (JsonNode change : JSON.readTree(document).path("topology").path("changes")) {
            migrated = change.path("kind").asText().equals("migrated") ? change : migrated;
        }
        assertThat(migrated).isNotNull();
        assertThat(migrated.path("lost_packets").isNumber()).isTrue();
        // each stream file went through the file system twice: copied by its host's task, and again by the task
        // that read the migration's downtime (the driver, which copied the metadata files alone, read none)
        try (Stream<Path> files = Files.walk(trace)) {
            List<Path> streams = files.filter(Files::isRegularFile)
                    .filter(file -> file.getParent().getFileName().toString().equals("kernel"))
                    .filter(file -> !file.getFileName().toString().equals("metadata")).toList();
            assertThat(streams).hasSizeGreaterThan(2);
            for (Path stream : streams) {
                assertThat(SchemeFileSystem.OPENED.get(stream)).as(stream.toString()).isEqualTo(2);
            }
        }
        assertThat(copiesLeft()).as("the copies are deleted").isEqualTo(scratchBefore);
        assertThat(output.resolve("interfaces/host=hostb")).isDirectory();
    }

    /** A time of day resolved on the driver from the traces' first packets, found by their index files. */
    @Test
    void aGlobAndATimeOfDay(@TempDir Path output) throws Exception {
        Path trace = SparkTests.REPO.resolve("samples/lab5/recordings/mh-uplink");
        JsonNode whole = JSON.readTree(SparkTests.cli("analyze", "--format", "json", trace.toString()).out());
        List<String> range = List.of("--begin", SubmitOptionsTest.timeOfDay(whole, 0.2), "--end",
                SubmitOptionsTest.timeOfDay(whole, 0.8));
        String document = submit(output, range, location(trace) + "/host*/trace/kernel");
        String local = SparkTests.cli(SubmitOptionsTest.args(List.of("analyze", "--format", "json"), range,
                trace.resolve("hosta/trace/kernel").toString(), trace.resolve("hostb/trace/kernel").toString())).out();
        assertThat(asLocal(document)).isEqualTo(local);
        assertThat(JSON.readTree(document).path("start_ns").asLong()).isGreaterThan(whole.path("start_ns").asLong());
        assertThat(plan(location(trace) + "/host*/trace/kernel", range).parts())
                .allMatch(part -> part.range() == null && part.beginNs() > whole.path("start_ns").asLong());
    }

    /** The job's plan of the traces under the options --begin/--end (as {@code [--begin, B, --end, E]}). */
    private static TracePlan plan(String traces, List<String> range) throws IOException {
        return TracePlan.of(List.of(traces), TraceSource.Arguments.of(new org.apache.spark.sql.util
                .CaseInsensitiveStringMap(java.util.Map.of("begin", range.get(1), "end", range.get(3)))),
                SparkTests.session().sparkContext().hadoopConfiguration());
    }

    /** Without index files the driver cannot find the first packets: the tasks resolve the time of day. */
    @Test
    void aTimeOfDayOnTracesWithoutIndexResolvedByTheTasks(@TempDir Path output, @TempDir Path unindexed)
            throws Exception {
        Path trace = SparkTests.REPO.resolve("samples/lab2/ipv6/trace/kernel");
        try (Stream<Path> files = Files.list(trace)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, unindexed.resolve(file.getFileName()));
            }
        }
        JsonNode whole = JSON.readTree(SparkTests.cli("analyze", "--format", "json", trace.toString()).out());
        List<String> range = List.of("--begin", SubmitOptionsTest.timeOfDay(whole, 0.3), "--end",
                SubmitOptionsTest.timeOfDay(whole, 0.6));

        String document = submit(output, range, location(unindexed));

        String local = SparkTests.cli(SubmitOptionsTest.args(List.of("analyze", "--format", "json"), range,
                unindexed.toString())).out();
        assertThat(asLocal(document)).isEqualTo(local);
        assertThat(JSON.readTree(document).path("start_ns").asLong()).isGreaterThan(whole.path("start_ns").asLong());
        assertThat(plan(location(unindexed), range).parts()).allMatch(part -> part.range() != null);
    }

    @Test
    void oneHostAsNamed(@TempDir Path output) throws Exception {
        Path trace = SparkTests.REPO.resolve("samples/lab2/ipv6/trace/kernel");
        String document = submit(output, List.of("--bin", "100ms"), location(trace));
        assertThat(JSON.readTree(document).path("trace").asText()).isEqualTo(location(trace));
        assertThat(asLocal(document)).isEqualTo(SparkTests.cli("analyze", "--format", "json", "--bin", "100ms",
                trace.toString()).out());
    }

    @Test
    void theSourceReadsThemToo() throws Exception {
        Path trace = SparkTests.REPO.resolve("samples/lab5/recordings/mh-uplink");
        Set<Path> scratchBefore = copiesLeft();
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> remote = SparkTests.session().read().format("vnetscope")
                .load(location(trace) + "/host*/trace/kernel");
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> local = SparkTests.session().read().format("vnetscope")
                .load(trace.toString());
        List<org.apache.spark.sql.Row> remoteCounts = remote.groupBy("host", "interface", "event").count()
                .orderBy("host", "interface", "event").collectAsList();
        assertThat(remoteCounts).isNotEmpty().isEqualTo(local.groupBy("host", "interface", "event").count()
                .orderBy("host", "interface", "event").collectAsList());
        assertThat(remote.rdd().getNumPartitions()).isEqualTo(2);
        assertThat(copiesLeft()).as("the copies are deleted once read").isEqualTo(scratchBefore);
    }

    /**
     * A time range read from another file system copies of each stream file only the packets the read goes through
     * (the index files tell which), and gives the rows the local traces give over it.
     */
    @Test
    void aTimeRangeCopiesOnlyThePacketsItReads() throws Exception {
        Path trace = SparkTests.REPO.resolve("samples/lab2/discards/trace/kernel");
        List<Long> times = SparkTests.session().read().format("vnetscope").load(trace.toString())
                .select("timestamp_ns").orderBy("timestamp_ns").collectAsList().stream()
                .map(row -> row.getLong(0)).toList();
        long from = times.get(times.size() / 3);
        long to = times.get(times.size() / 2);
        org.apache.spark.sql.Column inRange = org.apache.spark.sql.functions.col("timestamp_ns").between(from, to);

        List<String> remote = SparkTests.session().read().format("vnetscope").load(location(trace)).filter(inRange)
                .collectAsList().stream().map(Object::toString).toList();

        assertThat(remote).hasSizeGreaterThan(times.size() / 10).isEqualTo(SparkTests.session().read()
                .format("vnetscope").load(trace.toString()).filter(inRange).collectAsList().stream()
                .map(Object::toString).toList());
        try (LocalCopy copy = LocalCopy.create()) {
            copy.copyTracesOver(location(trace), SparkTests.session().sparkContext().hadoopConfiguration(), from, to);
            assertThat(copy.bytesCopied()).isPositive().isLessThan(copy.bytesOfStreams() / 2);
        }
    }

    @Test
    void aLocationThatIsNotThereIsOneLineNamingIt(@TempDir Path output) {
        String missing = location(output.resolve("no-such-trace"));
        SparkTests.Run run = SparkTests.sparkMain("analyze", "--output", output.toString(), missing);
        assertThat(run.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(run.err().strip()).isEqualTo("vnetscope-spark: error: " + missing + ": no such file or directory");
        SparkTests.Run empty = SparkTests.sparkMain("analyze", "--output", output.resolve("out").toString(),
                location(SparkTests.REPO.resolve("docs")));
        assertThat(empty.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(empty.err().strip()).endsWith("docs: no CTF trace found (no directory holds a metadata file)")
                .doesNotContain("\n");
    }

    /** A local path as a location of the test's file system: {@code vnstest:///abs/path}. */
    private static String location(Path local) {
        return SchemeFileSystem.SCHEME + "://" + local.toAbsolutePath();
    }

    /** The document with its locations written as the local paths they are. */
    private static String asLocal(String document) {
        return document.replace(SchemeFileSystem.SCHEME + "://", "").replace(SchemeFileSystem.SCHEME + ":", "");
    }

    private static String submit(Path output, List<String> options, String trace) throws IOException {
        SparkTests.Run run = SparkTests.sparkMain(SubmitOptionsTest.args(List.of("analyze", "--output",
                output.toString()), options, trace));
        assertThat(run.exitCode()).as(run.err()).isZero();
        return Files.readString(output.resolve("analyze.json"));
    }

    /** The folders of copies in the scratch folder the tasks use. */
    private static Set<Path> copiesLeft() throws IOException {
        try (Stream<Path> folders = Files.list(LocalCopy.scratchParent())) {
            return Set.copyOf(folders.filter(folder -> folder.getFileName().toString().startsWith("vnetscope-traces-"))
                    .toList());
        }
    }

    /**
     * The local file system under the scheme {@code vnstest:}: Hadoop's own local file system, which the run treats
     * as any other (HDFS, S3A), since only {@code file:} paths are read in place. Records the files opened.
     */
    public static final class SchemeFileSystem extends RawLocalFileSystem {
        static final String SCHEME = "vnstest";
        /** How many times each file was opened. */
        static final java.util.Map<Path, Integer> OPENED = new ConcurrentHashMap<>();

        @Override
        public URI getUri() {
            return URI.create(SCHEME + ":///");
        }

        @Override
        public String getScheme() {
            return SCHEME;
        }

        @Override
        public FSDataInputStream open(org.apache.hadoop.fs.Path file, int bufferSize) throws IOException {
            OPENED.merge(Path.of(file.toUri().getPath()), 1, Integer::sum);
            return super.open(file, bufferSize);
        }
    }
}
