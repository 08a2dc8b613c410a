package dev.photoscore.quality;

import org.apache.commons.numbers.gamma.LogGamma;

/**
 * Moment-matching fits of the zero-mean generalised Gaussian (GGD) and the asymmetric generalised Gaussian (AGGD)
 * distributions, as used by BRISQUE (A. Mittal, A. K. Moorthy, A. C. Bovik, "No-Reference Image Quality Assessment
 * in the Spatial Domain", IEEE Trans. Image Processing 21(12), 2012).
 *
 * <p>GGD: {@code f(x) = a / (2 b Γ(1/a)) exp(-(|x|/b)^a)}. The shape {@code a} solves
 * {@code Γ(1/a) Γ(3/a) / Γ(2/a)² = E[x²] / E[|x|]²} (K. Sharifi, A. Leon-Garcia, IEEE TCSVT 1995).
 *
 * <p>AGGD: left and right scales from the one-sided second moments; the shape solves the same ratio against
 * {@code r̂ (γ³ + 1)(γ + 1) / (γ² + 1)²} with {@code γ = σ_l / σ_r} and {@code r̂ = E[|x|]² / E[x²]} (N. E. Lasmar,
 * Y. Stitou, Y. Berthoumieu, "Multiscale skewed heavy tailed model for texture analysis", ICIP 2009).
 *
 * <p>The reference code picks the shape from a grid 0.2, 0.201, ..., 10; this solves the same equation by bisection
 * on the same interval, so shapes outside it are clamped to its ends.
 */
final class GeneralizedGaussian {

    static final double MIN_SHAPE = 0.2;
    static final double MAX_SHAPE = 10;

    private GeneralizedGaussian() {
    }

    /** A GGD fit: shape and variance. */
    record Fit(double shape, double variance) {
    }

    /** An AGGD fit: shape, mean, and left and right variances, the four BRISQUE features of a paired product. */
    record AsymmetricFit(double shape, double mean, double leftVariance, double rightVariance) {
    }

    /**
     * Fits a zero-mean GGD to the samples. A signal without spread has no shape; it gets the Gaussian shape 2 and
     * variance 0 so the features stay finite.
     */
    static Fit fit(float[] samples) {
        double sumSquares = 0;
        double sumAbs = 0;
        for (float v : samples) {
            sumSquares += (double) v * v;
            sumAbs += Math.abs(v);
        }
        double variance = sumSquares / samples.length;
        double meanAbs = sumAbs / samples.length;
        if (variance == 0) {
            return new Fit(2, 0);
        }
        return new Fit(shapeForRatio(variance / (meanAbs * meanAbs)), variance);
    }

    /** Fits an AGGD to the products {@code a[i] * b[i]}. */
    static AsymmetricFit fitAsymmetric(Plane a, int ax, int ay, Plane b, int bx, int by, int width, int height) {
        double leftSquares = 0;
        double rightSquares = 0;
        long left = 0;
        long right = 0;
        double sumAbs = 0;
        for (int y = 0; y < height; y++) {
            int rowA = (y + ay) * a.width + ax;
            int rowB = (y + by) * b.width + bx;
            for (int x = 0; x < width; x++) {
                double v = (double) a.data[rowA + x] * b.data[rowB + x];
                if (v < 0) {
                    leftSquares += v * v;
                    left++;
                } else if (v > 0) {
                    rightSquares += v * v;
                    right++;
                }
                sumAbs += Math.abs(v);
            }
        }
        long n = (long) width * height;
        double meanSquare = (leftSquares + rightSquares) / n;
        if (meanSquare == 0) {
            return new AsymmetricFit(2, 0, 0, 0);
        }
        double leftVariance = left == 0 ? 0 : leftSquares / left;
        double rightVariance = right == 0 ? 0 : rightSquares / right;
        double leftStd = Math.sqrt(leftVariance);
        double rightStd = Math.sqrt(rightVariance);
        double meanAbs = sumAbs / n;
        double rHat = meanAbs * meanAbs / meanSquare;
        double normalised = rHat;
        if (rightStd > 0) {
            // Without positive products γ is unbounded, and the correction tends to 1.
            double gamma = leftStd / rightStd;
            normalised *= (gamma * gamma * gamma + 1) * (gamma + 1) / Math.pow(gamma * gamma + 1, 2);
        }
        double shape = shapeForRatio(1 / normalised);
        double mean = (rightStd - leftStd)
                * Math.exp(LogGamma.value(2 / shape) - LogGamma.value(1 / shape))
                * Math.sqrt(Math.exp(LogGamma.value(1 / shape) - LogGamma.value(3 / shape)));
        return new AsymmetricFit(shape, mean, leftVariance, rightVariance);
    }

    /** {@code Γ(1/a) Γ(3/a) / Γ(2/a)²}, which falls from infinity at {@code a → 0} to 4/3 at {@code a → ∞}. */
    static double momentRatio(double shape) {
        return Math.exp(LogGamma.value(1 / shape) + LogGamma.value(3 / shape) - 2 * LogGamma.value(2 / shape));
    }

    /** The shape in [{@link #MIN_SHAPE}, {@link #MAX_SHAPE}] whose {@link #momentRatio} is {@code ratio}. */
    static double shapeForRatio(double ratio) {
        double low = MIN_SHAPE;
        double high = MAX_SHAPE;
        if (!(ratio < momentRatio(low))) {
            return low;
        }
        if (ratio <= momentRatio(high)) {
            return high;
        }
        // The ratio falls monotonically with the shape; 50 halvings pin it far below float precision.
        for (int i = 0; i < 50; i++) {
            double mid = 0.5 * (low + high);
            if (momentRatio(mid) > ratio) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return 0.5 * (low + high);
    }
}
