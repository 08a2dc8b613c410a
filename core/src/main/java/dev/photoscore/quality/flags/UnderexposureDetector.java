package dev.photoscore.quality.flags;

/**
 * Under-exposure: most of the photo is near black and nothing in it is bright.
 * <ul>
 *   <li>{@code exposure.median}: the median luma (0..1); 0.08 is about four and a half stops under mid-grey.</li>
 *   <li>{@code exposure.p95}: the 95th percentile of the luma; a night scene with lit windows or street lights
 *       keeps it high and is not flagged.</li>
 * </ul>
 * Both from the luma histogram of the working image.
 */
final class UnderexposureDetector extends FeatureDetector {

    private static final double MAX_MEDIAN = 0.08;
    private static final double MAX_P95 = 0.5;

    UnderexposureDetector() {
        super(PhotoFlag.UNDEREXPOSED, "exposure.median", "exposure.p95");
    }

    @Override
    public boolean raised(double[] m) {
        return m[0] < MAX_MEDIAN && m[1] < MAX_P95;
    }
}
