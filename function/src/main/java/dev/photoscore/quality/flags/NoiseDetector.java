package dev.photoscore.quality.flags;

import dev.photoscore.quality.Plane;
import dev.photoscore.quality.WorkingImage;
import java.util.Arrays;
import java.util.List;

/**
 * Heavy noise: {@code noise.flattest_sigma}, the noise level where the photo is flattest. Immerkær's estimator
 * (J. Immerkær, "Fast Noise Variance Estimation", CVIU 1996; {@link WorkingImage#noiseResponse()}) gives a standard
 * deviation in grey levels for each 16x16 block of the working luma; texture and edges raise it, noise raises it
 * everywhere. So the measure is its 10th percentile over the blocks, as block-based estimators take the noise from
 * the most uniform blocks (J.-S. Lee &amp; K. Hoppel, "Noise modeling and estimation of remotely-sensed images",
 * IGARSS 1989): grass, foliage and gravel, which fool a whole-image estimate, do not count. Blocks near black or white
 * (mean luma at most 8 or at least 247), where clipping hides the noise, are left out. On the working image, so noise
 * counts as it shows at a screen's size, not at the sensor's.
 */
final class NoiseDetector implements FlagDetector {

    private static final double MAX_FLATTEST_SIGMA = 4.0;
    private static final int BLOCK = 16;
    private static final double FLATTEST = 0.1;
    private static final float DARKEST = 8;
    private static final float BRIGHTEST = 247;

    @Override
    public PhotoFlag flag() {
        return PhotoFlag.NOISY;
    }

    @Override
    public List<String> measureNames() {
        return List.of("noise.flattest_sigma");
    }

    @Override
    public double[] measure(WorkingImage image) {
        Plane luma = image.luma();
        Plane response = image.noiseResponse();
        // The mask's response on the first and last rows and columns reaches beyond the image: blocks start inside.
        int across = (luma.width() - 2) / BLOCK;
        int down = (luma.height() - 2) / BLOCK;
        double[] sigmas = new double[across * down];
        int n = 0;
        for (int by = 0; by < down; by++) {
            for (int bx = 0; bx < across; bx++) {
                double absolute = 0;
                double level = 0;
                for (int y = 1 + by * BLOCK; y < 1 + (by + 1) * BLOCK; y++) {
                    for (int x = 1 + bx * BLOCK; x < 1 + (bx + 1) * BLOCK; x++) {
                        absolute += Math.abs(response.at(x, y));
                        level += luma.at(x, y);
                    }
                }
                level /= BLOCK * BLOCK;
                if (level > DARKEST && level < BRIGHTEST) {
                    sigmas[n++] = Math.sqrt(Math.PI / 2) * absolute / (6.0 * BLOCK * BLOCK);
                }
            }
        }
        if (n == 0) {
            return new double[] {0};
        }
        Arrays.sort(sigmas, 0, n);
        return new double[] {sigmas[(int) (FLATTEST * (n - 1))]};
    }

    @Override
    public boolean raised(double[] m) {
        return m[0] > MAX_FLATTEST_SIGMA;
    }
}
