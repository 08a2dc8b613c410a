package dev.photoscore.training;

import dev.photoscore.evaluation.Correlation;
import java.util.Arrays;

/** K-fold cross-validation of a model candidate on a feature table. */
public final class CrossValidation {

    private CrossValidation() {
    }

    /** A candidate's out-of-fold predictions and their agreement with the scores. */
    public record Result(ModelCandidate candidate, double[] predictions, double spearman, double pearson) {
    }

    /**
     * Predicts each row by the candidate trained on the rows of the other folds.
     *
     * @param folds fold of each row, {@code 0..k-1}, as {@link StratifiedSplits#folds} makes them
     */
    public static Result run(ModelCandidate candidate, FeatureTable table, int[] folds, long seed) {
        if (folds.length != table.size()) {
            throw new IllegalArgumentException(folds.length + " fold numbers for " + table.size() + " rows");
        }
        int k = Arrays.stream(folds).max().orElseThrow() + 1;
        double[] predictions = new double[table.size()];
        for (int fold = 0; fold < k; fold++) {
            boolean[] training = new boolean[table.size()];
            for (int i = 0; i < folds.length; i++) {
                training[i] = folds[i] != fold;
            }
            QualityRegressor regressor = QualityRegressor.train(candidate, table.where(training), seed);
            for (int i = 0; i < folds.length; i++) {
                if (!training[i]) {
                    predictions[i] = regressor.predict(table.rows()[i]);
                }
            }
        }
        return new Result(candidate, predictions, Correlation.spearman(predictions, table.scores()),
                Correlation.pearson(predictions, table.scores()));
    }
}
