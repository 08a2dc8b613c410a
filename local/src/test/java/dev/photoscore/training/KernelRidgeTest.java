package dev.photoscore.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.evaluation.Correlation;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KernelRidgeTest {

    /** Rows of {@code width} normal features; the score is a fixed linear function of the first three plus noise. */
    private static float[][] rows(int n, int width, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] rows = new float[n][width];
        for (float[] row : rows) {
            for (int j = 0; j < width; j++) {
                row[j] = (float) gaussian(random);
            }
        }
        return rows;
    }

    private static double[] scores(float[][] rows, double noise, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return Arrays.stream(rows).mapToDouble(r -> 50 + 10 * r[0] - 5 * r[1] + 3 * r[2] + noise * gaussian(random))
                .toArray();
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    @Test
    void learnsALinearFunctionAndPredictsUnseenRows() {
        float[][] train = rows(120, 40, 1);
        float[][] test = rows(60, 40, 2);
        double[] y = scores(train, 2, 3);
        double[] truth = scores(test, 0, 4);
        KernelRidge.Fit fit = KernelRidge.fit(KernelRidge.linearGram(train, train), y);
        double[] predicted = fit.predict(KernelRidge.linearGram(test, train));
        assertTrue(Correlation.pearson(predicted, truth) > 0.97, "Pearson " + Correlation.pearson(predicted, truth));
        assertEquals(50, Arrays.stream(predicted).average().orElseThrow(), 2, "the intercept is learnt");
    }

    /** The closed-form leave-one-out error must equal refitting without each row in turn, at the chosen penalty. */
    @Test
    void leaveOneOutErrorEqualsRefittingWithoutEachRow() {
        float[][] rows = rows(30, 8, 5);
        double[] y = scores(rows, 4, 6);
        KernelRidge.Fit fit = KernelRidge.fit(KernelRidge.linearGram(rows, rows), y);
        double sum = 0;
        for (int left = 0; left < rows.length; left++) {
            float[][] others = new float[rows.length - 1][];
            double[] otherY = new double[rows.length - 1];
            for (int i = 0, k = 0; i < rows.length; i++) {
                if (i != left) {
                    others[k] = rows[i];
                    otherY[k++] = y[i];
                }
            }
            double predicted = fixedPenalty(others, otherY, fit.penalty(), rows[left]);
            sum += (y[left] - predicted) * (y[left] - predicted);
        }
        assertEquals(sum / rows.length, fit.looError(), 1e-6 * sum);
    }

    /** Primal ridge with an unpenalised intercept, solved by Gaussian elimination: an independent reference. */
    private static double fixedPenalty(float[][] x, double[] y, double penalty, float[] query) {
        int n = x.length;
        int d = x[0].length;
        double[] mean = new double[d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / n;
            }
        }
        double yMean = Arrays.stream(y).average().orElseThrow();
        double[][] a = new double[d][d + 1];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < d; k++) {
                    a[j][k] += (x[i][j] - mean[j]) * (x[i][k] - mean[k]);
                }
                a[j][d] += (x[i][j] - mean[j]) * (y[i] - yMean);
            }
        }
        for (int j = 0; j < d; j++) {
            a[j][j] += penalty;
        }
        for (int c = 0; c < d; c++) {
            for (int r = c + 1; r < d; r++) {
                double factor = a[r][c] / a[c][c];
                for (int k = c; k <= d; k++) {
                    a[r][k] -= factor * a[c][k];
                }
            }
        }
        double[] w = new double[d];
        for (int r = d - 1; r >= 0; r--) {
            double s = a[r][d];
            for (int k = r + 1; k < d; k++) {
                s -= a[r][k] * w[k];
            }
            w[r] = s / a[r][r];
        }
        double prediction = yMean;
        for (int j = 0; j < d; j++) {
            prediction += w[j] * (query[j] - mean[j]);
        }
        return prediction;
    }
}
