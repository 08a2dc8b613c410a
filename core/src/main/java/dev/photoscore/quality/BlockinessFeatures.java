package dev.photoscore.quality;

import java.util.List;

/**
 * JPEG blocking, measured on the native-resolution centre crop (downscaling would blur the 8x8 grid away), after
 * Z. Wang, H. R. Sheikh, A. C. Bovik, "No-reference perceptual quality assessment of JPEG compressed images",
 * ICIP 2002. With horizontal differences {@code d(m, n) = x(m, n+1) - x(m, n)} of the luma (0..255):
 * <ul>
 *   <li>{@code blockiness.boundary_ratio}: {@code B / A}, where {@code B} is the mean {@code |d|} across 8x8 block
 *       boundaries and {@code A} the mean {@code |d|} inside blocks (the paper's activity); 1 means no blocking,
 *       and 1 also when the crop has no activity at all.</li>
 *   <li>{@code blockiness.activity}: {@code A}.</li>
 *   <li>{@code blockiness.zero_crossing}: {@code Z}, the share of neighbouring differences that change sign.</li>
 * </ul>
 * Each is the mean of its horizontal and vertical measurement. The grid is anchored at the photo's top-left
 * corner, where the JPEG encoder put it.
 */
final class BlockinessFeatures implements FeatureGroup {

    private static final List<String> NAMES = List.of(
            "blockiness.boundary_ratio", "blockiness.activity", "blockiness.zero_crossing");

    @Override
    public List<String> names() {
        return NAMES;
    }

    @Override
    public double[] compute(WorkingImage image) {
        Plane luma = image.nativeLuma;
        double[] horizontal = measure(luma, true);
        double[] vertical = measure(luma, false);
        double boundary = (horizontal[0] + vertical[0]) / 2;
        double activity = (horizontal[1] + vertical[1]) / 2;
        return new double[] {
                activity == 0 ? 1 : boundary / activity,
                activity,
                (horizontal[2] + vertical[2]) / 2};
    }

    /** {@code {B, A, Z}} along rows ({@code alongRows}) or columns. */
    private static double[] measure(Plane luma, boolean alongRows) {
        int lines = alongRows ? luma.height : luma.width;
        int length = alongRows ? luma.width : luma.height;
        int step = alongRows ? 1 : luma.width;
        double boundary = 0;
        long boundaryCount = 0;
        double inside = 0;
        long insideCount = 0;
        long crossings = 0;
        long crossingCount = 0;
        for (int line = 0; line < lines; line++) {
            int start = alongRows ? line * luma.width : line;
            float previous = 0;
            for (int n = 0; n < length - 1; n++) {
                int p = start + n * step;
                float d = luma.data[p + step] - luma.data[p];
                if (n % 8 == 7) {
                    boundary += Math.abs(d);
                    boundaryCount++;
                } else {
                    inside += Math.abs(d);
                    insideCount++;
                }
                if (n > 0) {
                    if (previous * d < 0) {
                        crossings++;
                    }
                    crossingCount++;
                }
                previous = d;
            }
        }
        return new double[] {
                boundaryCount == 0 ? 0 : boundary / boundaryCount,
                insideCount == 0 ? 0 : inside / insideCount,
                crossingCount == 0 ? 0 : (double) crossings / crossingCount};
    }
}
