package org.vnetscope.spark;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.ctf.CtfException;
import org.vnetscope.document.Cluster;
import org.vnetscope.document.HostTraces;

/**
 * The hosts' analyses as one Spark job: a partition per {@link TracePart}, each analysed by a task where it runs,
 * the reports collected on the driver in host order (for the step that needs every host, which the caller runs
 * there as the command line does).
 */
final class HostsJob {

    private HostsJob() {
    }

    /** Each host's report, in the order of {@code hosts}. */
    static List<AnalysisReport> run(SparkSession session, List<HostTraces> hosts, AnalysisOptions options) {
        return runParts(session, TracePart.plan(hosts), options);
    }

    /**
     * Each host's report, in host order, from its parts (a host's rank is {@link TracePart#host()}; every host from
     * 0 up has a part). Traces on another Hadoop file system are read with the session's Hadoop configuration.
     */
    static List<AnalysisReport> runParts(SparkSession session, List<TracePart> parts, AnalysisOptions options) {
        int hosts = parts.stream().mapToInt(TracePart::host).max().orElse(-1) + 1;
        JavaSparkContext context = JavaSparkContext.fromSparkContext(session.sparkContext());
        context.setJobDescription("vnetscope: " + hosts + " hosts' traces, " + parts.size() + " parts");
        // the options once per executor (a kallsyms table is megabytes), not once per task
        Broadcast<AnalysisOptions> shared = context.broadcast(options);
        // the file systems' settings (and credentials) only when a task has traces to copy
        Broadcast<SerializableConfiguration> hadoop = parts.stream().anyMatch(TracePart::remote)
                ? context.broadcast(new SerializableConfiguration(session.sparkContext().hadoopConfiguration()))
                : null;
        // fewer parts than half the cores: each task reads its traces on a second thread, as the command line does
        boolean readAhead = session.sparkContext().defaultParallelism() >= 2 * parts.size();
        try {
            return fold(hosts, context.parallelize(largestFirst(parts, session.sparkContext().hadoopConfiguration()),
                            parts.size())
                    .map(part -> part.analyse(shared.value(), hadoop == null ? null : hadoop.value().value(),
                            readAhead))
                    .collect());
        } catch (Exception e) { // a task's failure comes as Spark's (checked) SparkException
            throw asUserError(e);
        } finally {
            shared.destroy();
            if (hadoop != null) {
                hadoop.destroy();
            }
        }
    }

    /**
     * The parts in the order their tasks should start: the largest traces first, so that the job does not end with
     * one long task running alone while the other task slots are idle (the longest-first rule). Sizes are those of
     * the traces' files (a listing, nothing read); a part whose size cannot be had counts as empty, and equal sizes
     * keep host order. The results are put back in host order by {@link #fold}.
     */
    static List<TracePart> largestFirst(List<TracePart> parts, Configuration hadoop) {
        long[] bytes = new long[parts.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = parts.get(i).traceBytes(hadoop);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < bytes.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingLong((Integer i) -> bytes[i]).reversed()); // a stable sort: ties in host order
        return order.stream().map(parts::get).toList();
    }

    /**
     * Migrations' downtime windows read again by tasks, for traces only the executors reach (copies from another
     * file system): each window a part of its host's traces over the window's range.
     *
     * @param parts the hosts' parts, in host order, as the hosts were analysed
     */
    static Cluster.Rereading rereading(SparkSession session, List<TracePart> parts) {
        return (windows, options) -> {
            List<TracePart> windowParts = new ArrayList<>();
            for (int i = 0; i < windows.size(); i++) {
                Cluster.Window window = windows.get(i);
                windowParts.add(parts.get(window.index()).over(i, window.beginNs(), window.endNs()));
            }
            return runParts(session, windowParts, options);
        };
    }

    /**
     * Each host's report from its parts' reports, in part order. A host of several parts needs the analyses'
     * states merged (NetworkAnalysis.merge), not their reports: until parts carry states, a host is one part.
     */
    static List<AnalysisReport> fold(int hosts, List<TracePart.PartReport> done) {
        List<List<TracePart.PartReport>> byHost = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            byHost.add(new ArrayList<>());
        }
        // the first failure in host order, whatever order the tasks ran and came back in
        done.stream().filter(part -> part.failure() != null)
                .min(Comparator.comparingInt(TracePart.PartReport::host).thenComparingInt(TracePart.PartReport::part))
                .ifPresent(failed -> {
                    throw failed.failure();
                });
        for (TracePart.PartReport part : done) {
            byHost.get(part.host()).add(part);
        }
        List<AnalysisReport> reports = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            List<TracePart.PartReport> parts = byHost.get(i);
            parts.sort(Comparator.comparingInt(TracePart.PartReport::part));
            if (parts.size() != 1) {
                throw new IllegalStateException("host " + i + ": " + parts.size() + " parts came back, and merging"
                        + " time parts is not supported yet");
            }
            reports.add(parts.get(0).report());
        }
        return reports;
    }

    /**
     * A task's failure as the command line tells it: a bad trace or an unreadable file is the user's input (one
     * line naming it), not Spark's stage failure around it.
     */
    static RuntimeException asUserError(Exception failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CtfException || cause instanceof UncheckedIOException
                    || cause instanceof IllegalArgumentException) {
                return (RuntimeException) cause;
            }
        }
        return failure instanceof RuntimeException unchecked ? unchecked
                : new IllegalStateException("the Spark job failed: " + failure.getMessage(), failure);
    }
}
