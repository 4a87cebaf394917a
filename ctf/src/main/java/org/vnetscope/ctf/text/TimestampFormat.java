package org.vnetscope.ctf.text;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneRules;

/**
 * babeltrace2's wall-clock timestamps: {@code HH:MM:SS.nnnnnnnnn} in local time or UTC, optionally with the date,
 * or {@code S.nnnnnnnnn} seconds. Negative times reproduce its behaviour exactly: the first one it meets falls
 * back to seconds with a warning on the error stream, every later one shows the clock time of the absolute
 * value.
 */
final class TimestampFormat {

    private static final long NS_PER_S = 1_000_000_000L;

    private final boolean seconds;
    private final boolean date;
    private final ZoneRules zone;
    private final PrintWriter warnings;
    private boolean negativeWarningDone;

    // The text of the last second formatted: consecutive events mostly share it.
    private long cachedSecond = Long.MIN_VALUE;
    private byte[] cachedText;

    TimestampFormat(boolean seconds, boolean date, ZoneId zone, PrintWriter warnings) {
        this.seconds = seconds;
        this.date = date;
        this.zone = zone.getRules();
        this.warnings = warnings;
    }

    void append(ByteSink sink, long ns) {
        long second = ns / NS_PER_S;
        long fraction = ns % NS_PER_S;
        boolean negative = second < 0 || fraction < 0;
        long absoluteSecond = Math.abs(second);
        long absoluteFraction = Math.abs(fraction);
        if (second < 0 && fraction > 0) {
            absoluteSecond = -(second + 1);
            absoluteFraction = NS_PER_S - fraction;
        } else if (second > 0 && fraction < 0) {
            negative = false;
            absoluteSecond = second - 1;
            absoluteFraction = NS_PER_S + fraction;
        }
        boolean asSeconds = seconds;
        if (!seconds && negative && !negativeWarningDone) {
            warnings.print("[warning] Fallback to [sec.ns] to print negative time value. Use --clock-seconds.\n");
            warnings.flush();
            negativeWarningDone = true;
            asSeconds = true;
        }
        if (asSeconds) {
            if (negative) {
                sink.append('-');
            }
            sink.appendUnsigned(absoluteSecond);
        } else {
            sink.append(clockText(absoluteSecond));
        }
        sink.append('.');
        sink.appendUnsignedPadded(absoluteFraction, 9);
    }

    private byte[] clockText(long second) {
        if (second != cachedSecond) {
            long local = second + zone.getOffset(Instant.ofEpochSecond(second)).getTotalSeconds();
            long day = Math.floorDiv(local, 86_400L);
            int secondOfDay = (int) Math.floorMod(local, 86_400L);
            StringBuilder text = new StringBuilder(20);
            if (date) {
                LocalDate calendar = LocalDate.ofEpochDay(day);
                text.append(calendar.getYear()).append('-');
                twoDigits(text, calendar.getMonthValue()).append('-');
                twoDigits(text, calendar.getDayOfMonth()).append(' ');
            }
            twoDigits(text, secondOfDay / 3600).append(':');
            twoDigits(text, secondOfDay / 60 % 60).append(':');
            twoDigits(text, secondOfDay % 60);
            cachedText = text.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            cachedSecond = second;
        }
        return cachedText;
    }

    private static StringBuilder twoDigits(StringBuilder text, int value) {
        return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
