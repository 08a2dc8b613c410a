package dev.photoscore.quality;

import java.util.List;

/**
 * Exposure and global contrast of the working luma {@code Y} (0..255), as fractions of full scale.
 * <ul>
 *   <li>{@code exposure.mean}: mean of {@code Y / 255}.</li>
 *   <li>{@code exposure.p05}, {@code exposure.median}, {@code exposure.p95}: the 5th, 50th and 95th percentiles of
 *       {@code Y / 255} from its 256-bin histogram (lower edge of the bin where the cumulative share first reaches
 *       the level).</li>
 *   <li>{@code exposure.highlights_clipped}: share of pixels with {@code Y >= 250}, blown-out highlights.</li>
 *   <li>{@code exposure.shadows_clipped}: share of pixels with {@code Y <= 5}, crushed shadows.</li>
 *   <li>{@code exposure.entropy}: Shannon entropy of the 256-bin histogram in bits (0 for a flat image, 8 for a
 *       uniform histogram); low for under- and over-exposed photos.</li>
 *   <li>{@code contrast.rms}: RMS contrast, the standard deviation of {@code Y / 255} (E. Peli, "Contrast in
 *       complex images", JOSA A 7(10), 1990).</li>
 * </ul>
 */
final class ToneFeatures implements FeatureGroup {

    static final float HIGHLIGHT = 250;
    static final float SHADOW = 5;

    private static final List<String> NAMES = List.of(
            "exposure.mean",
            "exposure.p05",
            "exposure.median",
            "exposure.p95",
            "exposure.highlights_clipped",
            "exposure.shadows_clipped",
            "exposure.entropy",
            "contrast.rms");

    @Override
    public List<String> names() {
        return NAMES;
    }

    @Override
    public double[] compute(WorkingImage image) {
        float[] luma = image.luma.data;
        long[] histogram = new long[256];
        long highlights = 0;
        long shadows = 0;
        double sum = 0;
        for (float y : luma) {
            sum += y;
            histogram[bin(y)]++;
            if (y >= HIGHLIGHT) {
                highlights++;
            } else if (y <= SHADOW) {
                shadows++;
            }
        }
        double n = luma.length;
        // The plane's mean(), summed in the same order.
        double mean = sum / n;
        double entropy = 0;
        for (long count : histogram) {
            if (count > 0) {
                double p = count / n;
                entropy -= p * Math.log(p) / Math.log(2);
            }
        }
        return new double[] {
                mean / 255,
                level(histogram, n, 0.05),
                level(histogram, n, 0.5),
                level(histogram, n, 0.95),
                highlights / n,
                shadows / n,
                entropy,
                Math.sqrt(image.luma.variance(mean)) / 255};
    }

    /**
     * The histogram bin of a luma value: {@code Math.round(y)} clamped to 0..255. For {@code y >= -0.5} that is
     * {@code floor(y + 0.5)}, which the double sum, exact for a float, truncates to; below, both give a bin of 0.
     */
    private static int bin(float y) {
        return Math.min(255, Math.max(0, (int) (y + 0.5)));
    }

    private static double level(long[] histogram, double n, double share) {
        long cumulative = 0;
        for (int bin = 0; bin < histogram.length; bin++) {
            cumulative += histogram[bin];
            if (cumulative >= share * n) {
                return bin / 255.0;
            }
        }
        return 1;
    }
}
