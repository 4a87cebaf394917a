package org.vnetscope.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import org.vnetscope.ctf.StreamFile;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.ctf.text.PrettyPrinter;
import org.vnetscope.document.TimeRange;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vnetscope dump TRACE}: every event as text, exactly as {@code babeltrace2 TRACE} prints it. */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = {"Prints every event of a trace as text, byte for byte like babeltrace2's default output.",
            "Times are in local time (TZ environment) unless --clock-gmt is given."},
        footerHeading = "%nExamples:%n",
        footer = {"  vnetscope dump --clock-gmt samples/bridge-basic/trace/kernel | less",
                "  vnetscope dump --clock-seconds --no-delta -o events.txt TRACE",
                "  vnetscope dump --clock-gmt --begin 22:56:45 --end 22:56:46.5 TRACE",
                "  vnetscope dump --decode-only TRACE        # decode everything, print a count and the rate"})
final class DumpCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "TRACE", description = "A trace directory, or a folder of traces (LTTng session).")
    private Path trace;

    @Option(names = "--clock-cycles", description = "Print timestamps and deltas in clock cycles.")
    private boolean clockCycles;

    @Option(names = "--clock-seconds", description = "Print timestamps as seconds since the Unix epoch.")
    private boolean clockSeconds;

    @Option(names = "--clock-date", description = "Print the date before the time of day.")
    private boolean clockDate;

    @Option(names = "--clock-gmt", description = "Print the time of day in UTC instead of local time.")
    private boolean clockGmt;

    @Option(names = "--no-delta", description = "Do not print the time since the previous event.")
    private boolean noDelta;

    @Option(names = {"-b", "--begin"}, paramLabel = "BEGIN",
            description = {"Print only what happened at or after BEGIN, as babeltrace2 --begin: "
                    + "YYYY-MM-DD hh:mm[:ss[.ns]], YYYY-MM-DD, hh:mm[:ss[.ns]] (on the day the trace begins) or "
                    + "[-]seconds[.ns] since the Unix epoch; local time unless --clock-gmt.",
                "Packets before it are passed over without decoding, found through LTTng's index files when present."})
    private String begin;

    @Option(names = {"-e", "--end"}, paramLabel = "END",
            description = "Print only what happened at or before END (same formats as --begin).")
    private String end;

    @Option(names = {"-t", "--timerange"}, paramLabel = "BEGIN,END",
            description = "--begin and --end at once: BEGIN,END or [BEGIN,END].")
    private String timerange;

    @Option(names = "--decode-only",
            description = "Decode every field of every event without printing them; report the count and rate.")
    private boolean decodeOnly;

    @Option(names = "--threads", paramLabel = "N",
            description = {"With --decode-only: decode on N threads, each a time part of the trace read in time "
                    + "order as the whole is (default: the processors available, and one thread for traces of "
                    + "less than 16 MB of stream files). Not with a time range."})
    private Integer threads;

    /**
     * Below this much stream data a second thread costs about what it gives (measured: 8 MB, 240 k events, 10%
     * slower on two threads; 16 MB even; 32 MB 9% faster).
     */
    private static final long SPLIT_THRESHOLD_BYTES = 16L << 20;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of the standard output.")
    private Path output;

    /** The standard output as bytes, or null to write through picocli's character writer. */
    private final OutputStream standardOutput;

    DumpCommand(OutputStream standardOutput) {
        this.standardOutput = standardOutput;
    }

    DumpCommand() {
        this(null);
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        try (TraceReader reader = EarlyOpen.open(trace, message -> err.println("vnetscope: warning: " + message))) {
            try {
                TimeRange.apply(reader, begin, end, timerange, clockGmt, ZoneId.systemDefault());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            if (threads != null && !decodeOnly) {
                throw new ParameterException(spec.commandLine(), "--threads goes with --decode-only");
            }
            if (decodeOnly) {
                int parts = threads != null ? threads : Runtime.getRuntime().availableProcessors();
                if (parts < 1) {
                    throw new ParameterException(spec.commandLine(), "--threads must be at least 1");
                }
                boolean whole = begin != null || end != null || timerange != null
                        || (threads == null && streamBytes(reader) < SPLIT_THRESHOLD_BYTES);
                decodeOnly(reader, whole ? 1 : parts, err, out);
                return 0;
            }
            out.flush();
            try (OutputStream target = openOutput(out)) {
                PrettyPrinter.Options options = new PrettyPrinter.Options(clockCycles, clockSeconds, clockDate,
                        clockGmt, !noDelta, ZoneId.systemDefault());
                new PrettyPrinter(target, err, options, trace).printAll(reader);
            }
        }
        return 0;
    }

    private OutputStream openOutput(PrintWriter out) {
        if (output != null) {
            try {
                return Files.newOutputStream(output);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + output + ": " + e, e);
            }
        }
        return new KeptOpen(standardOutput != null ? standardOutput : new WriterOutputStream(out));
    }

    /** The standard output, which the end of a dump flushes but must not close. */
    private static final class KeptOpen extends FilterOutputStream {
        KeptOpen(OutputStream standardOutput) {
            super(standardOutput);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    static long streamBytes(TraceReader reader) {
        long bytes = 0;
        for (StreamFile stream : reader.streams()) {
            try {
                bytes += Files.size(stream.path());
            } catch (IOException e) {
                return 0; // reading reports the problem
            }
        }
        return bytes;
    }

    private void decodeOnly(TraceReader reader, int threads, PrintWriter err, PrintWriter out) {
        long start = System.nanoTime();
        DecodeCount.Result result = DecodeCount.count(reader, threads,
                () -> TraceReader.open(trace, TraceReader.Warnings.IGNORE),
                message -> err.println("vnetscope: warning: " + message));
        double seconds = (System.nanoTime() - start) / 1e9;
        out.println(countLine(result, seconds));
        out.flush();
    }

    /**
     * {@code N events in S.SSS s (R events/s, checksum HHHHHHHHHHHHHHHH, T threads)}, written out rather than
     * through String.format, whose first use loads the locale's number symbols at the end of every run.
     */
    static String countLine(DecodeCount.Result result, double seconds) {
        String hex = Long.toHexString(result.checksum());
        return result.events() + " events in " + decimals(seconds, 3) + " s ("
                + decimals(seconds > 0 ? result.events() / seconds : 0.0, 0) + " events/s, checksum "
                + "0".repeat(16 - hex.length()) + hex + ", " + result.threads()
                + (result.threads() == 1 ? " thread)" : " threads)");
    }

    /** As {@code %.Nf} writes it: the shortest decimal form of the double, rounded half up. */
    private static String decimals(double value, int places) {
        return new BigDecimal(Double.toString(value)).setScale(places, RoundingMode.HALF_UP).toPlainString();
    }

    /**
     * Bytes to a character writer, for runs that only have one (tests). The printer hands over whole lines, so a
     * UTF-8 sequence is never split between two writes.
     */
    private static final class WriterOutputStream extends OutputStream {
        private final PrintWriter writer;

        WriterOutputStream(PrintWriter writer) {
            this.writer = writer;
        }

        @Override
        public void write(int b) {
            writer.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            writer.write(new String(bytes, offset, length, StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
            writer.flush();
        }
    }
}
