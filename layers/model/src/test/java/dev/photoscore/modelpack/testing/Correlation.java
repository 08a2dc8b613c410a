package dev.photoscore.modelpack.testing;

/** Agreement measures between two series of model outputs. */
public final class Correlation {

    private Correlation() {
    }

    /** Pearson's correlation coefficient of two series of the same length. */
    public static double pearson(double[] a, double[] b) {
        if (a.length != b.length || a.length < 2) {
            throw new IllegalArgumentException("two series of the same length (at least 2), not " + a.length + " and "
                    + b.length);
        }
        double meanA = 0;
        double meanB = 0;
        for (int i = 0; i < a.length; i++) {
            meanA += a[i] / a.length;
            meanB += b[i] / a.length;
        }
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (a[i] - meanA) * (b[i] - meanB);
            aa += (a[i] - meanA) * (a[i] - meanA);
            bb += (b[i] - meanB) * (b[i] - meanB);
        }
        return ab / Math.sqrt(aa * bb);
    }
}
