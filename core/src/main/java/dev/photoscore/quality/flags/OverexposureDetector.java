package dev.photoscore.quality.flags;

/**
 * Over-exposure: the photo as a whole is far brighter than mid-grey and part of it is blown out to white, or a third
 * of it is blown out.
 * <ul>
 *   <li>{@code exposure.median}: the median luma (0..1); a correctly exposed photo puts it near mid-grey (0.46, the
 *       sRGB encoding of 18 % reflectance).</li>
 *   <li>{@code exposure.highlights_clipped}: the share of pixels at luma 250 or more, highlights with no detail
 *       left.</li>
 * </ul>
 * Both from the luma histogram of the working image. Raised by a median above 0.7 with more than 1 % clipped, or a
 * median above 0.6 with more than 30 % clipped. Not lower: professional high-key photos (a white sky over a street,
 * a bird against a bright background, fruit on a light table) have medians of 0.63 to 0.69 and 8 to 20 % clipped
 * (docs/scoring.md, "Professional photos").
 */
final class OverexposureDetector extends FeatureDetector {

    private static final double MIN_MEDIAN = 0.7;
    private static final double MIN_CLIPPED = 0.01;
    private static final double MIN_MEDIAN_LARGELY_CLIPPED = 0.6;
    private static final double LARGELY_CLIPPED = 0.3;

    OverexposureDetector() {
        super(PhotoFlag.OVEREXPOSED, "exposure.median", "exposure.highlights_clipped");
    }

    @Override
    public boolean raised(double[] m) {
        return m[0] > MIN_MEDIAN && m[1] > MIN_CLIPPED || m[0] > MIN_MEDIAN_LARGELY_CLIPPED && m[1] > LARGELY_CLIPPED;
    }
}
