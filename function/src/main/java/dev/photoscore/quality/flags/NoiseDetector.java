package dev.photoscore.quality.flags;

/**
 * Heavy noise: {@code noise.flat_sigma}, the standard deviation of the noise in grey levels by Immerkær's
 * estimator ("Fast Noise Variance Estimation", CVIU 1996) over the pixels away from edges (Tai &amp; Yang, ISCCSP
 * 2008), on the working image: noise as it shows at a screen's size, not at the sensor's.
 */
final class NoiseDetector extends FeatureDetector {

    private static final double MAX_SIGMA = 6.0;

    NoiseDetector() {
        super(PhotoFlag.NOISY, "noise.flat_sigma");
    }

    @Override
    public boolean raised(double[] m) {
        return m[0] > MAX_SIGMA;
    }
}
