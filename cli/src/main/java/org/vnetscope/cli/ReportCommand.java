package org.vnetscope.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.cli.report.HtmlReport;
import org.vnetscope.document.HostAnalysis;
import org.vnetscope.document.ReportJson;
import org.vnetscope.placement.HostSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vnetscope report}: one self-contained HTML page with plots, the topology diagram and the tables. */
@Command(name = "report",
        mixinStandardHelpOptions = true,
        description = {"Writes one self-contained HTML report (opens offline, no network access):",
                "bandwidth and drops over time, offload share, the topology diagram, packet",
                "paths, the stream list and the VM matrix; with --hosts, a VM placement too",
                "(the hosts' VMs and their traffic before and after, the migrations)."},
        footerHeading = "%nExamples:%n",
        footer = {"  vnetscope report samples/bridge-basic/trace/kernel -o bridge-basic.html",
                "  vnetscope report --bin 100ms traces/migration -o migration.html",
                "  vnetscope analyze --format json traces/migration > migration.json",
                "  vnetscope report migration.json -o migration.html",
                "  vnetscope report traces/migration --hosts hosts.json --max-moves 1 -o p.html",
                "  vnetscope placement A/kernel B/kernel --hosts hosts.json --format json > p.json",
                "  vnetscope report p.json -o placement.html"})
public final class ReportCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private TraceAnalysis analysis;

    @Parameters(paramLabel = "TRACE", arity = "1..*",
            description = "trace directories or LTTng session folders (several hosts' traces: one report of the "
                    + "cluster), or the JSON document that `vnetscope analyze --format json` (or `vnetscope placement "
                    + "--format json`) wrote (the analysis options then do not apply)")
    private List<Path> inputs;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "the HTML file to write")
    private Path output;

    @Option(names = "--hosts", paramLabel = "HOSTS.json",
            description = "Adds the placement section: the VM placement `vnetscope placement --format json` proposes "
                    + "for this trace on these hosts (the placement options apply).")
    private Path hostsFile;

    @Mixin
    private PlacementSetup placement;

    @Override
    public Integer call() throws IOException {
        if (hostsFile == null && placement.anyGiven()) {
            throw new ParameterException(spec.commandLine(), String.join(", ", PlacementSetup.OPTION_NAMES)
                    + " apply to the placement section: give --hosts HOSTS.json too");
        }
        JsonNode document;
        Path input = inputs.get(0);
        if (Files.isRegularFile(input)) {
            if (inputs.size() > 1) {
                throw new ParameterException(spec.commandLine(), "give one analysis document, or trace directories");
            }
            if (hostsFile != null) {
                throw new ParameterException(spec.commandLine(), "--hosts places the VMs of a trace: give a trace "
                        + "directory, or draw a saved placement with `vnetscope report PLACEMENT.json` (the output "
                        + "of `vnetscope placement --format json`)");
            }
            document = readDocument(input);
        } else {
            try {
                document = analyseTraces(inputs);
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("vnetscope: error: " + e.getMessage());
                return Main.EXIT_BAD_INPUT;
            }
        }
        String title = inputs.size() == 1 ? title(input)
                : String.join(" + ", inputs.stream().map(ReportCommand::title).toList());
        Files.writeString(output, HtmlReport.render(document, title), StandardCharsets.UTF_8);
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
            if (isPlacement(document)) {
                ObjectNode wrapped = JsonNodeFactory.instance.objectNode();
                wrapped.set("placement", document);
                return wrapped;
            }
            return document;
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not valid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr());
        }
    }

    /**
     * The output of {@code placement --format json}, told from an analysis document by what only it has: the
     * figures before and after and the list of assignments (a report's document holds it as an object).
     */
    static boolean isPlacement(JsonNode document) {
        return document.path("placement").isArray() && document.path("before").isObject()
                && document.path("after").isObject();
    }

    /**
     * The analysis document of the trace, with the placement of its VMs on {@code --hosts}'s hosts when given; the
     * hosts and the time limit are read before the trace, so that a mistake in them costs no analysis.
     */
    private ObjectNode analyseTraces(List<Path> traces) throws IOException {
        for (Path trace : traces) {
            if (!Files.isDirectory(trace)) {
                throw new IOException(trace + ": no such trace directory or analysis document");
            }
        }
        long timeLimitNs = hostsFile == null ? 0 : analysis.duration("--time-limit", placement.timeLimit);
        List<HostSpec> hosts = hostsFile == null ? null : PlacementInput.hosts(hostsFile);
        List<HostAnalysis> analysed = analysis.runHosts(traces);
        ObjectNode document = analysed.size() > 1 ? analysis.cluster(analysed).document()
                : ReportJson.of(analysed.get(0).report());
        if (hostsFile != null) {
            document.set("placement", placement.placementJson(
                    analysed.stream().map(HostAnalysis::report).toList(), hosts, hostsFile,
                    analysis.options().vms(), timeLimitNs));
        }
        return document;
    }
}
