package org.vnetscope.analysis.sync;

import java.util.Locale;

/** How well a host's clock is tied to the reference's, best first. */
public enum SyncQuality {
    /** The reference itself, or a trace timed by the reference's own clock (the same clock uuid). */
    EXACT,
    /** Packets both ways bound the offset and the drift: the accuracy is a guaranteed bound. */
    ACCURATE,
    /**
     * Packets both ways bound the offset, but not the drift (too few of them, or all at one time): the accuracy
     * holds if the clocks drift apart by no more than 100 ppm.
     */
    APPROXIMATE,
    /**
     * Packets one way only: the offset is bounded on one side; the traces' own clocks are kept where that bound
     * allows them, else the bound itself (no delay) is taken. No accuracy.
     */
    INCOMPLETE,
    /** No packet matched: the traces' own clocks are used as they are (NTP's offset at best). No accuracy. */
    FAILED;

    /** The name in the JSON document and the table: {@code exact}, {@code accurate}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The worse of two: what a chain of transforms is worth. */
    static SyncQuality worse(SyncQuality a, SyncQuality b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
