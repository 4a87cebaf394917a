package org.vnetscope.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traces on a real HDFS (a name node and a data node in this JVM, on loopback): the job's document and the data
 * source's packets over a time range are those of the same traces read locally.
 */
class HdfsTest {

    private static final Path MH_UPLINK = SparkTests.REPO.resolve("samples/lab5/recordings/mh-uplink");
    private static final Path DISCARDS = SparkTests.REPO.resolve("samples/lab2/discards/trace/kernel");
    private static MiniDFSCluster cluster;
    private static String root;

    @BeforeAll
    static void startHdfs(@TempDir Path storage) throws IOException {
        SparkTests.session();
        // the name and data nodes' own warnings (no HTTP signature secret, a data node stopped at the end) are not
        // about the tests: quiet while the cluster runs
        org.apache.logging.log4j.core.config.Configurator.setLevel("org.apache.hadoop",
                org.apache.logging.log4j.Level.FATAL);
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, storage.toString());
        conf.setInt("dfs.replication", 1);
        conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
        conf.set("dfs.datanode.address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        FileSystem hdfs = cluster.getFileSystem();
        // the trace folders alone: each file written costs the data node a second or so
        for (String host : List.of("hosta", "hostb")) {
            hdfs.copyFromLocalFile(local(MH_UPLINK.resolve(host).resolve("trace/kernel")),
                    new org.apache.hadoop.fs.Path("/traces/mh-uplink/" + host + "/trace/kernel"));
        }
        hdfs.copyFromLocalFile(local(DISCARDS), new org.apache.hadoop.fs.Path("/traces/discards"));
        root = "hdfs://127.0.0.1:" + cluster.getNameNodePort() + "/traces";
    }

    private static org.apache.hadoop.fs.Path local(Path path) {
        return new org.apache.hadoop.fs.Path(path.toUri());
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.shutdown();
        }
        org.apache.logging.log4j.core.config.Configurator.setLevel("org.apache.hadoop",
                org.apache.logging.log4j.Level.WARN);
    }

    @Test
    void aJobOnHdfsGivesTheCommandLinesDocument(@TempDir Path output) throws Exception {
        SparkTests.Run run = SparkTests.sparkMain("analyze", "--output", output.toString(), root + "/mh-uplink");
        assertThat(run.exitCode()).as(run.err()).isZero();
        String document = Files.readString(output.resolve("analyze.json"));
        assertThat(document.replace(root + "/mh-uplink", MH_UPLINK.toString())).isEqualTo(SparkTests.cli("analyze",
                "--format", "json", MH_UPLINK.resolve("hosta/trace/kernel").toString(),
                MH_UPLINK.resolve("hostb/trace/kernel").toString()).out());
    }

    @Test
    void packetsOverATimeRangeFromHdfsAreTheLocalOnes() {
        List<Long> times = SparkTests.session().read().format("vnetscope").load(DISCARDS.toString()).select("timestamp_ns")
                .orderBy("timestamp_ns").collectAsList().stream().map(row -> row.getLong(0)).toList();
        Column inRange = functions.col("timestamp_ns").between(times.get(times.size() / 4), times.get(times.size() / 2));

        List<Row> remote = SparkTests.session().read().format("vnetscope").load(root + "/discards").filter(inRange)
                .collectAsList();

        assertThat(remote).hasSizeGreaterThan(times.size() / 10).isEqualTo(SparkTests.session().read()
                .format("vnetscope").load(DISCARDS.toString()).filter(inRange).collectAsList());
    }
}
