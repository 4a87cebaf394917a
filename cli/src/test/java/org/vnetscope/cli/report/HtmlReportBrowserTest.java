package org.vnetscope.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opens generated reports in headless chromium and checks what a reader would see. */
class HtmlReportBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
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

    static JsonNode resource(String name) throws IOException {
        try (InputStream in = HtmlReportBrowserTest.class.getResourceAsStream(name)) {
            return JSON.readTree(in);
        }
    }

    private Path write(JsonNode document, String name) throws IOException {
        Path page = dir.resolve(name + ".html");
        Files.writeString(page, HtmlReport.render(document, name));
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

    @Test
    void sampleReportDrawsEveryViewAndSortsEveryTable() throws Exception {
        String dom = chromium().dumpDom(write(resource("sample-analysis.json"), "sample"), "#selftest");
        JsonNode result = selfTest(dom);

        assertThat(result.get("errors")).as("script errors").isEmpty();
        for (String view : new String[] {"bandwidth", "drops", "offload", "topology", "paths"}) {
            assertThat(result.at("/views/" + view + "/svg").asInt()).as(view + " svg").isEqualTo(1);
            assertThat(result.at("/views/" + view + "/notes").asInt()).as(view + " notes").isZero();
        }
        // 4 ports, 4 VMs, their links and the migration arrow; 4 lanes of up to 5 hops.
        assertThat(result.at("/views/topology/shapes").asInt()).isGreaterThanOrEqualTo(20);
        assertThat(result.at("/views/paths/shapes").asInt()).isGreaterThanOrEqualTo(4 * 5);
        for (String table : new String[] {"streams", "vm_matrix", "drops", "interfaces"}) {
            JsonNode t = result.at("/tables/" + table);
            assertThat(t.get("sortedDescending").asBoolean()).as(table + " sorts descending").isTrue();
            assertThat(t.get("sortedAscending").asBoolean()).as(table + " sorts ascending").isTrue();
            assertThat(t.get("filterMatches").asBoolean()).as(table + " filter keeps matching rows only").isTrue();
            assertThat(t.get("filterKeeps").asInt()).as(table + " filter").isBetween(1, t.get("rows").asInt());
        }
        assertThat(result.at("/tables/streams/rows").asInt()).isEqualTo(6);

        assertThat(dom).contains("id=\"lost-events-banner\"").contains("4.300 s \u2013 4.340 s (1,312) in chan0_1");
        String topology = section(dom, "topology");
        assertThat(topology).contains("class=\"move\"").contains("data-port=\"vnet1\"").contains("data-port=\"vnet3\"")
                .contains("14.470 s: move 52:54:00:00:00:02 from virbr0/vnet1 to virbr0/vnet3");
        // Each interface of the bandwidth plot can be switched on and off.
        assertThat(section(dom, "bandwidth").split("type=\"checkbox\"", -1)).hasSize(8 + 1);
    }

    @Test
    void viewsWithoutTheirEventsNameTheLttngCommand() throws Exception {
        String dom = chromium().dumpDom(write(resource("interfaces-only.json"), "interfaces-only"), "#selftest");
        JsonNode result = selfTest(dom);

        assertThat(result.get("errors")).isEmpty();
        assertThat(result.at("/views/bandwidth/svg").asInt()).isEqualTo(1);
        assertThat(section(dom, "drops")).contains("no skb_* events").contains("lttng enable-event -k 'skb_*'");
        assertThat(section(dom, "paths")).contains("lttng enable-event -k 'skb_*'");
        assertThat(section(dom, "topology")).contains("lttng enable-event -k 'lttng_statedump_*'");
        assertThat(section(dom, "streams")).contains("lttng enable-event -k 'net_*'");
        assertThat(section(dom, "vm-matrix")).contains("data-note=\"missing-events\"");
        // A note given as plain text lands on the view whose events it names, or under the banner.
        assertThat(section(dom, "offload")).contains("no napi_gro_receive_entry events");
        assertThat(dom).containsPattern("id=\"analysis-notes\".*the trace has no net_ns context");
        assertThat(dom).doesNotContain("id=\"lost-events-banner\"");
    }

    @Test
    void markupInTheDataStaysText() throws Exception {
        ObjectNode document = (ObjectNode) resource("sample-analysis.json");
        String hostile = "</script><script>document.title='injected'</script><b>";
        ((ObjectNode) document.withArray("streams").get(0)).put("a", hostile);
        String dom = chromium().dumpDom(write(document, "hostile"), "#selftest");

        assertThat(selfTest(dom).get("errors")).isEmpty();
        assertThat(section(dom, "streams")).contains("&lt;/script&gt;&lt;script&gt;document.title='injected'");
        assertThat(dom).doesNotContain("<title>injected");
    }
}
