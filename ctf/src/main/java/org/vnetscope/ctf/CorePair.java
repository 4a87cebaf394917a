package org.vnetscope.ctf;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How long a cache line takes to go from one core of this machine to another and back, now: what reading a trace
 * ahead on a second thread ({@link TraceReader#readingAhead}) pays per event, since each record's decoded values go
 * from the reading thread's core to the caller's and its emptied frames come back. On a virtual machine this
 * changes from minute to minute as the host moves the virtual processors: on a 2-core one, about 70 ns when the two
 * share a cache, about 340 ns when they do not, and lab-large read ahead then took more time than on one thread
 * (2.8 to 3.9 s against 2.25 s; 1.5 s between cores sharing a cache).
 */
public final class CorePair {

    /** Round trips of {@link #farApart()}: about 1.4 ms between cores sharing a cache, 7 ms between others. */
    private static final int PROBE_ROUNDS = 20_000;
    /** A probe that takes longer than this is given up: the other thread was not running beside this one. */
    private static final long PROBE_DEADLINE_NS = 50_000_000L;
    /** Round trips from here on are between cores that share no cache (measured 63 to 81 ns against 330 to 363). */
    public static final double FAR_APART_NS = 150;

    private CorePair() {
    }

    /**
     * Whether two threads of this process now run on cores that share no cache, so that handing each event over
     * from one to the other costs more than the second thread gives. False when it cannot tell (one processor,
     * or the probe's two threads did not run side by side in time).
     */
    public static boolean farApart() {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return false;
        }
        double roundTrip = roundTripNs(PROBE_ROUNDS, PROBE_DEADLINE_NS);
        return !Double.isNaN(roundTrip) && roundTrip >= FAR_APART_NS;
    }

    /**
     * The mean round trip of a value handed between two threads, in nanoseconds, over {@code rounds} round trips (at
     * least 2); NaN when they took more than {@code deadlineNs}.
     */
    public static double roundTripNs(int rounds, long deadlineNs) {
        AtomicLong cell = new AtomicLong();
        long last = 2L * (rounds + 1);
        // the answering side: odd values; -1 in the cell tells it to stop
        Thread other = new Thread(() -> {
            for (long value = 1; value < last; value += 2) {
                long seen;
                while ((seen = cell.get()) != value) {
                    if (seen < 0) {
                        return;
                    }
                    Thread.onSpinWait();
                }
                cell.lazySet(value + 1);
            }
        }, "vnetscope-core-pair");
        other.setDaemon(true);
        other.start();
        long begun = System.nanoTime();
        long timedFrom = begun;
        for (long value = 0; value < last; value += 2) {
            if ((value & 4095) == 0 && System.nanoTime() - begun > deadlineNs) {
                cell.set(-1);
                return Double.NaN;
            }
            int spins = 0;
            while (cell.get() != value) {
                if ((++spins & 1023) == 0 && System.nanoTime() - begun > deadlineNs) {
                    cell.set(-1);
                    return Double.NaN;
                }
                Thread.onSpinWait();
            }
            if (value == 2) {
                timedFrom = System.nanoTime(); // the first round trip includes the thread's start
            }
            cell.lazySet(value + 1);
        }
        // timed from the end of the first round trip to the end of the last: rounds - 1 of them
        return (System.nanoTime() - timedFrom) / (double) Math.max(1, rounds - 1);
    }
}
