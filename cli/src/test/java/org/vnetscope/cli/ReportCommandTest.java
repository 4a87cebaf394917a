package org.vnetscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetscope.document.ReportJson;

class ReportCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out), new PrintWriter(err));
    }

    @Test
    void writesTheReportOfAnAnalysisDocument() throws Exception {
        Path json = dir.resolve("migration.json");
        try (InputStream in = getClass().getResourceAsStream("report/migration-fdb.json")) {
            Files.copy(in, json);
        }
        Path html = dir.resolve("report.html");

        assertThat(run("report", json.toString(), "-o", html.toString())).isZero();

        assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>")
                .contains("<title>vnetscope report: migration.json</title>")
                .contains("\"bridges\":[{\"name\":\"virbr0\"");
        assertThat(err.toString()).contains("report written to " + html);
    }

    @Test
    void reportOfATraceEmbedsTheDocumentOfAnalyzeJson() throws Exception {
        Path sample = Path.of(System.getProperty("vnetscope.repo", "..")).resolve("samples/bridge-basic/trace/kernel");
        Path html = dir.resolve("bridge-basic.html");
        assertThat(run("report", "--bin", "250ms", sample.toString(), "-o", html.toString())).isZero();
        assertThat(run("analyze", "--format", "json", "--bin", "250ms", sample.toString())).isZero();

        Matcher data = Pattern.compile("<script type=\"application/json\" id=\"vnetscope-data\">(.*?)</script>",
                Pattern.DOTALL).matcher(Files.readString(html));
        assertThat(data.find()).isTrue();
        JsonNode embedded = ReportJson.MAPPER.readTree(data.group(1).replace("\\u003c", "<").replace("\\u003e", ">"));
        assertThat(embedded).isEqualTo(ReportJson.MAPPER.readTree(out.toString()));
        assertThat(embedded.get("bin_ns").asLong()).isEqualTo(250_000_000L);
        assertThat(Files.readString(html)).contains("<title>vnetscope report: bridge-basic</title>");
    }

    @Test
    void badInputIsOneLine() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"interfaces\": [\n");
        assertThat(run("report", broken.toString(), "-o", dir.resolve("x.html").toString())).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(err.toString()).startsWith("vnetscope: error: " + broken + ": not valid JSON at line 2")
                .hasLineCount(1);

        err.getBuffer().setLength(0);
        Path missing = dir.resolve("nothing-here");
        assertThat(run("report", missing.toString(), "-o", dir.resolve("y.html").toString())).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(err.toString()).isEqualTo("vnetscope: error: " + missing + ": no such trace directory or analysis document"
                + System.lineSeparator());
        assertThat(dir.resolve("y.html")).doesNotExist();
    }

    @Test
    void everyCommandsHelpListsExamples() {
        assertThat(run("report", "--help")).isZero();
        assertThat(out.toString()).contains("Examples:").contains("vnetscope report samples/bridge-basic/trace/kernel -o");
        for (String command : Main.commandLine(null).getSubcommands().keySet()) {
            if (command.equals("help")) {
                continue;
            }
            out.getBuffer().setLength(0);
            assertThat(run(command, "--help")).isZero();
            assertThat(out.toString()).as(command).containsPattern("Examples:\\R  vnetscope " + command + "\\s");
            assertThat(out.toString().lines()).as(command).allMatch(line -> line.length() <= 100);
        }
        out.getBuffer().setLength(0);
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Examples:");
    }
}
