package dev.photoscore.billing;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The one rounding rule of billing, and how amounts are written. Amounts are US dollars as exact decimals, never
 * floating point: a line's amount is the exact sum of its photos' prices; only the amount due, per tenant and
 * month, is rounded, to the cent, half up.
 */
public final class Money {

    static final int CENTS = 2;
    /** The currency of every amount: prices and plans are in US dollars. */
    public static final String CURRENCY = "USD";

    private Money() {
    }

    /** What a tenant pays for an exact amount: rounded to the cent, half up (0.005 becomes 0.01). */
    static BigDecimal due(BigDecimal exact) {
        return exact.setScale(CENTS, RoundingMode.HALF_UP);
    }

    /**
     * An amount as written in a report: every digit it has, without trailing zeros past the cents, and at least
     * the cents ({@code 0.012}, {@code 0.30}, {@code 0.00}, {@code -0.003}). No digit is ever dropped, so nothing
     * is rounded.
     */
    public static String format(BigDecimal amount) {
        BigDecimal stripped = amount.stripTrailingZeros();
        return (stripped.scale() < CENTS ? stripped.setScale(CENTS) : stripped).toPlainString();
    }
}
