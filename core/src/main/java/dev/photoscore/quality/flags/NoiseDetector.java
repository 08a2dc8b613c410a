package dev.photoscore.quality.flags;

import dev.photoscore.quality.Plane;
import dev.photoscore.quality.WorkingImage;
import java.util.Arrays;
import java.util.List;

/**
 * Heavy noise: the noise level where the photo is flattest is high, and it is noise, not texture.
 * <ul>
 *   <li>{@code noise.flattest_sigma}: Immerkær's estimator
 * (J. Immerkær, "Fast Noise Variance Estimation", CVIU 1996; {@link WorkingImage#noiseResponse()}) gives a standard
 * deviation in grey levels for each 16x16 block of the working luma; texture and edges raise it, noise raises it
 * everywhere. So the measure is its 10th percentile over the blocks, as block-based estimators take the noise from
 * the most uniform blocks (J.-S. Lee &amp; K. Hoppel, "Noise modeling and estimation of remotely-sensed images",
 * IGARSS 1989): grass, foliage and gravel, which fool a whole-image estimate, do not count. Blocks near black or white
 * (mean luma at most 8 or at least 247), where clipping hides the noise, are left out. On the working image, so noise
 * counts as it shows at a screen's size, not at the sensor's. Above 3.5 grey levels.</li>
 *   <li>{@code noise.half_scale_ratio}: over the same flattest tenth of the blocks, the estimate on the luma halved
 *       by 2x2 averaging ({@link WorkingImage#halfScaleNoiseResponse()}) against the estimate at the working scale.
 *       Averaging four independent samples halves white noise (0.5; 0.65 to 1 on the fixtures, whose noise the
 *       working image's own area average has already partly smoothed), while texture finer than a block but coarser
 *       than a pixel (a mountain stream's water, moss, gravel) stays as strong or grows (1.1 to 1.9 on the
 *       professional and livec photos that the level alone flagged). Below 1: a scale-space test of whiteness, after
 *       the noise/texture separation of multiscale noise estimators (e.g. Donoho's wavelet estimator, which reads
 *       the noise from the finest scale only because texture carries on into the coarser ones).</li>
 * </ul>
 */
final class NoiseDetector implements FlagDetector {

    private static final double MAX_FLATTEST_SIGMA = 3.5;
    private static final double MAX_HALF_SCALE_RATIO = 1.0;
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
        return List.of("noise.flattest_sigma", "noise.half_scale_ratio");
    }

    @Override
    public double[] measure(WorkingImage image) {
        Plane luma = image.luma();
        Plane response = image.noiseResponse();
        Plane half = image.halfScaleNoiseResponse();
        // The mask's response on the first and last rows and columns reaches beyond the image: blocks start inside.
        int across = (luma.width() - 2) / BLOCK;
        int down = (luma.height() - 2) / BLOCK;
        double[][] blocks = new double[across * down][];
        int n = 0;
        for (int by = 0; by < down; by++) {
            // A row of blocks at a time, each block summed row by row.
            double[] levels = luma.squareSums(1, 1 + by * BLOCK, BLOCK, BLOCK, across);
            double[] responses = response.squareAbsoluteSums(1, 1 + by * BLOCK, BLOCK, BLOCK, across);
            // The same areas at half scale, one line short of their edge so that they stay inside the image.
            double[] halves = half.squareAbsoluteSums(1, 1 + by * BLOCK / 2, BLOCK / 2 - 1, BLOCK / 2, across);
            for (int bx = 0; bx < across; bx++) {
                double level = levels[bx] / (BLOCK * BLOCK);
                if (level > DARKEST && level < BRIGHTEST) {
                    blocks[n++] = new double[] {sigma(responses[bx], BLOCK), sigma(halves[bx], BLOCK / 2 - 1)};
                }
            }
        }
        if (n == 0) {
            return new double[] {0, 1};
        }
        Arrays.sort(blocks, 0, n, (a, b) -> Double.compare(a[0], b[0]));
        int flattest = (int) (FLATTEST * (n - 1));
        double full = 0;
        double halved = 0;
        for (int i = 0; i <= flattest; i++) {
            full += blocks[i][0];
            halved += blocks[i][1];
        }
        return new double[] {blocks[flattest][0], full > 0 ? halved / full : 1};
    }

    /** Immerkær's standard deviation from the absolute responses' sum over a square of {@code size} pixels. */
    private static double sigma(double absoluteSum, int size) {
        return Math.sqrt(Math.PI / 2) * absoluteSum / (6.0 * size * size);
    }

    @Override
    public boolean raised(double[] m) {
        return m[0] > MAX_FLATTEST_SIGMA && m[1] < MAX_HALF_SCALE_RATIO;
    }
}
