package dev.photoscore.quality;

import java.util.List;

/**
 * Colour of the working image (R, G, B in 0..255).
 * <ul>
 *   <li>{@code colour.colourfulness}: D. Hasler, S. Süsstrunk, "Measuring colourfulness in natural images",
 *       Proc. SPIE 5007, Human Vision and Electronic Imaging VIII, 2003: with {@code rg = R - G} and
 *       {@code yb = (R + G) / 2 - B}, {@code M = sqrt(σ_rg² + σ_yb²) + 0.3 sqrt(μ_rg² + μ_yb²)}; 0 for grey.</li>
 *   <li>{@code colour.saturation}: mean HSV saturation {@code (max - min) / max} (0 where {@code max = 0}).</li>
 * </ul>
 */
final class ColourFeatures implements FeatureGroup {

    private static final List<String> NAMES = List.of("colour.colourfulness", "colour.saturation");

    @Override
    public List<String> names() {
        return NAMES;
    }

    @Override
    public double[] compute(WorkingImage image) {
        float[] red = image.red.data;
        float[] green = image.green.data;
        float[] blue = image.blue.data;
        int n = red.length;
        double sumRg = 0;
        double sumYb = 0;
        double sumSaturation = 0;
        for (int i = 0; i < n; i++) {
            sumRg += red[i] - green[i];
            sumYb += 0.5 * (red[i] + green[i]) - blue[i];
            float max = Math.max(red[i], Math.max(green[i], blue[i]));
            float min = Math.min(red[i], Math.min(green[i], blue[i]));
            if (max > 0) {
                sumSaturation += (max - min) / max;
            }
        }
        double meanRg = sumRg / n;
        double meanYb = sumYb / n;
        double varianceRg = 0;
        double varianceYb = 0;
        for (int i = 0; i < n; i++) {
            double rg = red[i] - green[i] - meanRg;
            double yb = 0.5 * (red[i] + green[i]) - blue[i] - meanYb;
            varianceRg += rg * rg;
            varianceYb += yb * yb;
        }
        double colourfulness = Math.sqrt(varianceRg / n + varianceYb / n)
                + 0.3 * Math.sqrt(meanRg * meanRg + meanYb * meanYb);
        return new double[] {colourfulness, sumSaturation / n};
    }
}
