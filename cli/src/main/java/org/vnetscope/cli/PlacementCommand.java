package org.vnetscope.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.cluster.ClusterTraffic;
import org.vnetscope.analysis.topology.VmDirectory;
import org.vnetscope.placement.Demand;
import org.vnetscope.placement.HostSpec;
import org.vnetscope.placement.PlacementOptions;
import org.vnetscope.placement.PlacementProblem;
import org.vnetscope.placement.PlacementResult;
import org.vnetscope.placement.Placer;
import org.vnetscope.placement.VmSpec;
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

    @Option(names = "--seed", defaultValue = "0", description = "Random seed of the search (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--time-limit", paramLabel = "DURATION", defaultValue = "10s",
            description = "The most the search may run, e.g. 10s, 500ms (default: ${DEFAULT-VALUE}).")
    String timeLimit;

    @Option(names = "--max-moves", paramLabel = "K", defaultValue = "-1",
            description = "The most migrations the plan may have (default: no limit).")
    int maxMoves;

    @Option(names = "--pin", paramLabel = "VM=HOST", description = "Keeps a VM on a host (repeatable).")
    List<String> pins = new ArrayList<>();

    @Option(names = "--default-vm-size", paramLabel = "CPU,MIB", defaultValue = "1,1024",
            description = "Size of VMs whose size no libvirt XML (--libvirt) gives (default: ${DEFAULT-VALUE}).")
    String defaultVmSize;

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
        long limitNs = analysis.parseDuration(timeLimit);
        PlacementProblem problem;
        List<String> notes = new ArrayList<>();
        ClusterTraffic.Result cluster = null;
        try {
            List<HostSpec> hosts = PlacementInput.hosts(hostsFile);
            if (matrixFile != null) {
                PlacementInput.Matrix matrix = PlacementInput.matrix(matrixFile);
                problem = new PlacementProblem(hosts, pinned(matrix.vms()), matrix.demands(), matrix.binNs(),
                        matrix.windowNs(), maxMoves);
            } else {
                List<AnalysisReport> reports = new ArrayList<>();
                for (Path trace : traces) {
                    reports.add(analysis.run(trace));
                }
                cluster = ClusterTraffic.of(reports);
                notes.addAll(cluster.notes());
                problem = fromTraces(cluster, hosts, notes);
            }
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("vnetscope: error: " + e.getMessage());
            return Main.EXIT_BAD_INPUT;
        }
        PlacementOptions options = PlacementOptions.defaults().withSeed(seed).withTimeLimit(Duration.ofNanos(limitNs));
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

    private PlacementProblem fromTraces(ClusterTraffic.Result cluster, List<HostSpec> hosts, List<String> notes) {
        for (String host : cluster.hosts()) {
            if (hosts.stream().noneMatch(h -> h.name().equals(host))) {
                throw new IllegalArgumentException(hostsFile + " does not list host " + host
                        + ", which a trace names (its hostname)");
            }
        }
        VmDirectory directory = analysis.options().vms();
        VmDirectory.Size fallback = defaultSize();
        List<VmSpec> vms = new ArrayList<>();
        List<String> unsized = new ArrayList<>();
        for (ClusterTraffic.Vm vm : cluster.vms()) {
            VmDirectory.Size size = directory.sizeOf(vm.name());
            if (size == null) {
                unsized.add(vm.name());
                size = fallback;
            }
            vms.add(new VmSpec(vm.name(), vm.host(), size.cpu(), size.memoryMib(), null));
        }
        if (!unsized.isEmpty()) {
            notes.add(unsized.size() + " VM(s) without a size in libvirt XML (--libvirt) taken as " + fallback.cpu()
                    + " vCPU and " + fallback.memoryMib() + " MiB: " + String.join(", ", unsized));
        }
        List<Demand> demands = new ArrayList<>();
        long binNs = cluster.binNs();
        for (ClusterTraffic.Pair pair : cluster.pairs()) {
            demands.add(new Demand(pair.a(), pair.b(), pair.bytes(), pair.binBytes()));
        }
        return new PlacementProblem(hosts, pinned(vms), demands, binNs, cluster.windowNs(), maxMoves);
    }

    private List<VmSpec> pinned(List<VmSpec> vms) {
        Map<String, String> pinOf = new HashMap<>();
        for (String pin : pins) {
            int at = pin.indexOf('=');
            if (at <= 0 || at == pin.length() - 1) {
                throw new ParameterException(spec.commandLine(), "--pin expects VM=HOST, not " + pin);
            }
            pinOf.put(pin.substring(0, at), pin.substring(at + 1));
        }
        List<VmSpec> result = new ArrayList<>();
        for (VmSpec vm : vms) {
            String host = pinOf.remove(vm.name());
            result.add(host == null ? vm : vm.pinned(host));
        }
        if (!pinOf.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--pin names unknown VM(s): "
                    + String.join(", ", pinOf.keySet()));
        }
        return result;
    }

    private VmDirectory.Size defaultSize() {
        String[] parts = defaultVmSize.split(",");
        try {
            if (parts.length == 2) {
                return new VmDirectory.Size(Double.parseDouble(parts[0].trim()), Long.parseLong(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ParameterException(spec.commandLine(), "--default-vm-size expects CPU,MIB, e.g. 1,1024");
    }
}
