package org.vnetscope.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.document.AnalysisEngine;
import org.vnetscope.document.HostAnalysis;
import org.vnetscope.document.ReportJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** {@code vnetscope analyze}: per-interface traffic, drops, offload and streams of a trace. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Per-interface traffic, drops, offload and the stream list of an LTTng kernel trace.",
        footerHeading = "%nExamples:%n",
        footer = {"  vnetscope analyze samples/bridge-basic/trace/kernel",
                "  vnetscope analyze --bin 100ms --kallsyms kallsyms.txt.gz TRACE",
                "  vnetscope analyze --format json TRACE > analysis.json",
                "  vnetscope analyze --begin 10:15 --end 10:16 TRACE      # one minute of the trace",
                "  vnetscope analyze --format csv --output tables/ TRACE",
                "  vnetscope analyze --engine spark --master 'local[2]' --format json TRACE..."})
final class AnalyzeCommand implements Callable<Integer> {

    enum Format { text, json, csv }

    @Spec
    CommandSpec spec;

    @Mixin
    TraceAnalysis analysis;

    @Parameters(paramLabel = "TRACE", arity = "1..*",
            description = "Trace directories or LTTng session folders; traces of several hosts (told apart by their "
                    + "hostname and clock) are analysed host by host and put on one time line.")
    List<Path> traces;

    @Option(names = "--format", defaultValue = "text", description = "text, json or csv (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--output", paramLabel = "DIR",
            description = "Directory for the CSV files (required with csv; one sub-directory per host when several).")
    Path output;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = LOCAL_ENGINE,
            description = "Where the hosts' analyses run: local, this process, a thread per host (default); spark, "
                    + "a Spark job, a task per host, with the same result (docs/spark.md; the vnetscope launcher "
                    + "puts Spark on the class path for it).")
    String engine;

    @Option(names = "--master", paramLabel = "URL",
            description = "With --engine spark: the Spark master, local[N] or spark://HOST:PORT (default: local[*]).")
    String master;

    static final String LOCAL_ENGINE = "local";

    @Override
    public Integer call() {
        if (format == Format.csv && output == null) {
            throw new ParameterException(spec.commandLine(), "--format csv needs --output DIR");
        }
        AnalysisEngine chosen = engine();
        PrintWriter out = spec.commandLine().getOut();
        List<HostAnalysis> hosts = analysis.runHosts(traces, chosen, master == null ? Map.of()
                : Map.of("master", master));
        boolean several = hosts.size() > 1;
        switch (format) {
            case json -> {
                try {
                    ReportJson.print(several ? analysis.clusterDocument(hosts) : ReportJson.of(hosts.get(0).report()),
                            out);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            case csv -> {
                for (HostAnalysis host : hosts) {
                    Path directory = several ? output.resolve(host.host().name()) : output;
                    List<Path> written = ReportCsv.write(host.report(), directory);
                    written.forEach(path -> out.println("wrote " + path));
                }
            }
            case text -> {
                for (HostAnalysis host : hosts) {
                    if (several) {
                        out.println("=== host " + host.host().name() + " (" + host.trace() + ")");
                    }
                    ReportText.print(host.report(), out);
                    if (several) {
                        out.println();
                    }
                }
                if (several) {
                    analysis.printCluster(hosts, out);
                }
            }
        }
        return 0;
    }

    /**
     * The engine {@code --engine} names, null for this process. Only another engine is looked up, so that a plain
     * run loads nothing of the engines (nor their libraries, which are on the class path only when asked for).
     */
    private AnalysisEngine engine() {
        if (engine.equals(LOCAL_ENGINE)) {
            if (master != null) {
                throw new ParameterException(spec.commandLine(), "--master needs --engine spark");
            }
            return null;
        }
        return AnalysisEngine.named(engine).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "--engine " + engine + ": no such engine on the class path (local; spark through the vnetscope "
                        + "launcher, which adds it and Spark's libraries)"));
    }

    static void ensureDirectory(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(directory + ": cannot create: " + e.getMessage(), e);
        }
    }
}
