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
        Plane laplacian = luma.laplacian();
        double fine = laplacian.variance();
        double coarse = image.luma(2).laplacian().variance();
        float[] gx = image.gradientX().data;
        float[] gy = image.gradientY().data;
        // The squared gradient's sums in one pass: of the magnitude, and of each derivative for its edge threshold.
        double squares = 0;
        double squaresX = 0;
        double squaresY = 0;
        for (int i = 0; i < gx.length; i++) {
            double x = (double) gx[i] * gx[i];
            double y = (double) gy[i] * gy[i];
            squares += x + y;
            squaresX += x;
            squaresY += y;
        }
        double[] local = blockLogVariances(laplacian);
        Arrays.sort(local);
        return new double[] {
                Math.log1p(fine),
                Math.log1p(squares / gx.length),
                Math.log((1 + fine) / (1 + coarse)),
                edgeWidth(luma, gx, gy, 4 * squaresX / gx.length, 4 * squaresY / gy.length),
                percentile(local, 0.9),
                percentile(local, 0.5)};
    }

    /**
     * Mean Marziliano edge width over the vertical edges (along rows, of the derivative {@code gx}) and the
     * horizontal ones (along columns, of {@code gy}): edge pixels are those whose squared derivative exceeds the
     * threshold and is a maximum along the line. Widths and counts are whole numbers, so their sums do not depend on
     * the order: both directions are walked in one row-major pass.
     */
    private static double edgeWidth(Plane luma, float[] gx, float[] gy, double thresholdX, double thresholdY) {
        float leastX = leastAbove(thresholdX);
        float leastY = leastAbove(thresholdY);
        int w = luma.width;
        int h = luma.height;
        long widths = 0;
        long edges = 0;
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 1; x < w - 1; x++) {
                if (isEdge(gx, row + x, 1, leastX)) {
                    widths += width(luma.data, row + x, 1, x, w, gx[row + x]);
                    edges++;
                }
            }
            if (y == 0 || y == h - 1) {
                continue;
            }
            for (int x = 0; x < w; x++) {
                if (isEdge(gy, row + x, w, leastY)) {
                    widths += width(luma.data, row + x, w, y, h, gy[row + x]);
                    edges++;
                }
            }
        }
        return edges == 0 ? 0 : (double) widths / edges;
    }

    /**
     * The least float whose square (exact in double) exceeds {@code threshold}: for a magnitude {@code m >= 0},
     * {@code m >= leastAbove(t)} is {@code (double) m * m > t}, a float comparison in the edge test's place.
     */
    private static float leastAbove(double threshold) {
        float least = (float) Math.sqrt(threshold);
        while (least > 0 && (double) Math.nextDown(least) * Math.nextDown(least) > threshold) {
            least = Math.nextDown(least);
        }
        while (least < Float.POSITIVE_INFINITY && (double) least * least <= threshold) {
            least = Math.nextUp(least);
        }
        return least;
    }

    /** Whether the derivative at {@code p} is at least {@code least} in magnitude and a maximum along its line. */
    private static boolean isEdge(float[] gradient, int p, int step, float least) {
        float magnitude = Math.abs(gradient[p]);
        return magnitude >= least && magnitude >= Math.abs(gradient[p - step])
                && magnitude > Math.abs(gradient[p + step]);
    }

    /**
     * The width of the edge at {@code p}, the {@code i}-th of its line's {@code length} pixels {@code step} apart in
     * {@code luma}, with derivative {@code g}: a rising edge from the minimum before it to the maximum after it; a
     * falling one mirrored. (For finite floats {@code a - b < 0} is {@code a < b}: a difference rounds to zero only
     * between equal values.)
     */
    private static int width(float[] luma, int p, int step, int i, int length, float g) {
        int before = i;
        int after = i;
        if (g > 0) {
            for (int q = p; before > 0 && luma[q - step] < luma[q]; q -= step) {
                before--;
            }
            for (int q = p; after < length - 1 && luma[q + step] > luma[q]; q += step) {
                after++;
            }
        } else {
            for (int q = p; before > 0 && luma[q - step] > luma[q]; q -= step) {
                before--;
            }
            for (int q = p; after < length - 1 && luma[q + step] < luma[q]; q += step) {
                after++;
            }
        }
        return after - before;
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

    /**
     * The {@code q}-quantile of values sorted in ascending order, by linear interpolation between order statistics
     * (type 7, as R and NumPy default).
     */
    private static double percentile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
