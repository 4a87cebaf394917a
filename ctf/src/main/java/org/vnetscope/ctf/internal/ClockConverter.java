package org.vnetscope.ctf.internal;

import java.math.BigInteger;
import org.vnetscope.ctf.meta.ClockClass;

/**
 * Converts clock cycles to ns since the origin, exactly: {@code offset_s * 1e9 + floor((offset + cycles) * 1e9 /
 * freq)} in integer arithmetic (a double would lose the last digits of today's ns-since-epoch values).
 */
final class ClockConverter {
    private static final long NS_PER_S = 1_000_000_000L;

    /** The clock streams use when the metadata maps no field to a clock: 1 GHz from 0. */
    static final ClockConverter IMPLICIT = new ClockConverter(NS_PER_S, 0, 0);

    private final long frequency;
    private final long offsetSeconds;
    private final long offsetCycles;
    /**
     * A 1 GHz clock (every LTTng clock): ns are {@code offsetNs + cycles}, which the decoder computes in place of
     * a call per event.
     */
    final boolean nanosecondCycles;
    /** With {@link #nanosecondCycles}: the offset in ns, cycles included. */
    final long offsetNs;

    ClockConverter(long frequency, long offsetSeconds, long offsetCycles) {
        if (frequency <= 0) {
            throw new IllegalArgumentException("clock frequency must be positive: " + frequency);
        }
        this.frequency = frequency;
        this.offsetSeconds = offsetSeconds;
        this.offsetCycles = offsetCycles;
        this.nanosecondCycles = frequency == NS_PER_S;
        this.offsetNs = offsetSeconds * NS_PER_S + (nanosecondCycles ? offsetCycles : 0);
    }

    static ClockConverter of(ClockClass clock) {
        return new ClockConverter(clock.frequency(), clock.offsetSeconds(), clock.offsetCycles());
    }

    /**
     * The clock value of a time in ns since the origin, as babeltrace2 computes it (whole seconds, then the rest
     * scaled down): for the bounds it puts on a discard record cut by a time range. Times before the clock's
     * origin give 0.
     */
    long toCycles(long ns) {
        long originNs = offsetSeconds * NS_PER_S + (frequency == NS_PER_S ? offsetCycles
                : BigInteger.valueOf(offsetCycles).multiply(BigInteger.valueOf(NS_PER_S))
                        .divide(BigInteger.valueOf(frequency)).longValue());
        if (ns < originNs) {
            return 0;
        }
        long sinceOrigin = ns - originNs;
        long seconds = sinceOrigin / NS_PER_S;
        long rest = sinceOrigin % NS_PER_S;
        return BigInteger.valueOf(seconds).multiply(BigInteger.valueOf(frequency))
                .add(BigInteger.valueOf(frequency).multiply(BigInteger.valueOf(rest)).divide(BigInteger.valueOf(NS_PER_S)))
                .longValue();
    }

    long toNs(long cycles) {
        if (nanosecondCycles) {
            return offsetNs + cycles;
        }
        long total = offsetCycles + cycles;
        boolean overflow = ((offsetCycles ^ total) & (cycles ^ total)) < 0 || cycles < 0;
        if (!overflow && frequency <= Long.MAX_VALUE / NS_PER_S) {
            long whole = Math.floorDiv(total, frequency);
            long rest = Math.floorMod(total, frequency);
            return offsetSeconds * NS_PER_S + whole * NS_PER_S + rest * NS_PER_S / frequency;
        }
        BigInteger unsignedCycles = new BigInteger(Long.toUnsignedString(cycles));
        BigInteger scaled = BigInteger.valueOf(offsetCycles).add(unsignedCycles).multiply(BigInteger.valueOf(NS_PER_S));
        BigInteger[] division = scaled.divideAndRemainder(BigInteger.valueOf(frequency));
        BigInteger floor = division[1].signum() < 0 ? division[0].subtract(BigInteger.ONE) : division[0];
        return floor.add(BigInteger.valueOf(offsetSeconds).multiply(BigInteger.valueOf(NS_PER_S))).longValue();
    }
}
