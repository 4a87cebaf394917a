package org.vnetscope.spark;

import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.NetworkAnalysis;
import org.vnetscope.ctf.CtfException;
import org.vnetscope.document.HostTraces;

/**
 * What one task of the job reads: one partition, a part of one host's traces, named by path (each executor opens
 * the trace files with the project's reader, which maps them and reads their index; nothing is shipped but the
 * paths). Today a part is a host's traces whole ({@code parts == 1}, the host's own time range). The range is
 * where one big trace will be cut into consecutive time parts, chosen on the driver from LTTng's index files:
 * each part then its own task, and the parts of a host merged in {@code part} order before the hosts meet
 * ({@link HostsJob#fold}).
 *
 * @param host    the host's rank among the job's hosts
 * @param part    the part's rank among its host's parts, in time order
 * @param parts   how many parts the host's traces are cut into
 * @param paths   the host's traces, as {@link HostTraces#paths()}, made absolute
 * @param asNamed as {@link HostTraces#asNamed()}
 * @param label   the traces as the user named them
 * @param beginNs the part's first instant on the host's clock ({@link Long#MIN_VALUE}: from the start)
 * @param endNs   its last instant ({@link Long#MAX_VALUE}: to the end)
 */
public record TracePart(int host, int part, int parts, List<String> paths, boolean asNamed, String label,
                        long beginNs, long endNs) implements Serializable {

    public TracePart {
        paths = List.copyOf(paths);
    }

    /** The parts of the hosts' traces: one per host, each the host's traces whole. */
    static List<TracePart> plan(List<HostTraces> hosts) {
        List<TracePart> parts = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            HostTraces host = hosts.get(i);
            // absolute: an executor elsewhere runs in a folder of its own (the label keeps the paths as given)
            parts.add(new TracePart(i, 0, 1, host.paths().stream().map(path -> path.toAbsolutePath().toString())
                    .toList(), host.asNamed(), host.label(), host.beginNs(), host.endNs()));
        }
        return parts;
    }

    /**
     * Runs every analysis over this part, where the task runs. A trace the reader cannot read comes back as the
     * part's failure, for the driver to tell in one line (a task that throws has Spark log it with its stack).
     */
    PartReport analyse(AnalysisOptions options) {
        try {
            AnalysisReport report = NetworkAnalysis.analyze(HostTraces.open(paths.stream().map(Path::of).toList(),
                    asNamed, beginNs, endNs), label, options, null);
            return new PartReport(host, part, report, null);
        } catch (CtfException | UncheckedIOException e) {
            return new PartReport(host, part, null, e);
        }
    }

    /** What a task sends back to the driver: the analysis of one part, or why the part could not be read. */
    public record PartReport(int host, int part, AnalysisReport report, RuntimeException failure)
            implements Serializable {
    }
}
