package org.vnetscope.document;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vnetscope.ctf.TraceReader;

/**
 * The {@code --begin}, {@code --end} and {@code --timerange} options of babeltrace2, with its formats:
 * {@code YYYY-MM-DD hh:mm[:ss[.nnnnnnnnn]]}, {@code YYYY-MM-DD}, {@code hh:mm[:ss[.nnnnnnnnn]]} (on the day the
 * trace begins) and {@code [-]s[.nnnnnnnnn]} (seconds since the Unix epoch). Dates and times of day are local
 * time, or UTC with {@code --clock-gmt}, as for babeltrace2. Shared by every command that reads a time range
 * ({@code dump}, and the analyses' {@link AnalysisArguments}), so that they read times alike.
 */
public final class TimeRange {
    private static final String DATE = "(\\d{4})-(\\d{2})-(\\d{2})";
    private static final String TIME = "(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?";
    private static final Pattern DATE_TIME = Pattern.compile(DATE + " " + TIME);
    private static final Pattern DATE_ONLY = Pattern.compile(DATE);
    private static final Pattern TIME_ONLY = Pattern.compile(TIME);
    private static final Pattern SECONDS = Pattern.compile("(-?)(\\d+)(?:\\.(\\d{1,9}))?");
    private static final long NS_PER_S = 1_000_000_000L;

    private TimeRange() {
    }

    /**
     * Limits the reader to the range the options give, when they give one.
     *
     * @param timerange {@code BEGIN,END} or {@code [BEGIN,END]}, or null
     * @throws IllegalArgumentException naming the option whose value is not a time, or when the range ends
     *                                  before it begins
     */
    public static void apply(TraceReader reader, String begin, String end, String timerange, boolean gmt, ZoneId local) {
        long[] bounds = bounds(reader, begin, end, timerange, gmt, local);
        if (bounds != null) {
            reader.limitTo(bounds[0], bounds[1]);
        }
    }

    /**
     * The range the options give, {@code {beginNs, endNs}} ({@link Long#MIN_VALUE}, {@link Long#MAX_VALUE} for a
     * side not given), or null when they give none; the reader only tells the day a time of day falls on.
     *
     * @throws IllegalArgumentException as {@link #apply}
     */
    public static long[] bounds(TraceReader reader, String begin, String end, String timerange, boolean gmt, ZoneId local) {
        if (timerange != null) {
            if (begin != null || end != null) {
                throw new IllegalArgumentException("--timerange replaces --begin and --end: give one or the other");
            }
            String inner = timerange.startsWith("[") && timerange.endsWith("]")
                    ? timerange.substring(1, timerange.length() - 1) : timerange;
            int comma = inner.indexOf(',');
            if (comma < 0) {
                throw new IllegalArgumentException("--timerange '" + timerange + "' is not BEGIN,END");
            }
            begin = inner.substring(0, comma).trim();
            end = inner.substring(comma + 1).trim();
        }
        if (begin == null && end == null) {
            return null;
        }
        ZoneId zone = gmt ? ZoneOffset.UTC : local;
        long beginNs = begin == null ? Long.MIN_VALUE : parse("--begin", begin, zone, reader);
        long endNs = end == null ? Long.MAX_VALUE : parse("--end", end, zone, reader);
        if (beginNs > endNs) {
            throw new IllegalArgumentException("the time range begins (" + begin + ") after it ends (" + end + ")");
        }
        return new long[] {beginNs, endNs};
    }

    /**
     * Checks that a bound is written in one of the formats, without a trace to place a time of day on: for a
     * caller that resolves the bound later, where the trace is (a Spark task), and tells a typo before that.
     *
     * @throws IllegalArgumentException as {@link #parse}
     */
    public static void checkFormat(String option, String text) {
        if (!TIME_ONLY.matcher(text).matches()) {
            parse(option, text, ZoneOffset.UTC, null);
        }
    }

    /** A bound in ns since the Unix epoch. */
    public static long parse(String option, String text, ZoneId zone, TraceReader reader) {
        Matcher m = DATE_TIME.matcher(text);
        if (m.matches()) {
            return nsOf(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6), m.group(7), zone);
        }
        m = DATE_ONLY.matcher(text);
        if (m.matches()) {
            return nsOf(m.group(1), m.group(2), m.group(3), "00", "00", null, null, zone);
        }
        m = TIME_ONLY.matcher(text);
        if (m.matches()) {
            long startNs = reader.startNs();
            if (startNs == Long.MIN_VALUE) {
                throw new IllegalArgumentException(option + " " + text + ": a time of day needs the date the trace "
                        + "begins, and its packets have no timestamp_begin; give the date too");
            }
            LocalDate day = Instant.ofEpochSecond(Math.floorDiv(startNs, NS_PER_S)).atZone(zone).toLocalDate();
            return nsOf(String.valueOf(day.getYear()), String.valueOf(day.getMonthValue()),
                    String.valueOf(day.getDayOfMonth()), m.group(1), m.group(2), m.group(3), m.group(4), zone);
        }
        m = SECONDS.matcher(text);
        if (m.matches()) {
            try {
                long ns = Math.addExact(Math.multiplyExact(Long.parseLong(m.group(2)), NS_PER_S), fraction(m.group(3)));
                return m.group(1).isEmpty() ? ns : -ns;
            } catch (ArithmeticException | NumberFormatException e) {
                throw new IllegalArgumentException(option + " " + text + ": out of range");
            }
        }
        throw new IllegalArgumentException(option + " '" + text + "' is not a time: use YYYY-MM-DD hh:mm[:ss[.ns]], "
                + "YYYY-MM-DD, hh:mm[:ss[.ns]] or [-]seconds[.ns]");
    }

    /** Like mktime/timegm: fields beyond their range carry over (minute 75 is the next hour plus 15). */
    private static long nsOf(String year, String month, String day, String hour, String minute, String second,
                             String fraction, ZoneId zone) {
        LocalDateTime time = LocalDateTime.of(Integer.parseInt(year), 1, 1, 0, 0)
                .plusMonths(Integer.parseInt(month) - 1L).plusDays(Integer.parseInt(day) - 1L)
                .plusHours(Integer.parseInt(hour)).plusMinutes(Integer.parseInt(minute))
                .plusSeconds(second == null ? 0 : Integer.parseInt(second));
        return time.atZone(zone).toEpochSecond() * NS_PER_S + fraction(fraction);
    }

    /** Digits after the decimal point as ns: ".5" is 500,000,000. */
    private static long fraction(String digits) {
        if (digits == null) {
            return 0;
        }
        long value = Long.parseLong(digits);
        for (int i = digits.length(); i < 9; i++) {
            value *= 10;
        }
        return value;
    }
}
