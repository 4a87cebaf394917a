package org.vnetscope.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.cluster.ClusterTraffic;
import org.vnetscope.placement.HostSpec;
import org.vnetscope.placement.PlacementOptions;
import org.vnetscope.placement.PlacementProblem;
import org.vnetscope.placement.PlacementResult;
import org.vnetscope.placement.Placer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vnetscope placement TRACE... --hosts HOSTS.json}: a VM placement that cuts the traffic between hosts,
 * from the VM traffic matrix the traces measured (or one the user brings), within each host's CPU, memory and NIC.
 */
@Command(name = "placement", mixinStandardHelpOptions = true,
        description = "Proposes VM migrations that cut cross-host traffic, from the measured VM traffic matrix, "
                + "within each host's CPU, memory and NIC capacity.",
        footerHeading = "%nExamples:%n",
        footer = {"  vnetscope placement samples/bridge-basic/trace/kernel --hosts samples/bridge-basic/hosts.json",
                "  vnetscope placement hostA/kernel hostB/kernel --hosts hosts.json --max-moves 2 --format json",
                "  vnetscope placement --matrix matrix.json --hosts hosts.json --pin db1=host3",
                "",
                "HOSTS.json: {\"hosts\":[{\"name\",\"cpu\",\"memory_mib\",\"nic_bits_per_second\"}]}",
                "MATRIX.json: {\"vms\":[{\"name\",\"host\",\"cpu\",\"memory_mib\"}],\"traffic\":[{\"a\",\"b\",\"bytes\"}]}"})
public final class PlacementCommand implements Callable<Integer> {

    enum Format { text, json }

    @Parameters(paramLabel = "TRACE", arity = "0..*",
            description = "Trace directories, one per host (or a folder of them); the traced host's name is the "
                    + "trace's hostname.")
    List<Path> traces = new ArrayList<>();

    @Option(names = "--hosts", paramLabel = "HOSTS.json", required = true,
            description = "The hosts and their capacities.")
    Path hostsFile;

    @Option(names = "--matrix", paramLabel = "MATRIX.json",
            description = "A VM traffic matrix to place instead of traces'.")
    Path matrixFile;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Mixin
    PlacementSetup setup;

    @Mixin
    TraceAnalysis analysis;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (traces.isEmpty() == (matrixFile == null)) {
            throw new ParameterException(spec.commandLine(), "give either traces or --matrix");
        }
        PrintWriter out = spec.commandLine().getOut();
        long limitNs = analysis.parseDuration(setup.timeLimit);
        PlacementProblem problem;
        List<String> notes = new ArrayList<>();
        ClusterTraffic.Result cluster = null;
        try {
            List<HostSpec> hosts = PlacementInput.hosts(hostsFile);
            if (matrixFile != null) {
                PlacementInput.Matrix matrix = PlacementInput.matrix(matrixFile);
                problem = new PlacementProblem(hosts, setup.pinned(matrix.vms()), matrix.demands(), matrix.binNs(),
                        matrix.windowNs(), setup.maxMoves);
            } else {
                // a folder of several hosts' traces is split host by host, as analyze does
                List<AnalysisReport> reports = new ArrayList<>();
                for (TraceAnalysis.HostAnalysis host : analysis.runHosts(traces)) {
                    reports.add(host.report());
                }
                cluster = ClusterTraffic.of(reports);
                notes.addAll(cluster.notes());
                problem = setup.fromTraces(cluster, hosts, hostsFile, analysis.options().vms(), notes);
            }
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("vnetscope: error: " + e.getMessage());
            return Main.EXIT_BAD_INPUT;
        }
        PlacementOptions options = setup.options(limitNs);
        PlacementResult result;
        try {
            result = Placer.solve(problem, options);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("vnetscope: error: " + e.getMessage());
            return Main.EXIT_BAD_INPUT;
        }
        if (format == Format.json) {
            out.println(PlacementReport.json(result, problem, cluster, notes).toPrettyString());
        } else {
            out.print(PlacementReport.text(result, problem, notes));
        }
        return 0;
    }
}
