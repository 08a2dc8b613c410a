package dev.photoscore.modelpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CalibrationTest {

    private static final Calibration.Variant MEAN = new Calibration.Variant("mean",
            List.of("nima.aesthetic", "nima.technical"), new double[] {0.5, 0.5}, 0,
            new double[] {1, 3.5, 4.5, 5.5, 6.5, 10}, new double[] {0, 0.2, 0.4, 0.6, 0.8, 1});

    @Test
    void interpolatesBetweenKnotsAndClampsOutside() {
        assertEquals(0.5, MEAN.score(Map.of("nima.aesthetic", 5.0, "nima.technical", 5.0)), 1e-12);
        assertEquals(0.3, MEAN.score(Map.of("nima.aesthetic", 3.0, "nima.technical", 5.0)), 1e-12);
        assertEquals(0.2, MEAN.score(Map.of("nima.aesthetic", 3.5, "nima.technical", 3.5)), 1e-12);
        assertEquals(0.0, MEAN.curve(-3), 0);
        assertEquals(1.0, MEAN.curve(42), 0);
    }

    @Test
    void choosesTheFirstVariantWhoseInputsExist() {
        Calibration.Variant quality = new Calibration.Variant("quality", List.of("quality.mos"), new double[] {1}, 0,
                new double[] {0, 100}, new double[] {0, 1});
        Calibration calibration = new Calibration("v", "test", List.of(MEAN, quality));
        assertEquals("mean", calibration.variantFor(List.of("nima.aesthetic", "nima.technical", "quality.mos"))
                .orElseThrow().name());
        assertEquals("quality", calibration.variantFor(List.of("quality.mos")).orElseThrow().name());
        assertTrue(calibration.variantFor(List.of("nima.aesthetic")).isEmpty());
    }

    @Test
    void refusesCurvesThatAreNotMonotone() {
        assertThrows(InvalidModelPackException.class, () -> new Calibration.Variant("bad", List.of("x"),
                new double[] {1}, 0, new double[] {0, 1, 2}, new double[] {0, 0.6, 0.5}));
        assertThrows(InvalidModelPackException.class, () -> new Calibration.Variant("bad", List.of("x"),
                new double[] {1}, 0, new double[] {0, 0}, new double[] {0, 1}));
        assertThrows(InvalidModelPackException.class, () -> new Calibration.Variant("bad", List.of("x"),
                new double[] {1, 2}, 0, new double[] {0, 1}, new double[] {0, 1}));
    }
}
