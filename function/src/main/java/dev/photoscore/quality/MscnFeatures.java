package dev.photoscore.quality;

import java.util.ArrayList;
import java.util.List;

/**
 * BRISQUE natural-scene statistics (A. Mittal, A. K. Moorthy, A. C. Bovik, "No-Reference Image Quality Assessment
 * in the Spatial Domain", IEEE Trans. Image Processing 21(12):4695-4708, 2012), 18 features at each of two scales.
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
 * Scale 2 is the luma halved by 2x2 averaging (the paper uses MATLAB's bicubic {@code imresize(I, 0.5)}), and
 * neighbour products stop at the border instead of wrapping around.
 */
final class MscnFeatures implements FeatureGroup {

    private static final float[] WINDOW = Plane.gaussianKernel(7.0 / 6.0, 3);
    private static final String[] PAIRS = {"h", "v", "d1", "d2"};

    private final List<String> names;

    MscnFeatures() {
        List<String> list = new ArrayList<>();
        for (int scale = 1; scale <= 2; scale++) {
            String prefix = "brisque.s" + scale + ".";
            list.add(prefix + "mscn_shape");
            list.add(prefix + "mscn_variance");
            for (String pair : PAIRS) {
                list.add(prefix + pair + "_shape");
                list.add(prefix + pair + "_mean");
                list.add(prefix + pair + "_left_variance");
                list.add(prefix + pair + "_right_variance");
            }
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
        int i = 0;
        for (int scale = 1; scale <= 2; scale++) {
            i = scaleFeatures(image.mscn(scale), out, i);
        }
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
