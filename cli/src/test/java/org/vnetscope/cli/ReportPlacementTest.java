package org.vnetscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetscope.document.ReportJson;

/**
 * {@code vnetscope report --hosts}: the document the page draws holds, under {@code placement}, exactly what
 * {@code vnetscope placement --format json} prints for the same trace and options; a saved placement is drawn too.
 */
class ReportPlacementTest {

    private static final Path REPO = Path.of(System.getProperty("vnetscope.repo", ".."));
    private static final Path SAMPLE = REPO.resolve("samples/bridge-basic");
    private static final Path UPLINK = REPO.resolve("samples/lab5/recordings/mh-uplink");

    @TempDir
    Path dir;

    /** The document embedded in a report page. */
    static JsonNode embedded(Path page) throws Exception {
        Matcher data = Pattern.compile("<script type=\"application/json\" id=\"vnetscope-data\">(.*?)</script>",
                Pattern.DOTALL).matcher(Files.readString(page));
        assertThat(data.find()).as("the page embeds its document").isTrue();
        return ReportJson.MAPPER.readTree(data.group(1));
    }

    private Path report(String name, String... args) {
        Path page = dir.resolve(name + ".html");
        String[] command = new String[args.length + 3];
        command[0] = "report";
        System.arraycopy(args, 0, command, 1, args.length);
        command[args.length + 1] = "-o";
        command[args.length + 2] = page.toString();
        CommandRun run = CommandRun.of(command);
        assertThat(run.exit()).as(run.err()).isZero();
        return page;
    }

    @Test
    void theReportEmbedsWhatPlacementPrintsWithTheSameOptions() throws Exception {
        String trace = SAMPLE.resolve("trace/kernel").toString();
        String hosts = SAMPLE.resolve("hosts.json").toString();
        // The pin keeps the VM that would leave otherwise: the options must reach the report's search.
        String[] options = {"--hosts", hosts, "--max-moves", "1", "--pin", "labguest:vnet2=labguest", "--seed", "3",
                "--time-limit", "5s"};
        CommandRun placement = CommandRun.of(concat(new String[] {"placement", trace, "--format", "json"}, options));
        assertThat(placement.exit()).as(placement.err()).isZero();
        JsonNode printed = ReportJson.MAPPER.readTree(placement.out());

        JsonNode document = embedded(report("with-hosts", concat(new String[] {trace}, options)));

        // No field of the placement document depends on timing (stopped_by is "proven" on three VMs).
        assertThat(printed.get("stopped_by").asText()).isEqualTo("proven");
        assertThat(document.get("placement")).isEqualTo(printed);
        // The host holds two of its three 1 GiB VMs: of the two not pinned, the one that talks less leaves.
        Map<String, Long> talk = new HashMap<>();
        for (JsonNode pair : printed.get("traffic")) {
            talk.merge(pair.get("a").asText(), pair.get("bytes").asLong(), Long::sum);
            talk.merge(pair.get("b").asText(), pair.get("bytes").asLong(), Long::sum);
        }
        String quieter = talk.get("labguest:vnet0") < talk.get("labguest:vnet1") ? "labguest:vnet0" : "labguest:vnet1";
        assertThat(printed.get("moves")).hasSize(1);
        assertThat(printed.at("/moves/0/vm").asText()).isEqualTo(quieter);

        // Without --hosts the document is the analysis alone, the same as with it but for the placement.
        JsonNode plain = embedded(report("plain", trace));
        assertThat(plain.has("placement")).isFalse();
        ObjectNode withoutPlacement = ((ObjectNode) document).deepCopy();
        withoutPlacement.remove("placement");
        assertThat(withoutPlacement).isEqualTo(plain);
    }

    @Test
    void aSavedPlacementIsDrawnAsTheReportsPlacement() throws Exception {
        CommandRun placement = CommandRun.of("placement", UPLINK.resolve("hosta/trace/kernel").toString(),
                UPLINK.resolve("hostb/trace/kernel").toString(), "--hosts", REPO.resolve("samples/lab5/hosts.json")
                        .toString(), "--format", "json");
        assertThat(placement.exit()).as(placement.err()).isZero();
        Path saved = Files.writeString(dir.resolve("placement.json"), placement.out());

        JsonNode document = embedded(report("saved", saved.toString()));

        assertThat(document.size()).isEqualTo(1);
        assertThat(document.get("placement")).isEqualTo(ReportJson.MAPPER.readTree(placement.out()));
        assertThat(Files.readString(dir.resolve("saved.html"))).contains("<title>vnetscope report: placement.json</title>");
    }

    @Test
    void anAnalysisDocumentWithAPlacementIsDrawnAsItIs() throws Exception {
        JsonNode document = embedded(report("with-hosts", SAMPLE.resolve("trace/kernel").toString(), "--hosts",
                SAMPLE.resolve("hosts.json").toString(), "--max-moves", "1"));
        Path saved = Files.writeString(dir.resolve("document.json"), document.toString());

        assertThat(embedded(report("again", saved.toString()))).isEqualTo(document);
    }

    @Test
    void placementOptionsWithoutATraceOrHostsAreOneLineErrors() throws Exception {
        String trace = SAMPLE.resolve("trace/kernel").toString();
        String page = dir.resolve("x.html").toString();

        CommandRun budgetAlone = CommandRun.of("report", trace, "-o", page, "--max-moves", "1");
        assertThat(budgetAlone.exit()).isEqualTo(2);
        assertThat(budgetAlone.err().lines().findFirst().orElse(""))
                .contains("--max-moves").contains("give --hosts HOSTS.json too");

        Path document = Files.writeString(dir.resolve("doc.json"), "{\"interfaces\": []}");
        CommandRun hostsForADocument = CommandRun.of("report", document.toString(), "-o", page, "--hosts",
                SAMPLE.resolve("hosts.json").toString());
        assertThat(hostsForADocument.exit()).isEqualTo(2);
        assertThat(hostsForADocument.err().lines().findFirst().orElse("")).contains("--hosts places the VMs of a trace");

        // The lab's hosts do not include the sample's host.
        CommandRun unknownHost = CommandRun.of("report", trace, "-o", page, "--hosts",
                REPO.resolve("samples/lab5/hosts.json").toString());
        assertThat(unknownHost.exit()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(unknownHost.err()).startsWith("vnetscope: error: ").contains("does not list host labguest")
                .hasLineCount(1);
        assertThat(Path.of(page)).doesNotExist();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
