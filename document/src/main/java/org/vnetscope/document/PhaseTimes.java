package org.vnetscope.document;

import java.util.Locale;

/**
 * The wall time of a run's phases on standard error, when the system property {@code vnetscope.timings} is
 * {@code true} ({@code VNETSCOPE_JAVA_OPTS=-Dvnetscope.timings=true ./vnetscope ...}): for benchmarks that must
 * tell, say, a Spark session's start-up from its job, never in a command's output.
 */
public final class PhaseTimes {

    private static final boolean ENABLED = Boolean.getBoolean("vnetscope.timings");

    private PhaseTimes() {
    }

    /** A point to measure a phase from. */
    public static long start() {
        return System.nanoTime();
    }

    /** Prints {@code vnetscope: time: PHASE MS ms} when enabled; returns now, the start of the next phase. */
    public static long done(String phase, long startNanos) {
        long now = System.nanoTime();
        if (ENABLED) {
            System.err.println(String.format(Locale.ROOT, "vnetscope: time: %s %.1f ms", phase,
                    (now - startNanos) / 1e6));
        }
        return now;
    }
}
