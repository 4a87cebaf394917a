package org.vnetscope.document;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.Kallsyms;
import org.vnetscope.analysis.cluster.TraceHosts;
import org.vnetscope.analysis.topology.VmDirectory;
import org.vnetscope.ctf.TraceReader;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options of the analyses, declared once for every front end that runs them ({@code vnetscope analyze},
 * {@code report}, {@code topology}, ... and {@code spark-submit ... vnetscope-spark.jar analyze}): a picocli mixin,
 * so that their names, help texts and parsing (durations, the time formats of {@code --begin}/{@code --end}) are the
 * same wherever they are given. Their names are a public contract: add, never rename.
 */
public class AnalysisArguments {

    /** The command the options were given to, for its usage errors. */
    @Spec(Spec.Target.MIXEE)
    protected CommandSpec command;

    @Option(names = "--bin", paramLabel = "DURATION", defaultValue = "1s",
            description = "Timeline bin width, e.g. 100ms, 1s, 500us (default: ${DEFAULT-VALUE}).")
    String bin;

    @Option(names = "--kallsyms", paramLabel = "FILE",
            description = "A copy of /proc/kallsyms (or .gz) of the traced kernel, to name drop locations.")
    Path kallsyms;

    @Option(names = "--mtu", paramLabel = "N", defaultValue = "1500",
            description = "MTU telling GSO super-packets from frames (default: ${DEFAULT-VALUE}).")
    int mtu;

    @Option(names = "--vm-map", paramLabel = "FILE",
            description = "VM names: lines 'name key...', keys being device names, MACs or netns inodes.")
    Path vmMap;

    @Option(names = "--libvirt", paramLabel = "PATH",
            description = "libvirt domain XML file, or a folder of them, naming VMs.")
    List<Path> libvirt = List.of();

    @Option(names = "--begin", paramLabel = "BEGIN",
            description = "Analyse only what happened at or after BEGIN: YYYY-MM-DD hh:mm[:ss[.ns]], YYYY-MM-DD, "
                    + "hh:mm[:ss[.ns]] (on the day the trace begins), local time, or [-]seconds[.ns] since the "
                    + "Unix epoch (as babeltrace2 --begin).")
    String begin;

    @Option(names = "--end", paramLabel = "END",
            description = "Analyse only what happened at or before END (same formats as --begin).")
    String end;

    /** Unlimited: the whole trace. */
    private static final long[] UNLIMITED = {Long.MIN_VALUE, Long.MAX_VALUE};

    /**
     * The options as the analyses take them; the files named are read here.
     *
     * @throws ParameterException for a value that cannot be used (a bad duration, an unreadable file)
     */
    public AnalysisOptions options() {
        long binNs = duration("--bin", bin);
        if (mtu < 68) {
            throw usageError("--mtu must be at least 68");
        }
        try {
            return new AnalysisOptions(binNs, mtu, kallsyms == null ? null : Kallsyms.read(kallsyms), vms());
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
    }

    /**
     * A duration option of the command ({@code --bin}, or another of the command's own), in ns.
     *
     * @throws ParameterException naming the option when the text is not a duration
     */
    public long duration(String option, String text) {
        try {
            return Durations.parseNs(text);
        } catch (IllegalArgumentException e) {
            throw usageError("invalid " + option + " '" + text + "': use e.g. 100ms, 1s, 500us");
        }
    }

    /** The VM names of --vm-map and --libvirt; a file that cannot be read is a usage error. */
    private VmDirectory vms() {
        VmDirectory vms = VmDirectory.empty();
        try {
            if (vmMap != null) {
                vms.addMapping(vmMap);
            }
            libvirt.forEach(vms::addLibvirt);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw usageError(e.getMessage());
        }
        return vms;
    }

    /** --begin as given, or null. */
    public String begin() {
        return begin;
    }

    /** --end as given, or null. */
    public String end() {
        return end;
    }

    /** Whether --begin or --end limits the analysis to a time range. */
    public boolean limited() {
        return begin != null || end != null;
    }

    /**
     * The time range of --begin/--end on this reader's clock ({@code {beginNs, endNs}}), unlimited when they give
     * none. Times of day are local time, on the day the reader's trace begins.
     *
     * @throws ParameterException for a value that is not a time, or a range that ends before it begins
     */
    public long[] range(TraceReader reader) {
        try {
            long[] bounds = TimeRange.bounds(reader, begin, end, null, false, ZoneId.systemDefault());
            return bounds == null ? UNLIMITED : bounds;
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
    }

    /**
     * Limits the reader to the time range of --begin/--end, when they give one; closes it when they cannot be used.
     *
     * @throws ParameterException as {@link #range}
     */
    public void limit(TraceReader reader) {
        try {
            TimeRange.apply(reader, begin, end, null, false, ZoneId.systemDefault());
        } catch (IllegalArgumentException e) {
            reader.close();
            throw usageError(e.getMessage());
        }
    }

    /**
     * Checks the formats of --begin/--end without a trace, for a run that resolves them where the traces are read
     * (a time of day is placed on the day a trace begins).
     *
     * @throws ParameterException for a value that is not a time
     */
    public void checkRangeFormat() {
        try {
            if (begin != null) {
                TimeRange.checkFormat("--begin", begin);
            }
            if (end != null) {
                TimeRange.checkFormat("--end", end);
            }
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
    }

    /**
     * Each host's traces with the time range of --begin/--end on its own clock, as {@code analyze} reads them: the
     * range resolved on the reader of the paths named when they hold one host, else on each host's own traces.
     *
     * @param inputs the paths the user named
     * @param reader a reader of them (only its traces and its start are looked at)
     * @param hosts  the hosts of its traces ({@link TraceHosts#of})
     */
    public List<HostTraces> hostTraces(List<Path> inputs, TraceReader reader, List<TraceHosts.Host> hosts) {
        List<HostTraces> whole = HostTraces.of(inputs, hosts);
        if (!limited()) {
            return whole;
        }
        List<HostTraces> limited = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            long[] bounds;
            if (hosts.size() == 1) {
                bounds = range(reader);
            } else {
                try (TraceReader hostReader = TraceReader.openTraces(hosts.get(i).tracesAmong(reader.traces()),
                        TraceReader.Warnings.IGNORE)) {
                    bounds = range(hostReader);
                }
            }
            limited.add(whole.get(i).limitedTo(bounds[0], bounds[1]));
        }
        return limited;
    }

    /** A usage error of the command these options were given to (exit code 2, the message and the usage). */
    protected ParameterException usageError(String message) {
        return new ParameterException(command.commandLine(), message);
    }
}
