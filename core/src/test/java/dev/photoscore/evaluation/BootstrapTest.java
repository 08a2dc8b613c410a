package dev.photoscore.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    private static double meanOfFirst(double[] x, double[] y) {
        return Arrays.stream(x).average().orElseThrow();
    }

    @Test
    void intervalOfAMeanMatchesTheNormalApproximation() {
        Random random = new Random(3);
        int n = 400;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 10 + 2 * random.nextGaussian();
        }
        ConfidenceInterval interval = Bootstrap.builder().seed(5).build().interval(x, x, BootstrapTest::meanOfFirst);
        double halfWidth = 1.96 * 2 / Math.sqrt(n);
        assertEquals(halfWidth, (interval.upper() - interval.lower()) / 2, 0.15 * halfWidth);
        assertEquals(interval.estimate(), (interval.upper() + interval.lower()) / 2, 0.3 * halfWidth);
        assertEquals(0.95, interval.level());
    }

    @Test
    void sameSeedSameIntervalOtherSeedAnother() {
        Random random = new Random(11);
        double[] x = new double[50];
        double[] y = new double[50];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
            y[i] = x[i] + random.nextGaussian();
        }
        ConfidenceInterval first = Bootstrap.builder().seed(7).build().interval(x, y, Correlation::spearman);
        ConfidenceInterval again = Bootstrap.builder().seed(7).build().interval(x, y, Correlation::spearman);
        ConfidenceInterval other = Bootstrap.builder().seed(8).build().interval(x, y, Correlation::spearman);
        assertEquals(first, again);
        assertNotEquals(first, other);
        assertTrue(first.lower() < first.estimate() && first.estimate() < first.upper(), first.toString());
    }

    @Test
    void perfectRankAgreementHasAPointInterval() {
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8};
        double[] y = {2, 3, 5, 8, 13, 21, 34, 55};
        ConfidenceInterval interval = Bootstrap.builder().resamples(500).build().interval(x, y, Correlation::spearman);
        assertEquals(1, interval.lower(), 1e-12);
        assertEquals(1, interval.upper(), 1e-12);
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.builder().resamples(0));
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.builder().level(1));
        Bootstrap bootstrap = Bootstrap.builder().build();
        assertThrows(IllegalArgumentException.class,
                () -> bootstrap.interval(new double[] {1, 2}, new double[] {1}, Correlation::pearson));
    }
}
