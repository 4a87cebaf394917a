package org.vnetscope.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.cluster.ClusterTraffic;
import org.vnetscope.analysis.topology.VmDirectory;
import org.vnetscope.placement.Demand;
import org.vnetscope.placement.HostSpec;
import org.vnetscope.placement.PlacementOptions;
import org.vnetscope.placement.PlacementProblem;
import org.vnetscope.placement.Placer;
import org.vnetscope.placement.VmSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The placement options {@code placement} and {@code report --hosts} share, and the placement problem they build
 * from traces' VM traffic matrix, so that the report's placement section is what {@code placement} prints.
 */
final class PlacementSetup {

    /** The options that only a placement uses: given to {@code report} without {@code --hosts}, they are a mistake. */
    static final List<String> OPTION_NAMES = List.of("--seed", "--time-limit", "--max-moves", "--pin",
            "--default-vm-size");

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

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

    /** The search's options; {@code timeLimitNs} is {@code --time-limit} as the command parsed it. */
    PlacementOptions options(long timeLimitNs) {
        return PlacementOptions.defaults().withSeed(seed).withTimeLimit(Duration.ofNanos(timeLimitNs));
    }

    /** Whether the command line gave any of {@link #OPTION_NAMES}. */
    boolean anyGiven() {
        return OPTION_NAMES.stream().anyMatch(name -> command.commandLine().getParseResult().hasMatchedOption(name));
    }

    /**
     * What {@code placement --format json} prints for these analysed traces and hosts: the problem built as
     * {@link #fromTraces} builds it, solved with these options. Unusable input is an
     * {@link IllegalArgumentException} naming what is wrong.
     */
    ObjectNode placementJson(List<AnalysisReport> reports, List<HostSpec> hosts, Path hostsFile, VmDirectory vms,
                             long timeLimitNs) {
        ClusterTraffic.Result cluster = ClusterTraffic.of(reports);
        List<String> notes = new ArrayList<>(cluster.notes());
        PlacementProblem problem = fromTraces(cluster, hosts, hostsFile, vms, notes);
        return PlacementReport.json(Placer.solve(problem, options(timeLimitNs)), problem, cluster, notes);
    }

    /**
     * The problem of placing the traced VMs on these hosts: sizes from libvirt XML (else {@code --default-vm-size},
     * which a note names), pins, the traced pairs with their time bins, and the migration budget.
     */
    PlacementProblem fromTraces(ClusterTraffic.Result cluster, List<HostSpec> hosts, Path hostsFile,
                                VmDirectory directory, List<String> notes) {
        for (String host : cluster.hosts()) {
            if (hosts.stream().noneMatch(h -> h.name().equals(host))) {
                throw new IllegalArgumentException(hostsFile + " does not list host " + host
                        + ", which a trace names (its hostname)");
            }
        }
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

    /** The VMs with {@code --pin}'s hosts; a pin naming no VM is a usage error. */
    List<VmSpec> pinned(List<VmSpec> vms) {
        Map<String, String> pinOf = new HashMap<>();
        for (String pin : pins) {
            int at = pin.indexOf('=');
            if (at <= 0 || at == pin.length() - 1) {
                throw new ParameterException(command.commandLine(), "--pin expects VM=HOST, not " + pin);
            }
            pinOf.put(pin.substring(0, at), pin.substring(at + 1));
        }
        List<VmSpec> result = new ArrayList<>();
        for (VmSpec vm : vms) {
            String host = pinOf.remove(vm.name());
            result.add(host == null ? vm : vm.pinned(host));
        }
        if (!pinOf.isEmpty()) {
            throw new ParameterException(command.commandLine(), "--pin names unknown VM(s): "
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
        throw new ParameterException(command.commandLine(), "--default-vm-size expects CPU,MIB, e.g. 1,1024");
    }
}
