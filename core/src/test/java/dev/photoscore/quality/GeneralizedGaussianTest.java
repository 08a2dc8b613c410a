package dev.photoscore.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.apache.commons.numbers.gamma.LogGamma;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GeneralizedGaussianTest {

    private static final int SAMPLES = 200_000;

    @Test
    void momentRatioMatchesClosedForms() {
        // Γ(1/2)Γ(3/2)/Γ(1)² = π/2 for the Gaussian, Γ(1)Γ(3)/Γ(2)² = 2 for the Laplacian.
        assertEquals(Math.PI / 2, GeneralizedGaussian.momentRatio(2), 1e-12);
        assertEquals(2, GeneralizedGaussian.momentRatio(1), 1e-12);
        assertEquals(1.3, GeneralizedGaussian.shapeForRatio(GeneralizedGaussian.momentRatio(1.3)), 1e-9);
    }

    @Test
    void shapesOutsideTheSearchIntervalAreClamped() {
        assertEquals(GeneralizedGaussian.MAX_SHAPE, GeneralizedGaussian.shapeForRatio(1.0));
        assertEquals(GeneralizedGaussian.MIN_SHAPE, GeneralizedGaussian.shapeForRatio(1e9));
    }

    /**
     * Samples of shape 0.5, 1 and 2 drawn in closed form: |x|^a is Gamma(1/a)-distributed, and Gamma(2), Gamma(1)
     * and Gamma(1/2) are a sum of two exponentials, one exponential and half a squared normal.
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.5, 1, 2})
    void fitRecoversTheShapeOfGeneralisedGaussianSamples(double shape) {
        Random random = new Random(17);
        float[] samples = new float[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            double gamma;
            if (shape == 0.5) {
                gamma = exponential(random) + exponential(random);
            } else if (shape == 1) {
                gamma = exponential(random);
            } else {
                double normal = random.nextGaussian();
                gamma = normal * normal / 2;
            }
            double magnitude = 3 * Math.pow(gamma, 1 / shape);
            samples[i] = (float) (random.nextBoolean() ? magnitude : -magnitude);
        }
        GeneralizedGaussian.Fit fit = GeneralizedGaussian.fit(samples);
        assertEquals(shape, fit.shape(), 0.05 * shape);
        // Variance of a GGD: b² Γ(3/a) / Γ(1/a) with scale b = 3.
        double variance = 9 * Math.exp(LogGamma.value(3 / shape)
                - LogGamma.value(1 / shape));
        assertEquals(variance, fit.variance(), 0.05 * variance);
    }

    @Test
    void asymmetricFitRecoversOneSidedSpreadsAndMean() {
        // Half-normals with standard deviation 1 on the left and 2 on the right, each side taken with probability
        // proportional to its scale: an AGGD of shape 2, whose mean is sqrt(2/π).
        Random random = new Random(5);
        Plane samples = new Plane(1000, 200);
        for (int i = 0; i < samples.size(); i++) {
            boolean right = random.nextDouble() < 2.0 / 3;
            double magnitude = Math.abs(random.nextGaussian()) * (right ? 2 : 1);
            samples.data[i] = (float) (right ? magnitude : -magnitude);
        }
        Plane ones = new Plane(1000, 200);
        Arrays.fill(ones.data, 1f);
        GeneralizedGaussian.AsymmetricFit fit = GeneralizedGaussian.fitAsymmetric(samples, 0, 0, ones, 0, 0, 1000, 200);
        assertEquals(2, fit.shape(), 0.1);
        assertEquals(1, fit.leftVariance(), 0.03);
        assertEquals(4, fit.rightVariance(), 0.1);
        assertEquals(Math.sqrt(2 / Math.PI), fit.mean(), 0.03);
    }

    @Test
    void signalWithoutSpreadGetsFiniteDefaults() {
        GeneralizedGaussian.Fit fit = GeneralizedGaussian.fit(new float[100]);
        assertEquals(2, fit.shape());
        assertEquals(0, fit.variance());
    }

    private static double exponential(Random random) {
        return -Math.log(1 - random.nextDouble());
    }
}
