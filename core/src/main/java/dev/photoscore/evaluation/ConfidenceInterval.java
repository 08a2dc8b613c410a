package dev.photoscore.evaluation;

import java.util.Locale;

/**
 * A statistic with its confidence interval: {@code estimate} on the full sample, {@code lower} and {@code upper}
 * the bounds at {@code level} (for example 0.95).
 */
public record ConfidenceInterval(double estimate, double lower, double upper, double level) {

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", estimate, lower, upper);
    }
}
