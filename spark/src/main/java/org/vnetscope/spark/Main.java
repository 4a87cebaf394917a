package org.vnetscope.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.ctf.CtfException;
import org.vnetscope.document.AnalysisArguments;
import org.vnetscope.document.Cluster;
import org.vnetscope.document.HostAnalysis;
import org.vnetscope.document.ReportJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code spark-submit --class org.vnetscope.spark.Main vnetscope-spark.jar analyze --output DIR PATHS...}: the
 * analyze document of the traces under PATHS ({@code DIR/analyze.json}, what {@code vnetscope analyze --format
 * json} prints) and its tables in Parquet ({@code DIR/<table>/host=<host>/}), the hosts analysed by a Spark job.
 */
@Command(name = "vnetscope-spark", mixinStandardHelpOptions = true, subcommands = Main.Analyze.class,
        description = "vnetscope's analyses on Apache Spark (docs/spark.md).")
public final class Main {

    /** Exit code of a run that found its input unusable (picocli uses 2 for bad arguments). */
    static final int EXIT_BAD_INPUT = 1;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command line; returns the exit code. */
    static int run(String[] args, OutputStream out, OutputStream err) {
        PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setOut(outWriter);
        commandLine.setErr(errWriter);
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            // a bad trace or path is the user's input, not our crash: one line, no stack trace (a time range that
            // a task could not resolve on its host's traces comes back as an IllegalArgumentException)
            if (exception instanceof CtfException || exception instanceof UncheckedIOException
                    || exception instanceof IOException || exception instanceof IllegalArgumentException) {
                cmd.getErr().println("vnetscope-spark: error: " + exception.getMessage());
                return EXIT_BAD_INPUT;
            }
            throw exception;
        });
        try {
            return commandLine.execute(args);
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    /** The traces' hosts, each with its analysis, and the document {@code vnetscope analyze} prints of them. */
    record Analysed(List<HostAnalysis> hosts, ObjectNode document) {
    }

    /**
     * Analyses the traces of a plan as {@code vnetscope analyze} does, each host by a task of a Spark job, and what
     * needs every host on the driver (a migration's downtime read again by tasks when only they reach the traces).
     */
    static Analysed analyse(SparkSession session, TracePlan plan, AnalysisOptions options) {
        List<AnalysisReport> reports = HostsJob.runParts(session, plan.parts(), options);
        List<HostAnalysis> analysed = new ArrayList<>();
        for (int i = 0; i < plan.hosts().size(); i++) {
            analysed.add(new HostAnalysis(plan.hosts().get(i), plan.label(i), reports.get(i)));
        }
        ObjectNode document = analysed.size() == 1 ? ReportJson.of(analysed.get(0).report())
                : Cluster.of(analysed, options, plan.remote() ? HostsJob.rereading(session, plan.parts())
                        : Cluster.ON_THIS_MACHINE, plan.wholeTraces()).document();
        return new Analysed(analysed, document);
    }

    /** The document as {@code vnetscope analyze --format json} prints it. */
    static String json(ObjectNode document) {
        try {
            return ReportJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(document) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Command(name = "analyze", mixinStandardHelpOptions = true,
            description = "Analyses the traces under PATHS (trace directories, session folders, folders of several "
                    + "hosts' traces, or globs of them) with a task per host, and writes DIR/analyze.json (the "
                    + "document of vnetscope analyze --format json) and Parquet tables partitioned by host. The "
                    + "analysis options are those of vnetscope analyze.",
            footerHeading = "%nExamples:%n",
            footer = {"  spark-submit --class org.vnetscope.spark.Main vnetscope-spark.jar analyze --output out "
                    + "'/traces/host*/kernel'",
                "  spark-submit --class org.vnetscope.spark.Main vnetscope-spark.jar analyze --output hdfs://nn/out "
                        + "--vm-map vms.txt --begin 10:15 --end 10:16 'hdfs://nn/traces/*/kernel'"})
    static final class Analyze implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--output", paramLabel = "DIR", required = true,
                description = "Where to write analyze.json and the tables (a Hadoop file system location).")
        String output;

        /** The options of {@code vnetscope analyze}'s analyses, declared once for both. */
        @Mixin
        AnalysisArguments analysis;

        @Parameters(paramLabel = "PATHS", arity = "1..*",
                description = "Trace directories or folders of them, or globs ('/traces/*/kernel'): local paths "
                        + "that the driver and the executors see alike, or locations of any Hadoop file system "
                        + "(hdfs://, s3a://), which the executors copy.")
        List<String> paths;

        @Override
        public Integer call() throws IOException {
            AnalysisOptions options = analysis.options();
            PrintWriter out = spec.commandLine().getOut();
            try (Sessions.Lease lease = Sessions.lease(null, "vnetscope analyze")) {
                SparkSession session = lease.session();
                tableSettings(session);
                Configuration hadoop = session.sparkContext().hadoopConfiguration();
                Analysed analysed = analyse(session, TracePlan.of(paths, analysis, hadoop), options);
                List<String> tables = ParquetTables.write(session, analysed.document(),
                        analysed.hosts().size() == 1 ? analysed.hosts().get(0).host() : null, output);
                org.apache.hadoop.fs.Path json = new org.apache.hadoop.fs.Path(output, "analyze.json");
                try (OutputStream stream = json.getFileSystem(hadoop).create(json, true)) {
                    stream.write(json(analysed.document()).getBytes(StandardCharsets.UTF_8));
                }
                out.println("wrote " + json);
                tables.forEach(table -> out.println("wrote " + new org.apache.hadoop.fs.Path(output, table)));
            }
            return 0;
        }

        /**
         * The tables are built on the driver from the document, thousands of rows each: compiling code for each
         * table's plan costs more than it saves (one host's eleven tables: 5.5 s with Spark's code generation,
         * 1.4 s without, in local mode on 2 cores).
         */
        private static void tableSettings(SparkSession session) {
            session.conf().set("spark.sql.codegen.wholeStage", "false");
            session.conf().set("spark.sql.codegen.factoryMode", "NO_CODEGEN");
            session.conf().set("spark.sql.debug.maxToStringFields", "100"); // the widest table, without a warning
        }
    }
}
