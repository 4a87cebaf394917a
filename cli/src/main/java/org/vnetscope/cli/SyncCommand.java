package org.vnetscope.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.vnetscope.analysis.sync.ClockSync;
import org.vnetscope.document.HostAnalysis;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vnetscope sync TRACE...}: every host's clock on one reference host's, from the packets the hosts'
 * traces show crossing between them (docs/sync.md).
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = "Synchronizes several hosts' traces from the packets they exchanged: each host's clock as a "
                + "linear function of a reference host's, with a bound on its error.",
        footerHeading = "%nExamples:%n",
        footer = {"  vnetscope sync hostA/trace/kernel hostB/trace/kernel",
                "  vnetscope sync samples/lab5/recordings/mh-uplink    # a trace per host inside",
                "  vnetscope sync --format json --reference hostb A/kernel B/kernel",
                "",
                "time_in_reference_ns = slope * time_on_host_ns + offset_ns (ns since the epoch, each trace's clock)"})
final class SyncCommand implements Callable<Integer> {

    enum Format { text, json }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "TRACE", arity = "1..*",
            description = "Trace directories, one per host, or a folder holding one trace (or LTTng session "
                    + "folder) per host.")
    List<Path> traces = new ArrayList<>();

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--reference", paramLabel = "HOST",
            description = "The host whose clock the others are expressed on (default: the one the others are "
                    + "best tied to).")
    String reference;

    /** The same analysis options and host grouping as analyze (a folder of several hosts is split host by host). */
    @Mixin
    TraceAnalysis analysis;

    @Override
    public Integer call() {
        List<HostAnalysis> hosts = analysis.runHosts(traces);
        ClockSync.Result result;
        try {
            result = TraceAnalysis.synchronize(hosts, reference);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("vnetscope: error: " + e.getMessage());
            return Main.EXIT_BAD_INPUT;
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            out.println(SyncReport.json(result).toPrettyString());
        } else {
            out.print(SyncReport.text(result));
        }
        return 0;
    }
}
