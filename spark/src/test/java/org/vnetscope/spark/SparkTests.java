package org.vnetscope.spark;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * What the module's tests share: one Spark session per test JVM (starting one costs seconds), local with two
 * cores, no web UI, on the loopback address; it is the session every run under test finds and uses.
 */
final class SparkTests {

    static final Path REPO = Path.of(System.getProperty("vnetscope.repo", "..")).toAbsolutePath().normalize();

    /** Tasks that ended in the session, to tell that a run went through Spark and how many partitions it had. */
    static final AtomicInteger TASKS_ENDED = new AtomicInteger();

    private static SparkSession session;

    private SparkTests() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            Sessions.quietLogs();
            session = SparkSession.builder().appName("vnetscope tests").master("local[2]")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
            session.sparkContext().addSparkListener(new SparkListener() {
                @Override
                public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
                    TASKS_ENDED.incrementAndGet();
                }
            });
        }
        return session;
    }

    /** Tasks ended so far, once the listener bus has delivered every event posted before. */
    static int tasksEnded() {
        try {
            session().sparkContext().listenerBus().waitUntilEmpty();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Spark's listener bus did not drain", e);
        }
        return TASKS_ENDED.get();
    }

    /** A command line's exit code and outputs. */
    record Run(int exitCode, String out, String err) {
    }

    /** Runs {@code vnetscope} (the command line, in this JVM). */
    static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = org.vnetscope.cli.Main.run(args, out, err);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs the spark-submit entry point, in this JVM and its session. */
    static Run sparkMain(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, out, err);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
