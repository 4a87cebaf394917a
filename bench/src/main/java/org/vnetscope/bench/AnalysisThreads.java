package org.vnetscope.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.vnetscope.analysis.AnalysisOptions;
import org.vnetscope.analysis.NetworkAnalysis;
import org.vnetscope.analysis.ReadingAhead;
import org.vnetscope.ctf.TraceReader;

/**
 * Every analysis of a trace in one JVM, run after run, on one thread and with the trace read ahead on a second
 * (alternately): the wall time of each run, and the CPU time of the analyses' thread and of the rest of the process
 * (the reading thread, the compiler's). On a machine whose other jobs take cores away, the wall time says little;
 * the busier of the two threads' CPU times is what a run would take with two free cores.
 *
 * <pre>
 * java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp bench/target/benchmarks.jar \
 *     org.vnetscope.bench.AnalysisThreads TRACE [RUNS]
 * </pre>
 *
 * The flags are the launcher's for a trace below 768 MB. Prints a line per run, then the medians of each way.
 */
public final class AnalysisThreads {

    private AnalysisThreads() {
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: AnalysisThreads TRACE [RUNS]");
            System.exit(2);
        }
        Path trace = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean system =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<List<double[]>> results = List.of(new ArrayList<>(), new ArrayList<>());
        for (int run = 0; run < runs; run++) {
            for (int way = 0; way < 2; way++) {
                long processBefore = system.getProcessCpuTime();
                long mineBefore = threads.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                TraceReader reader = TraceReader.open(trace, TraceReader.Warnings.IGNORE);
                NetworkAnalysis.analyze(way == 0 ? reader : ReadingAhead.of(reader), trace.toString(),
                        AnalysisOptions.defaults(), null);
                double wall = (System.nanoTime() - start) / 1e9;
                double mine = (threads.getCurrentThreadCpuTime() - mineBefore) / 1e9;
                double rest = (system.getProcessCpuTime() - processBefore) / 1e9 - mine;
                results.get(way).add(new double[] {wall, mine, rest});
                System.out.printf(Locale.ROOT, "%s run %d: wall %.3f s, analyses' thread %.3f s CPU, rest %.3f s CPU%n",
                        way == 0 ? "1 thread " : "2 threads", run + 1, wall, mine, rest);
            }
        }
        for (int way = 0; way < 2; way++) {
            System.out.printf(Locale.ROOT, "%s median: wall %.3f s, analyses' thread %.3f s, rest %.3f s%n",
                    way == 0 ? "1 thread " : "2 threads", median(results.get(way), 0), median(results.get(way), 1),
                    median(results.get(way), 2));
        }
    }

    private static double median(List<double[]> runs, int column) {
        List<Double> values = new ArrayList<>();
        runs.forEach(run -> values.add(run[column]));
        Collections.sort(values);
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    }
}
