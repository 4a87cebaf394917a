package org.vnetscope.bench;

import java.util.Arrays;
import org.vnetscope.ctf.CorePair;

/**
 * The round trip of a cache line between two of this machine's cores now ({@link CorePair}), printed beside each
 * two-thread run by compare-analyze.sh: it tells which kind of core pair a two-thread figure was taken on (about
 * 70 ns when the two share a cache, about 340 ns when they do not, about 35 ns when they are two hardware threads of
 * one core, which then share its execution units).
 *
 * <p>usage: CoreLatency [ROUNDS]; prints the median round trip of 5 trials in nanoseconds.
 */
public final class CoreLatency {

    private CoreLatency() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        double[] trials = new double[5];
        for (int trial = 0; trial < trials.length; trial++) {
            trials[trial] = CorePair.roundTripNs(rounds, 10_000_000_000L);
        }
        Arrays.sort(trials);
        System.out.printf("%.0f%n", trials[trials.length / 2]);
    }
}
