package dev.photoscore.training;

import java.util.List;
import java.util.Map;

/**
 * What {@code quality-model.json} says about a trained quality model: where it came from, what it expects and how
 * well it did. Correlations are between the predicted and the human mean opinion scores.
 *
 * @param model       file name of the ONNX graph
 * @param created     when it was trained, ISO-8601
 * @param command     the command line that trained it
 * @param seed        seed of every random choice (split, folds, trainers, bootstrap)
 * @param data        the labelled photos
 * @param features    the feature vector the graph takes
 * @param onnx        the graph's interface
 * @param chosen      the model chosen by cross-validation
 * @param selection   how it was chosen, with the best candidates
 * @param crossValidation out-of-fold figures of the chosen candidate on the training part
 * @param heldOut     figures of the final model on the held-out part, which no choice saw
 * @param onnxMaxAbsDifference largest difference between the ONNX graph and the Java model over all photos
 */
public record ModelProvenance(String model, String created, String command, long seed, Data data, Features features,
                              Onnx onnx, Chosen chosen, Selection selection, Figures crossValidation, HeldOut heldOut,
                              double onnxMaxAbsDifference) {

    /** @param source first line of the data folder's SOURCE.md, when it has one */
    public record Data(String folder, String source, int photos, int trainingPhotos, int heldOutPhotos) {
    }

    /**
     * @param names          every value of the input, in input order: the features of {@code version}, then the
     *                       model inputs
     * @param modelInputs    outputs of other models of the pack the graph takes after the features (the NIMA means,
     *                       {@code nima.aesthetic} and {@code nima.technical}, when trained with {@code --nima-pack});
     *                       empty for none. The pack must carry those models, and the scorer runs them first.
     * @param used           the inputs the model uses (the others did not vary in the training data)
     * @param logTransformed the used inputs the graph takes {@code ln(x + c)} of before standardising
     */
    public record Features(String version, List<String> names, List<String> modelInputs, List<String> used,
                           List<String> logTransformed) {
    }

    public record Onnx(String input, String inputShape, String output, String outputShape, String outputMeaning,
                       String producer) {
    }

    public record Chosen(String type, Map<String, Object> hyperParameters, String library) {
    }

    /** One candidate's cross-validated figures. */
    public record Candidate(String type, Map<String, Object> hyperParameters, double spearman, double pearson) {
    }

    public record Selection(int folds, String criterion, int candidates, List<Candidate> best) {
    }

    /** A correlation with its percentile-bootstrap interval. */
    public record Interval(double estimate, double lower, double upper, double level, int resamples) {
    }

    public record Figures(int photos, Interval spearman, Interval pearson) {
    }

    /**
     * @param confusion rows: label quintile 1..5; columns: predicted score band 0-20, ..., 80-100
     * @param files     the held-out photos, relative to the data folder, for later work on the same split
     */
    public record HeldOut(double fraction, Figures figures, int[][] confusion, double confusionAccuracy,
                          double confusionWithinOne, List<String> files) {
    }
}
