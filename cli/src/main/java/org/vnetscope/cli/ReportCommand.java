package org.vnetscope.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.vnetscope.cli.report.HtmlReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
        footer = {"  vnetscope report samples/bridge-basic/trace/kernel -o bridge-basic.html",
                "  vnetscope report --bin 100ms traces/migration -o migration.html",
                "  vnetscope analyze --format json traces/migration > migration.json",
                "  vnetscope report migration.json -o migration.html"})
public final class ReportCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private TraceAnalysis analysis;

    @Parameters(index = "0", paramLabel = "TRACE",
            description = "a trace directory or LTTng session folder, or the JSON document that "
                    + "`vnetscope analyze --format json` wrote (the analysis options then do not apply)")
    private Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "the HTML file to write")
    private Path output;

    @Override
    public Integer call() throws IOException {
        JsonNode document = Files.isRegularFile(input) ? readDocument(input) : analyseTrace(input);
        Files.writeString(output, HtmlReport.render(document, title(input)), StandardCharsets.UTF_8);
        spec.commandLine().getErr().println("vnetscope: report written to " + output);
        return 0;
    }

    /** The name a reader knows the trace by: LTTng's {@code SESSION/trace/kernel} is called SESSION. */
    static String title(Path input) {
        Path path = input.toAbsolutePath().normalize();
        while (path.getParent() != null && path.getFileName() != null
                && List.of("kernel", "ust", "trace").contains(path.getFileName().toString())) {
            path = path.getParent();
        }
        return path.getFileName() == null ? input.toString() : path.getFileName().toString();
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

    private JsonNode analyseTrace(Path trace) throws IOException {
        if (!Files.isDirectory(trace)) {
            throw new IOException(trace + ": no such trace directory or analysis document");
        }
        return analysis.document(trace);
    }
}
