package org.vnetscope.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.cli.report.HtmlReport;
import org.vnetscope.document.ReportJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code vnetscope demo}: every analysis on the bundled sample, a real trace of three VMs on one Linux bridge, so a
 * first run shows what the tool does before the user has recorded anything.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Analyses the bundled sample trace (three VMs on one Linux bridge: TCP, ping and UDP",
            "between them) with every analysis, and writes its HTML report."},
        footerHeading = "%nExamples:%n",
        footer = {"  vnetscope demo --report /tmp/demo.html --bin 100ms",
                "  vnetscope demo"})
final class DemoCommand implements Callable<Integer> {

    /** Where the sample lives in the repository. */
    static final Path SAMPLE = Path.of("samples", "bridge-basic", "trace", "kernel");

    @Spec
    private CommandSpec spec;

    @Mixin
    private TraceAnalysis analysis;

    @Option(names = "--report", paramLabel = "FILE", defaultValue = "vnetscope-demo.html",
            description = "Where to write the HTML report (default: ${DEFAULT-VALUE}).")
    private Path report;

    @Override
    public Integer call() throws IOException {
        Path sample = findSample();
        PrintWriter out = spec.commandLine().getOut();
        out.println("vnetscope demo: the bundled sample trace, recorded by LTTng on a Linux 6.1 host where VMs");
        out.println("vm1, vm2, vm3 sit behind ports vnet0, vnet1, vnet2 of bridge virbr0.");
        out.println();
        AnalysisReport result = analysis.run(sample);
        ReportText.print(result, out);
        Files.writeString(report, HtmlReport.render(ReportJson.of(result), "bridge-basic (vnetscope demo)"),
                StandardCharsets.UTF_8);
        out.println();
        out.println("HTML report (plots, topology diagram, paths, sortable tables): " + report.toAbsolutePath());
        out.println("Next: vnetscope analyze TRACE, vnetscope report TRACE -o report.html, vnetscope record --dry-run");
        return 0;
    }

    /**
     * The sample beside the installation: the launcher passes the repository as {@code vnetscope.home}; without
     * it, the folder two levels above the jar (cli/target/vnetscope.jar), then the working directory.
     */
    private static Path findSample() throws IOException {
        List<Path> candidates = new ArrayList<>();
        String home = System.getProperty("vnetscope.home");
        if (home != null) {
            candidates.add(Path.of(home).resolve(SAMPLE));
        }
        try {
            Path jar = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (jar.getParent() != null && jar.getParent().getParent() != null
                    && jar.getParent().getParent().getParent() != null) {
                candidates.add(jar.getParent().getParent().getParent().resolve(SAMPLE));
            }
        } catch (java.net.URISyntaxException | SecurityException | NullPointerException e) {
            // not run from a jar file: the other places remain
        }
        candidates.add(SAMPLE.toAbsolutePath());
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate.resolve("metadata"))) {
                return candidate;
            }
        }
        throw new IOException("the bundled sample trace was not found (looked in " + candidates
                + "); run vnetscope from its repository, or analyse a trace of your own: vnetscope analyze TRACE");
    }
}
