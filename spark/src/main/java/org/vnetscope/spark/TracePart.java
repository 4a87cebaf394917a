package org.vnetscope.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.NetworkAnalysis;
import org.vnetscope.analysis.ReadingAhead;
import org.vnetscope.ctf.CtfException;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.document.HostTraces;
import org.vnetscope.document.PhaseTimes;
import org.vnetscope.document.TimeRange;

/**
 * What one task of the job reads: one partition, a part of one host's traces, named by location. Local traces are
 * opened where they are with the project's reader, which maps them and reads their index (nothing is shipped but
 * the paths); traces on another Hadoop file system (HDFS, S3A) are copied into a local folder of the executor
 * first ({@link LocalCopy}), deleted once read. A part of the analyses' job is a host's traces whole ({@code parts ==
 * 1}, the host's own time range): their states do not merge exactly over time parts yet. The packets table cuts big
 * traces into consecutive time parts chosen on the driver from LTTng's index files ({@link TimeParts}), each a task
 * of its own.
 *
 * @param host    the host's rank among the job's hosts
 * @param part    the part's rank among its host's parts, in time order
 * @param parts   how many parts the host's traces are cut into
 * @param paths   the host's traces, as {@link HostTraces#paths()}: absolute local paths, or locations of a Hadoop
 *                file system ({@code hdfs://namenode/traces/hosta/kernel})
 * @param asNamed as {@link HostTraces#asNamed()}
 * @param label   the traces as the user named them
 * @param beginNs the part's first instant on the host's clock ({@link Long#MIN_VALUE}: from the start)
 * @param endNs   its last instant ({@link Long#MAX_VALUE}: to the end)
 * @param range   --begin/--end as given, resolved on the traces where the task reads them (traces the driver has
 *                only the metadata of cannot tell the day a time of day falls on); null when resolved already
 */
public record TracePart(int host, int part, int parts, List<String> paths, boolean asNamed, String label,
                        long beginNs, long endNs, RangeText range) implements Serializable {

    public TracePart {
        paths = List.copyOf(paths);
    }

    public TracePart(int host, int part, int parts, List<String> paths, boolean asNamed, String label, long beginNs,
                     long endNs) {
        this(host, part, parts, paths, asNamed, label, beginNs, endNs, null);
    }

    /**
     * {@code --begin}/{@code --end} as the user wrote them (either may be null) and the driver's time zone, for times
     * of day.
     */
    public record RangeText(String begin, String end, String zone) implements Serializable {
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
     * The bytes of the part's trace files, to order the tasks by (a listing: local folders walked, another file
     * system's summed by it); 0 when they cannot be listed, which the task will then report.
     */
    long traceBytes(Configuration hadoop) {
        long total = 0;
        for (String path : paths) {
            try {
                if (LocalCopy.isRemote(path)) {
                    total += LocalCopy.fileSystemOf(path, hadoop).getContentSummary(new org.apache.hadoop.fs.Path(path))
                            .getLength();
                } else {
                    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(Path.of(path))) {
                        total += files.filter(java.nio.file.Files::isRegularFile).mapToLong(file -> file.toFile().length())
                                .sum();
                    }
                }
            } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
                // unlisted: counted as empty, the task tells what is wrong with it
            }
        }
        return total;
    }

    /** Whether some of the traces are on a file system the task copies them from. */
    boolean remote() {
        return paths.stream().anyMatch(LocalCopy::isRemote);
    }

    /** The same traces over another range of their clock, resolved. */
    TracePart over(int host, long beginNs, long endNs) {
        return new TracePart(host, part, parts, paths, asNamed, label, beginNs, endNs, null);
    }

    /** This host's part {@code part} of {@code parts} in time order, over [beginNs, endNs], resolved. */
    TracePart piece(int part, int parts, long beginNs, long endNs) {
        return new TracePart(host, part, parts, paths, asNamed, label, beginNs, endNs, null);
    }

    /**
     * Runs every analysis over this part, where the task runs. A trace the reader cannot read comes back as the
     * part's failure, for the driver to tell in one line (a task that throws has Spark log it with its stack).
     *
     * @param hadoop    the driver's Hadoop configuration, for traces on another file system (null when none are)
     * @param readAhead whether the task may read its traces on a second thread ({@link ReadingAhead}: the same
     *                  report), which it does when they are big enough for it to pay
     */
    PartReport analyse(AnalysisOptions options, Configuration hadoop, boolean readAhead) {
        LocalCopy copy = remote() ? LocalCopy.create() : null;
        try {
            long started = PhaseTimes.start();
            TraceReader reader = open(copy, hadoop);
            if (readAhead && ReadingAhead.worth(reader.totalBytes())) {
                reader = ReadingAhead.of(reader);
            }
            AnalysisReport report = NetworkAnalysis.analyze(reader, label, options, null);
            PhaseTimes.done("task " + label, started);
            return new PartReport(host, part, report, null);
        } catch (CtfException | UncheckedIOException | IllegalArgumentException e) {
            return new PartReport(host, part, null, namingLocations(e, copy));
        } finally {
            if (copy != null) {
                copy.close();
            }
        }
    }

    /**
     * Opens the part's traces as the command line opens them, limited to the part's range; those on another file
     * system are copied into {@code copy} first (null when none are).
     *
     * @throws CtfException             for a trace the reader cannot read
     * @throws UncheckedIOException     for a location that cannot be copied
     * @throws IllegalArgumentException for --begin/--end that cannot be resolved on these traces
     */
    TraceReader open(LocalCopy copy, Configuration hadoop) {
        List<Path> local = new ArrayList<>();
        for (String path : paths) {
            if (!LocalCopy.isRemote(path)) {
                local.add(Path.of(path));
                continue;
            }
            try {
                // a range resolved already: only what reading it needs (a time of day is resolved on the whole)
                boolean ranged = range == null && (beginNs != Long.MIN_VALUE || endNs != Long.MAX_VALUE);
                local.add(ranged ? copy.copyTracesOver(path, hadoop, beginNs, endNs)
                        : copy.copyTraces(path, hadoop, false));
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        }
        if (range == null) {
            return HostTraces.open(local, asNamed, beginNs, endNs);
        }
        TraceReader reader = HostTraces.open(local, asNamed, Long.MIN_VALUE, Long.MAX_VALUE);
        try {
            TimeRange.apply(reader, range.begin(), range.end(), null, false, ZoneId.of(range.zone()));
        } catch (IllegalArgumentException e) {
            reader.close();
            throw e;
        }
        return reader;
    }

    /** A failure as the user should read it: naming the traces' locations, not their local copies. */
    static RuntimeException namingLocations(RuntimeException failure, LocalCopy copy) {
        if (copy == null) {
            return failure;
        }
        String message = copy.locationsIn(failure.getMessage());
        if (message == null || message.equals(failure.getMessage())) {
            return failure;
        }
        if (failure instanceof CtfException) {
            return new CtfException(null, -1, message, failure);
        }
        return failure instanceof IllegalArgumentException ? new IllegalArgumentException(message, failure)
                : new UncheckedIOException(message, new IOException(failure));
    }

    /** What a task sends back to the driver: the analysis of one part, or why the part could not be read. */
    public record PartReport(int host, int part, AnalysisReport report, RuntimeException failure)
            implements Serializable {
    }
}
