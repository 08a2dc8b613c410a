package dev.photoscore.training;

/**
 * Column-wise standardisation {@code (x - mean) / deviation}, fitted on training rows. A column that does not vary
 * there (a channel that never fires, say) carries nothing a model could learn: it becomes 0.
 */
record Standardisation(double[] means, double[] inverseDeviations) {

    static Standardisation fit(float[][] rows) {
        int width = rows[0].length;
        double[] means = new double[width];
        double[] squares = new double[width];
        for (float[] row : rows) {
            for (int j = 0; j < width; j++) {
                means[j] += row[j];
            }
        }
        for (int j = 0; j < width; j++) {
            means[j] /= rows.length;
        }
        for (float[] row : rows) {
            for (int j = 0; j < width; j++) {
                double d = row[j] - means[j];
                squares[j] += d * d;
            }
        }
        double[] inverse = new double[width];
        for (int j = 0; j < width; j++) {
            double deviation = Math.sqrt(squares[j] / rows.length);
            inverse[j] = deviation > 1e-6 * Math.max(1, Math.abs(means[j])) ? 1 / deviation : 0;
        }
        return new Standardisation(means, inverse);
    }

    float[][] apply(float[][] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = apply(rows[i]);
        }
        return out;
    }

    float[] apply(float[] row) {
        float[] out = new float[row.length];
        for (int j = 0; j < row.length; j++) {
            out[j] = (float) ((row[j] - means[j]) * inverseDeviations[j]);
        }
        return out;
    }
}
