package dev.photoscore.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.photoscore.modelpack.Calibration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuantileCalibrationTest {

    @Test
    void mapsPredictionQuantilesOntoLabelQuantiles() {
        // Predictions squeezed into 40..60, labels spread over 0..100: the map spreads them back.
        double[] predictions = {40, 45, 50, 55, 60};
        double[] labels = {0, 25, 50, 75, 100};
        Calibration.Variant fitted = QuantileCalibration.fit(predictions, labels, 4);
        assertEquals(0.0, fitted.score(Map.of("quality.mos", 40.0)), 1e-12);
        assertEquals(0.5, fitted.score(Map.of("quality.mos", 50.0)), 1e-12);
        assertEquals(0.875, fitted.score(Map.of("quality.mos", 57.5)), 1e-12, "between the knots (55, 0.75) and (60, 1)");
        assertEquals(1.0, fitted.score(Map.of("quality.mos", 99.0)), 1e-12, "clamped at the top");
    }

    @Test
    void repeatedPredictionsKeepTheCurveStrictlyIncreasing() {
        Calibration.Variant fitted = QuantileCalibration.fit(new double[] {50, 50, 50, 60}, new double[] {10, 20, 30, 40}, 4);
        for (int i = 1; i < fitted.knotsX().length; i++) {
            assertEquals(true, fitted.knotsX()[i] > fitted.knotsX()[i - 1]);
        }
    }

    @Test
    void refitsTheQualityVariantAndTheNimaPriorOnItsKnots() {
        Calibration.Variant prior = new Calibration.Variant("nima-prior", List.of("nima.aesthetic"), new double[] {1}, 0,
                new double[] {1, 10}, new double[] {0, 1});
        Calibration.Variant old = new Calibration.Variant("quality", List.of("quality.mos"), new double[] {1}, 0,
                new double[] {0, 100}, new double[] {0, 1});
        Calibration.Variant fitted = QuantileCalibration.fit(new double[] {1, 2, 3}, new double[] {10, 20, 30}, 2);
        Calibration before = new Calibration("v1", "d", List.of(QuantileCalibration.withNimaPrior(old), old, prior),
                0.1999);

        Calibration updated = QuantileCalibration.withVariant(before, fitted, "v2");
        assertEquals("v2", updated.version());
        assertEquals(0.1999, updated.flaggedMaxScore(), "the flag cap is kept");
        assertEquals(List.of("quality+nima-prior", "quality", "nima-prior"),
                updated.variants().stream().map(Calibration.Variant::name).toList());
        assertEquals(3, updated.variants().get(1).knotsX()[2], 1e-12);
        assertArrayEquals(fitted.knotsX(), updated.variants().get(0).knotsX(), "the prior maps through the new knots");
    }

    @Test
    void theNimaPriorWeighsTheQualityModelTwoThirdsOnTheLabelsScale() {
        Calibration.Variant identity = new Calibration.Variant("quality", List.of("quality.mos"), new double[] {1}, 0,
                new double[] {0, 100}, new double[] {0, 1});
        Calibration.Variant prior = QuantileCalibration.withNimaPrior(identity);
        // NIMA means of 5.5 sit at 60 on the labels' scale (nima-prior's band edge): 2/3 * 30 + 1/3 * 60 = 40.
        assertEquals(0.40, prior.score(Map.of("quality.mos", 30.0, "nima.aesthetic", 5.0, "nima.technical", 6.0)),
                1e-12);
        // Without NIMA's disagreement, the prior is the quality variant: 2/3 * 60 + 1/3 * 60.
        assertEquals(identity.score(Map.of("quality.mos", 60.0)),
                prior.score(Map.of("quality.mos", 60.0, "nima.aesthetic", 5.5, "nima.technical", 5.5)), 1e-12);
    }

    @Test
    void aRefitKeepsTheRevisionAfterTheModelsHash() {
        String sha = "3b271c044770" + "0".repeat(52);
        assertEquals("quantile-3b271c044770-flags-2", QuantileCalibration.version(sha, "quantile-fcf142d7786a-flags-2"));
        assertEquals("quantile-3b271c044770", QuantileCalibration.version(sha, "prior-1"));
    }
}
