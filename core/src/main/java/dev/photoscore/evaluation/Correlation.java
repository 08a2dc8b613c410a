package dev.photoscore.evaluation;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Correlation coefficients between paired samples. */
public final class Correlation {

    private Correlation() {
    }

    /**
     * Pearson's linear correlation coefficient; {@code NaN} when either sample has no variance.
     *
     * @throws IllegalArgumentException when the samples differ in length, have fewer than 2 pairs or hold a value
     *                                  that is not finite
     */
    public static double pearson(double[] x, double[] y) {
        requirePairs(x, y);
        double meanX = Arrays.stream(x).average().orElseThrow();
        double meanY = Arrays.stream(y).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            double dx = x[i] - meanX;
            double dy = y[i] - meanY;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx == 0 || syy == 0) {
            return Double.NaN;
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    /**
     * Spearman's rank correlation coefficient: Pearson's coefficient of the ranks, tied values sharing the mean of
     * their ranks; {@code NaN} when either sample is constant.
     *
     * @throws IllegalArgumentException as {@link #pearson}
     */
    public static double spearman(double[] x, double[] y) {
        requirePairs(x, y);
        return pearson(averageRanks(x), averageRanks(y));
    }

    /** Ranks from 1, ties given the mean of the ranks they span (so {@code {10, 20, 20, 30}} ranks {@code {1, 2.5, 2.5, 4}}). */
    public static double[] averageRanks(double[] values) {
        int[] order = IntStream.range(0, values.length).boxed()
                .sorted(Comparator.comparingDouble(i -> values[i]))
                .mapToInt(Integer::intValue).toArray();
        double[] ranks = new double[values.length];
        int start = 0;
        while (start < order.length) {
            int end = start;
            while (end + 1 < order.length && values[order[end + 1]] == values[order[start]]) {
                end++;
            }
            double rank = (start + end) / 2.0 + 1;
            for (int k = start; k <= end; k++) {
                ranks[order[k]] = rank;
            }
            start = end + 1;
        }
        return ranks;
    }

    static void requirePairs(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("samples differ in length: " + x.length + " and " + y.length);
        }
        if (x.length < 2) {
            throw new IllegalArgumentException("a correlation needs at least 2 pairs, got " + x.length);
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw new IllegalArgumentException("pair " + i + " is not finite: " + x[i] + ", " + y[i]);
            }
        }
    }
}
