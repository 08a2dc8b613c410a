package dev.photoscore.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CorrelationTest {

    @Test
    void pearsonMatchesHandComputation() {
        // dx = (-1, 0, 1), dy = (-7/3, -1/3, 8/3): sxy = 5, sxx = 2, syy = 114/9.
        assertEquals(5 / Math.sqrt(2 * 114.0 / 9), Correlation.pearson(new double[] {1, 2, 3}, new double[] {2, 4, 7}), 1e-12);
    }

    @Test
    void pearsonIsOneForAnExactLineAndMinusOneForAFallingLine() {
        double[] x = {1, 2, 3, 4};
        assertEquals(1, Correlation.pearson(x, new double[] {3, 5, 7, 9}), 1e-12);
        assertEquals(-1, Correlation.pearson(x, new double[] {9, 7, 5, 3}), 1e-12);
    }

    @Test
    void tiedValuesShareTheMeanOfTheirRanks() {
        assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, Correlation.averageRanks(new double[] {10, 20, 20, 30}));
        assertArrayEquals(new double[] {3, 1, 3, 3}, Correlation.averageRanks(new double[] {5, 1, 5, 5}));
    }

    @Test
    void spearmanUsesAverageRanksForTies() {
        // y ranks (1, 2, 3.5, 5, 3.5): sxy = 8, sxx = 10, syy = 9.5.
        double rho = Correlation.spearman(new double[] {1, 2, 3, 4, 5}, new double[] {5, 6, 7, 8, 7});
        assertEquals(8 / Math.sqrt(95), rho, 1e-12);
    }

    @Test
    void spearmanIsOneForAnyIncreasingRelation() {
        double[] x = {1, 2, 3, 4, 5, 6};
        double[] saturating = {0, 9, 10, 10.5, 10.8, 11};
        assertEquals(1, Correlation.spearman(x, saturating), 1e-12);
        assertTrue(Correlation.pearson(x, saturating) < 0.85, "the relation is far from a line");
    }

    @Test
    void constantSampleHasNoCorrelation() {
        assertTrue(Double.isNaN(Correlation.pearson(new double[] {1, 2, 3}, new double[] {4, 4, 4})));
        assertTrue(Double.isNaN(Correlation.spearman(new double[] {1, 2, 3}, new double[] {4, 4, 4})));
    }

    @Test
    void badSamplesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Correlation.pearson(new double[] {1, 2}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> Correlation.spearman(new double[] {1}, new double[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> Correlation.pearson(new double[] {1, Double.NaN}, new double[] {1, 2}));
    }
}
