package org.vnetscope.analysis.sync;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The relation between two clocks from packets sent both ways between them, by the convex-hull method (Duda et
 * al. 1987; applied to kernel traces by Poirier, Roy and Dagenais 2010, incrementally by Jabbarifar et al.).
 *
 * <p>Write the reference clock as a line of the host's: {@code t_ref = t_host + a + d * (t_host - x0)}. A packet
 * the host sent at {@code s} and the reference received at {@code r} says the line passes at or below
 * {@code (s, r)}; a packet the reference sent at {@code s} and the host received at {@code r} says it passes at
 * or above {@code (r, s)}. Only the lower hull of the first points and the upper hull of the second constrain
 * the line, and every line between the two hulls is possible. Rather than the hulls, this keeps what they imply:
 * the set of possible {@code (a, d)} (offset and drift), a convex polygon that each packet cuts by a half-plane,
 * in time order. Its extremes are the bounds the separating lines of the hulls give.
 *
 * <p>From the polygon, at the middle {@code xm} of the packets' time span:
 * <ul>
 * <li>the possible offsets at {@code xm} form an interval; the estimate is its middle, and the accuracy is its
 * half-width: the estimate is that close to the true offset at {@code xm}, whatever the delays were;</li>
 * <li>the drift is the middle of the drifts possible with that offset: the midpoint line, inside the polygon, so
 * that with it no packet of the segment arrives before it left.</li>
 * </ul>
 * Away from {@code xm} the error can grow by the drift's uncertainty: {@link Segment#accuracyAtEndsNs} says by how
 * much at the segment's first and last packet.
 *
 * <p>When a packet leaves no possible line, either the packet is wrong (a key that was another packet's) or the
 * relation changed (NTP slewed a clock, a VM's clock jumped): if most of the packets that follow still fit the
 * lines so far, the packet is rejected; else a new segment begins. Packets shortly after a change still fit lines
 * bent toward the new relation, so the segment before it would take them and lose its own line: the new segment
 * is grown back from the packet that broke the old one as far as it fits, and the change is placed halfway through
 * that overlap. A segment of fewer than {@link #MIN_SEGMENT_POINTS} packets is rejected as a whole.
 *
 * <p>Numbers: times are exact longs; the polygon works in ns relative to the middle of all packets and to a rough
 * offset (their median difference), so its doubles hold values of at most a few seconds.
 */
final class HullFit {

    /** Drift outside of which no clock runs: the polygon starts within it (1000 ppm). */
    static final double BOX_DRIFT = 1e-3;
    /** Offsets beyond the rough one farther than this are not looked at (about 3 hours). */
    static final double BOX_OFFSET_NS = 1e13;
    /** Where the packets do not bound the drift: the most two clocks are assumed to drift apart (100 ppm). */
    static final double ASSUMED_DRIFT = 1e-4;
    /** How many packets after one that leaves no line are looked at to tell a wrong packet from a new relation. */
    static final int LOOK_AHEAD = 16;
    /** Of those, how many may also disagree with the line so far for the packet to be the wrong one. */
    static final int LOOK_AHEAD_DISAGREEING = 2;
    static final int MIN_SEGMENT_POINTS = 3;
    private static final double EPSILON_NS = 1e-3;

    /**
     * One stretch of time over which one line fits every packet.
     *
     * @param firstNs            the host time of its first packet
     * @param lastNs             the host time of its last packet
     * @param map                the estimate: host time to reference time, anchored at the middle
     * @param quality            {@link SyncQuality#ACCURATE}, {@link SyncQuality#APPROXIMATE} or
     *                           {@link SyncQuality#INCOMPLETE}
     * @param accuracyNs         half-width of the possible offsets at the anchor, rounded up; -1 when unbounded
     * @param accuracyAtEndsNs   the most the estimate can be off at the first or last packet; -1 when unbounded
     * @param offsetLowNs        the least possible {@code t_ref - t_host} at the anchor (NaN when unbounded)
     * @param offsetHighNs       the most
     * @param driftLow           the least possible drift ({@code slope - 1}), NaN when unbounded
     * @param driftHigh          the most
     * @param hostToReference    packets the host sent that the reference received
     * @param referenceToHost    packets the reference sent that the host received
     */
    record Segment(long firstNs, long lastNs, LinearMap map, SyncQuality quality, long accuracyNs,
                   long accuracyAtEndsNs, double offsetLowNs, double offsetHighNs, double driftLow, double driftHigh,
                   int hostToReference, int referenceToHost) {

        int matches() {
            return hostToReference + referenceToHost;
        }
    }

    /**
     * @param segments the segments in time order
     * @param rejected packets that fit no line their neighbours fit
     */
    record Result(List<Segment> segments, int rejected) {
    }

    private HullFit() {
    }

    /**
     * Fits the reference clock as a function of the host's.
     *
     * @param hostSentNs      host-to-reference packets: send times on the host
     * @param referenceRecvNs their receive times on the reference
     * @param referenceSentNs reference-to-host packets: send times on the reference
     * @param hostRecvNs      their receive times on the host
     */
    static Result fit(long[] hostSentNs, long[] referenceRecvNs, long[] referenceSentNs, long[] hostRecvNs) {
        int n = hostSentNs.length + referenceSentNs.length;
        if (n == 0) {
            return new Result(List.of(), 0);
        }
        long[] x = new long[n];
        long[] y = new long[n];
        boolean[] below = new boolean[n]; // the line passes at or below the point (host to reference)
        int k = 0;
        for (int i = 0; i < hostSentNs.length; i++, k++) {
            x[k] = hostSentNs[i];
            y[k] = referenceRecvNs[i];
            below[k] = true;
        }
        for (int i = 0; i < referenceSentNs.length; i++, k++) {
            x[k] = hostRecvNs[i];
            y[k] = referenceSentNs[i];
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (p, q) -> Long.compare(x[p], x[q]));
        long xMin = x[order[0]];
        long xMax = x[order[n - 1]];
        long xOrigin = xMin + (xMax - xMin) / 2;
        long[] differences = new long[n];
        for (int i = 0; i < n; i++) {
            differences[i] = y[i] - x[i];
        }
        Arrays.sort(differences);
        long roughShift = differences[n / 2];
        // relative coordinates: X = x - xOrigin, U = (y - x) - roughShift; the line is U = a + d X
        double[] px = new double[n];
        double[] pu = new double[n];
        boolean[] pb = new boolean[n];
        long[] pxNs = new long[n];
        for (int i = 0; i < n; i++) {
            int p = order[i];
            pxNs[i] = x[p];
            px[i] = x[p] - xOrigin;
            pu[i] = (double) (y[p] - x[p] - roughShift);
            pb[i] = below[p];
        }
        return new Fitter(px, pu, pb, pxNs, xOrigin, roughShift).run();
    }

    /** The greedy pass over the packets in time order. */
    private static final class Fitter {
        final double[] px;
        final double[] pu;
        final boolean[] below;
        final long[] pxNs;
        final long xOrigin;
        final long roughShift;
        final List<Segment> segments = new ArrayList<>();
        int rejected;

        Fitter(double[] px, double[] pu, boolean[] below, long[] pxNs, long xOrigin, long roughShift) {
            this.px = px;
            this.pu = pu;
            this.below = below;
            this.pxNs = pxNs;
            this.xOrigin = xOrigin;
            this.roughShift = roughShift;
        }

        Polygon cut(Polygon polygon, int point) {
            // below: a + X d <= U; above: a + X d >= U
            return below[point] ? polygon.clip(1, px[point], pu[point]) : polygon.clip(-1, -px[point], -pu[point]);
        }

        /** The packets from {@code start} that one line fits, up to {@code limit} or the first that none fits. */
        private final class Run {
            final List<Integer> members = new ArrayList<>();
            Polygon polygon;
            /** The first packet not taken: {@code limit}, or where the relation changed. */
            int end;
            int rejected;

            Run(int start, int limit) {
                int j = start;
                while (j < limit && polygon == null) {
                    Polygon first = cut(Polygon.box(), j);
                    if (first.isEmpty()) {
                        rejected++; // fits no line at all (beyond the offsets looked at)
                    } else {
                        polygon = first;
                        members.add(j);
                    }
                    j++;
                }
                while (j < limit) {
                    Polygon next = cut(polygon, j);
                    if (!next.isEmpty()) {
                        polygon = next;
                        members.add(j);
                    } else if (mostlyAgreeAfter(polygon, j, limit)) {
                        rejected++;
                    } else {
                        break;
                    }
                    j++;
                }
                end = j;
            }
        }

        Result run() {
            int n = px.length;
            int start = 0;
            while (start < n) {
                Run run = new Run(start, n);
                int next = run.end;
                if (run.end < n) {
                    // The relation changed somewhere before the packet that broke the run: the run took packets
                    // after the change that its polygon could still bend to. The next run, grown back from the
                    // break as far as it fits, overlaps it where both fit; the change is taken halfway.
                    Run after = new Run(run.end, n);
                    Polygon polygon = after.polygon;
                    int reach = run.end;
                    while (polygon != null && reach - 1 > start) {
                        Polygon extended = cut(polygon, reach - 1);
                        if (extended.isEmpty()) {
                            break;
                        }
                        polygon = extended;
                        reach--;
                    }
                    next = Math.max(start + 1, reach + (run.end - reach) / 2);
                    if (next < run.end) {
                        run = new Run(start, next);
                    }
                }
                rejected += run.rejected;
                if (run.polygon == null) {
                    // nothing fitted
                } else if (run.members.size() < MIN_SEGMENT_POINTS && next < n) {
                    rejected += run.members.size();
                } else {
                    segments.add(segment(run.polygon, run.members));
                }
                start = next;
            }
            return new Result(List.copyOf(segments), rejected);
        }

        /** Whether the packets after {@code point} mostly fit the polygon: then that one packet is wrong. */
        boolean mostlyAgreeAfter(Polygon polygon, int point, int limit) {
            int disagreeing = 0;
            Polygon trial = polygon;
            for (int j = point + 1; j < limit && j <= point + LOOK_AHEAD; j++) {
                Polygon next = cut(trial, j);
                if (next.isEmpty()) {
                    if (++disagreeing > LOOK_AHEAD_DISAGREEING) {
                        return false;
                    }
                } else {
                    trial = next;
                }
            }
            return true;
        }

        Segment segment(Polygon polygon, List<Integer> members) {
            int hostToReference = 0;
            int referenceToHost = 0;
            for (int member : members) {
                if (below[member]) {
                    hostToReference++;
                } else {
                    referenceToHost++;
                }
            }
            long firstNs = pxNs[members.get(0)];
            long lastNs = pxNs[members.get(members.size() - 1)];
            long anchorNs = firstNs + (lastNs - firstNs) / 2;
            double xm = anchorNs - xOrigin;
            double firstX = firstNs - xOrigin;
            double lastX = lastNs - xOrigin;
            SyncQuality quality;
            Polygon used = polygon;
            double offset;
            double drift;
            long accuracy = -1;
            long accuracyAtEnds = -1;
            double low = Double.NaN;
            double high = Double.NaN;
            double driftLow = Double.NaN;
            double driftHigh = Double.NaN;
            if (hostToReference == 0 || referenceToHost == 0) {
                quality = SyncQuality.INCOMPLETE;
                // no drift, and the traces' own clocks where the one-sided bound allows them, else the bound
                Polygon level = polygon.clip(0, 1, 0).clip(0, -1, 0);
                double[] range = (level.isEmpty() ? polygon : level).range(1, 0);
                double ownClocks = -roughShift;
                drift = 0;
                offset = Math.max(range[0], Math.min(range[1], ownClocks));
            } else {
                double[] drifts = polygon.range(0, 1);
                boolean driftBounded = drifts[0] > -BOX_DRIFT * (1 - 1e-9) && drifts[1] < BOX_DRIFT * (1 - 1e-9);
                if (driftBounded) {
                    quality = SyncQuality.ACCURATE;
                } else {
                    quality = SyncQuality.APPROXIMATE;
                    Polygon assumed = polygon.clip(0, 1, ASSUMED_DRIFT).clip(0, -1, ASSUMED_DRIFT);
                    used = assumed.isEmpty() ? polygon : assumed;
                }
                double[] offsets = used.range(1, xm);
                double middle = (offsets[0] + offsets[1]) / 2;
                double[] slice = used.slice(xm, middle);
                drift = (slice[0] + slice[1]) / 2;
                offset = middle - drift * xm;
                low = offsets[0];
                high = offsets[1];
                accuracy = (long) Math.ceil((offsets[1] - offsets[0]) / 2);
                double[] driftRange = used.range(0, 1);
                driftLow = driftRange[0];
                driftHigh = driftRange[1];
                accuracyAtEnds = Math.max(deviation(used, firstX, offset, drift), deviation(used, lastX, offset, drift));
            }
            // t_ref = t_host + roughShift + a + d (t_host - xOrigin) = t_host + roughShift + v + d (t_host - anchor)
            double atAnchor = offset + drift * xm;
            LinearMap map = new LinearMap(anchorNs, roughShift, atAnchor, drift);
            return new Segment(firstNs, lastNs, map, quality, accuracy, accuracyAtEnds, roughShift + low,
                    roughShift + high, driftLow, driftHigh, hostToReference, referenceToHost);
        }

        /** How far the estimate can be from a possible line at {@code X}, rounded up. */
        static long deviation(Polygon polygon, double x, double offset, double drift) {
            double[] range = polygon.range(1, x);
            double estimate = offset + drift * x;
            return (long) Math.ceil(Math.max(range[1] - estimate, estimate - range[0]));
        }
    }

    /** A convex polygon of possible (offset a, drift d), as its vertices in order. */
    static final class Polygon {
        final double[] a;
        final double[] d;
        final int size;

        Polygon(double[] a, double[] d, int size) {
            this.a = a;
            this.d = d;
            this.size = size;
        }

        static Polygon box() {
            return new Polygon(new double[] {-BOX_OFFSET_NS, BOX_OFFSET_NS, BOX_OFFSET_NS, -BOX_OFFSET_NS},
                    new double[] {-BOX_DRIFT, -BOX_DRIFT, BOX_DRIFT, BOX_DRIFT}, 4);
        }

        boolean isEmpty() {
            return size == 0;
        }

        /** The part where {@code pa * a + pd * d <= r} (Sutherland-Hodgman against one half-plane). */
        Polygon clip(double pa, double pd, double r) {
            double[] na = new double[size + 1];
            double[] nd = new double[size + 1];
            int count = 0;
            // a packet's constraint is in ns; a bound on the drift alone is in ns per ns
            double tolerance = pa != 0 ? EPSILON_NS : 1e-15;
            for (int i = 0; i < size; i++) {
                int next = (i + 1) % size;
                double fp = pa * a[i] + pd * d[i] - r;
                double fq = pa * a[next] + pd * d[next] - r;
                boolean inP = fp <= tolerance;
                boolean inQ = fq <= tolerance;
                if (inP) {
                    count = add(na, nd, count, a[i], d[i]);
                }
                if (inP != inQ && size > 1) {
                    double t = fp / (fp - fq);
                    if (t > 0 && t < 1) {
                        count = add(na, nd, count, a[i] + t * (a[next] - a[i]), d[i] + t * (d[next] - d[i]));
                    }
                }
            }
            if (count > 1 && na[0] == na[count - 1] && nd[0] == nd[count - 1]) {
                count--;
            }
            return new Polygon(na, nd, count);
        }

        private static int add(double[] na, double[] nd, int count, double a, double d) {
            if (count > 0 && na[count - 1] == a && nd[count - 1] == d) {
                return count;
            }
            na[count] = a;
            nd[count] = d;
            return count + 1;
        }

        /** The least and most of {@code a * ka + d * kd} over the polygon. */
        double[] range(double ka, double kd) {
            double low = Double.POSITIVE_INFINITY;
            double high = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < size; i++) {
                double value = ka * a[i] + kd * d[i];
                low = Math.min(low, value);
                high = Math.max(high, value);
            }
            return new double[] {low, high};
        }

        /** The drifts of the polygon's lines whose offset at {@code X} is {@code value}: least and most. */
        double[] slice(double x, double value) {
            double low = Double.POSITIVE_INFINITY;
            double high = Double.NEGATIVE_INFINITY;
            double[] values = new double[size];
            double tolerance = EPSILON_NS;
            for (int i = 0; i < size; i++) {
                values[i] = a[i] + x * d[i] - value;
                if (Math.abs(values[i]) <= tolerance) {
                    low = Math.min(low, d[i]);
                    high = Math.max(high, d[i]);
                }
            }
            for (int i = 0; i < size; i++) {
                int next = (i + 1) % size;
                if (values[i] < -tolerance && values[next] > tolerance
                        || values[i] > tolerance && values[next] < -tolerance) {
                    double t = values[i] / (values[i] - values[next]);
                    double at = d[i] + t * (d[next] - d[i]);
                    low = Math.min(low, at);
                    high = Math.max(high, at);
                }
            }
            if (low > high) { // numerically outside: the nearest vertex's drift
                int nearest = 0;
                for (int i = 1; i < size; i++) {
                    if (Math.abs(values[i]) < Math.abs(values[nearest])) {
                        nearest = i;
                    }
                }
                return new double[] {d[nearest], d[nearest]};
            }
            return new double[] {low, high};
        }
    }
}
