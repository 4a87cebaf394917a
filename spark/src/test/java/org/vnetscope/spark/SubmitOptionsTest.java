package org.vnetscope.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spark-submit's {@code analyze} takes the analysis options of {@code vnetscope analyze}, declared once: the same
 * names and help texts, and the same parsing, so that its analyze.json is the command line's with them.
 */
class SubmitOptionsTest {

    static final List<String> SHARED = List.of("--bin", "--kallsyms", "--mtu", "--vm-map", "--libvirt", "--begin",
            "--end");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Times of day as --begin/--end take them, to the ns, in the zone both read them in. */
    private static final DateTimeFormatter TIME_OF_DAY = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSSSSS")
            .withZone(ZoneId.systemDefault());

    @BeforeAll
    static void startSpark() {
        SparkTests.session();
    }

    @Test
    void theAnalysisOptionsReadAsTheCommandLines() {
        Map<String, String> local = optionHelp(SparkTests.cli("analyze", "--help").out());
        Map<String, String> submit = optionHelp(SparkTests.sparkMain("analyze", "--help").out());
        for (String option : SHARED) {
            assertThat(submit.get(option)).as(option).isNotBlank().isEqualTo(local.get(option));
        }
        // its own: where to write (no CSV files, as the command line's --output is for), and no engine to choose
        assertThat(submit).containsKey("--output").doesNotContainKeys("--engine", "--format", "--threads");
    }

    @Test
    void oneHostWithVmNamesAndATimeOfDayRange(@TempDir Path scratch) throws Exception {
        Path trace = SparkTests.REPO.resolve("samples/bridge-basic/trace/kernel");
        JsonNode whole = JSON.readTree(SparkTests.cli("analyze", "--format", "json", trace.toString()).out());
        String port = whole.path("topology").path("bridges").get(0).path("ports").get(0).path("name").asText();
        Path vms = Files.writeString(scratch.resolve("vms.txt"), "vm-from-map " + port + "\n");
        List<String> options = List.of("--vm-map", vms.toString(), "--bin", "250ms",
                "--begin", timeOfDay(whole, 0.25), "--end", timeOfDay(whole, 0.75));
        JsonNode limited = sameDocument(scratch.resolve("out"), options, trace.toString());
        assertThat(limited.path("start_ns").asLong()).isGreaterThan(whole.path("start_ns").asLong());
        assertThat(limited.path("end_ns").asLong()).isLessThan(whole.path("end_ns").asLong());
        assertThat(limited.path("bin_ns").asLong()).isEqualTo(250_000_000L);
        assertThat(limited.toString()).contains("vm-from-map");
    }

    @Test
    void severalHostsWithVmNamesAndATimeOfDayRangeOnEachClock(@TempDir Path scratch) throws Exception {
        Path trace = SparkTests.REPO.resolve("samples/lab5/recordings/mh-uplink");
        JsonNode whole = JSON.readTree(SparkTests.cli("analyze", "--format", "json", trace.toString()).out());
        String mac = whole.path("vm_matrix").get(0).path("from").asText();
        Path vms = Files.writeString(scratch.resolve("vms.txt"), "web " + mac + "\n");
        JsonNode limited = sameDocument(scratch.resolve("out"), List.of("--vm-map", vms.toString(),
                "--begin", timeOfDay(whole, 0.1), "--end", timeOfDay(whole, 0.9)), trace.toString());
        assertThat(limited.path("hosts").size()).isEqualTo(2);
        assertThat(limited.path("start_ns").asLong()).isGreaterThan(whole.path("start_ns").asLong());
        assertThat(limited.path("vm_matrix").toString()).contains("\"web\"").doesNotContain(mac);
    }

    @Test
    void aBadValueIsTheSameUsageError(@TempDir Path scratch) {
        String trace = SparkTests.REPO.resolve("samples/bridge-basic/trace/kernel").toString();
        SparkTests.Run local = SparkTests.cli("analyze", "--begin", "noon", trace);
        SparkTests.Run submit = SparkTests.sparkMain("analyze", "--output", scratch.toString(), "--begin", "noon",
                trace);
        assertThat(submit.exitCode()).isEqualTo(local.exitCode()).isEqualTo(2);
        assertThat(firstLine(submit.err())).isEqualTo(firstLine(local.err())).contains("--begin 'noon'");
    }

    /** Runs both front ends with the options; the document spark-submit wrote is the command line's. */
    private static JsonNode sameDocument(Path output, List<String> options, String trace) throws Exception {
        SparkTests.Run local = SparkTests.cli(args(List.of("analyze", "--format", "json"), options, trace));
        assertThat(local.exitCode()).as(local.err()).isZero();
        SparkTests.Run submit = SparkTests.sparkMain(args(List.of("analyze", "--output", output.toString()), options,
                trace));
        assertThat(submit.exitCode()).as(submit.err()).isZero();
        String written = Files.readString(output.resolve("analyze.json"));
        assertThat(written).isEqualTo(local.out());
        return JSON.readTree(written);
    }

    /** The time of day {@code share} of the way through the document's time span (its first host's, if several). */
    static String timeOfDay(JsonNode document, double share) {
        JsonNode span = document.path("hosts").size() > 0 ? document.path("hosts").get(0) : document;
        long start = span.path("start_ns").asLong();
        long at = start + (long) ((span.path("end_ns").asLong() - start) * share);
        return TIME_OF_DAY.format(Instant.ofEpochSecond(0, at));
    }

    static String[] args(List<String> head, List<String> options, String... tail) {
        List<String> all = new java.util.ArrayList<>(head);
        all.addAll(options);
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("");
    }

    /**
     * Each option's entry in a picocli usage message, its lines joined without white space: the option names with
     * their parameter label, then the description, whatever the width it was wrapped to (picocli may wrap inside a
     * word such as {@code [.ns]}).
     */
    static Map<String, String> optionHelp(String usage) {
        Map<String, String> entries = new LinkedHashMap<>();
        String current = null;
        StringBuilder text = new StringBuilder();
        for (String line : usage.lines().toList()) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() && current != null) {
                break; // the options end; the footer follows
            }
            // an entry starts in the option column: "  -h, --help" or "      --bin=DURATION"
            java.util.regex.Matcher start = java.util.regex.Pattern.compile("^(?: {2}-\\w, | {6})(--[\\w-]+)")
                    .matcher(line);
            if (start.find()) {
                if (current != null) {
                    entries.put(current, text.toString().replaceAll("\\s+", ""));
                }
                current = start.group(1);
                text.setLength(0);
            }
            if (current != null) {
                text.append(' ').append(trimmed);
            }
        }
        if (current != null) {
            entries.put(current, text.toString().replaceAll("\\s+", ""));
        }
        return entries;
    }
}
