package org.vnetscope.spark;

import java.net.URL;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session a run uses: the one already there (a notebook's, a test's), else one of its own, started with
 * what a command line run wants (in local mode: no web UI, the loopback address only).
 */
final class Sessions {

    /** Spark's default when nothing names a master: this machine, every core. */
    static final String DEFAULT_MASTER = "local[*]";

    private Sessions() {
    }

    /** A session and whether closing the lease stops it (only a session the lease started). */
    record Lease(SparkSession session, boolean owned) implements AutoCloseable {
        @Override
        public void close() {
            if (owned) {
                session.stop();
            }
        }
    }

    /**
     * The session already running, or a new one on {@code master} (null: the configuration's
     * {@code spark.master}, as spark-submit sets it, else {@link #DEFAULT_MASTER}).
     *
     * @throws IllegalArgumentException for a master Spark cannot use
     */
    static Lease lease(String master, String appName) {
        scala.Option<SparkSession> running = SparkSession.getActiveSession();
        if (running.isEmpty()) {
            running = SparkSession.getDefaultSession();
        }
        if (running.isDefined()) {
            return new Lease(running.get(), false);
        }
        quietLogs();
        String chosen = checkMaster(master != null ? master : new SparkConf().get("spark.master", DEFAULT_MASTER));
        SparkSession.Builder builder = SparkSession.builder().appName(appName).master(chosen);
        if (chosen.startsWith("local")) {
            // a run of a few seconds on this machine: no web UI, nothing listening beyond the loopback address
            builder.config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        } else {
            // executors elsewhere need the project's classes: the launcher tells where its jar is
            String jar = System.getProperty("vnetscope.spark.jar");
            if (jar != null) {
                builder.config("spark.jars", jar);
            }
        }
        return new Lease(builder.getOrCreate(), true);
    }

    /** Masters Spark knows (told before Spark starts, which would log its failure with a stack trace). */
    private static final java.util.regex.Pattern MASTER = java.util.regex.Pattern.compile(
            "local(\\[(\\d+|\\*)(,\\d+)?])?|local-cluster\\[\\d+,\\d+,\\d+]|(spark|k8s)://.+|yarn");

    /**
     * The master, when Spark knows its form.
     *
     * @throws IllegalArgumentException when it does not
     */
    static String checkMaster(String master) {
        if (!MASTER.matcher(master).matches()) {
            throw new IllegalArgumentException("--master " + master + ": not a Spark master (local, local[N], "
                    + "local[*], spark://HOST:PORT, k8s://URL or yarn)");
        }
        return master;
    }

    /**
     * Spark's messages at WARN when the run gives no log4j configuration (its own default is INFO, several
     * dozen lines per run); read by log4j when Spark first logs, so it must be set before.
     */
    static void quietLogs() {
        if (System.getProperty("log4j2.configurationFile") == null
                && System.getProperty("log4j.configurationFile") == null) {
            URL quiet = Sessions.class.getResource("log4j2.properties");
            if (quiet != null) {
                System.setProperty("log4j2.configurationFile", quiet.toString());
            }
        }
    }
}
