package dev.photoscore.evaluation;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleBiFunction;

/**
 * Percentile bootstrap confidence intervals for statistics of paired samples (B. Efron, R. J. Tibshirani, "An
 * Introduction to the Bootstrap", 1993, ch. 13): the pairs are resampled with replacement, the statistic computed on
 * each resample, and the interval read from the quantiles of those values. Seeded, so the same input gives the same
 * interval.
 *
 * <pre>{@code
 * ConfidenceInterval srcc = Bootstrap.builder().seed(7).build().interval(predicted, human, Correlation::spearman);
 * }</pre>
 */
public final class Bootstrap {

    private final int resamples;
    private final long seed;
    private final double level;

    private Bootstrap(Builder builder) {
        this.resamples = builder.resamples;
        this.seed = builder.seed;
        this.level = builder.level;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The statistic of the pairs {@code (x[i], y[i])} with its percentile interval. Resamples on which the statistic
     * is undefined ({@code NaN}, say a correlation of a resample that drew one pair only) are left out.
     *
     * @throws IllegalArgumentException when the samples differ in length or are empty
     */
    public ConfidenceInterval interval(double[] x, double[] y, ToDoubleBiFunction<double[], double[]> statistic) {
        if (x.length != y.length || x.length == 0) {
            throw new IllegalArgumentException("need paired, non-empty samples, got " + x.length + " and " + y.length);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[resamples];
        int defined = 0;
        double[] rx = new double[x.length];
        double[] ry = new double[y.length];
        for (int b = 0; b < resamples; b++) {
            for (int i = 0; i < x.length; i++) {
                int pick = random.nextInt(x.length);
                rx[i] = x[pick];
                ry[i] = y[pick];
            }
            double value = statistic.applyAsDouble(rx, ry);
            if (!Double.isNaN(value)) {
                values[defined++] = value;
            }
        }
        double estimate = statistic.applyAsDouble(x, y);
        if (defined == 0) {
            return new ConfidenceInterval(estimate, Double.NaN, Double.NaN, level);
        }
        double[] sorted = Arrays.copyOf(values, defined);
        Arrays.sort(sorted);
        double tail = (1 - level) / 2;
        return new ConfidenceInterval(estimate, quantile(sorted, tail), quantile(sorted, 1 - tail), level);
    }

    /** Linear interpolation between order statistics (type 7, the R and NumPy default). */
    static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    public static final class Builder {
        private int resamples = 2000;
        private long seed = 1;
        private double level = 0.95;

        private Builder() {
        }

        /** Number of resamples; 2000 unless set. */
        public Builder resamples(int resamples) {
            if (resamples < 1) {
                throw new IllegalArgumentException("resamples must be positive, got " + resamples);
            }
            this.resamples = resamples;
            return this;
        }

        /** Seed of the resampling; 1 unless set. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Confidence level in (0, 1); 0.95 unless set. */
        public Builder level(double level) {
            if (!(level > 0 && level < 1)) {
                throw new IllegalArgumentException("level must be in (0, 1), got " + level);
            }
            this.level = level;
            return this;
        }

        public Bootstrap build() {
            return new Bootstrap(this);
        }
    }
}
