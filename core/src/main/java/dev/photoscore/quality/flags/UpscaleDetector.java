package dev.photoscore.quality.flags;

import dev.photoscore.quality.Plane;
import dev.photoscore.quality.QualityFeatures;
import dev.photoscore.quality.WorkingImage;
import java.util.Arrays;
import java.util.List;

/**
 * A small photo enlarged: the trace interpolation leaves at the photo's own resolution, and the missing finest detail.
 * <ul>
 *   <li>{@code upscale.periodicity}: interpolation makes every enlarged pixel a fixed blend of its neighbours, so
 *       the second derivative is periodic with the enlargement's period. On the native-resolution centre crop, the
 *       mean absolute second difference at each position along the rows (and the columns) is a profile whose
 *       spectrum peaks at that frequency (A. C. Gallagher, "Detection of linear and cubic interpolation in JPEG
 *       compressed images", CRV 2005; after A. C. Popescu &amp; H. Farid, IEEE TSP 53(2), 2005). The measure is the
 *       strongest peak present at the same frequency along both axes, as power against the median power of its
 *       neighbouring frequencies (Hann window, periods of 2 to 16 pixels). The frequencies of the JPEG 8x8 grid,
 *       which peaks there in any JPEG, are left out: an enlargement by 2, 4 or 8 is therefore not seen.</li>
 *   <li>{@code sharpness.fine_to_coarse}: the Laplacian energy at the working scale against that of the half scale
 *       (log ratio): an enlarged photo holds nothing above the small original's Nyquist frequency, so it is low.
 *       A photo enlarged from one that was large enough still looks sharp at the working scale and is not
 *       flagged.</li>
 * </ul>
 * Raised by a periodicity above 8 and a fine-to-coarse ratio below -1.5. A photo shrunk from a larger JPEG carries
 * the old 8x8 grid at a new period (5 pixels when shrunk by 5/8) and can show periodicity too, so the ratio is set
 * below the soft macro and bokeh photos among the professional ones (-1.31 to -1.40 flagged at -1.2).
 */
final class UpscaleDetector implements FlagDetector {

    private static final double MIN_PERIODICITY = 8;
    private static final double MAX_FINE_TO_COARSE = -1.5;
    /** Neighbouring frequency bins each side a peak is compared with. */
    private static final int NEIGHBOURHOOD = 10;

    @Override
    public PhotoFlag flag() {
        return PhotoFlag.UPSCALED;
    }

    @Override
    public List<String> measureNames() {
        return List.of("upscale.periodicity", "upscale.frequency", "sharpness.fine_to_coarse");
    }

    @Override
    public double[] measure(WorkingImage image) {
        Plane luma = image.nativeLuma();
        double[] rows = peakRatios(secondDifferenceProfile(luma, true));
        double[] columns = peakRatios(secondDifferenceProfile(luma, false));
        int rowLength = 2 * (rows.length - 1);
        int columnLength = 2 * (columns.length - 1);
        double best = 0;
        double frequency = 0;
        for (int k = 1; k < rows.length; k++) {
            double f = (double) k / rowLength;
            int atColumns = (int) Math.round(f * columnLength);
            double column = 0;
            for (int j = Math.max(1, atColumns - 1); j <= Math.min(columns.length - 1, atColumns + 1); j++) {
                column = Math.max(column, columns[j]);
            }
            double both = Math.min(rows[k], column);
            if (both > best) {
                best = both;
                frequency = f;
            }
        }
        return new double[] {best, frequency, QualityFeatures.value(image, "sharpness.fine_to_coarse")};
    }

    @Override
    public boolean raised(double[] m) {
        return m[0] > MIN_PERIODICITY && m[2] < MAX_FINE_TO_COARSE;
    }

    /**
     * Mean absolute second difference at each position along the rows (or columns), over all of them (summed line
     * by line in order). Both directions walk the plane in memory order: down the columns, each row's differences
     * are one position's whole sum.
     */
    static double[] secondDifferenceProfile(Plane luma, boolean alongRows) {
        int width = luma.width();
        int height = luma.height();
        double[] profile = new double[(alongRows ? width : height) - 2];
        if (alongRows) {
            for (int y = 0; y < height; y++) {
                for (int x = 1; x < width - 1; x++) {
                    profile[x - 1] += Math.abs(luma.at(x - 1, y) - 2 * luma.at(x, y) + luma.at(x + 1, y));
                }
            }
        } else {
            for (int y = 1; y < height - 1; y++) {
                double sum = 0;
                for (int x = 0; x < width; x++) {
                    sum += Math.abs(luma.at(x, y - 1) - 2 * luma.at(x, y) + luma.at(x, y + 1));
                }
                profile[y - 1] = sum;
            }
        }
        return profile;
    }

    /**
     * For each frequency bin {@code k} of the profile's spectrum (even length {@code m}, bins 0..m/2): the power at
     * {@code k} and its stronger neighbour, against twice the median power of the bins around it; 0 where not
     * looked at (periods longer than 16 pixels, the JPEG grid's frequencies).
     */
    static double[] peakRatios(double[] profile) {
        int m = profile.length & ~1;
        double mean = 0;
        for (int i = 0; i < m; i++) {
            mean += profile[i];
        }
        mean /= m;
        double[] windowed = new double[m];
        double[] cos = new double[m];
        double[] sin = new double[m];
        for (int i = 0; i < m; i++) {
            cos[i] = Math.cos(2 * Math.PI * i / m);
            sin[i] = Math.sin(2 * Math.PI * i / m);
            windowed[i] = (profile[i] - mean) * (0.5 - 0.5 * cos[i]);
        }
        int half = m / 2;
        double[] power = new double[half + 1];
        for (int k = 1; k <= half; k++) {
            double re = 0;
            double im = 0;
            int phase = 0;
            for (int i = 0; i < m; i++) {
                re += windowed[i] * cos[phase];
                im -= windowed[i] * sin[phase];
                phase += k;
                if (phase >= m) {
                    phase -= m;
                }
            }
            power[k] = re * re + im * im;
        }
        double[] ratios = new double[half + 1];
        double[] around = new double[2 * NEIGHBOURHOOD];
        for (int k = Math.max(2, m / 16); k <= half; k++) {
            if (nearJpegGrid(k, m)) {
                continue;
            }
            int n = 0;
            for (int j = k - NEIGHBOURHOOD; j <= k + NEIGHBOURHOOD; j++) {
                if (Math.abs(j - k) > 2 && j >= 1 && j <= half && !nearJpegGrid(j, m)) {
                    around[n++] = power[j];
                }
            }
            if (n == 0) {
                continue;
            }
            Arrays.sort(around, 0, n);
            double reference = around[n / 2];
            double peak = power[k] + Math.max(power[k - 1], k < half ? power[k + 1] : 0);
            ratios[k] = reference > 0 ? peak / (2 * reference) : 0;
        }
        return ratios;
    }

    /** Within the Hann window's main lobe of a multiple of 1/8 cycle per pixel, where JPEG blocking peaks. */
    private static boolean nearJpegGrid(int k, int m) {
        for (int j = 1; j <= 4; j++) {
            if (Math.abs(k - j * m / 8.0) <= 3.5) {
                return true;
            }
        }
        return false;
    }
}
