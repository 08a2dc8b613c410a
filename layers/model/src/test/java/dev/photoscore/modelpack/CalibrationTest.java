package dev.photoscore.modelpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrationTest {

    private static final String VARIANT = "{\"name\": \"q\", \"inputs\": [\"quality.mos\"], \"weights\": [1],"
            + " \"bias\": 0, \"knotsX\": [0, 100], \"knotsY\": [0, 1]}";

    @TempDir
    Path tmp;

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

    @Test
    void theCapOnFlaggedPhotosIsReadWhenPresent() throws IOException {
        Path capped = Files.writeString(tmp.resolve("capped.json"), "{\"version\": \"c\", \"description\": \"d\","
                + " \"flaggedMaxScore\": 0.3999, \"variants\": [" + VARIANT + "]}");
        assertEquals(0.3999, Calibration.read(capped).flaggedMaxScore());
        Path uncapped = Files.writeString(tmp.resolve("uncapped.json"), "{\"version\": \"u\", \"description\": \"d\","
                + " \"variants\": [" + VARIANT + "]}");
        assertNull(Calibration.read(uncapped).flaggedMaxScore());
    }

    @Test
    void refusesACapOutsideTheScoreRange() {
        assertThrows(InvalidModelPackException.class, () -> new Calibration("v", "d", List.of(MEAN), 1.5));
        assertThrows(InvalidModelPackException.class, () -> new Calibration("v", "d", List.of(MEAN), Double.NaN));
    }

    @Test
    void theBundledCalibrationCapsFlaggedPhotosAtTheTopOfClassOne() throws IOException {
        try (InputStream in = Calibration.class.getResourceAsStream("pack/" + Calibration.FILE_NAME)) {
            assertNotNull(in, "the bundled calibration");
            Path file = Files.write(tmp.resolve(Calibration.FILE_NAME), in.readAllBytes());
            double cap = Calibration.read(file).flaggedMaxScore();
            // Class 1 is the scores below 0.2 (classes are fifths): a flagged photo is "very bad", class 1.
            assertEquals(0.1999, cap, "a flagged photo scores at most the top of class 1");
        }
    }
}
