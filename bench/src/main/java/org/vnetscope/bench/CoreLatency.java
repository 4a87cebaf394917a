package org.vnetscope.bench;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long one cache line takes to go from one core to another and back, now: two threads hand a counter to each
 * other, each waiting for the other's value. Every run of vnetscope on two threads hands each event's decoded values
 * from the reading thread to the analyses' thread, so its speed depends on this; on a virtual machine it changes
 * from one minute to the next as the host moves the virtual CPUs (about 70 ns when the two share a cache, about
 * 340 ns when they do not, about 35 ns when they are two hardware threads of one core, which then share its
 * execution units). Printed beside each run, it tells which of those a two-thread figure was taken in.
 *
 * <p>usage: CoreLatency [ROUNDS]; prints the median round trip of 5 trials in nanoseconds.
 */
public final class CoreLatency {

    private CoreLatency() {
    }

    public static void main(String[] args) throws InterruptedException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        double[] trials = new double[5];
        for (int trial = 0; trial < trials.length; trial++) {
            trials[trial] = roundTripNs(rounds);
        }
        Arrays.sort(trials);
        System.out.printf("%.0f%n", trials[trials.length / 2]);
    }

    /** The mean round trip over this many hand-overs each way. */
    static double roundTripNs(int rounds) throws InterruptedException {
        AtomicLong cell = new AtomicLong();
        long last = 2L * rounds;
        Thread other = new Thread(() -> handOver(cell, 1, last));
        other.setDaemon(true);
        other.start();
        long started = System.nanoTime();
        handOver(cell, 0, last);
        long ended = System.nanoTime();
        other.join();
        return (ended - started) / (double) rounds;
    }

    /** Waits for each value of this side (first, first + 2, ...) and answers with the next one. */
    private static void handOver(AtomicLong cell, long first, long last) {
        for (long value = first; value < last; value += 2) {
            while (cell.get() != value) {
                Thread.onSpinWait();
            }
            cell.lazySet(value + 1);
        }
    }
}
