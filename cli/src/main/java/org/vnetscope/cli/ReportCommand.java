package org.vnetscope.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vnetscope.cli.report.HtmlReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vnetscope report}: one self-contained HTML page with plots, the topology diagram and the tables. */
@Command(name = "report",
        mixinStandardHelpOptions = true,
        description = {"Writes one self-contained HTML report (opens offline, no network access): bandwidth and drops",
                "over time, offload share, the topology diagram, packet paths, the stream list and the VM matrix."},
        footerHeading = "%nExamples:%n",
        footer = {"  vnetscope report traces/migration -o migration.html",
                "  vnetscope analyze --format json traces/migration > migration.json",
                "  vnetscope report migration.json -o migration.html"})
public final class ReportCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TRACE",
            description = "a CTF trace directory, or the JSON document that `vnetscope analyze --format json` wrote")
    private Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "the HTML file to write")
    private Path output;

    @Override
    public Integer call() throws IOException {
        JsonNode analysis = Files.isRegularFile(input) ? readDocument(input) : analyseTrace(input);
        String title = input.toAbsolutePath().normalize().getFileName() == null
                ? input.toString() : input.toAbsolutePath().normalize().getFileName().toString();
        Files.writeString(output, HtmlReport.render(analysis, title), StandardCharsets.UTF_8);
        spec.commandLine().getErr().println("vnetscope: report written to " + output);
        return 0;
    }

    private static JsonNode readDocument(Path file) throws IOException {
        try {
            JsonNode document = new ObjectMapper().readTree(file.toFile());
            if (document == null || !document.isObject()) {
                throw new IOException(file + ": not an analysis document (expected a JSON object)");
            }
            return document;
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not valid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr());
        }
    }

    private static JsonNode analyseTrace(Path trace) throws IOException {
        if (!Files.isDirectory(trace)) {
            throw new IOException(trace + ": no such trace directory or analysis document");
        }
        throw new IOException(trace + ": this build cannot analyse traces yet; give the JSON document that "
                + "`vnetscope analyze --format json` writes");
    }
}
