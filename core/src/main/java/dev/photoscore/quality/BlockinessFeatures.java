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
        double inside = 0;
        long crossings = 0;
        for (int line = 0; line < lines; line++) {
            int p = alongRows ? line * luma.width : line;
            float previous = 0;
            // d(n) for n = 0 .. length - 2, block by block: 7 steps inside a block, then one across its boundary.
            for (int n = 0; n < length - 1; n += 8) {
                int inBlock = Math.min(7, length - 1 - n);
                for (int k = 0; k < inBlock; k++, p += step) {
                    float d = luma.data[p + step] - luma.data[p];
                    inside += Math.abs(d);
                    if (previous * d < 0) {
                        crossings++;
                    }
                    previous = d;
                }
                if (n + 7 < length - 1) {
                    float d = luma.data[p + step] - luma.data[p];
                    boundary += Math.abs(d);
                    if (previous * d < 0) {
                        crossings++;
                    }
                    previous = d;
                    p += step;
                }
            }
        }
        // Every line has length - 1 differences, one in 8 across a boundary, and length - 2 neighbouring pairs.
        long boundaryCount = (long) lines * ((length - 1) / 8);
        long insideCount = (long) lines * (length - 1) - boundaryCount;
        long crossingCount = (long) lines * Math.max(0, length - 2);
        return new double[] {
                boundaryCount == 0 ? 0 : boundary / boundaryCount,
                insideCount == 0 ? 0 : inside / insideCount,
                crossingCount == 0 ? 0 : (double) crossings / crossingCount};
    }
}
