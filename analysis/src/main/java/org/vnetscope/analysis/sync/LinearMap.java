package org.vnetscope.analysis.sync;

/**
 * A linear relation between two clocks, {@code out = in + shift + drift * (in - anchor)}, kept so that today's
 * ns-since-epoch values lose nothing: the anchor and the whole ns of the shift are exact longs; only the fraction of
 * the shift and the drift (a few ppm) are doubles, and they multiply time differences, not epoch times. In the
 * contract's form, {@code out = slope * in + offset} with {@code slope = 1 + drift}: a double slope times an epoch
 * time in ns is off by up to 256 ns, which is why the drift is also given on its own.
 *
 * @param anchorNs      the input time the shift is measured at (the middle of the packets it was fitted on)
 * @param shiftNs       whole ns of {@code out - in} at the anchor
 * @param shiftFraction the rest of it, in ns (may be any double: it is folded in when applied)
 * @param drift         {@code slope - 1}: how many ns the output clock gains per ns of the input clock
 */
public record LinearMap(long anchorNs, long shiftNs, double shiftFraction, double drift) {

    public static final LinearMap IDENTITY = new LinearMap(0, 0, 0, 0);

    /** The output time of an input time, to the nearest ns. */
    public long apply(long inNs) {
        return inNs + shiftNs + Math.round(shiftFraction + drift * (double) (inNs - anchorNs));
    }

    /** {@code out - in} at the anchor, in ns. */
    public double shiftAtAnchor() {
        return shiftNs + shiftFraction;
    }

    /** {@code out - in} at an input time, in ns, unrounded. */
    public double shiftAt(long inNs) {
        return shiftNs + shiftFraction + drift * (double) (inNs - anchorNs);
    }

    public double slope() {
        return 1 + drift;
    }

    /**
     * The contract's offset: {@code out = slope * in + offset}, in ns, to the nearest ns. Computed as
     * {@code shift at the anchor - drift * anchor}, which a double holds to a small fraction of a ns.
     */
    public long offsetNs() {
        double rest = shiftFraction - drift * (double) anchorNs;
        long whole = (long) Math.floor(rest);
        return shiftNs + whole + Math.round(rest - whole);
    }

    /** This map after {@code first}: {@code this(first(in))}, anchored where {@code first} is. */
    public LinearMap after(LinearMap first) {
        // first: m = in + c1 + d1 (in - x1); this: out = m + c2 + d2 (m - x2)
        // out = in + c1 + c2 + d2 (x1 + c1 - x2) + (in - x1) (d1 + d2 + d1 d2)
        double gap = (double) (first.anchorNs + first.shiftNs - anchorNs) + first.shiftFraction;
        double fraction = first.shiftFraction + shiftFraction + drift * gap;
        long whole = (long) Math.floor(fraction);
        return new LinearMap(first.anchorNs, first.shiftNs + shiftNs + whole, fraction - whole,
                first.drift + drift + first.drift * drift);
    }

    /** The inverse relation, anchored at the image of this anchor. */
    public LinearMap inverse() {
        // out = in + C + d (in - x0); with y0 = x0 + whole part of C:
        // in = out - C - d/(1+d) (out - y0 - fraction)
        double ratio = drift / (1 + drift);
        double fraction = -shiftFraction * (1 - ratio);
        long whole = (long) Math.floor(fraction);
        return new LinearMap(anchorNs + shiftNs, -shiftNs + whole, fraction - whole, -ratio);
    }
}
