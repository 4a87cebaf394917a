package org.vnetscope.placement;

import java.util.Locale;

/** Rates and shares as the reasons write them, the same in every locale. */
final class Rates {

    private Rates() {
    }

    static String format(long bitsPerSecond) {
        if (bitsPerSecond >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f Gbit/s", bitsPerSecond / 1e9);
        }
        if (bitsPerSecond >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.1f Mbit/s", bitsPerSecond / 1e6);
        }
        if (bitsPerSecond >= 1_000L) {
            return String.format(Locale.ROOT, "%.1f kbit/s", bitsPerSecond / 1e3);
        }
        return bitsPerSecond + " bit/s";
    }

    static String percent(double utilization) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * utilization);
    }
}
