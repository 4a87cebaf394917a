package org.vnetscope.spark;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.ctf.CtfException;
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
        List<TracePart> parts = TracePart.plan(hosts);
        JavaSparkContext context = JavaSparkContext.fromSparkContext(session.sparkContext());
        context.setJobDescription("vnetscope: " + hosts.size() + " hosts' traces, " + parts.size() + " parts");
        // the options once per executor (a kallsyms table is megabytes), not once per task
        Broadcast<AnalysisOptions> shared = context.broadcast(options);
        try {
            return fold(hosts.size(), context.parallelize(parts, parts.size())
                    .map(part -> part.analyse(shared.value()))
                    .collect());
        } catch (Exception e) { // a task's failure comes as Spark's (checked) SparkException
            throw asUserError(e);
        } finally {
            shared.destroy();
        }
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
        for (TracePart.PartReport part : done) {
            if (part.failure() != null) {
                throw part.failure();
            }
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
