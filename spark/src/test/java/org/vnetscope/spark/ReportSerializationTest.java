package org.vnetscope.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.PackageVersion;
import com.fasterxml.jackson.module.scala.DefaultScalaModule$;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.NetworkAnalysis;
import org.vnetscope.analysis.cluster.TraceHosts;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.document.Cluster;
import org.vnetscope.document.HostAnalysis;
import org.vnetscope.document.HostTraces;
import org.vnetscope.document.ReportJson;

/**
 * What crosses from a task to the driver: a host's report, by Java serialization, must give the driver what the
 * report itself gives (its document, and with other hosts' the clocks and migrations); the options the other way.
 */
class ReportSerializationTest {

    @Test
    void reportsCrossWholeAndTheClusterStepGivesTheSameDocument() throws Exception {
        Path folder = SparkTests.REPO.resolve("samples/lab5/recordings/mh-uplink");
        List<TraceHosts.Host> hosts;
        try (TraceReader reader = TraceReader.open(folder, TraceReader.Warnings.IGNORE)) {
            hosts = TraceHosts.of(reader.traces());
        }
        assertThat(hosts).hasSize(2);
        List<HostTraces> work = HostTraces.of(List.of(folder), hosts);
        AnalysisOptions options = roundTrip(AnalysisOptions.defaults());
        List<HostAnalysis> here = new ArrayList<>();
        List<HostAnalysis> shipped = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            AnalysisReport report = NetworkAnalysis.analyze(work.get(i).open(), work.get(i).label(), options, null);
            AnalysisReport back = roundTrip(report);
            assertThat(ReportJson.of(back)).isEqualTo(ReportJson.of(report));
            assertThat(back.boundaryPackets().size()).isEqualTo(report.boundaryPackets().size()).isPositive();
            here.add(new HostAnalysis(hosts.get(i), work.get(i).label(), report));
            shipped.add(new HostAnalysis(hosts.get(i), work.get(i).label(), back));
        }
        assertThat(Cluster.of(shipped, options).document()).isEqualTo(Cluster.of(here, options).document());
    }

    @Test
    void jacksonOfSparkAndOursShareAMinorVersion() {
        // Spark's Scala module refuses (at the first job) a jackson-databind of another minor version
        var scalaModule = DefaultScalaModule$.MODULE$;
        assertThat(scalaModule.version().getMinorVersion()).isEqualTo(PackageVersion.VERSION.getMinorVersion());
        assertThat(scalaModule.version().getMajorVersion()).isEqualTo(PackageVersion.VERSION.getMajorVersion());
        new ObjectMapper().registerModule(scalaModule);
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
