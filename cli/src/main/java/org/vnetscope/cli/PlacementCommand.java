package org.vnetscope.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.cluster.ClusterTraffic;
import org.vnetscope.document.HostAnalysis;
import org.vnetscope.placement.HostSpec;
import org.vnetscope.placement.MappingResult;
import org.vnetscope.placement.NetworkMapper;
import org.vnetscope.placement.PlacementOptions;
import org.vnetscope.placement.PlacementProblem;
import org.vnetscope.placement.PlacementResult;
import org.vnetscope.placement.Placer;
import org.vnetscope.placement.Substrate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vnetscope placement TRACE... --hosts HOSTS.json}: a VM placement that cuts the traffic between hosts,
 * from the VM traffic matrix the traces measured (or one the user brings), within each host's CPU, memory and NIC;
 * with {@code --substrate SUBSTRATE.json}, the tenants' virtual networks mapped onto the switches and links between
 * the hosts, within every link's capacity.
 */
@Command(name = "placement", mixinStandardHelpOptions = true,
        description = "Proposes VM migrations that cut cross-host traffic, from the measured VM traffic matrix, "
                + "within each host's CPU, memory and NIC capacity.",
        footerHeading = "%nExamples:%n",
        footer = {"  vnetscope placement samples/bridge-basic/trace/kernel --hosts samples/bridge-basic/hosts.json",
                "  vnetscope placement hostA/kernel hostB/kernel --hosts hosts.json --max-moves 2 --format json",
                "  vnetscope placement --matrix matrix.json --hosts hosts.json --pin db1=host3",
                "  vnetscope placement hostA/kernel hostB/kernel --substrate samples/lab5/substrate.json",
                "",
                "HOSTS.json: {\"hosts\":[{\"name\",\"cpu\",\"memory_mib\",\"nic_bits_per_second\"}]}",
                "MATRIX.json: {\"vms\":[{\"name\",\"host\",\"cpu\",\"memory_mib\"}],\"traffic\":[{\"a\",\"b\",\"bytes\"}]}",
                "SUBSTRATE.json: {\"hosts\":[...],\"switches\":[{\"name\"}],\"links\":[{\"a\",\"b\",\"bits_per_second\"}],"
                        + "\"tenants\":[{\"name\",\"vms\":[...]}]}"})
public final class PlacementCommand implements Callable<Integer> {

    enum Format { text, json }

    @Parameters(paramLabel = "TRACE", arity = "0..*",
            description = "Trace directories, one per host (or a folder of them); the traced host's name is the "
                    + "trace's hostname.")
    List<Path> traces = new ArrayList<>();

    @Option(names = "--hosts", paramLabel = "HOSTS.json",
            description = "The hosts and their capacities (or in SUBSTRATE.json).")
    Path hostsFile;

    @Option(names = "--substrate", paramLabel = "SUBSTRATE.json",
            description = "Switches and links between the hosts, with their capacities, and optionally the tenants' "
                    + "networks: maps the VMs and routes their traffic so that no link exceeds its capacity, the "
                    + "busiest link as little used as can be (docs/placement.md).")
    Path substrateFile;

    @Option(names = "--paths", paramLabel = "K", defaultValue = "4",
            description = "With --substrate: candidate paths per host pair, the K shortest by hop count "
                    + "(default: ${DEFAULT-VALUE}).")
    int paths;

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
        if (hostsFile == null && substrateFile == null) {
            throw new ParameterException(spec.commandLine(), "give --hosts HOSTS.json or --substrate SUBSTRATE.json");
        }
        if (paths < 1) {
            throw new ParameterException(spec.commandLine(), "--paths must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        long limitNs = analysis.duration("--time-limit", setup.timeLimit);
        PlacementProblem problem;
        List<String> notes = new ArrayList<>();
        ClusterTraffic.Result cluster = null;
        Substrate substrate = null;
        try {
            List<HostSpec> hosts = hostsFile == null ? null : PlacementInput.hosts(hostsFile);
            if (substrateFile != null) {
                substrate = PlacementInput.substrate(substrateFile);
                hosts = PlacementInput.agreeingHosts(hostsFile, hosts, substrateFile, substrate.hosts());
                Substrate checked = substrate;
                List<HostSpec> known = hosts;
                inFile(substrateFile, () -> checked.check(known));
            }
            if (matrixFile != null) {
                PlacementInput.Matrix matrix = PlacementInput.matrix(matrixFile);
                problem = new PlacementProblem(hosts, setup.pinned(matrix.vms()), matrix.demands(), matrix.binNs(),
                        matrix.windowNs(), setup.maxMoves);
            } else {
                // a folder of several hosts' traces is split host by host, as analyze does
                List<AnalysisReport> reports = new ArrayList<>();
                for (HostAnalysis host : analysis.runHosts(traces)) {
                    reports.add(host.report());
                }
                cluster = ClusterTraffic.of(reports);
                notes.addAll(cluster.notes());
                problem = setup.fromTraces(cluster, hosts, hostsFile != null ? hostsFile : substrateFile,
                        analysis.options().vms(), notes);
            }
            if (substrate != null) {
                Substrate checked = substrate;
                java.util.Set<String> vms = new java.util.HashSet<>();
                problem.vms().forEach(vm -> vms.add(vm.name()));
                inFile(substrateFile, () -> checked.checkTenants(vms));
            }
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("vnetscope: error: " + e.getMessage());
            return Main.EXIT_BAD_INPUT;
        }
        PlacementOptions options = setup.options(limitNs);
        PlacementResult result;
        MappingResult mapping = null;
        try {
            if (substrate != null) {
                mapping = NetworkMapper.solve(problem, substrate, options, paths);
                result = mapping.placement();
            } else {
                result = Placer.solve(problem, options);
            }
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("vnetscope: error: " + e.getMessage());
            return Main.EXIT_BAD_INPUT;
        }
        if (format == Format.json) {
            ObjectNode json = PlacementReport.json(result, problem, cluster, notes);
            if (mapping != null) {
                json.set("substrate", PlacementReport.substrateJson(mapping, substrate));
            }
            out.println(json.toPrettyString());
        } else {
            out.print(PlacementReport.text(result, problem, notes, mapping));
        }
        return 0;
    }

    /** Runs a check of a file's content, its refusal naming the file. */
    private static void inFile(Path file, Runnable check) {
        try {
            check.run();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}
