package dev.photoscore.quality.flags;

/**
 * Over-exposure: the photo as a whole is far brighter than mid-grey and part of it is blown out to white.
 * <ul>
 *   <li>{@code exposure.median}: the median luma (0..1); a correctly exposed photo puts it near mid-grey (0.46, the
 *       sRGB encoding of 18 % reflectance).</li>
 *   <li>{@code exposure.highlights_clipped}: the share of pixels at luma 250 or more, highlights with no detail
 *       left.</li>
 * </ul>
 * Both from the luma histogram of the working image.
 */
final class OverexposureDetector extends FeatureDetector {

    private static final double MIN_MEDIAN = 0.63;
    private static final double MIN_CLIPPED = 0.02;

    OverexposureDetector() {
        super(PhotoFlag.OVEREXPOSED, "exposure.median", "exposure.highlights_clipped");
    }

    @Override
    public boolean raised(double[] m) {
        return m[0] > MIN_MEDIAN && m[1] > MIN_CLIPPED;
    }
}
