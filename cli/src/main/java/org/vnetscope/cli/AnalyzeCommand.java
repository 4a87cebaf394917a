package org.vnetscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.AnalysisReport;
import org.vnetscope.analysis.Kallsyms;
import org.vnetscope.analysis.NetworkAnalysis;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** {@code vnetscope analyze}: per-interface traffic, drops, offload and streams of a trace. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Per-interface traffic, drops, offload and the stream list of an LTTng kernel trace.")
final class AnalyzeCommand implements Callable<Integer> {

    enum Format { text, json, csv }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "TRACE", description = "Trace directory, or an LTTng session folder.")
    Path trace;

    @Option(names = "--format", defaultValue = "text", description = "text, json or csv (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--output", paramLabel = "DIR", description = "Directory for the CSV files (required with csv).")
    Path output;

    @Option(names = "--bin", paramLabel = "DURATION", defaultValue = "1s",
            description = "Timeline bin width, e.g. 100ms, 1s, 500us (default: ${DEFAULT-VALUE}).")
    String bin;

    @Option(names = "--kallsyms", paramLabel = "FILE", description = "A copy of /proc/kallsyms (or .gz) of the traced kernel, to name drop locations.")
    Path kallsyms;

    @Option(names = "--mtu", paramLabel = "N", defaultValue = "1500",
            description = "MTU telling GSO super-packets from frames (default: ${DEFAULT-VALUE}).")
    int mtu;

    @Option(names = "--vm-map", paramLabel = "FILE",
            description = "VM names: lines 'name key...', keys being device names, MACs or netns inodes.")
    Path vmMap;

    @Option(names = "--libvirt", paramLabel = "PATH", description = "libvirt domain XML file, or a folder of them, naming VMs.")
    List<Path> libvirt = List.of();

    @Override
    public Integer call() {
        long binNs = parseDuration(bin);
        if (format == Format.csv && output == null) {
            throw new ParameterException(spec.commandLine(), "--format csv needs --output DIR");
        }
        if (mtu < 68) {
            throw new ParameterException(spec.commandLine(), "--mtu must be at least 68");
        }
        Kallsyms symbols;
        try {
            symbols = kallsyms == null ? null : Kallsyms.read(kallsyms);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        AnalysisReport report = NetworkAnalysis.analyze(trace, new AnalysisOptions(binNs, mtu, symbols,
                TopologyCommand.vms(spec, vmMap, libvirt)));
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case json -> {
                JsonNode document = ReportJson.of(report);
                try {
                    out.println(ReportJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(document));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            case csv -> {
                List<Path> written = ReportCsv.write(report, output);
                written.forEach(path -> out.println("wrote " + path));
            }
            case text -> ReportText.print(report, out);
        }
        return 0;
    }

    /** {@code 100ms}, {@code 1s}, {@code 250us}, {@code 5000ns}, {@code 2m}. */
    long parseDuration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        String[][] units = {{"ns", "1"}, {"us", "1000"}, {"ms", "1000000"}, {"s", "1000000000"},
                {"m", "60000000000"}};
        for (String[] unit : units) {
            String number = value.endsWith(unit[0]) ? value.substring(0, value.length() - unit[0].length()) : "";
            // "ms" also ends in "s": take a unit only when what precedes it is a number
            if (!number.isEmpty() && (Character.isDigit(number.charAt(number.length() - 1))
                    || number.endsWith("."))) {
                try {
                    double amount = Double.parseDouble(number);
                    long ns = Math.round(amount * Long.parseLong(unit[1]));
                    if (ns > 0) {
                        return ns;
                    }
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        throw new ParameterException(spec.commandLine(), "invalid --bin '" + text + "': use e.g. 100ms, 1s, 500us");
    }

    static void ensureDirectory(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(directory + ": cannot create: " + e.getMessage(), e);
        }
    }
}
