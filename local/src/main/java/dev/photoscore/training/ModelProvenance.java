package dev.photoscore.training;

import java.util.List;

/**
 * What {@code quality-model.json} says about the deep quality model's head: where it came from, what it takes and
 * how well it did. The pack builder reads {@code backbone} to convert the backbone the head was trained on and to
 * compose the two into one graph. Correlations are between predicted and human mean opinion scores.
 *
 * @param model           file name of the head's ONNX graph ({@code features} [N, F] in, {@code mos} [N, 1] out)
 * @param created         when it was trained, ISO-8601
 * @param command         the command line that trained it
 * @param seed            seed of every random choice (folds, bootstrap)
 * @param data            the labelled photos
 * @param anchors         the professional photos trained towards a score of the product's bands; null without
 * @param backbone        the backbone and the features the head takes
 * @param features        the features' version and the other models' outputs the head takes (none)
 * @param chosen          the head chosen by cross-validation
 * @param selection       how it was chosen, with every candidate's figures
 * @param crossValidation out-of-fold figures of the chosen candidate on the training part (first repeat)
 * @param heldOut         figures of the final model on the held-out part, which no choice saw
 * @param onnxMaxAbsDifference largest difference between the composed graph in ONNX Runtime and the Java model
 *                        over the held-out photos
 */
public record ModelProvenance(String model, String created, String command, long seed, Data data,
                                  Anchors anchors, Backbone backbone, Features features, Chosen chosen, Selection selection,
                                  Figures crossValidation, HeldOut heldOut,
                                  double onnxMaxAbsDifference) {

    /** This provenance with {@code anchors}. */
    public ModelProvenance withAnchors(Anchors anchors) {
        return new ModelProvenance(model, created, command, seed, data, anchors, backbone, features, chosen, selection,
                crossValidation, heldOut, onnxMaxAbsDifference);
    }

    /**
     * @param split                   the split file the anchors come from
     * @param half                    the half of it trained on
     * @param score                   the score they were trained towards, on the labels' scale
     * @param outOfFoldShareInClass45 the share of their out-of-fold predictions (first repeat) that the calibration
     *                                puts in class 4 or 5
     * @param files                   the anchors' files
     */
    public record Anchors(String split, String half, double score, double outOfFoldShareInClass45,
                          List<String> files) {
    }

    /** @param source first line of the data folder's SOURCE.md, when it has one */
    public record Data(String folder, String source, int photos, int trainingPhotos, int heldOutPhotos) {
    }

    /**
     * @param spec          the layers and statistics, {@code BackboneSpec.text()}
     * @param sourceBlobId  git blob id of the TensorFlow Lite file the backbone was converted from
     * @param workingPixels the pixel count photos are area-averaged to (aspect kept, never enlarged)
     * @param featureCount  F, the head's input width
     */
    public record Backbone(String name, String spec, String sourceBlobId, int workingPixels, int featureCount) {
    }

    /** @param modelInputs outputs of other models the head takes after the features: none */
    public record Features(String version, List<String> modelInputs) {
    }

    public record Chosen(int workingPixels, List<String> groups, String kernel, double penalty,
                         String library) {
    }

    /** One candidate's cross-validated figures: means over the repeats, and the repeats' standard deviation. */
    public record Candidate(int workingPixels, List<String> groups, String kernel,
                            double spearman, double spearmanDeviation, double pearson) {
    }

    public record Selection(int folds, int repeats, String criterion, String penalty, List<Candidate> candidates) {
    }

    /** A correlation with its percentile-bootstrap interval. */
    public record Interval(double estimate, double lower, double upper, double level, int resamples) {
    }

    public record Figures(int photos, Interval spearman, Interval pearson) {
    }

    /**
     * @param confusion rows: label quintile 1..5; columns: predicted score band 0-20, ..., 80-100
     * @param files     the held-out photos, relative to the data folder
     */
    public record HeldOut(String split, Figures figures, int[][] confusion, double confusionAccuracy,
                          double confusionWithinOne, List<String> files) {
    }
}
