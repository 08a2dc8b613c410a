package dev.photoscore.quality.flags;

/**
 * Heavy JPEG compression: {@code blockiness.boundary_ratio}, the mean luma step across the 8x8 block boundaries
 * against the mean step inside blocks, on a native-resolution crop (Wang, Bovik &amp; Evans, "Blind measurement of
 * blocking artifacts in images", ICIP 2000; Wang, Sheikh &amp; Bovik, ICIP 2002). At 1 the grid is invisible;
 * strong quantisation makes each block flat and the steps pile up on its borders.
 */
final class CompressionDetector extends FeatureDetector {

    private static final double MAX_BOUNDARY_RATIO = 1.9;

    CompressionDetector() {
        super(PhotoFlag.COMPRESSED, "blockiness.boundary_ratio");
    }

    @Override
    public boolean raised(double[] m) {
        return m[0] > MAX_BOUNDARY_RATIO;
    }
}
