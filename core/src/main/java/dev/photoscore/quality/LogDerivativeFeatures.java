package dev.photoscore.quality;

import java.util.ArrayList;
import java.util.List;

/**
 * Log-derivative statistics after DESIQUE (Y. Zhang, D. M. Chandler, "No-reference image quality assessment based on
 * log-derivative statistics of natural scenes", J. Electronic Imaging 22(4):043025, 2013) and HIGRADE (D. Kundu,
 * D. Ghadiyaram, A. C. Bovik, B. L. Evans, "No-Reference Quality Assessment of Tone-Mapped HDR Pictures", IEEE Trans.
 * Image Processing 26(6):2957-2971, 2017), 14 features at each of two scales.
 *
 * <p>Of {@code J = ln(|Î| + 0.1)}, {@code Î} the MSCN coefficients BRISQUE uses ({@link MscnFeatures}, shared through
 * {@link WorkingImage#mscn}), the seven log-derivatives of those papers: {@code D1 = J(x+1,y) - J(x,y)},
 * {@code D2 = J(x,y+1) - J(x,y)}, {@code D3 = J(x+1,y+1) - J(x,y)}, {@code D4 = J(x+1,y-1) - J(x,y)},
 * {@code D5 = J(x-1,y) + J(x+1,y) - J(x,y-1) - J(x,y+1)}, {@code D6 = J(x,y) + J(x+1,y+1) - J(x,y+1) - J(x+1,y)},
 * {@code D7 = J(x-1,y-1) + J(x+1,y+1) - J(x-1,y+1) - J(x+1,y-1)}, over the pixels whose neighbours all lie inside,
 * each fitted with a zero-mean generalised Gaussian ({@link GeneralizedGaussian}): {@code _shape} and
 * {@code _variance}. Scale 2 is the luma halved by 2x2 averaging.
 *
 * <p>Why these: they measure how neighbouring normalised coefficients differ in log scale, which a blur, noise or
 * compression changes while the BRISQUE products barely move. Cross-validated on livec_dev (docs/scoring.md) they
 * raised the Spearman correlation from 0.636 to 0.671; taken of the logarithm of the luma itself instead of the
 * MSCN coefficients they did not help (0.613 in place of these, 0.647 beside them).
 */
final class LogDerivativeFeatures implements FeatureGroup {

    static final int SCALES = 2;
    private static final int DERIVATIVES = 7;
    /** The constant keeping the logarithm of a zero coefficient finite. */
    private static final double OFFSET = 0.1;

    private final List<String> names;

    LogDerivativeFeatures() {
        List<String> list = new ArrayList<>();
        for (int scale = 1; scale <= SCALES; scale++) {
            for (int d = 1; d <= DERIVATIVES; d++) {
                list.add("logderiv.s" + scale + ".d" + d + "_shape");
                list.add("logderiv.s" + scale + ".d" + d + "_variance");
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
        for (int scale = 1; scale <= SCALES; scale++) {
            Plane m = image.mscn(scale);
            float[] j = new float[m.data.length];
            for (int p = 0; p < j.length; p++) {
                j[p] = (float) Math.log(Math.abs(m.data[p]) + OFFSET);
            }
            i = scaleFeatures(j, m.width, m.height, out, i);
        }
        return out;
    }

    private static int scaleFeatures(float[] j, int w, int h, double[] out, int i) {
        int inner = (w - 2) * (h - 2);
        float[][] d = new float[DERIVATIVES][inner];
        int k = 0;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                int p = y * w + x;
                float c = j[p];
                d[0][k] = j[p + 1] - c;
                d[1][k] = j[p + w] - c;
                d[2][k] = j[p + w + 1] - c;
                d[3][k] = j[p - w + 1] - c;
                d[4][k] = j[p - 1] + j[p + 1] - j[p - w] - j[p + w];
                d[5][k] = c + j[p + w + 1] - j[p + w] - j[p + 1];
                d[6][k] = j[p - w - 1] + j[p + w + 1] - j[p + w - 1] - j[p - w + 1];
                k++;
            }
        }
        for (float[] derivative : d) {
            GeneralizedGaussian.Fit fit = GeneralizedGaussian.fit(derivative);
            out[i++] = fit.shape();
            out[i++] = fit.variance();
        }
        return i;
    }
}
