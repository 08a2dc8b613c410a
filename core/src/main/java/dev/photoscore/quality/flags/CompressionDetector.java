package dev.photoscore.quality.flags;

/**
 * Heavy JPEG compression: {@code blockiness.boundary_ratio}, the mean luma step across the 8x8 block boundaries
 * against the mean step inside blocks, on a native-resolution crop (Wang, Bovik &amp; Evans, "Blind measurement of
 * blocking artifacts in images", ICIP 2000; Wang, Sheikh &amp; Bovik, ICIP 2002). At 1 the grid is invisible;
 * strong quantisation makes each block flat and the steps pile up on its borders. And the steps must be visible:
 * {@code blockiness.activity} is the mean step inside blocks in grey levels, so {@code (ratio - 1) x activity} is how
 * much larger the step across a boundary is, which must exceed one grey level. A clean sky saved at quality 90 has
 * almost no activity, and its ratio of 2 stands for a fraction of a grey level nobody sees (professional wallpapers
 * reached 1.9 to 2.5 at 0.2 to 0.7 grey levels; quality 7 gives 1.4 to 17, median 6.7).
 */
final class CompressionDetector extends FeatureDetector {

    private static final double MAX_BOUNDARY_RATIO = 1.9;
    private static final double MIN_VISIBLE_STEP = 1.0;

    CompressionDetector() {
        super(PhotoFlag.COMPRESSED, "blockiness.boundary_ratio", "blockiness.activity");
    }

    @Override
    public boolean raised(double[] m) {
        return m[0] > MAX_BOUNDARY_RATIO && (m[0] - 1) * m[1] > MIN_VISIBLE_STEP;
    }
}
