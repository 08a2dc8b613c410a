package dev.photoscore.quality.flags;

/**
 * Strong blur or a focus missed everywhere: even the sharpest parts of the photo are soft, and its edges are wide.
 * <ul>
 *   <li>{@code sharpness.local_p90}: the 90th percentile over 32x32 blocks of the log variance of the Laplacian
 *       (Pech-Pacheco et al., ICPR 2000), a local sharpness map pooled at its sharp end as in S3 (Vu, Phan &amp;
 *       Chandler, IEEE TIP 2012): a photo with a sharp subject on a soft background keeps it high, so shallow depth
 *       of field is not blur.</li>
 *   <li>{@code sharpness.edge_width}: the mean width of edges in working pixels (Marziliano, Dufaux, Winkler &amp;
 *       Ebrahimi, "A no-reference perceptual blur metric", ICIP 2002); independent of contrast, so a dark or flat
 *       photo with crisp edges is not blur.</li>
 * </ul>
 * Both must agree: local sharpness below 3.5 and edges wider than 13.5 working pixels. The edge width is what a
 * Gaussian blur of about 1 % of the short side leaves (14 or more on 99 % of such fixtures); a photo of fog or mist,
 * where nothing is sharp by design, has edges of about 12.5 and is spared, and so is a moderate blur (0.5 % of the
 * short side), which is left to the quality model. A photo whose subject is out of focus while the background is
 * sharp is not recognised: the sharpness map does not know where the subject is.
 */
final class BlurDetector extends FeatureDetector {

    private static final double MAX_LOCAL_SHARPNESS = 3.5;
    private static final double MIN_EDGE_WIDTH = 13.5;

    BlurDetector() {
        super(PhotoFlag.BLURRED, "sharpness.local_p90", "sharpness.edge_width");
    }

    @Override
    public boolean raised(double[] m) {
        return m[0] < MAX_LOCAL_SHARPNESS && m[1] > MIN_EDGE_WIDTH;
    }
}
