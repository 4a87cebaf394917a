package org.vnetscope.document;

import java.util.Locale;

/** Durations as the options write them: {@code 100ms}, {@code 1s}, {@code 250us}, {@code 5000ns}, {@code 2m}. */
public final class Durations {

    private Durations() {
    }

    /**
     * The duration in ns.
     *
     * @throws IllegalArgumentException when the text is not a positive number followed by one of the units
     */
    public static long parseNs(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        String[][] units = {{"ns", "1"}, {"us", "1000"}, {"ms", "1000000"}, {"s", "1000000000"},
                {"m", "60000000000"}};
        for (String[] unit : units) {
            String number = value.endsWith(unit[0]) ? value.substring(0, value.length() - unit[0].length()) : "";
            // "ms" also ends in "s": take a unit only when what precedes it is a number
            if (!number.isEmpty() && (Character.isDigit(number.charAt(number.length() - 1))
                    || number.endsWith("."))) {
                try {
                    double amount = Double.parseDouble(number);
                    long ns = Math.round(amount * Long.parseLong(unit[1]));
                    if (ns > 0) {
                        return ns;
                    }
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration: use e.g. 100ms, 1s, 500us");
    }
}
