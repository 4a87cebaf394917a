package org.vnetscope.ctf.internal;

/**
 * Chooses, while a {@link ReadAhead} is read, whether its records come from the reading thread or are read on the
 * caller's thread, by the pace the caller goes at in each. Reading ahead hands every record's values from one core to
 * the other; where the two cores share a cache that costs little and two threads are much faster than one, but where
 * they share none (on a virtual machine, a placement the host may change from one minute to the next) each record
 * waits on lines coming from the other core, and two threads can be slower than one. Which holds is only known by
 * trying: after a warm-up the pace of the mode in use is timed over a stretch of records, then that of the other over
 * a probe, and the faster goes on for a longer stretch before the other is timed again. Each mode gives the same
 * records in the same order, so the choice changes the time alone, never a result.
 */
abstract class ReadAheadPace {

    /** How {@code vnetscope.readAhead} (a system property) sets the pace: adaptive unless it says otherwise. */
    static final String PROPERTY = "vnetscope.readAhead";

    /**
     * The pace the property asks for: {@code ahead} always reads ahead (the pipeline alone, for measuring it),
     * {@code alone} never does, {@code alternate} changes mode every few batches whatever the times (for tests: the
     * source handed between the threads many times), else adaptive.
     */
    static ReadAheadPace fromProperty() {
        String asked = System.getProperty(PROPERTY, "adaptive");
        return switch (asked) {
            case "ahead" -> new Always();
            case "alone" -> new Alternating(Long.MAX_VALUE);
            case "alternate" -> new Alternating(700);
            default -> adaptive();
        };
    }

    /**
     * About 0.1 s of warm-up on lab-large (2.3 million records handed over), probes of about 25 ms (timed after
     * their first quarter), a first stretch of eight probes, doubled each time the same mode wins again up to 32:
     * where one mode stays the faster, the probes of the slower one cost a few percent of the time, and a host that
     * moves the virtual CPUs is followed within about a second.
     */
    static ReadAheadPace adaptive() {
        return new Adaptive();
    }

    /**
     * Whether the first records are read ahead (adaptive: yes, since on most machines, whose cores share a cache,
     * reading ahead is the faster; {@code alone} and {@code alternate} start on the caller's thread).
     */
    abstract boolean startsAhead();

    /**
     * Records the caller may take before it tells them to {@link #taken}: a caller reading on its own thread counts
     * them itself rather than telling each.
     */
    abstract long due();

    /**
     * The caller took this many records (a batch read ahead, or records read on its own thread); false when it should
     * change mode now, once: true again until {@link #modeStarted}, the records before the change coming meanwhile.
     */
    abstract boolean taken(long records, boolean readingAhead);

    /** The mode asked for has begun: the caller reads on its own now, or the reading thread reads again. */
    abstract void modeStarted();

    /** Chooses by timing each mode now and then (see the class). */
    static class Adaptive extends ReadAheadPace {
        private static final int WARM_UP = 0;
        /** The mode chosen, for a stretch of records. */
        private static final int RUN = 1;
        /** A change of mode was asked for: the records until it begins are timed in no phase. */
        private static final int SWITCHING = 2;
        /** The other mode, for a probe. */
        private static final int PROBE = 3;
        /** How many times the first stretch a mode is kept at most. */
        private static final int MAX_STRETCH_FACTOR = 4;
        /** {@code vnetscope.readAhead.log=true}: each timed stretch and probe on stderr, to see what was chosen. */
        private static final boolean LOG = Boolean.getBoolean(PROPERTY + ".log");

        /** Records before the first stretch is timed: the JIT compiles what the pass runs, slowing it at first. */
        private static final long WARM_UP_RECORDS = 1 << 17;
        private static final long PROBE_RECORDS = 1 << 15;
        private static final long FIRST_STRETCH = 8 * PROBE_RECORDS;
        /** The other mode is taken when it took less than this share of the time per record. */
        private static final double BETTER_BELOW = 0.95;

        private int phase = WARM_UP;
        /** The phase that begins when the mode asked for has begun. */
        private int afterSwitch;
        private long counted;
        private long phaseStartNs;
        private long stretch = PROBE_RECORDS;
        /** Records left before the phase begun by a change of mode is timed. */
        private long settling;
        /**
         * The last two times per record of each mode (reading ahead, on the caller's thread), NaN before: a decision
         * takes each mode's better one, since a host's other load only ever slows a stretch down.
         */
        private final double[][] recent = {{Double.NaN, Double.NaN}, {Double.NaN, Double.NaN}};

        @Override
        boolean startsAhead() {
            return true;
        }

        long nowNs() {
            return System.nanoTime();
        }

        @Override
        long due() {
            if (phase == SWITCHING) {
                return 1;
            }
            if (settling > 0) {
                return settling;
            }
            return Math.max(1, limit() - counted);
        }

        @Override
        boolean taken(long records, boolean readingAhead) {
            if (phase == SWITCHING) {
                return true;
            }
            if (settling > 0) {
                // just after a change of mode, the state the reading goes through moves to the other core's cache
                settling -= records;
                if (settling <= 0) {
                    phaseStartNs = nowNs();
                }
                return true;
            }
            counted += records;
            if (counted < limit()) {
                return true;
            }
            long now = nowNs();
            int mode = readingAhead ? 0 : 1;
            if (phase == WARM_UP) {
                begin(RUN, now);
                return true;
            }
            double[] times = recent[mode];
            times[1] = times[0];
            times[0] = (now - phaseStartNs) / (double) counted;
            if (LOG) {
                System.err.printf("%s %s %.0f ns/record over %d%n", phase == RUN ? "run" : "probe",
                        mode == 0 ? "ahead" : "alone", times[0], counted);
            }
            if (phase == RUN) {
                phase = SWITCHING;
                afterSwitch = PROBE;
                return false;
            }
            // the end of a probe of the other mode: keep it if it is the faster, else go back
            if (best(times) < best(recent[1 - mode]) * BETTER_BELOW) {
                stretch = FIRST_STRETCH; // a change: timed again soon, in case it does not last
                begin(RUN, now);
                return true;
            }
            stretch = Math.min(Math.max(2 * stretch, FIRST_STRETCH), MAX_STRETCH_FACTOR * FIRST_STRETCH);
            phase = SWITCHING;
            afterSwitch = RUN;
            return false;
        }

        /** Records the phase lasts. */
        private long limit() {
            return switch (phase) {
                case WARM_UP -> WARM_UP_RECORDS;
                case RUN -> stretch;
                default -> PROBE_RECORDS;
            };
        }

        private static double best(double[] times) {
            return Double.isNaN(times[1]) ? times[0] : Math.min(times[0], times[1]);
        }

        @Override
        void modeStarted() {
            begin(afterSwitch, nowNs());
            settling = PROBE_RECORDS / 4;
        }

        private void begin(int next, long now) {
            phase = next;
            counted = 0;
            phaseStartNs = now;
        }
    }

    /** Reads ahead throughout. */
    static final class Always extends ReadAheadPace {
        @Override
        boolean startsAhead() {
            return true;
        }

        @Override
        long due() {
            return Long.MAX_VALUE;
        }

        @Override
        boolean taken(long records, boolean readingAhead) {
            return true;
        }

        @Override
        void modeStarted() {
        }
    }

    /** Changes mode after every so many records, whatever the times; starts on the caller's thread. */
    static final class Alternating extends ReadAheadPace {
        private final long every;
        private long count;
        private boolean switching;
        /** Changes of mode made, the first (reading on the caller's thread) counted. */
        int changes;

        Alternating(long every) {
            this.every = every;
        }

        @Override
        boolean startsAhead() {
            return false;
        }

        @Override
        long due() {
            return switching ? 1 : Math.max(1, every - count);
        }

        @Override
        boolean taken(long records, boolean readingAhead) {
            if (switching) {
                return true;
            }
            count += records;
            if (count < every) {
                return true;
            }
            switching = true;
            return false;
        }

        @Override
        void modeStarted() {
            switching = false;
            count = 0;
            changes++;
        }
    }
}
