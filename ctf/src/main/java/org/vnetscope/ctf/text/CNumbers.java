package org.vnetscope.ctf.text;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Number formats of the C library that babeltrace2's text output relies on. */
final class CNumbers {

    private static final MathContext SIX_DIGITS = new MathContext(6, RoundingMode.HALF_EVEN);

    private CNumbers() {
    }

    /**
     * {@code printf("%g", value)}: six significant digits, trailing zeros dropped, scientific notation when the
     * decimal exponent is below -4 or at least 6, exponent with a sign and at least two digits. Rounding is done
     * on the exact binary value, as glibc does.
     */
    static String formatG(double value) {
        boolean negative = (Double.doubleToRawLongBits(value) & Long.MIN_VALUE) != 0;
        if (Double.isNaN(value)) {
            return negative ? "-nan" : "nan";
        }
        if (Double.isInfinite(value)) {
            return negative ? "-inf" : "inf";
        }
        if (value == 0) {
            return negative ? "-0" : "0";
        }
        BigDecimal rounded = new BigDecimal(value).round(SIX_DIGITS);
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent >= -4 && exponent < 6) {
            return rounded.stripTrailingZeros().toPlainString();
        }
        String digits = rounded.unscaledValue().abs().toString();
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        StringBuilder text = new StringBuilder(16);
        if (negative) {
            text.append('-');
        }
        text.append(digits.charAt(0));
        if (end > 1) {
            text.append('.').append(digits, 1, end);
        }
        text.append('e').append(exponent < 0 ? '-' : '+');
        int magnitude = Math.abs(exponent);
        if (magnitude < 10) {
            text.append('0');
        }
        return text.append(magnitude).toString();
    }
}
