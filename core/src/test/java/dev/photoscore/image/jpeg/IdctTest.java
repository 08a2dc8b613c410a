package dev.photoscore.image.jpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The inverse DCTs against the definition (ITU T.81 A.3.3) computed directly in double precision. */
class IdctTest {

    /** T.81's 8x8 inverse DCT of dequantised coefficients, level-shifted, at sample (x, y). */
    private static double definition(double[] dequantised, double x, double y) {
        double sum = 0;
        for (int v = 0; v < 8; v++) {
            for (int u = 0; u < 8; u++) {
                double cu = u == 0 ? Math.sqrt(0.5) : 1;
                double cv = v == 0 ? Math.sqrt(0.5) : 1;
                sum += cu * cv * dequantised[v * 8 + u] * Math.cos((2 * x + 1) * u * Math.PI / 16)
                        * Math.cos((2 * y + 1) * v * Math.PI / 16);
            }
        }
        return sum / 4 + 128;
    }

    private static int[] randomBlock(Random random, int spread) {
        int[] coefficients = new int[64];
        coefficients[0] = random.nextInt(160) - 80;
        for (int k = 1; k < 64; k++) {
            // Fewer and smaller coefficients at high frequencies, as in photos.
            if (random.nextInt(64) >= k) {
                coefficients[k] = random.nextInt(2 * spread + 1) - spread;
            }
        }
        return coefficients;
    }

    /** A block's coefficients from row-major order into zig-zag order, as the transforms take them. */
    private static int[] zigzag(int[] rowMajor) {
        int[] zigzag = new int[64];
        for (int k = 0; k < 64; k++) {
            zigzag[k] = rowMajor[JpegFrame.ZIGZAG[k]];
        }
        return zigzag;
    }

    private static int[] quant(Random random) {
        int[] quant = new int[64];
        for (int k = 0; k < 64; k++) {
            quant[k] = 1 + random.nextInt(4) + k / 8;
        }
        return quant;
    }

    @Test
    void theFullTransformIsTheDefinitionWithinALevel() {
        // libjpeg's integer arithmetic: 13-bit constants, two rounding steps; within a level of the exact values.
        Random random = new Random(1);
        int[] work = new int[Idct.FULL_WORK];
        for (int trial = 0; trial < 200; trial++) {
            int[] coefficients = randomBlock(random, 12);
            int[] quant = quant(random);
            byte[] out = new byte[8 * 10];
            Idct.full(zigzag(coefficients), quant, work, out, 2, 10);
            double[] dequantised = new double[64];
            Arrays.setAll(dequantised, k -> coefficients[k] * quant[k]);
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    double expected = Math.max(0, Math.min(255, definition(dequantised, x, y)));
                    assertEquals(expected, out[2 + y * 10 + x] & 0xFF, 1.0, "sample " + x + "," + y);
                }
            }
        }
    }

    @Test
    void theScaledTransformSamplesTheBlockAtTheCentresOfItsSmallerGrid() {
        Random random = new Random(2);
        for (int n = 1; n <= Idct.MAX_SCALED; n++) {
            Idct idct = new Idct(n);
            for (int trial = 0; trial < 100; trial++) {
                int[] coefficients = randomBlock(random, 12);
                int[] quant = quant(random);
                // Only the lowest n x n frequencies exist at n/8: the reference drops the rest too.
                double[] dequantised = new double[64];
                for (int v = 0; v < n; v++) {
                    for (int u = 0; u < n; u++) {
                        dequantised[v * 8 + u] = coefficients[v * 8 + u] * quant[v * 8 + u];
                    }
                }
                byte[] out = new byte[n * n];
                idct.scaled(zigzag(coefficients), quant, out, 0, n);
                for (int y = 0; y < n; y++) {
                    for (int x = 0; x < n; x++) {
                        // Sample (x, y) of n covers 8/n pixels: its centre is pixel (x + 1/2) * 8/n - 1/2.
                        double expected = definition(dequantised, (x + 0.5) * 8 / n - 0.5, (y + 0.5) * 8 / n - 0.5);
                        assertEquals(Math.max(0, Math.min(255, expected)), out[y * n + x] & 0xFF, 0.51,
                                n + "/8, sample " + x + "," + y);
                    }
                }
            }
        }
    }

    @Test
    void aFlatBlockKeepsItsValueAtEveryScale() {
        int[] quant = new int[64];
        Arrays.fill(quant, 1);
        int[] coefficients = new int[64];
        coefficients[0] = -8 * 28; // a DC of -224 decodes to 128 - 28 = 100 everywhere
        for (int n = 1; n <= Idct.MAX_SCALED; n++) {
            byte[] out = new byte[n * n];
            new Idct(n).scaled(zigzag(coefficients), quant, out, 0, n);
            for (byte value : out) {
                assertEquals(100, value & 0xFF, n + "/8");
            }
        }
        byte[] full = new byte[64];
        Idct.full(zigzag(coefficients), quant, new int[Idct.FULL_WORK], full, 0, 8);
        for (byte value : full) {
            assertEquals(100, value & 0xFF, "8/8");
        }
    }

    @Test
    void samplesAreClampedToTheByteRange() {
        int[] quant = new int[64];
        Arrays.fill(quant, 16);
        int[] bright = new int[64];
        bright[0] = 2000;
        int[] dark = new int[64];
        dark[0] = -2000;
        byte[] out = new byte[64];
        Idct.full(zigzag(bright), quant, new int[Idct.FULL_WORK], out, 0, 8);
        assertEquals(255, out[0] & 0xFF);
        new Idct(3).scaled(zigzag(dark), quant, out, 0, 3);
        assertEquals(0, out[0] & 0xFF);
    }

    @Test
    void aScaleOutsideOneToFourIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Idct(0));
        assertThrows(IllegalArgumentException.class, () -> new Idct(Idct.MAX_SCALED + 1));
        assertTrue(Idct.MAX_SCALED <= 8);
    }
}
