package dev.photoscore.quality;

import java.util.Arrays;
import java.util.List;

/**
 * Sharpness and blur of the working luma (0..255). Energies are log-compressed, {@code ln(1 + e)}, since they span
 * orders of magnitude between a defocused and a crisp photo.
 * <ul>
 *   <li>{@code sharpness.laplacian_variance}: variance of the 3x3 Laplacian {@code [0 1 0; 1 -4 1; 0 1 0]}
 *       (J. L. Pech-Pacheco et al., "Diatom autofocusing in brightfield microscopy: a comparative study",
 *       ICPR 2000), log.</li>
 *   <li>{@code sharpness.tenengrad}: mean squared Sobel gradient magnitude (E. Krotkov, "Focusing", IJCV 1(3),
 *       1987, after J. M. Tenenbaum 1970), log.</li>
 *   <li>{@code sharpness.fine_to_coarse}: {@code ln((1 + v1) / (1 + v2))}, the Laplacian variance at full
 *       working scale {@code v1} against that of the 2x2-averaged luma {@code v2}; blur removes the finest scale
 *       first, so this falls with blur for any content.</li>
 *   <li>{@code sharpness.edge_width}: mean width in working pixels of vertical and horizontal edges, measured
 *       between the intensity extrema on either side of each edge pixel (P. Marziliano, F. Dufaux, S. Winkler,
 *       T. Ebrahimi, "A no-reference perceptual blur metric", ICIP 2002). Edge pixels are Sobel-gradient maxima
 *       along the row (column) whose squared gradient exceeds 4 times its mean, MATLAB's {@code edge(I,'sobel')}
 *       default; 0 when there is no edge.</li>
 *   <li>{@code sharpness.local_p90}, {@code sharpness.local_median}: the 90th percentile and the median of the log
 *       Laplacian variance over 32x32 blocks; a photo with a sharp subject on a soft background keeps a high
 *       p90 (after the local-maximum pooling of C. T. Vu, T. D. Phan, D. M. Chandler, "S3: A Spectral and Spatial
 *       Measure of Local Perceived Sharpness in Natural Images", IEEE TIP 21(3), 2012).</li>
 * </ul>
 */
final class SharpnessFeatures implements FeatureGroup {

    static final float[] LAPLACIAN = {0, 1, 0, 1, -4, 1, 0, 1, 0};
    private static final int BLOCK = 32;

    private static final List<String> NAMES = List.of(
            "sharpness.laplacian_variance",
            "sharpness.tenengrad",
            "sharpness.fine_to_coarse",
            "sharpness.edge_width",
            "sharpness.local_p90",
            "sharpness.local_median");

    @Override
    public List<String> names() {
        return NAMES;
    }

    @Override
    public double[] compute(WorkingImage image) {
        Plane luma = image.luma;
        Plane laplacian = luma.filter3x3(LAPLACIAN);
        double fine = laplacian.variance();
        double coarse = image.luma(2).filter3x3(LAPLACIAN).variance();
        Plane gx = image.gradientX();
        Plane gy = image.gradientY();
        double[] local = blockLogVariances(laplacian);
        return new double[] {
                Math.log1p(fine),
                Math.log1p(meanSquaredMagnitude(gx, gy)),
                Math.log((1 + fine) / (1 + coarse)),
                edgeWidth(luma, gx, gy),
                percentile(local, 0.9),
                percentile(local, 0.5)};
    }

    private static double meanSquaredMagnitude(Plane gx, Plane gy) {
        double sum = 0;
        for (int i = 0; i < gx.data.length; i++) {
            sum += (double) gx.data[i] * gx.data[i] + (double) gy.data[i] * gy.data[i];
        }
        return sum / gx.data.length;
    }

    /** Mean Marziliano edge width over the vertical edges (along rows) and the horizontal ones (along columns). */
    static double edgeWidth(Plane luma, Plane gx, Plane gy) {
        double[] widthAndCount = new double[2];
        edgeWidths(luma, gx, true, widthAndCount);
        edgeWidths(luma, gy, false, widthAndCount);
        return widthAndCount[1] == 0 ? 0 : widthAndCount[0] / widthAndCount[1];
    }

    private static void edgeWidths(Plane luma, Plane gradient, boolean alongRows, double[] widthAndCount) {
        double meanSquare = 0;
        for (float g : gradient.data) {
            meanSquare += (double) g * g;
        }
        double threshold = 4 * meanSquare / gradient.data.length;
        int lines = alongRows ? luma.height : luma.width;
        int length = alongRows ? luma.width : luma.height;
        int step = alongRows ? 1 : luma.width;
        for (int line = 0; line < lines; line++) {
            int start = alongRows ? line * luma.width : line;
            for (int i = 1; i < length - 1; i++) {
                int p = start + i * step;
                float g = gradient.data[p];
                double magnitude = Math.abs(g);
                if ((double) g * g <= threshold || magnitude < Math.abs(gradient.data[p - step])
                        || magnitude <= Math.abs(gradient.data[p + step])) {
                    continue;
                }
                // Rising edge: walk down to the minimum before it and up to the maximum after it; falling: mirrored.
                float sign = g > 0 ? 1 : -1;
                int before = i;
                while (before > 0 && sign * (luma.data[start + (before - 1) * step] - luma.data[start + before * step]) < 0) {
                    before--;
                }
                int after = i;
                while (after < length - 1 && sign * (luma.data[start + (after + 1) * step] - luma.data[start + after * step]) > 0) {
                    after++;
                }
                widthAndCount[0] += after - before;
                widthAndCount[1]++;
            }
        }
    }

    private static double[] blockLogVariances(Plane plane) {
        int across = Math.max(1, plane.width / BLOCK);
        int down = Math.max(1, plane.height / BLOCK);
        int blockWidth = plane.width / across;
        int blockHeight = plane.height / down;
        double[] out = new double[across * down];
        for (int by = 0; by < down; by++) {
            for (int bx = 0; bx < across; bx++) {
                double sum = 0;
                double sumSquares = 0;
                for (int y = by * blockHeight; y < (by + 1) * blockHeight; y++) {
                    int row = y * plane.width;
                    for (int x = bx * blockWidth; x < (bx + 1) * blockWidth; x++) {
                        double v = plane.data[row + x];
                        sum += v;
                        sumSquares += v * v;
                    }
                }
                double n = (double) blockWidth * blockHeight;
                double mean = sum / n;
                out[by * across + bx] = Math.log1p(Math.max(0, sumSquares / n - mean * mean));
            }
        }
        return out;
    }

    /** The {@code q}-quantile by linear interpolation between order statistics (type 7, as R and NumPy default). */
    static double percentile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
