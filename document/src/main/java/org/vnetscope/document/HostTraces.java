package org.vnetscope.document;

import java.nio.file.Path;
import java.util.List;
import org.vnetscope.analysis.cluster.TraceHosts;
import org.vnetscope.ctf.TraceReader;

/**
 * One host's traces as the command line reads them, for an {@link AnalysisEngine} to read them the same way.
 *
 * @param paths   what to open: the arguments themselves when they hold a single host, else the host's directories
 * @param asNamed open the one path as the argument it was ({@link TraceReader#open(Path, TraceReader.Warnings)});
 *                otherwise the paths are opened as a set, as for a host found among several
 * @param label   the traces as the user named them (the report's {@code trace})
 * @param beginNs the first instant to read on the host's clock ({@link Long#MIN_VALUE}: from the start)
 * @param endNs   the last instant ({@link Long#MAX_VALUE}: to the end)
 */
public record HostTraces(List<Path> paths, boolean asNamed, String label, long beginNs, long endNs) {

    public HostTraces {
        paths = List.copyOf(paths);
        if (asNamed && paths.size() != 1) {
            throw new IllegalArgumentException("only one path can be opened as named: " + paths);
        }
    }

    /**
     * Each host's traces as the command line reads them, without a time range: the arguments themselves when
     * they hold one host (as one path when they are one), else each host's trace directories as a set.
     *
     * @param inputs the paths the user named
     * @param hosts  the hosts of the traces under them ({@link TraceHosts#of})
     */
    public static List<HostTraces> of(List<Path> inputs, List<TraceHosts.Host> hosts) {
        if (hosts.size() == 1) {
            return List.of(new HostTraces(inputs, inputs.size() == 1,
                    String.join(" ", inputs.stream().map(Path::toString).toList()), Long.MIN_VALUE, Long.MAX_VALUE));
        }
        return hosts.stream().map(host -> new HostTraces(host.directories(), false, HostAnalysis.label(host),
                Long.MIN_VALUE, Long.MAX_VALUE)).toList();
    }

    /** The same traces over a time range of their clock. */
    public HostTraces limitedTo(long beginNs, long endNs) {
        return new HostTraces(paths, asNamed, label, beginNs, endNs);
    }

    /** Whether a time range limits the reading (as {@code --begin}/{@code --end} do). */
    public boolean limited() {
        return beginNs != Long.MIN_VALUE || endNs != Long.MAX_VALUE;
    }

    /** A reader of these traces over their range, as the command line opens it. */
    public TraceReader open() {
        return open(paths, asNamed, beginNs, endNs);
    }

    /** As {@link #open()}, from the parts of a host's traces (for engines that ship them as plain values). */
    public static TraceReader open(List<Path> paths, boolean asNamed, long beginNs, long endNs) {
        TraceReader reader = asNamed ? TraceReader.open(paths.get(0), TraceReader.Warnings.IGNORE)
                : TraceReader.open(paths, TraceReader.Warnings.IGNORE);
        if (beginNs != Long.MIN_VALUE || endNs != Long.MAX_VALUE) {
            reader.limitTo(beginNs, endNs);
        }
        return reader;
    }
}
