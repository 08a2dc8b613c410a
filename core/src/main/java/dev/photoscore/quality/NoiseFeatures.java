package dev.photoscore.quality;

import java.util.List;

/**
 * Noise level of the working luma (0..255), in grey levels.
 * <ul>
 *   <li>{@code noise.immerkaer_sigma}: J. Immerkær, "Fast Noise Variance Estimation", Computer Vision and Image
 *       Understanding 64(2):300-302, 1996: {@code σ = sqrt(π/2) / (6 (W-2)(H-2)) Σ |I * N|} over the interior, with
 *       {@code N = [1 -2 1; -2 4 -2; 1 -2 1]}, the difference of two Laplacians that cancels image structure
 *       up to second order. Exact for Gaussian noise on smooth content, raised by texture and edges.</li>
 *   <li>{@code noise.flat_sigma}: the same sum over the pixels outside the 10 % with the strongest Sobel gradient
 *       {@code |gx| + |gy|} (rounded to whole grey levels),
 *       so edges do not count as noise (S.-C. Tai, S.-M. Yang, "A fast method for image noise estimation using
 *       Laplacian operator and adaptive edge detection", ISCCSP 2008).</li>
 * </ul>
 */
final class NoiseFeatures implements FeatureGroup {

    static final double EDGE_SHARE = 0.10;

    private static final List<String> NAMES = List.of("noise.immerkaer_sigma", "noise.flat_sigma");

    @Override
    public List<String> names() {
        return NAMES;
    }

    @Override
    public double[] compute(WorkingImage image) {
        Plane luma = image.luma;
        Plane response = image.noiseResponse();
        int w = luma.width;
        int h = luma.height;
        int interior = (w - 2) * (h - 2);
        // |gx| + |gy| of the Sobel gradient, rounded: at most 8 x 255 in each, so a histogram gives the quantile.
        float[] gx = image.gradientX().data;
        float[] gy = image.gradientY().data;
        int[] magnitude = new int[w * h];
        int[] histogram = new int[2 * 4 * 255 + 1];
        double all = 0;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                int p = y * w + x;
                all += Math.abs(response.data[p]);
                magnitude[p] = Math.round(Math.abs(gx[p]) + Math.abs(gy[p]));
                histogram[magnitude[p]]++;
            }
        }
        int edge = 0;
        long belowEdge = histogram[0];
        while (belowEdge < (1 - EDGE_SHARE) * interior) {
            belowEdge += histogram[++edge];
        }
        double flat = 0;
        long flatCount = 0;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                int p = y * w + x;
                if (magnitude[p] <= edge) {
                    flat += Math.abs(response.data[p]);
                    flatCount++;
                }
            }
        }
        return new double[] {sigma(all, interior), sigma(flat, flatCount)};
    }

    private static double sigma(double sumOfAbsoluteResponses, long pixels) {
        return Math.sqrt(Math.PI / 2) * sumOfAbsoluteResponses / (6.0 * pixels);
    }
}
