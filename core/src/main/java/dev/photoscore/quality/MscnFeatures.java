package dev.photoscore.quality;

import java.util.ArrayList;
import java.util.List;

/**
 * BRISQUE natural-scene statistics (A. Mittal, A. K. Moorthy, A. C. Bovik, "No-Reference Image Quality Assessment
 * in the Spatial Domain", IEEE Trans. Image Processing 21(12):4695-4708, 2012), 18 features at the working scale.
 *
 * <p>Mean-subtracted contrast-normalised (MSCN) coefficients of the luma {@code I} (0..255):
 * {@code Î = (I - μ) / (σ + 1)}, with {@code μ} and {@code σ²} the local mean and variance under a 7x7 Gaussian
 * window of standard deviation 7/6. Per scale:
 * <ul>
 *   <li>{@code mscn_shape}, {@code mscn_variance}: a zero-mean generalised Gaussian fitted to {@code Î};</li>
 *   <li>for the products of neighbours, horizontal {@code h} {@code Î(x,y)Î(x+1,y)}, vertical {@code v}
 *       {@code Î(x,y)Î(x,y+1)}, main diagonal {@code d1} {@code Î(x,y)Î(x+1,y+1)} and anti-diagonal {@code d2}
 *       {@code Î(x+1,y)Î(x,y+1)}: an asymmetric generalised Gaussian fit, {@code _shape}, {@code _mean},
 *       {@code _left_variance}, {@code _right_variance}.</li>
 * </ul>
 * Neighbour products stop at the border instead of wrapping around.
 *
 * <p>The paper adds the same 18 at half the size. Feature set {@code /1} had them (the luma halved by 2x2
 * averaging); beside the log-derivatives ({@link LogDerivativeFeatures}, which take the MSCN coefficients at both
 * scales) they lowered the cross-validated Spearman correlation on livec_dev, 0.666 with them against 0.676 without
 * (mean of four fold draws, lower on each; docs/scoring.md), so {@code /2} leaves them out.
 */
final class MscnFeatures implements FeatureGroup {

    private static final float[] WINDOW = Plane.gaussianKernel(7.0 / 6.0, 3);
    private static final String[] PAIRS = {"h", "v", "d1", "d2"};

    private final List<String> names;

    MscnFeatures() {
        String prefix = "brisque.s1.";
        List<String> list = new ArrayList<>(List.of(prefix + "mscn_shape", prefix + "mscn_variance"));
        for (String pair : PAIRS) {
            list.add(prefix + pair + "_shape");
            list.add(prefix + pair + "_mean");
            list.add(prefix + pair + "_left_variance");
            list.add(prefix + pair + "_right_variance");
        }
        names = List.copyOf(list);
    }

    @Override
    public List<String> names() {
        return names;
    }

    @Override
    public double[] compute(WorkingImage image) {
        double[] out = new double[names.size()];
        scaleFeatures(image.mscn(1), out, 0);
        return out;
    }

    /** The MSCN coefficients of a luma plane. */
    static Plane mscn(Plane luma) {
        Plane mean = luma.filterSeparable(WINDOW);
        Plane meanOfSquares = luma.times(luma).filterSeparable(WINDOW);
        Plane out = new Plane(luma.width, luma.height);
        for (int p = 0; p < out.data.length; p++) {
            float mu = mean.data[p];
            double sigma = Math.sqrt(Math.abs(meanOfSquares.data[p] - mu * mu));
            out.data[p] = (float) ((luma.data[p] - mu) / (sigma + 1));
        }
        return out;
    }

    private static int scaleFeatures(Plane m, double[] out, int i) {
        GeneralizedGaussian.Fit fit = GeneralizedGaussian.fit(m.data);
        out[i++] = fit.shape();
        out[i++] = fit.variance();
        int w = m.width;
        int h = m.height;
        i = put(GeneralizedGaussian.fitAsymmetric(m, 0, 0, m, 1, 0, w - 1, h), out, i);
        i = put(GeneralizedGaussian.fitAsymmetric(m, 0, 0, m, 0, 1, w, h - 1), out, i);
        i = put(GeneralizedGaussian.fitAsymmetric(m, 0, 0, m, 1, 1, w - 1, h - 1), out, i);
        return put(GeneralizedGaussian.fitAsymmetric(m, 1, 0, m, 0, 1, w - 1, h - 1), out, i);
    }

    private static int put(GeneralizedGaussian.AsymmetricFit fit, double[] out, int i) {
        out[i++] = fit.shape();
        out[i++] = fit.mean();
        out[i++] = fit.leftVariance();
        out[i++] = fit.rightVariance();
        return i;
    }
}
