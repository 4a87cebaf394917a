package org.vnetscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.ChainStats;
import org.vnetscope.analysis.NetworkAnalysis;
import org.vnetscope.analysis.ovs.Datapath;
import org.vnetscope.analysis.paths.PacketPath;
import org.vnetscope.analysis.topology.Topology;
import org.vnetscope.analysis.topology.VmTraffic;
import org.vnetscope.document.ReportJson;
import org.vnetscope.document.TopologyJson;

/**
 * The topology, paths, chains, VM matrix and datapaths members, written field by field, are what Jackson derives from
 * the records (each component in its order, in snake_case, paths without their devices): on every bundled trace, and
 * on reports that set what no bundled trace has (an Open vSwitch datapath, nulls in every place a record allows one).
 */
class TopologyJsonTest {
    private static final Path REPO = Path.of(System.getProperty("vnetscope.repo", ".."));
    private static final ObjectMapper SNAKE_CASE = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /** The members as Jackson's introspection of the records gives them. */
    private static ObjectNode derived(AnalysisReport report) {
        ObjectNode root = SNAKE_CASE.createObjectNode();
        root.set("topology", SNAKE_CASE.valueToTree(report.topology()));
        ArrayNode paths = root.putArray("paths");
        for (PacketPath path : report.paths()) {
            ObjectNode node = SNAKE_CASE.valueToTree(path);
            node.remove("devices");
            paths.add(node);
        }
        root.set("chains", SNAKE_CASE.valueToTree(report.chains()));
        root.set("vm_matrix", SNAKE_CASE.valueToTree(report.vmMatrix()));
        root.set("datapaths", SNAKE_CASE.valueToTree(report.datapaths()));
        return root;
    }

    private static void assertWrittenAsDerived(AnalysisReport report) throws IOException {
        ObjectNode written = ReportJson.MAPPER.createObjectNode();
        TopologyJson.addTo(written, report);
        assertThat(ReportJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(written))
                .isEqualTo(ReportJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(derived(report)));
    }

    static Stream<Path> bundledTraces() throws IOException {
        try (Stream<Path> files = Files.walk(REPO.resolve("samples"))) {
            return files.filter(file -> file.getFileName().toString().equals("metadata"))
                    .map(Path::getParent).filter(trace -> trace.getFileName().toString().equals("kernel"))
                    .sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("bundledTraces")
    void aBundledTraceIsWrittenAsJacksonDerivesIt(Path trace) throws IOException {
        AnalysisReport report = NetworkAnalysis.analyze(trace, AnalysisOptions.defaults());
        assertThat(report.paths()).isNotEmpty();
        assertWrittenAsDerived(report);
    }

    @Test
    void everyKindOfRowAndEveryNullIsWrittenAsJacksonDerivesIt() throws IOException {
        assertWrittenAsDerived(AnalyzeCommandTest.everyKindOfRow());

        Topology.Port bare = new Topology.Port("tap0", null, null, null, null, null, null, null, null, null, 9L);
        Topology.Port full = new Topology.Port("vnet0", "veth", "vm1",
                List.of(new Topology.Mac("52:54:00:00:00:01", null), new Topology.Mac("52:54:00:00:00:02", 30)),
                List.of(10, 30), List.of(new Topology.Vlan(10, true, false, "vlan dump", "flags", 1L, 2L),
                        new Topology.Vlan(30, null, null, null, null, null, null)),
                new Topology.Peer("eth0", null), List.of("10.0.0.1", "10.0.0.2"), 5L, 6L, 4L);
        Topology topology = new Topology(
                List.of(new Topology.Bridge("br0", null, List.of(bare, full), null, 1, "default", null,
                                List.of(List.of("vnet0", "tap0"), List.of())),
                        new Topology.Bridge("br1", List.of(), List.of(), false, null, null, List.of(), null)),
                List.of(new Topology.VethPair("veth0", "veth1", 4026532139L, null),
                        new Topology.VethPair("a", "b", null, "tap1")),
                List.of(new Topology.Interface("eth0", "192.168.0.2"), new Topology.Interface("lo", null)),
                List.of(new Topology.Change(1L, "removed", null, null, "vnet2", null, null)));
        PacketPath unmeasured = new PacketPath(List.of("tap0"), 1, 60, 0, 0, 1, 2, null,
                List.of(new PacketPath.HopLatency("tap0", "end", null)), List.of(), List.of());
        Datapath.FlowKey key = new Datapath.FlowKey(null, null, 0x86dd, 58, null, null, 133, 0);
        Datapath datapath = new Datapath("ovs-system", "br-int",
                List.of(new Datapath.Port(0, "ovs-system", true, 0, 0, null, 7L, 0)), 2,
                List.of(new Datapath.Upcall(3, 0, null, 2, null), new Datapath.Upcall(4, 1, "p1", 1, key)), 0, 0, 2,
                List.of(new Datapath.Flow(1, null, null, 0, 0, List.of(), 3, 3)));
        assertWrittenAsDerived(new AnalysisReport("t", 1, 2, 1, List.of(), List.of(), List.of(), List.of(), topology,
                List.of(unmeasured), new ChainStats(0, 0, 0, 0, 0, 0), List.of(new VmTraffic("a", "b", 0, 0, 0)),
                List.of(datapath), List.of(), List.of()));
        assertWrittenAsDerived(new AnalysisReport("t", 1, 2, 1, List.of(), List.of(), List.of(), List.of(),
                new Topology(List.of(), List.of(), List.of(), List.of()), List.of(), new ChainStats(0, 0, 0, 0, 0, 0),
                List.of(), List.of(), List.of(), List.of()));
    }
}
