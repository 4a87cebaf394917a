package org.vnetscope.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.Kallsyms;
import org.vnetscope.analysis.cluster.TraceHosts;
import org.vnetscope.ctf.CtfException;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.document.Cluster;
import org.vnetscope.document.Durations;
import org.vnetscope.document.HostAnalysis;
import org.vnetscope.document.HostTraces;
import org.vnetscope.document.ReportJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

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
            // a bad trace or path is the user's input, not our crash: one line, no stack trace
            if (exception instanceof CtfException || exception instanceof UncheckedIOException
                    || exception instanceof IOException) {
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
     * Analyses the traces under the paths as {@code vnetscope analyze} does, each host by a task of a Spark job,
     * and what needs every host on the driver.
     */
    static Analysed analyse(SparkSession session, List<Path> inputs, AnalysisOptions options) {
        List<TraceHosts.Host> hosts;
        try (TraceReader reader = inputs.size() == 1 ? TraceReader.open(inputs.get(0), TraceReader.Warnings.IGNORE)
                : TraceReader.open(inputs, TraceReader.Warnings.IGNORE)) {
            hosts = TraceHosts.of(reader.traces());
        }
        List<HostTraces> work = HostTraces.of(inputs, hosts);
        List<AnalysisReport> reports = HostsJob.run(session, work, options);
        List<HostAnalysis> analysed = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            analysed.add(new HostAnalysis(hosts.get(i), work.get(i).label(), reports.get(i)));
        }
        ObjectNode document = analysed.size() == 1 ? ReportJson.of(analysed.get(0).report())
                : Cluster.of(analysed, options).document();
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
                    + "document of vnetscope analyze --format json) and Parquet tables partitioned by host.",
            footerHeading = "%nExamples:%n",
            footer = {"  spark-submit --class org.vnetscope.spark.Main vnetscope-spark.jar analyze --output out "
                    + "'/traces/host*/kernel'"})
    static final class Analyze implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--output", paramLabel = "DIR", required = true,
                description = "Where to write analyze.json and the tables (a Hadoop file system location).")
        String output;

        @Option(names = "--bin", paramLabel = "DURATION", defaultValue = "1s",
                description = "Timeline bin width, e.g. 100ms, 1s, 500us (default: ${DEFAULT-VALUE}).")
        String bin;

        @Option(names = "--mtu", paramLabel = "N", defaultValue = "1500",
                description = "MTU telling GSO super-packets from frames (default: ${DEFAULT-VALUE}).")
        int mtu;

        @Option(names = "--kallsyms", paramLabel = "FILE",
                description = "A copy of /proc/kallsyms (or .gz) of the traced kernel, to name drop locations.")
        Path kallsyms;

        @Parameters(paramLabel = "PATHS", arity = "1..*",
                description = "Trace directories or folders of them, or globs ('/traces/*/kernel'), on a file "
                        + "system the driver and the executors see alike.")
        List<String> paths;

        @Override
        public Integer call() throws IOException {
            AnalysisOptions options = options();
            PrintWriter out = spec.commandLine().getOut();
            try (Sessions.Lease lease = Sessions.lease(null, "vnetscope analyze")) {
                SparkSession session = lease.session();
                tableSettings(session);
                Configuration hadoop = session.sparkContext().hadoopConfiguration();
                Analysed analysed = analyse(session, expand(paths, hadoop), options);
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

        private AnalysisOptions options() {
            long binNs;
            try {
                binNs = Durations.parseNs(bin);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "invalid --bin '" + bin
                        + "': use e.g. 100ms, 1s, 500us");
            }
            if (mtu < 68) {
                throw new ParameterException(spec.commandLine(), "--mtu must be at least 68");
            }
            try {
                return new AnalysisOptions(binNs, mtu, kallsyms == null ? null : Kallsyms.read(kallsyms), null);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
    }

    /**
     * The paths the arguments name: each as written, or a glob's matches (in name order). Only file systems that
     * every executor sees alike as local files (a local or shared mount) can be read yet: the project's reader
     * maps the trace files.
     */
    static List<Path> expand(List<String> arguments, Configuration hadoop) throws IOException {
        List<Path> paths = new ArrayList<>();
        for (String argument : arguments) {
            URI uri = new org.apache.hadoop.fs.Path(argument).toUri();
            if (uri.getScheme() != null && !uri.getScheme().equals("file")) {
                throw new IOException(argument + ": only local or shared file systems are read yet ("
                        + uri.getScheme() + ": is not)");
            }
            String local = uri.getScheme() == null ? argument : uri.getPath();
            if (!local.matches(".*[*?\\[{].*")) {
                paths.add(Path.of(local));
                continue;
            }
            FileSystem files = FileSystem.getLocal(hadoop);
            FileStatus[] matches = files.globStatus(new org.apache.hadoop.fs.Path(local));
            if (matches == null || matches.length == 0) {
                throw new IOException(argument + ": no such file or directory");
            }
            Path here = Path.of("").toAbsolutePath();
            for (FileStatus match : matches) {
                Path found = Path.of(match.getPath().toUri().getPath());
                // a relative glob gives paths relative to here, as the shell would have
                paths.add(Path.of(local).isAbsolute() ? found : here.relativize(found));
            }
        }
        return paths;
    }
}
