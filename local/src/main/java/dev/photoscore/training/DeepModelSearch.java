package dev.photoscore.training;

import dev.photoscore.evaluation.Correlation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Cross-validation of ridge heads on the deep features of one working size: which groups of features (layer and
 * statistic), weighed how, with which kernel. The training rows are standardised once with their own column means
 * and deviations (no labels involved); each group's Gram matrix is computed once, and a candidate's Gram matrix is
 * their weighted sum, so many candidates cost little. Inside every training fold the ridge penalty is chosen by exact
 * leave-one-out error ({@link KernelRidge}), never by the fold's test rows.
 *
 * <p>Anchor rows (professional photos with a score the product's bands give them, not a rater's) are dealt into the
 * folds like the others, so each is predicted by a model that did not see it, but the correlations count only the
 * rated photos: anchors must not make the figures that choose the head.
 */
final class DeepModelSearch {

    /**
     * One candidate head: the groups it uses, each weighed alike ({@link #weight}), and the kernel: linear for
     * {@code rbfWidth} 0, else the Gaussian {@code exp(-d² / (rbfWidth * median d²))} of the weighted features'
     * distances.
     */
    record Candidate(List<String> groups, double rbfWidth) {

        String describe() {
            return groups + (rbfWidth == 0 ? " linear" : " rbf " + rbfWidth);
        }
    }

    /**
     * A candidate's cross-validated agreement: Spearman and Pearson of the pooled out-of-fold predictions of the rated
     * rows per repeat; {@code predictions}: the first repeat's out-of-fold predictions of every row, anchors included.
     */
    record Result(Candidate candidate, double[] spearman, double[] pearson, double[] predictions) {

        double meanSpearman() {
            return Arrays.stream(spearman).average().orElseThrow();
        }

        double meanPearson() {
            return Arrays.stream(pearson).average().orElseThrow();
        }

        double spearmanDeviation() {
            double mean = meanSpearman();
            return Math.sqrt(Arrays.stream(spearman).map(s -> (s - mean) * (s - mean)).sum()
                    / Math.max(1, spearman.length - 1));
        }
    }

    private final DeepFeatureTable table;
    private final boolean[] anchor;
    private final Map<String, double[][]> groupGrams = new LinkedHashMap<>();

    /** {@code anchor[i]}: row {@code i} is an anchor, left out of the correlations. */
    DeepModelSearch(DeepFeatureTable training, boolean[] anchor) {
        if (anchor.length != training.size()) {
            throw new IllegalArgumentException(anchor.length + " anchor marks for " + training.size() + " rows");
        }
        this.table = training;
        this.anchor = anchor.clone();
        float[][] standardised = Standardisation.fit(training.rows()).apply(training.rows());
        for (DeepFeatureTable.Group group : training.groups()) {
            float[][] columns = new float[standardised.length][];
            for (int i = 0; i < standardised.length; i++) {
                columns[i] = Arrays.copyOfRange(standardised[i], group.from(), group.to());
            }
            groupGrams.put(group.name(), KernelRidge.linearGram(columns, columns));
        }
    }

    /** The candidate's Gram matrix over the training rows. */
    double[][] gram(Candidate candidate) {
        int n = table.size();
        double[][] gram = new double[n][n];
        for (String name : candidate.groups()) {
            double[][] g = groupGrams.get(name);
            if (g == null) {
                throw new IllegalArgumentException("no feature group " + name + "; known: " + groupGrams.keySet());
            }
            double weight = weight(group(name));
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    gram[i][j] += weight * g[i][j];
                }
            }
        }
        return candidate.rbfWidth() == 0 ? gram : rbf(gram, candidate.rbfWidth());
    }

    /**
     * A group's features weigh 1 / (its feature count), so every group counts alike and a wide layer does not
     * dominate (the plain concatenation measured no better: docs/scoring.md).
     */
    static double weight(DeepFeatureTable.Group group) {
        return 1.0 / group.size();
    }

    DeepFeatureTable.Group group(String name) {
        return table.groups().stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no feature group " + name));
    }

    /** The Gaussian kernel of the distances a linear Gram matrix implies, its width relative to the median. */
    private static double[][] rbf(double[][] linear, double width) {
        return gaussian(linear, width * medianSquaredDistance(linear));
    }

    /** The median squared distance between two different rows, from their linear Gram matrix. */
    static double medianSquaredDistance(double[][] linear) {
        int n = linear.length;
        double[] distances = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                distances[k++] = linear[i][i] + linear[j][j] - 2 * linear[i][j];
            }
        }
        Arrays.sort(distances);
        return distances[distances.length / 2];
    }

    /** {@code exp(-|a - b|² / width)} for every pair of rows, from their linear Gram matrix. */
    static double[][] gaussian(double[][] linear, double width) {
        int n = linear.length;
        double[][] kernel = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                kernel[i][j] = Math.exp(-Math.max(0, linear[i][i] + linear[j][j] - 2 * linear[i][j]) / width);
            }
        }
        return kernel;
    }

    /**
     * Repeated stratified k-fold cross-validation: repeat {@code r} deals the folds with seed {@code seed + r}. The
     * predictions returned are those of the first repeat.
     */
    Result crossValidate(Candidate candidate, int folds, int repeats, long seed) {
        double[][] gram = gram(candidate);
        double[] scores = table.scores();
        int n = scores.length;
        double[] spearman = new double[repeats];
        double[] pearson = new double[repeats];
        double[] first = null;
        for (int r = 0; r < repeats; r++) {
            int[] fold = StratifiedSplits.folds(scores, folds, seed + r);
            double[] predictions = new double[n];
            for (int f = 0; f < folds; f++) {
                List<Integer> train = new ArrayList<>();
                List<Integer> test = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    (fold[i] == f ? test : train).add(i);
                }
                double[][] trainGram = new double[train.size()][train.size()];
                double[] y = new double[train.size()];
                for (int a = 0; a < train.size(); a++) {
                    y[a] = scores[train.get(a)];
                    for (int b = 0; b < train.size(); b++) {
                        trainGram[a][b] = gram[train.get(a)][train.get(b)];
                    }
                }
                double[][] cross = new double[test.size()][train.size()];
                for (int a = 0; a < test.size(); a++) {
                    for (int b = 0; b < train.size(); b++) {
                        cross[a][b] = gram[test.get(a)][train.get(b)];
                    }
                }
                double[] predicted = KernelRidge.fit(trainGram, y).predict(cross);
                for (int a = 0; a < test.size(); a++) {
                    predictions[test.get(a)] = predicted[a];
                }
            }
            spearman[r] = Correlation.spearman(rated(predictions), rated(scores));
            pearson[r] = Correlation.pearson(rated(predictions), rated(scores));
            if (first == null) {
                first = predictions;
            }
        }
        return new Result(candidate, spearman, pearson, first);
    }

    /** The values of the rated rows, anchors left out. */
    double[] rated(double[] values) {
        return IntStream.range(0, values.length).filter(i -> !anchor[i]).mapToDouble(i -> values[i]).toArray();
    }
}
