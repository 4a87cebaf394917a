package org.vnetscope.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.vnetscope.analysis.cluster.TraceHosts;
import org.vnetscope.ctf.CtfException;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.document.AnalysisArguments;
import org.vnetscope.document.HostAnalysis;
import org.vnetscope.document.HostTraces;

/**
 * The traces a run names, found and grouped into hosts on the driver as the command line groups them, and the
 * job's parts: one per host. PATHS are local paths, read in place by the tasks (on a cluster, a mount every
 * executor sees at the same path), or locations of another Hadoop file system ({@code hdfs://}, {@code s3a://}, any
 * scheme {@code FileSystem.get} resolves): those the driver lists with Hadoop's file system API, reading only
 * their metadata files (a copy of them, for the hostnames and clocks that tell hosts apart), and each task copies
 * its host's trace folders into a local folder before reading them. Globs ({@code '/traces/*}{@code /kernel'}) are
 * expanded by Hadoop on either kind.
 *
 * @param hosts  the hosts, in the order of their first trace (their directories are those the driver opened: for
 *               traces of another file system, its copies of their metadata, deleted since)
 * @param parts  a part per host, in host order
 * @param remote whether some traces are on another file system (the tasks then copy them)
 */
record TracePlan(List<TraceHosts.Host> hosts, List<TracePart> parts, boolean remote) {

    /** The host's traces as the user named them (the document's {@code trace}). */
    String label(int host) {
        return parts.get(host).label();
    }

    /** Whether every host's traces are analysed whole: no time range limits any part. */
    boolean wholeTraces() {
        return parts.stream().allMatch(part -> part.range() == null && part.beginNs() == Long.MIN_VALUE
                && part.endNs() == Long.MAX_VALUE);
    }

    /**
     * The plan of the traces under {@code arguments}, with the time range of --begin/--end resolved here on each
     * host's clock, as the command line does: for traces of another file system, on copies of their metadata, index
     * files and first packets (which tell the day a time of day falls on); when a stream file there has no index,
     * on the tasks, which copy the traces whole.
     *
     * @throws IOException for a path that does not exist, holds no trace or cannot be listed (one line naming it)
     */
    static TracePlan of(List<String> arguments, AnalysisArguments options, Configuration hadoop) throws IOException {
        List<String> inputs = expand(arguments, hadoop);
        if (inputs.stream().noneMatch(LocalCopy::isRemote)) {
            List<Path> local = inputs.stream().map(Path::of).toList();
            try (TraceReader reader = open(local)) {
                List<TraceHosts.Host> hosts = TraceHosts.of(reader.traces());
                return new TracePlan(hosts, TracePart.plan(options.hostTraces(local, reader, hosts)), false);
            }
        }
        options.checkRangeFormat();
        // With --begin/--end, the traces' starts (their first packets, found by the index files) tell the day a time
        // of day falls on, here as on the command line: the tasks then copy only what the range needs.
        LocalCopy starts = options.limited() ? LocalCopy.create() : null;
        List<Path> opened = null;
        try {
            opened = starts == null ? null : starts(inputs, starts, hadoop);
        } finally {
            if (opened == null && starts != null) {
                starts.close();
                starts = null;
            }
        }
        boolean resolved = opened != null;
        try (LocalCopy metadata = resolved ? starts : LocalCopy.create()) {
            if (!resolved) {
                opened = new ArrayList<>();
                for (String input : inputs) {
                    opened.add(LocalCopy.isRemote(input) ? metadata.copyTraces(input, hadoop, true) : Path.of(input));
                }
            }
            TracePart.RangeText range = options.limited() && !resolved
                    ? new TracePart.RangeText(options.begin(), options.end(), ZoneId.systemDefault().getId()) : null;
            List<TraceHosts.Host> hosts;
            List<HostTraces> whole;
            try (TraceReader reader = open(opened)) {
                hosts = TraceHosts.of(reader.traces());
                whole = resolved ? options.hostTraces(opened, reader, hosts) : HostTraces.of(opened, hosts);
            } catch (CtfException e) {
                throw new IOException(metadata.locationsIn(e.getMessage()), e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(metadata.locationsIn(e.getMessage()), e);
            }
            List<TracePart> parts = new ArrayList<>();
            for (int i = 0; i < whole.size(); i++) {
                HostTraces host = whole.get(i);
                // the locations the copies stand for; the label as the command line would write it of them
                List<String> paths = host.paths().stream().map(path -> LocalCopy.isRemote(metadata.locationOf(path))
                        ? metadata.locationOf(path) : path.toAbsolutePath().toString()).toList();
                String label = hosts.size() == 1 ? String.join(" ", inputs)
                        : metadata.locationOf(Path.of(HostAnalysis.label(hosts.get(i))));
                parts.add(new TracePart(i, 0, 1, paths, host.asNamed(), label, host.beginNs(), host.endNs(), range));
            }
            return new TracePlan(hosts, parts, true);
        }
    }

    /**
     * The inputs with each remote one's traces copied as far as opening them reads ({@link LocalCopy#copyStarts}),
     * or null when one of them has a stream file without an index.
     */
    private static List<Path> starts(List<String> inputs, LocalCopy copy, Configuration hadoop) throws IOException {
        List<Path> opened = new ArrayList<>();
        for (String input : inputs) {
            Path local = LocalCopy.isRemote(input) ? copy.copyStarts(input, hadoop) : Path.of(input);
            if (local == null) {
                return null;
            }
            opened.add(local);
        }
        return opened;
    }

    private static TraceReader open(List<Path> paths) {
        return paths.size() == 1 ? TraceReader.open(paths.get(0), TraceReader.Warnings.IGNORE)
                : TraceReader.open(paths, TraceReader.Warnings.IGNORE);
    }

    /**
     * The paths the arguments name: each as written, or a glob's matches in name order (a local glob relative to
     * here, as the shell would have written them; another file system's as Hadoop qualifies them).
     *
     * @throws IOException for a glob that matches nothing, or a file system Hadoop does not know
     */
    static List<String> expand(List<String> arguments, Configuration hadoop) throws IOException {
        List<String> paths = new ArrayList<>();
        for (String argument : arguments) {
            URI uri = new org.apache.hadoop.fs.Path(argument).toUri();
            boolean remote = uri.getScheme() != null && !uri.getScheme().equals("file");
            String written = remote ? argument : uri.getScheme() == null ? argument : uri.getPath();
            if (!written.matches(".*[*?\\[{].*")) {
                paths.add(written);
                continue;
            }
            FileSystem files = remote ? LocalCopy.fileSystemOf(argument, hadoop) : FileSystem.getLocal(hadoop);
            FileStatus[] matches;
            try {
                matches = files.globStatus(new org.apache.hadoop.fs.Path(written));
            } catch (IOException | UncheckedIOException e) {
                throw new IOException(argument + ": cannot list: " + e.getMessage(), e);
            }
            if (matches == null || matches.length == 0) {
                throw new IOException(argument + ": no such file or directory");
            }
            Path here = Path.of("").toAbsolutePath();
            for (FileStatus match : matches) {
                if (remote) {
                    paths.add(match.getPath().toString());
                    continue;
                }
                Path found = Path.of(match.getPath().toUri().getPath());
                paths.add((Path.of(written).isAbsolute() ? found : here.relativize(found)).toString());
            }
        }
        return paths;
    }
}
