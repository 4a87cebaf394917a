package org.vnetscope.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.vnetscope.ctf.Event;
import org.vnetscope.ctf.TraceReader;

/**
 * The CTF decoder alone: every event of a trace read in timestamp order (all streams merged) with every field
 * decoded ({@link Event#decodeAll()}). Opening the trace (metadata parsing, file mapping) happens before each
 * invocation and is not timed. The {@code events} counter is the figure to read, in events per second.
 *
 * <p>{@code java -jar bench/target/benchmarks.jar DecoderBenchmark} from the repository root reads
 * {@code ../shared/traces/public/tc-many-threads}; {@code -p trace=PATH} reads another trace.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC"})
public class DecoderBenchmark {

    @Param("../shared/traces/public/tc-many-threads")
    public String trace;

    private TraceReader reader;

    /** Events decoded, reported by JMH as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Decoded {
        public long events;

        @Setup(Level.Iteration)
        public void reset() {
            events = 0;
        }
    }

    @Setup(Level.Invocation)
    public void open() {
        Path path = Path.of(trace);
        if (!Files.isDirectory(path)) {
            throw new IllegalStateException("no trace at " + path.toAbsolutePath() + " (set it with -p trace=PATH)");
        }
        reader = TraceReader.open(path, TraceReader.Warnings.IGNORE);
    }

    @TearDown(Level.Invocation)
    public void close() {
        reader.close();
    }

    /** Every field of every event; returns a checksum so that nothing is optimized away. */
    @Benchmark
    public long decodeAll(Decoded decoded) {
        long checksum = 0;
        long events = 0;
        while (reader.next()) {
            Event event = reader.event();
            if (event != null) {
                checksum += event.decodeAll();
                events++;
            }
        }
        decoded.events += events;
        return checksum;
    }
}
