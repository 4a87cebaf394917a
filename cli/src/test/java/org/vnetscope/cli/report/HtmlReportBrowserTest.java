package org.vnetscope.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vnetscope.cli.Main;

/**
 * Opens reports of real traces in headless chromium and checks what a reader would see: no script error, the
 * plots and the diagram drawn, every table sorting and filtering. The page's {@code #selftest} hook does the
 * clicking and typing and writes its findings into the DOM.
 */
class HtmlReportBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path REPO = Path.of(System.getProperty("vnetscope.repo", ".."));
    private static final Path SAMPLE = REPO.resolve("samples/bridge-basic/trace/kernel");
    private static final Path LAB = Path.of(System.getProperty("vnetscope.traces", "../../shared/traces")).resolve("lab");
    /** Screenshots of the lab traces' reports, kept as build artefacts to look at. */
    private static final Path SCREENSHOTS = REPO.resolve("cli/target/report-screenshots");

    private static Optional<HeadlessChromium> browser;

    @TempDir
    Path dir;

    @BeforeAll
    static void findBrowser() {
        browser = HeadlessChromium.find();
    }

    private static HeadlessChromium chromium() {
        assumeTrue(browser.isPresent(), "chromium is not installed (apt-get install chromium): browser checks skipped");
        return browser.get();
    }

    /** The real analysis document of the migration-fdb lab trace, with its topology, paths and VM matrix. */
    static JsonNode migrationDocument() throws IOException {
        try (InputStream in = HtmlReportBrowserTest.class.getResourceAsStream("migration-fdb.json")) {
            return JSON.readTree(in);
        }
    }

    private Path write(JsonNode document, String name) throws IOException {
        Path page = dir.resolve(name + ".html");
        Files.writeString(page, HtmlReport.render(document, name));
        return page;
    }

    /** {@code vnetscope report TRACE -o page}, as a user runs it. */
    private Path report(Path trace, String name) {
        Path page = dir.resolve(name + ".html");
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"report", trace.toString(), "-o", page.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(code).as(err.toString()).isZero();
        return page;
    }

    private static JsonNode selfTest(String dom) throws IOException {
        Matcher m = Pattern.compile("<pre id=\"selftest-result\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
        assertThat(m.find()).as("the page ran its self-test").isTrue();
        return JSON.readTree(m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
    }

    private static String section(String dom, String id) {
        Matcher m = Pattern.compile("<section[^>]*id=\"" + id + "\"[^>]*>(.*?)</section>", Pattern.DOTALL).matcher(dom);
        assertThat(m.find()).as("section " + id).isTrue();
        return m.group(1);
    }

    private static void assertTablesSortAndFilter(JsonNode result, String... tables) {
        for (String table : tables) {
            JsonNode t = result.at("/tables/" + table);
            assertThat(t.isMissingNode()).as(table + " drawn").isFalse();
            assertThat(t.get("sortedDescending").asBoolean()).as(table + " sorts descending").isTrue();
            assertThat(t.get("sortedAscending").asBoolean()).as(table + " sorts ascending").isTrue();
            assertThat(t.get("filterMatches").asBoolean()).as(table + " filter keeps matching rows only").isTrue();
            assertThat(t.get("filterKeeps").asInt()).as(table + " filter").isBetween(1, t.get("rows").asInt());
        }
    }

    @Test
    void bundledSampleReportDrawsItsPlotsAndSortsItsTables() throws Exception {
        String dom = chromium().dumpDom(report(SAMPLE, "bridge-basic"), "#selftest");
        JsonNode result = selfTest(dom);

        assertThat(result.get("errors")).as("script errors").isEmpty();
        for (String view : new String[] {"bandwidth", "drops", "offload", "topology", "paths"}) {
            assertThat(result.at("/views/" + view + "/svg").asInt()).as(view + " svg").isEqualTo(1);
            assertThat(result.at("/views/" + view + "/notes").asInt()).as(view + " notes").isZero();
        }
        // One bridge, three VM ports.
        assertThat(section(dom, "topology")).contains("bridge virbr0").contains("data-port=\"vnet0\"")
                .contains("data-port=\"vnet1\"").contains("data-port=\"vnet2\"");
        // 2 iperf bursts on 7 interfaces: lines of the 6 busiest interfaces, Rx and Tx.
        assertThat(section(dom, "bandwidth")).contains("data-series=\"vnet0&lt;-&gt;eth0 RX\"")
                .contains("data-series=\"eth0&lt;-&gt;vnet1 TX\"");
        assertThat(section(dom, "bandwidth").split("type=\"checkbox\"", -1)).hasSize(7 + 1);
        // 3 drop rows as `analyze` prints them: 50 NO_SOCKET on the UDP sink's side.
        assertThat(section(dom, "drops")).contains("<td>eth0&lt;-&gt;vnet2</td><td>NO_SOCKET</td>");
        assertTablesSortAndFilter(result, "streams", "drops", "interfaces", "vm_matrix");
        assertThat(result.at("/tables/streams/rows").asInt()).isEqualTo(5);
        // the 7 that carried packets, and lo, which the state dump lists and which carried none
        assertThat(result.at("/tables/interfaces/rows").asInt()).isEqualTo(8);
        assertThat(dom).doesNotContain("id=\"lost-events-banner\"");
    }

    /** bridge-basic at 10 ms bins spans 1,600 of them: the page shows 20 ms bins and says so, and still draws. */
    @Test
    void aLongSeriesIsDrawnInCoarserBinsWithANote() throws Exception {
        Path page = dir.resolve("fine-bins.html");
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"report", SAMPLE.toString(), "--bin", "10ms", "-o", page.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(code).as(err.toString()).isZero();
        Matcher data = Pattern.compile("<script type=\"application/json\" id=\"vnetscope-data\">(.*?)</script>",
                Pattern.DOTALL).matcher(Files.readString(page));
        assertThat(data.find()).isTrue();
        assertThat(JSON.readTree(data.group(1)).get("bin_ns").asLong()).isEqualTo(20_000_000L);

        String dom = chromium().dumpDom(page, "#selftest");
        JsonNode result = selfTest(dom);
        assertThat(result.get("errors")).as("script errors").isEmpty();
        assertThat(result.at("/views/bandwidth/svg").asInt()).isEqualTo(1);
        assertThat(dom).contains("bins of 20 ms (the analysis's 10 ms bins added up by 2)");
    }

    @Test
    void onlyFragmentShowsThatViewAlone() throws Exception {
        Path page = report(SAMPLE, "only");
        String dom = chromium().dumpDom(page, "#only=topology");

        Matcher sections = Pattern.compile("<section([^>]*)>").matcher(dom);
        List<String> shown = new java.util.ArrayList<>();
        int count = 0;
        while (sections.find()) {
            count++;
            if (!sections.group(1).contains("hidden")) {
                shown.add(sections.group(1));
            }
        }
        assertThat(count).as("every view is still drawn").isEqualTo(9);
        assertThat(shown).singleElement().asString().contains("id=\"topology\"");
        assertThat(section(dom, "topology")).contains("bridge virbr0");
        assertThat(dom).containsPattern("<nav id=\"toc\" hidden").doesNotContain("id=\"errors\" class=\"errors\">");

        String unknown = chromium().dumpDom(page, "#only=nosuchview");
        assertThat(unknown).contains("#only: no view \"nosuchview\"");
    }

    @Test
    void clusterReportDrawsPathsBetweenHostsWithTheirWire() throws Exception {
        Path page = report(REPO.resolve("samples/lab5/recordings/mh-vxlan"), "lab5-vxlan");
        String dom = chromium().dumpDom(page, "#selftest");
        JsonNode result = selfTest(dom);
        assertThat(result.get("errors")).as("script errors").isEmpty();
        String paths = section(dom, "paths");
        // a lane through both hosts: its devices named host:device, the hop between the hosts dashed and labelled
        assertThat(paths).contains("hosta:vxlan100").contains("hostb:vxlan100").contains(">wire<")
                .contains("wire between the hosts: hosta:phy0 \u2192 hostb:phy0");
        assertThat(paths.split("class=\"wire\"", -1).length - 1).isGreaterThanOrEqualTo(6);
        Files.createDirectories(SCREENSHOTS);
        chromium().screenshot(page, SCREENSHOTS.resolve("lab5-vxlan-paths.png"), 1400, 2400);
    }

    @Test
    void manyHostsGiveAShortSummaryAndEachNoteOnce() throws Exception {
        Path page = report(REPO.resolve("samples"), "all-samples");
        String dom = chromium().dumpDom(page, "#selftest");
        assertThat(selfTest(dom).get("errors")).as("script errors").isEmpty();
        Matcher summary = Pattern.compile("id=\"summary\"[^>]*>([^<]*)<").matcher(dom);
        assertThat(summary.find()).as("summary").isTrue();
        // the traces' paths are in the hosts' table, not in the page's head
        Matcher hosts = Pattern.compile("^(\\d+) hosts' traces \u00b7 ").matcher(summary.group(1));
        assertThat(hosts.find()).as(summary.group(1)).isTrue();
        assertThat(Integer.parseInt(hosts.group(1))).isGreaterThan(3);
        assertThat(summary.group(1)).doesNotContain("samples/");
        Matcher notes = Pattern.compile("id=\"analysis-notes\"(.*?)</div>", Pattern.DOTALL).matcher(dom);
        assertThat(notes.find()).as("notes under the banner").isTrue();
        // a note every host's analysis gave is one line naming no host
        assertThat(notes.group(1).split("NIC ring drops happen before any tracepoint", -1)).hasSize(2);
        assertThat(notes.group(1)).contains("every host (" + hosts.group(1) + "): NIC ring drops happen");
    }

    @Test
    void oneHostReportDrawsNoWire() throws Exception {
        String dom = chromium().dumpDom(report(SAMPLE, "no-wire"), "#selftest");
        assertThat(selfTest(dom).get("errors")).isEmpty();
        assertThat(section(dom, "paths")).doesNotContain("class=\"wire\"").doesNotContain(">wire<");
    }

    static Stream<Path> labTraces() throws IOException {
        // Skipped, not failed: a parameterized test with no arguments is a configuration error in JUnit.
        assumeTrue(Files.isDirectory(LAB), "no lab traces at " + LAB + ": lab trace reports not checked");
        try (Stream<Path> children = Files.list(LAB)) {
            List<Path> traces = children.map(p -> p.resolve("trace/kernel")).filter(Files::isDirectory).sorted().toList();
            return traces.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labTraces")
    void everyLabTraceReportOpensCleanly(Path trace) throws Exception {
        String name = trace.getParent().getParent().getFileName().toString();
        Path page = report(trace, name);
        String dom = chromium().dumpDom(page, "#selftest");
        JsonNode result = selfTest(dom);

        assertThat(result.get("errors")).as(name + " script errors").isEmpty();
        assertThat(result.at("/views/bandwidth/svg").asInt()).as(name + " bandwidth plot").isEqualTo(1);
        assertThat(result.at("/views/bandwidth/shapes").asInt()).as(name + " bandwidth lines").isGreaterThan(10);
        assertThat(result.at("/views/offload/svg").asInt()).as(name + " offload bars").isEqualTo(1);
        assertThat(result.at("/views/topology/svg").asInt()).as(name + " topology diagram").isEqualTo(1);
        assertTablesSortAndFilter(result, "streams", "interfaces");
        if (name.startsWith("migration")) {
            // The guest's address (migration) or MAC (migration-fdb) leaves vnet1 for vnet3.
            assertThat(section(dom, "topology")).as(name).contains("class=\"move\"").containsPattern("move \\S+ from vnet1 to vnet3");
        }
        Files.createDirectories(SCREENSHOTS);
        chromium().screenshot(page, SCREENSHOTS.resolve(name + ".png"), 1200, 3200);
    }

    /** What {@code vnetscope placement ARGS --format json} prints. */
    private static JsonNode placementJson(String... args) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] command = new String[args.length + 3];
        command[0] = "placement";
        System.arraycopy(args, 0, command, 1, args.length);
        command[args.length + 1] = "--format";
        command[args.length + 2] = "json";
        assertThat(Main.run(command, new PrintWriter(out), new PrintWriter(err))).as(err.toString()).isZero();
        return JSON.readTree(out.toString());
    }

    /** One of the two pictures of the placement section: "before" or "after". */
    private static String picture(String section, String state) {
        Matcher m = Pattern.compile("<svg[^>]*aria-label=\"hosts and their VMs " + state + "\"[^>]*>(.*?)</svg>",
                Pattern.DOTALL).matcher(section);
        assertThat(m.find()).as("picture " + state).isTrue();
        return m.group(1);
    }

    private static int count(String text, String fragment) {
        return text.split(Pattern.quote(fragment), -1).length - 1;
    }

    /** VM -> host in a state of the placement document ("before" or "after"). */
    private static Map<String, String> hostOfVm(JsonNode placement, String state) {
        Map<String, String> hostOf = new HashMap<>();
        for (JsonNode host : placement.get(state).get("hosts")) {
            host.get("vms").forEach(vm -> hostOf.put(vm.asText(), host.get("host").asText()));
        }
        return hostOf;
    }

    /** The VM pairs with traffic whose VMs are on different hosts. */
    private static int crossPairs(JsonNode placement, Map<String, String> hostOf) {
        int cross = 0;
        for (JsonNode pair : placement.get("traffic")) {
            if (pair.get("bytes").asLong() > 0
                    && !hostOf.get(pair.get("a").asText()).equals(hostOf.get(pair.get("b").asText()))) {
                cross++;
            }
        }
        return cross;
    }

    private static void assertFigure(String section, String figure, long bytes) {
        assertThat(section).contains("data-figure=\"" + figure + "\" data-bytes=\"" + bytes + "\" title=\""
                + String.format(Locale.ROOT, "%,d B", bytes) + "\"");
    }

    @Test
    void placementSectionShowsTheHostsTheirVmsTheMoveAndTheFigures() throws Exception {
        HeadlessChromium browser = chromium();
        String hosts = REPO.resolve("samples/bridge-basic/hosts.json").toString();
        JsonNode placement = placementJson(SAMPLE.toString(), "--hosts", hosts, "--max-moves", "1");
        Path page = dir.resolve("placement.html");
        StringWriter err = new StringWriter();
        assertThat(Main.run(new String[] {"report", SAMPLE.toString(), "--hosts", hosts, "--max-moves", "1", "-o",
                page.toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err))).as(err.toString()).isZero();
        String dom = browser.dumpDom(page, "#selftest");
        JsonNode result = selfTest(dom);

        assertThat(result.get("errors")).as("script errors").isEmpty();
        assertThat(result.at("/views/placement/svg").asInt()).as("two pictures and two host maps").isEqualTo(4);
        String section = section(dom, "placement");
        String before = picture(section, "before");
        String after = picture(section, "after");
        for (JsonNode host : placement.get("hosts")) {
            assertThat(before).contains("class=\"host\" data-host=\"" + host.get("name").asText() + "\"");
            assertThat(after).contains("class=\"host\" data-host=\"" + host.get("name").asText() + "\"");
        }
        Map<String, String> wasOn = hostOfVm(placement, "before");
        Map<String, String> isOn = hostOfVm(placement, "after");
        assertThat(isOn).hasSize(3);
        JsonNode move = placement.get("moves").get(0);
        String moved = move.get("vm").asText();
        for (String vm : isOn.keySet()) {
            String flag = vm.equals(moved) ? " data-moved=\"true\">" : ">";
            assertThat(before).contains("class=\"vm\" data-vm=\"" + vm + "\" data-on=\"" + wasOn.get(vm) + "\"" + flag);
            assertThat(after).contains("class=\"vm\" data-vm=\"" + vm + "\" data-on=\"" + isOn.get(vm) + "\"" + flag);
        }
        assertThat(isOn.get(moved)).isEqualTo(move.get("to").asText()).isNotEqualTo(wasOn.get(moved));
        assertThat(count(after, "data-moved=\"true\"")).isEqualTo(1);
        // All three VMs share a host before: no line across hosts; after, the pairs of the VM that left are.
        assertThat(count(before, "class=\"edge cross\"")).isEqualTo(crossPairs(placement, wasOn)).isZero();
        assertThat(count(after, "class=\"edge cross\"")).isEqualTo(crossPairs(placement, isOn)).isPositive();
        assertThat(count(after, "class=\"edge within\"") + count(after, "class=\"edge cross\""))
                .isEqualTo(placement.get("traffic").size());

        assertFigure(section, "cross-host-before", placement.at("/before/cross_host_bytes").asLong());
        assertFigure(section, "cross-host-after", placement.at("/after/cross_host_bytes").asLong());
        assertFigure(section, "lower-bound", placement.get("lower_bound_bytes").asLong());
        assertThat(section).contains(move.get("virsh").asText());
        String first = placement.at("/after/hosts/0/host").asText();
        String second = placement.at("/after/hosts/1/host").asText();
        assertThat(section).contains("class=\"host-cell\" data-a=\"" + first + "\" data-b=\"" + second + "\" data-bytes=\""
                + placement.at("/after/host_matrix/0/1").asLong() + "\"");
        assertTablesSortAndFilter(result, "placement_hosts");
        // The placement does not hide the trace's views.
        assertThat(result.at("/views/topology/svg").asInt()).isEqualTo(1);
    }

    @Test
    void savedPlacementOfTwoHostsIsDrawnAlone() throws Exception {
        HeadlessChromium browser = chromium();
        Path uplink = REPO.resolve("samples/lab5/recordings/mh-uplink");
        JsonNode placement = placementJson(uplink.resolve("hosta/trace/kernel").toString(),
                uplink.resolve("hostb/trace/kernel").toString(), "--hosts", REPO.resolve("samples/lab5/hosts.json").toString());
        Path saved = Files.writeString(dir.resolve("placement.json"), placement.toString());
        Path page = report(saved, "lab5-placement");
        String dom = browser.dumpDom(page, "#selftest");
        JsonNode result = selfTest(dom);

        assertThat(result.get("errors")).as("script errors").isEmpty();
        assertThat(count(dom, "<section")).as("a placement has no trace views").isEqualTo(1);
        String section = section(dom, "placement");
        String after = picture(section, "after");
        assertThat(after).contains("data-host=\"hosta\"").contains("data-host=\"hostb\"");
        assertThat(placement.get("moves")).isNotEmpty();
        for (JsonNode move : placement.get("moves")) {
            assertThat(after).contains("data-vm=\"" + move.get("vm").asText() + "\" data-on=\"" + move.get("to").asText()
                    + "\" data-moved=\"true\"");
        }
        assertThat(count(after, "class=\"edge cross\"")).isEqualTo(crossPairs(placement, hostOfVm(placement, "after")));
        assertFigure(section, "cross-host-before", placement.at("/before/cross_host_bytes").asLong());
        assertFigure(section, "cross-host-after", placement.at("/after/cross_host_bytes").asLong());
        assertThat(dom).contains("placement of 5 VMs on 2 hosts");
        Files.createDirectories(SCREENSHOTS);
        browser.screenshot(page, SCREENSHOTS.resolve("placement-lab5.png"), 1400, 2000);
    }

    @Test
    void aLargePlacementDrawsItsHeaviestPairsOnly() throws Exception {
        // 200 VMs on 20 hosts, 1,000 pairs: each VM i talks to i+1..i+5, the pair (i, i+k) weighing k * 1000 + i.
        ObjectNode placement = JSON.createObjectNode();
        ArrayNode hosts = placement.putArray("hosts");
        ArrayNode beforeHosts = placement.putObject("before").put("cross_host_bytes", 1).putArray("hosts");
        ArrayNode afterHosts = placement.putObject("after").put("cross_host_bytes", 0).putArray("hosts");
        for (int h = 0; h < 20; h++) {
            hosts.addObject().put("name", "host" + h).put("cpu", 32).put("memory_mib", 65536).put("nic_bits_per_second", 0);
            ArrayNode was = beforeHosts.addObject().put("host", "host" + h).putArray("vms");
            ArrayNode is = afterHosts.addObject().put("host", "host" + h).putArray("vms");
            for (int v = 0; v < 10; v++) {
                was.add("vm" + (v * 20 + h));
                is.add("vm" + (h * 10 + v));
            }
        }
        ArrayNode traffic = placement.putArray("traffic");
        ArrayNode assignments = placement.putArray("placement");
        for (int i = 0; i < 200; i++) {
            assignments.addObject().put("vm", "vm" + i).put("host", "host" + i / 10);
            for (int k = 1; k <= 5; k++) {
                traffic.addObject().put("a", "vm" + i).put("b", "vm" + (i + k) % 200).put("bytes", k * 1000 + i);
            }
        }
        String dom = chromium().dumpDom(write(JSON.createObjectNode().set("placement", placement), "large"), "#selftest");

        assertThat(selfTest(dom).get("errors")).as("script errors").isEmpty();
        String section = section(dom, "placement");
        assertThat(section).contains("The 300 heaviest of 1,000 VM pairs are drawn");
        for (String state : new String[] {"before", "after"}) {
            String picture = picture(section, state);
            assertThat(count(picture, "class=\"edge ")).as(state).isEqualTo(300);
            assertThat(count(picture, "class=\"vm\"")).as(state).isEqualTo(200);
            // the heaviest pair (vm199, vm4: 5 * 1000 + 199) is drawn, the lightest (vm0, vm1: 1000) is not
            assertThat(picture).contains("data-a=\"vm199\" data-b=\"vm4\"").doesNotContain("data-a=\"vm0\" data-b=\"vm1\"");
        }
    }

    @Test
    void labTracesArePresentOrTheSkipIsVisible() {
        assumeTrue(Files.isDirectory(LAB), "no lab traces at " + LAB + ": only the bundled sample was checked");
        assertThat(LAB.resolve("migration-fdb/trace/kernel")).isDirectory();
    }

    @Test
    void migrationDiagramShowsTheMoveAndThePathsTheirDrops() throws Exception {
        String dom = chromium().dumpDom(write(migrationDocument(), "migration-fdb"), "#selftest");
        JsonNode result = selfTest(dom);

        assertThat(result.get("errors")).isEmpty();
        for (String view : new String[] {"bandwidth", "drops", "offload", "topology", "paths"}) {
            assertThat(result.at("/views/" + view + "/svg").asInt()).as(view + " svg").isEqualTo(1);
            assertThat(result.at("/views/" + view + "/notes").asInt()).as(view + " notes").isZero();
        }
        assertTablesSortAndFilter(result, "streams", "vm_matrix", "drops", "interfaces");
        String topology = section(dom, "topology");
        // vnet1 is removed (dashed) and the guest's MAC comes back on vnet3 at 14.4 s.
        assertThat(topology).contains("class=\"move\"").contains("data-port=\"vnet1\"").contains("data-port=\"vnet3\"")
                .contains("removed at 8.87 s")
                .contains("14.401 s: move 52:54:00:00:00:02 from vnet1 to vnet3 (left vnet1 at 8.840 s)");
        // VLAN 1 of each port: seen on vnet0 and vnet1 in FDB events, inferred on the others and the bridge
        assertThat(topology).contains("VLAN 1 PVID untagged (seen in FDB events, flags inferred)")
                .contains("VLAN 1 PVID untagged (inferred: the bridge").contains("VLAN filtering off");
        // The move and the removal are marked on the bandwidth plot's time axis.
        assertThat(section(dom, "bandwidth")).contains("class=\"change-mark\"");
        String paths = section(dom, "paths");
        assertThat(paths).contains("152 packets").contains("\u2715 20 NO_SOCKET");
    }

    @Test
    void viewsWithoutTheirEventsNameTheLttngCommand() throws Exception {
        // The bundled trace's document as a trace without skb_* events would give it.
        ObjectNode document = (ObjectNode) migrationDocument();
        document.remove(List.of("drops", "paths"));
        document.withArray("notes").insert(0, "no drop events: `lttng enable-event --kernel skb_kfree,skb_consume`");
        String dom = chromium().dumpDom(write(document, "no-skb"), "#selftest");
        JsonNode result = selfTest(dom);

        assertThat(result.get("errors")).isEmpty();
        assertThat(section(dom, "drops")).contains("data-note=\"missing-events\"").contains("no drop events")
                .contains("<code>lttng enable-event --kernel skb_kfree,skb_consume</code>");
        assertThat(section(dom, "paths")).contains("<code>lttng enable-event --kernel skb_kfree,skb_consume</code>");
        assertThat(result.at("/views/streams/notes").asInt()).isZero();
        // A note about no view in particular goes under the banner.
        assertThat(dom).containsPattern("id=\"analysis-notes\".*NIC ring drops happen before any tracepoint");
    }

    @Test
    void lostEventsGiveABannerNamingTheRanges() throws Exception {
        ObjectNode document = (ObjectNode) migrationDocument();
        long start = document.get("start_ns").asLong();
        ObjectNode lost = document.withArray("lost_events").addObject();
        lost.put("kind", "events").put("count", 1312).put("begin_ns", start + 4_300_000_000L)
                .put("end_ns", start + 4_340_000_000L).put("stream", "chan0_1");
        String dom = chromium().dumpDom(write(document, "lost"), "#selftest");

        assertThat(selfTest(dom).get("errors")).isEmpty();
        assertThat(dom).contains("id=\"lost-events-banner\"").contains("4.300 s \u2013 4.340 s (1,312) in chan0_1");
        assertThat(section(dom, "bandwidth")).contains("class=\"lost\"");
    }

    /** Lost events the tracer gave no times for (Long.MIN_VALUE bounds) are told at an unknown time, not shaded. */
    @Test
    void lostEventsWithoutTimesAreAtAnUnknownTime() throws Exception {
        ObjectNode document = (ObjectNode) migrationDocument();
        ObjectNode lost = document.withArray("lost_events").addObject();
        lost.put("kind", "events").put("count", 17).put("begin_ns", Long.MIN_VALUE).put("end_ns", Long.MIN_VALUE)
                .put("stream", "stream");
        String dom = chromium().dumpDom(write(document, "lost-untimed"), "#selftest");

        assertThat(selfTest(dom).get("errors")).isEmpty();
        assertThat(dom).contains("id=\"lost-events-banner\"").contains("at an unknown time (17) in stream");
        assertThat(section(dom, "bandwidth")).doesNotContain("class=\"lost\"");
    }

    @Test
    void markupInTheDataStaysText() throws Exception {
        ObjectNode document = (ObjectNode) migrationDocument();
        String hostile = "</script><script>document.title='injected'</script><b>";
        ((ObjectNode) document.withArray("streams").get(0)).put("a", hostile);
        String dom = chromium().dumpDom(write(document, "hostile"), "#selftest");

        assertThat(selfTest(dom).get("errors")).isEmpty();
        assertThat(section(dom, "streams")).contains("&lt;/script&gt;&lt;script&gt;document.title='injected'");
        assertThat(dom).doesNotContain("<title>injected");
    }
}
