package dev.photoscore.training;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Ridge regression with an intercept in its dual form, on a Gram matrix of the training rows (for a linear kernel
 * {@code X Xᵀ}). The centred Gram matrix is decomposed once ({@code Kc = V S Vᵀ}); then every penalty {@code λ}
 * costs a few products, and its exact leave-one-out error comes from the hat matrix's diagonal
 * ({@code H = 11ᵀ/n + V S(S+λ)⁻¹ Vᵀ}, residual {@code (y - ŷ) / (1 - Hᵢᵢ)}). The penalty is chosen by that error
 * on the training rows alone, so in cross-validation it is chosen inside each training fold.
 */
final class KernelRidge {

    /** The penalties searched, relative to the mean eigenvalue of the centred Gram matrix (its trace / n). */
    static final double[] RELATIVE_PENALTIES = {1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000};

    /**
     * A fitted model: {@code ŷ(x) = yMean + kc(x)ᵀ α}, where {@code kc} is the kernel row of {@code x} against the
     * training rows, centred with the training Gram matrix's column means and grand mean.
     */
    record Fit(double penalty, double looError, double[] alpha, double yMean, double[] columnMeans, double grandMean) {

        /** Predictions for rows whose kernel values against the training rows are {@code cross[row][trainingRow]}. */
        double[] predict(double[][] cross) {
            double[] predictions = new double[cross.length];
            for (int r = 0; r < cross.length; r++) {
                double[] k = cross[r];
                double rowMean = 0;
                for (double v : k) {
                    rowMean += v;
                }
                rowMean /= k.length;
                double sum = yMean;
                for (int j = 0; j < k.length; j++) {
                    sum += (k[j] - rowMean - columnMeans[j] + grandMean) * alpha[j];
                }
                predictions[r] = sum;
            }
            return predictions;
        }
    }

    private KernelRidge() {
    }

    /**
     * Fits on the training rows' Gram matrix {@code gram} (symmetric, n x n) and scores {@code y}, with the penalty
     * of least leave-one-out squared error among {@link #RELATIVE_PENALTIES}.
     */
    static Fit fit(double[][] gram, double[] y) {
        int n = y.length;
        if (gram.length != n) {
            throw new IllegalArgumentException(gram.length + " Gram rows for " + n + " scores");
        }
        double[] columnMeans = new double[n];
        double grandMean = 0;
        for (double[] row : gram) {
            for (int j = 0; j < n; j++) {
                columnMeans[j] += row[j] / n;
            }
        }
        for (double m : columnMeans) {
            grandMean += m / n;
        }
        DMatrixRMaj centred = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                // The Gram matrix is symmetric: row means equal column means.
                centred.unsafe_set(i, j, gram[i][j] - columnMeans[i] - columnMeans[j] + grandMean);
            }
        }
        double yMean = Arrays.stream(y).average().orElseThrow();
        double[] yc = Arrays.stream(y).map(v -> v - yMean).toArray();

        EigenDecomposition_F64<DMatrixRMaj> eigen = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eigen.decompose(centred)) {
            throw new IllegalStateException("the eigendecomposition of the Gram matrix failed");
        }
        double[] values = new double[n];
        double[][] vectors = new double[n][];
        double trace = 0;
        for (int k = 0; k < n; k++) {
            values[k] = Math.max(0, eigen.getEigenvalue(k).getReal());
            vectors[k] = eigen.getEigenVector(k).getData().clone();
            trace += values[k];
        }
        // Projections of the centred scores on the eigenvectors.
        double[] projections = new double[n];
        for (int k = 0; k < n; k++) {
            projections[k] = dot(vectors[k], yc);
        }
        double scale = trace / n;
        Fit best = null;
        for (double relative : RELATIVE_PENALTIES) {
            double penalty = relative * scale;
            double[] fitted = new double[n];
            double[] leverage = new double[n];
            Arrays.fill(leverage, 1.0 / n);
            for (int k = 0; k < n; k++) {
                double shrink = values[k] / (values[k] + penalty);
                double[] v = vectors[k];
                double coefficient = shrink * projections[k];
                for (int i = 0; i < n; i++) {
                    fitted[i] += coefficient * v[i];
                    leverage[i] += shrink * v[i] * v[i];
                }
            }
            double error = 0;
            for (int i = 0; i < n; i++) {
                double residual = (yc[i] - fitted[i]) / (1 - leverage[i]);
                error += residual * residual;
            }
            error /= n;
            if (best == null || error < best.looError()) {
                double[] alpha = new double[n];
                for (int k = 0; k < n; k++) {
                    double coefficient = projections[k] / (values[k] + penalty);
                    double[] v = vectors[k];
                    for (int i = 0; i < n; i++) {
                        alpha[i] += coefficient * v[i];
                    }
                }
                best = new Fit(penalty, error, alpha, yMean, columnMeans, grandMean);
            }
        }
        return best;
    }

    /** The linear-kernel Gram matrix {@code A Bᵀ} of two row sets (rows of equal length). */
    static double[][] linearGram(float[][] a, float[][] b) {
        DMatrixRMaj left = matrix(a);
        DMatrixRMaj right = matrix(b);
        DMatrixRMaj product = new DMatrixRMaj(a.length, b.length);
        CommonOps_DDRM.multTransB(left, right, product);
        double[][] gram = new double[a.length][b.length];
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(product.data, i * b.length, gram[i], 0, b.length);
        }
        return gram;
    }

    private static DMatrixRMaj matrix(float[][] rows) {
        int columns = rows.length == 0 ? 0 : rows[0].length;
        DMatrixRMaj m = new DMatrixRMaj(rows.length, columns);
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < columns; j++) {
                m.unsafe_set(i, j, rows[i][j]);
            }
        }
        return m;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
