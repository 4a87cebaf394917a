package org.vnetscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.ChainStats;
import org.vnetscope.analysis.topology.VmTraffic;
import org.vnetscope.analysis.DeviceKind;
import org.vnetscope.analysis.DropReport;
import org.vnetscope.analysis.InterfaceReport;
import org.vnetscope.analysis.LostRange;
import org.vnetscope.analysis.NetworkAnalysis;
import org.vnetscope.analysis.OffloadReport;
import org.vnetscope.analysis.StreamReport;
import org.vnetscope.analysis.TimelineBin;
import org.vnetscope.analysis.TrafficCounts;
import org.vnetscope.analysis.ovs.Datapath;
import org.vnetscope.ctf.EventStream;
import org.vnetscope.document.ReportJson;

class AnalyzeCommandTest {

    private static final Path REPO = Path.of(System.getProperty("vnetscope.repo", ".."));
    private static final Path SAMPLE = REPO.resolve("samples/bridge-basic/trace/kernel");
    private static final int CHECKPOINT = 1000;
    private static final List<String> PACKET_EVENTS = List.of("net_dev_queue", "net_dev_xmit", "net_if_receive_skb");

    private static final Datapath.FlowKey KEY = new Datapath.FlowKey("52:54:00:00:00:01", "ff:ff:ff:ff:ff:ff",
            0x0806, 1, "192.168.122.11", "192.168.122.12", 0, 0);

    /** Every kind of row, including nulls and a lost-event range, in the document the schema describes. */
    /**
     * The progress line tells how much of the stream files was read, the pace and the time left; the reader's byte
     * figures go from nothing to the whole trace at the stream's checkpoints, which come every so many events handed
     * to handlers; the events passed over (no handler wants them) count in the stream's events all the same; and a
     * run whose standard error is not a terminal prints none.
     */
    @Test
    void progressReadsBytesOfTheTraceAndStaysOffWhenStderrIsNoTerminal() throws Exception {
        long everyEvent = 0;
        long packetEvents = 0;
        try (org.vnetscope.ctf.TraceReader plain = org.vnetscope.ctf.TraceReader.open(SAMPLE)) {
            while (plain.next()) {
                if (plain.event() != null) {
                    everyEvent++;
                    packetEvents += PACKET_EVENTS.contains(plain.event().name()) ? 1 : 0;
                }
            }
        }
        assertThat(packetEvents).isGreaterThan(10 * CHECKPOINT).isLessThan(everyEvent);
        try (org.vnetscope.ctf.TraceReader reader = org.vnetscope.ctf.TraceReader.open(SAMPLE)) {
            long total = reader.totalBytes();
            long streamFiles = 0;
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(SAMPLE)) {
                for (Path file : files.filter(f -> f.getFileName().toString().startsWith("chan")).toList()) {
                    streamFiles += java.nio.file.Files.size(file);
                }
            }
            assertThat(total).isEqualTo(streamFiles);
            assertThat(reader.bytesRead()).isBetween(0L, total / 2);
            TraceAnalysis.Progress progress = new TraceAnalysis.Progress(new java.io.PrintWriter(
                    new java.io.StringWriter()), reader);
            EventStream stream = EventStream.of(reader);
            long[] handled = {0};
            PACKET_EVENTS.forEach(name -> stream.onEvent(name, event -> handled[0]++));
            List<Long> bytesAtCheckpoints = new ArrayList<>();
            stream.onCheckpoint(CHECKPOINT, progress).onCheckpoint(CHECKPOINT, at -> {
                assertThat(at.events()).isGreaterThanOrEqualTo(handled[0]);
                bytesAtCheckpoints.add(reader.bytesRead());
            });
            stream.start();
            assertThat(bytesAtCheckpoints).hasSize((int) (packetEvents / CHECKPOINT)).isSorted()
                    .allSatisfy(read -> assertThat(read).isBetween(0L, total));
            assertThat(reader.bytesRead()).isEqualTo(total);
            assertThat(handled[0]).isEqualTo(packetEvents);
            assertThat(stream.events()).isEqualTo(everyEvent);
            assertThat(progress.line(total / 4, 2_000_000_000L, 1_000_000_000L))
                    .startsWith("analysing:  25% (").contains(" of ").contains(" events/s, ")
                    .endsWith("6.00 s left");
        }
        String before = System.getProperty("vnetscope.stderr.terminal");
        System.setProperty("vnetscope.stderr.terminal", "false");
        try {
            assertThat(TraceAnalysis.Progress.stderrIsTerminal()).isFalse();
        } finally {
            if (before == null) {
                System.clearProperty("vnetscope.stderr.terminal");
            } else {
                System.setProperty("vnetscope.stderr.terminal", before);
            }
        }
    }

    @Test
    void jsonDocumentHasTheShapeTheSchemaRequires() throws IOException {
        JsonNode document = ReportJson.of(everyKindOfRow());
        JsonNode schema = ReportJson.MAPPER.readTree(REPO.resolve("docs/schema/analyze.schema.json").toFile());
        List<String> problems = new ArrayList<>();
        SchemaShape.check(schema, schema, document, "$", problems);
        assertThat(problems).isEmpty();
        assertThat(document.at("/drops/0/address").asText()).isEqualTo("0xffffffff914bb701");
    }

    /** A report with a row of every kind, nulls where the schema allows them, a datapath and a lost-event range. */
    static AnalysisReport everyKindOfRow() {
        return new AnalysisReport("t", 1, 2, 1_000_000_000L,
                List.of(new InterfaceReport("eth0", "vnet1", 4026532173L, DeviceKind.VETH, false,
                        new TrafficCounts(3, 170, 128), new TrafficCounts(1, 60, 60),
                        new InterfaceReport.DropCount(1, 0.25), List.of(new TimelineBin(0, 3, 170, 1, 60, 1))),
                        new InterfaceReport("lo", null, null, DeviceKind.LOOPBACK, false,
                                new TrafficCounts(0, 0, 0), new TrafficCounts(0, 0, 0),
                                new InterfaceReport.DropCount(0, 0), List.of())),
                List.of(new StreamReport("udp", "10.0.0.1:1", "10.0.0.2:2", 1, 28, 0, 0, 0, 0, 0, 0, 5, 5, 0, 0, 0, null)),
                List.of(new DropReport(null, null, 0xFFFFFFFF914BB701L, "0xffffffff914bb701", 2048, 1, null),
                        new DropReport("eth0<->vnet1", "NO_SOCKET", 0xFFFFFFFF914BB701L, "0xffffffff914bb701", 2048,
                                1, 4026532173L)),
                List.of(new OffloadReport("eth0<->vnet1", 1500, new TrafficCounts(1, 60, 60),
                        new TrafficCounts(0, 0, 0), 0, 0, 3, 4026532173L)),
                TopologyCommandTest.TOPOLOGY, List.of(TopologyCommandTest.PATH), new ChainStats(2, 0, 0, 0, 1, 0),
                List.of(new VmTraffic("vm1", "none", 2, 196, 1)),
                List.of(new Datapath("ovs-system", null, List.of(new Datapath.Port(1, "ovsbr0", true, 3, 1, 5L, 5L, 0),
                        new Datapath.Port(2, null, false, 0, 0, null, null, 1)), 1,
                        List.of(new Datapath.Upcall(5, 1, "ovsbr0", 1, KEY)), 3, 3, 1,
                        List.of(new Datapath.Flow(1, "ovsbr0", KEY, 3, 294, List.of(2, 3), 5, 9)))),
                List.of(new LostRange("events", 7, 1, 2, "chan0_0")), List.of("a note"));
    }

    @Test
    void shapeCheckerRejectsAMissingRequiredField() throws IOException {
        JsonNode schema = ReportJson.MAPPER.readTree(REPO.resolve("docs/schema/analyze.schema.json").toFile());
        JsonNode bad = ReportJson.MAPPER.readTree("{\"trace\": 3, \"interfaces\": [{\"name\": \"x\"}]}");
        List<String> problems = new ArrayList<>();
        SchemaShape.check(schema, schema, bad, "$", problems);
        assertThat(problems).contains("$.trace: expected string", "$: missing start_ns",
                "$.interfaces[0]: missing rx");
    }

    /** A lost range the tracer gave no times for is said to be at an unknown time, not at a time of day. */
    @Test
    void lostRangesWithoutTimesAreNotTimesOfDay() {
        long second = 1_000_000_000L;
        assertThat(ReportText.lostSpan(new LostRange("events", 17, Long.MIN_VALUE, Long.MIN_VALUE, "stream")))
                .isEqualTo("at an unknown time");
        assertThat(ReportText.lostSpan(new LostRange("events", 3, 3600 * second, 3601 * second, "stream")))
                .startsWith("01:00:00").contains(" to 01:00:01");
        assertThat(ReportText.lostSpan(new LostRange("packets", 1, Long.MIN_VALUE, 3601 * second, "stream")))
                .startsWith("until 01:00:01");
    }

    /**
     * A real trace of that kind: CTF 2, events discarded, no clock at all (no timestamp_begin/end in its packet
     * contexts, no event timestamps): no time of day is made up for it.
     */
    @Test
    void lostEventsOfATraceWithoutPacketTimesAreAtAnUnknownTime() {
        Path trace = SharedTraces.root().resolve("public/tc-ctf2/CTF2-7.0-ev-disc-no-ts-begin-end");
        CommandRun run = CommandRun.of("analyze", trace.toString());
        assertThat(run.out()).contains("!   at an unknown time: 17 events lost (stream)")
                .contains("No event times (no events, or none with a timestamp)").doesNotContain("From 00:00:00");
    }

    @Test
    void badBinWidthIsAOneLineUsageError() {
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"analyze", "--bin", "fast", "x"}, new PrintWriter(new StringWriter()),
                new PrintWriter(err));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("invalid --bin 'fast'");
    }

    @Test
    void sampleAsJsonValidatesAndMatchesItsCounters() throws IOException {
        StringWriter out = new StringWriter();
        int code = Main.run(new String[] {"analyze", "--format", "json", "--bin", "100ms", SAMPLE.toString()},
                new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertThat(code).isZero();
        JsonNode document = ReportJson.MAPPER.readTree(out.toString());
        JsonNode schema = ReportJson.MAPPER.readTree(REPO.resolve("docs/schema/analyze.schema.json").toFile());
        List<String> problems = new ArrayList<>();
        SchemaShape.check(schema, schema, document, "$", problems);
        assertThat(problems).isEmpty();
        JsonNode truth = ReportJson.MAPPER.readTree(REPO.resolve("samples/bridge-basic/groundtruth-summary.json")
                .toFile());
        for (JsonNode entry : truth.get("interface_counter_deltas")) {
            if (entry.get("netns").asText().equals("root")) {
                JsonNode row = null;
                for (JsonNode iface : document.get("interfaces")) {
                    if (iface.get("name").asText().equals(entry.get("ifname").asText())) {
                        row = iface;
                    }
                }
                assertThat(row).as(entry.get("ifname").asText()).isNotNull();
                assertThat(row.at("/rx/bytes").asLong()).isEqualTo(entry.at("/delta/rx_bytes").asLong());
                assertThat(row.at("/tx/packets").asLong()).isEqualTo(entry.at("/delta/tx_packets").asLong());
                long timelineRx = 0;
                for (JsonNode bin : row.get("timeline")) {
                    timelineRx += bin.get("rx_bytes").asLong();
                }
                assertThat(timelineRx).as("100 ms bins add up").isEqualTo(row.at("/rx/bytes").asLong());
            }
        }
    }

    private static JsonNode analyzeSample(String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of("analyze", "--format", "json"));
        command.addAll(List.of(options));
        command.add(SAMPLE.toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(Main.run(command.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err)))
                .as(err.toString()).isZero();
        return ReportJson.MAPPER.readTree(out.toString());
    }

    private static long txPackets(JsonNode document) {
        long packets = 0;
        for (JsonNode row : document.get("interfaces")) {
            packets += row.at("/tx/packets").asLong();
        }
        return packets;
    }

    @Test
    void beginAndEndLimitTheAnalysisToATimeRange() throws IOException {
        // The sample runs from 1795647398.255881355 to 1795647414.450004125 s since the epoch.
        JsonNode whole = analyzeSample();
        assertThat(analyzeSample("--begin", "1795647398.255881355", "--end", "1795647414.450004125"))
                .as("a range covering the trace changes nothing").isEqualTo(whole);
        JsonNode window = analyzeSample("--begin", "1795647405", "--end", "1795647406.5");
        long first;
        long last = 0;
        try (org.vnetscope.ctf.TraceReader reader = org.vnetscope.ctf.TraceReader.open(SAMPLE)) {
            reader.limitTo(1_795_647_405_000_000_000L, 1_795_647_406_500_000_000L);
            assertThat(reader.next()).isTrue();
            first = reader.event().timestampNs();
            while (reader.next()) {
                last = reader.event().timestampNs();
            }
        }
        assertThat(window.get("start_ns").asLong()).isEqualTo(first).isGreaterThanOrEqualTo(1_795_647_405_000_000_000L);
        assertThat(window.get("end_ns").asLong()).isEqualTo(last).isLessThanOrEqualTo(1_795_647_406_500_000_000L);
        assertThat(txPackets(window)).isPositive().isLessThan(txPackets(whole));
        assertThat(window.get("notes").toString()).doesNotContain("no event was read");
        // a range the trace does not reach: empty figures, and a note saying why start and end are 0
        JsonNode none = analyzeSample("--begin", "1700000000", "--end", "1700000001");
        assertThat(none.get("start_ns").asLong()).isZero();
        assertThat(none.get("end_ns").asLong()).isZero();
        assertThat(txPackets(none)).isZero();
        assertThat(none.get("notes").get(0).asText()).isEqualTo(NetworkAnalysis.NO_EVENTS_NOTE);
    }

    @Test
    void sampleAsTextFitsOneHundredColumnsAndCsvWritesEveryTable(@TempDir Path csv) throws IOException {
        StringWriter out = new StringWriter();
        assertThat(Main.run(new String[] {"analyze", SAMPLE.toString()}, new PrintWriter(out),
                new PrintWriter(new StringWriter()))).isZero();
        assertThat(out.toString().lines()).allMatch(line -> line.length() <= 100).anyMatch(l -> l.startsWith("vnet1"));
        assertThat(Main.run(new String[] {"analyze", "--format", "csv", "--output", csv.toString(), SAMPLE.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))).isZero();
        for (String table : List.of("interfaces", "timeline", "streams", "drops", "offload", "topology",
                "changes", "paths", "vm_matrix", "lost_events", "datapath_ports", "datapath_flows", "datapath_upcalls")) {
            assertThat(Files.readAllLines(csv.resolve(table + ".csv"))).as(table).isNotEmpty();
        }
    }

    /** The Open vSwitch lab trace: its datapath in every format, the text still within 100 columns. */
    @Test
    void ovsTraceShowsItsDatapathInTextJsonAndCsv(@TempDir Path csv) throws IOException {
        Path trace = SharedTraces.root().resolve("lab/ovs/trace/kernel");
        StringWriter text = new StringWriter();
        assertThat(Main.run(new String[] {"analyze", trace.toString()}, new PrintWriter(text),
                new PrintWriter(new StringWriter()))).isZero();
        assertThat(text.toString().lines()).allMatch(line -> line.length() <= 100)
                .contains("Open vSwitch datapath ovs-system (bridge ovsbr0)",
                        "  22 upcalls, 1386 packets executed, 1401 OUTPUT actions, 100 dropped (no output action)",
                        "  port 4 vnet2: 173 output, 4 upcalls, 100 dropped",
                        "        100 dropped at vnet2: ovs: no output action");

        StringWriter out = new StringWriter();
        assertThat(Main.run(new String[] {"analyze", "--format", "json", trace.toString()}, new PrintWriter(out),
                new PrintWriter(new StringWriter()))).isZero();
        JsonNode document = ReportJson.MAPPER.readTree(out.toString());
        JsonNode schema = ReportJson.MAPPER.readTree(REPO.resolve("docs/schema/analyze.schema.json").toFile());
        List<String> problems = new ArrayList<>();
        SchemaShape.check(schema, schema, document, "$", problems);
        assertThat(problems).isEmpty();
        assertThat(document.at("/datapaths/0/ports")).hasSize(5);
        assertThat(document.at("/datapaths/0/upcall_list")).hasSize(22);

        assertThat(Main.run(new String[] {"analyze", "--format", "csv", "--output", csv.toString(), trace.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))).isZero();
        assertThat(Files.readAllLines(csv.resolve("datapath_ports.csv"))).hasSize(1 + 5)
                .contains("ovs-system,4,vnet2,false,173,4,1795649079499469120,1795649086080306070,100");
        assertThat(Files.readAllLines(csv.resolve("datapath_upcalls.csv"))).hasSize(1 + 22);
    }
}
