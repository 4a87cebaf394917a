package org.vnetscope.placement;

import java.util.Arrays;

/**
 * The measured traffic between two VMs, both directions together, counted once.
 *
 * @param a        one VM
 * @param b        the other
 * @param bytes    bytes over the whole window
 * @param binBytes bytes per time bin of the problem's bin width (the binned rates the NIC check takes its
 *                 percentile of), or null when only the total is known
 */
public record Demand(String a, String b, long bytes, long[] binBytes) {

    public Demand {
        if (a.equals(b)) {
            throw new IllegalArgumentException("traffic of " + a + " with itself is not a demand between VMs");
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("traffic " + a + " - " + b + ": bytes cannot be negative");
        }
    }

    public Demand(String a, String b, long bytes) {
        this(a, b, bytes, null);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Demand d && a.equals(d.a) && b.equals(d.b) && bytes == d.bytes
                && Arrays.equals(binBytes, d.binBytes);
    }

    @Override
    public int hashCode() {
        return (a.hashCode() * 31 + b.hashCode()) * 31 + Long.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Demand[" + a + " - " + b + ", " + bytes + " B]";
    }
}
