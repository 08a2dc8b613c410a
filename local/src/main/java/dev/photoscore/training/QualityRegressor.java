package dev.photoscore.training;

import ai.onnx.proto.OnnxMl;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.ONNXExportable;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;

/**
 * A quality model: raw features in, predicted mean opinion score out. Wraps a Tribuo regression model with the
 * feature transform it was trained with, so that {@link #predict} and the exported ONNX graph both take the feature
 * vector exactly as {@link dev.photoscore.quality.QualityFeatures} makes it.
 *
 * <p>The transform, fitted on the training data:
 * <ul>
 *   <li>Features that did not vary (the resolution of a set of same-sized photos, say) carry nothing the model could
 *       learn and are left out; the graph still takes every feature and ignores those.</li>
 *   <li>Non-negative features with a long right tail (skewness above 1: clipped shares, noise levels, some
 *       variances) become {@code ln(x + c)} with {@code c} a thousandth of their mean, so that a few extreme photos
 *       do not dominate the distances a kernel model works with.</li>
 *   <li>Every feature is then standardised to zero mean and unit variance, and so is the score.</li>
 * </ul>
 */
public final class QualityRegressor {

    /** Name of the ONNX graph's input, float [N, features]. */
    public static final String INPUT = "features";
    /** Name of the ONNX graph's output, float [N, 1]: the predicted mean opinion score. */
    public static final String OUTPUT = "mos";
    /** ONNX metadata key holding the feature set version the graph expects. */
    public static final String FEATURE_VERSION_KEY = "photoscore.feature_version";
    /** ONNX metadata key holding the expected feature names, comma-separated, in input order. */
    public static final String FEATURE_NAMES_KEY = "photoscore.feature_names";

    private static final String SCORE = "mos";
    private static final OffsetDateTime DATA_TIME = OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private final ModelCandidate candidate;
    private final List<String> featureNames;
    private final String featureVersion;
    /** Column of each model feature in the raw vector, in the model's feature-id order. */
    private final int[] columns;
    /** Offset {@code c} of {@code ln(x + c)} for each model feature, 0 where the feature is used as it is. */
    private final double[] logOffsets;
    private final double[] means;
    private final double[] deviations;
    private final double scoreMean;
    private final double scoreDeviation;
    private final Model<Regressor> model;

    private QualityRegressor(ModelCandidate candidate, FeatureTable table, int[] columns, double[] logOffsets,
                             double[] means, double[] deviations, double scoreMean, double scoreDeviation,
                             Model<Regressor> model) {
        this.candidate = candidate;
        this.featureNames = table.featureNames();
        this.featureVersion = table.featureVersion();
        this.columns = columns;
        this.logOffsets = logOffsets;
        this.means = means;
        this.deviations = deviations;
        this.scoreMean = scoreMean;
        this.scoreDeviation = scoreDeviation;
        this.model = model;
    }

    /**
     * Trains the candidate on the table.
     *
     * @throws IllegalArgumentException when the table has fewer than 3 rows, or no feature or score varies
     */
    public static QualityRegressor train(ModelCandidate candidate, FeatureTable table, long seed) {
        if (table.size() < 3) {
            throw new IllegalArgumentException("need at least 3 photos to train, got " + table.size());
        }
        int n = table.size();
        List<Integer> varying = new ArrayList<>();
        List<Double> offsets = new ArrayList<>();
        List<double[]> transformed = new ArrayList<>();
        for (int j = 0; j < table.featureNames().size(); j++) {
            double[] column = new double[n];
            for (int i = 0; i < n; i++) {
                column[i] = table.rows()[i][j];
            }
            double[] moments = meanAndDeviation(column);
            if (!(moments[1] > 1e-6 * Math.max(1, Math.abs(moments[0])))) {
                continue;
            }
            double offset = 0;
            if (Arrays.stream(column).min().orElseThrow() >= 0 && skewness(column, moments) > 1) {
                offset = 1e-3 * moments[0];
                for (int i = 0; i < n; i++) {
                    column[i] = logOf(column[i], offset);
                }
            }
            varying.add(j);
            offsets.add(offset);
            transformed.add(column);
        }
        if (varying.isEmpty()) {
            throw new IllegalArgumentException("no feature varies over the " + n + " photos");
        }
        double[] score = meanAndDeviation(table.scores());
        if (score[1] == 0) {
            throw new IllegalArgumentException("every photo has the same score " + score[0]);
        }
        String[] names = varying.stream().map(table.featureNames()::get).toArray(String[]::new);
        List<double[]> moments = transformed.stream().map(QualityRegressor::meanAndDeviation).toList();
        MutableDataset<Regressor> dataset = new MutableDataset<>(
                new SimpleDataSourceProvenance("photoscore quality features " + table.featureVersion(), DATA_TIME,
                        new RegressionFactory()), new RegressionFactory());
        for (int i = 0; i < n; i++) {
            double[] values = new double[names.length];
            for (int k = 0; k < names.length; k++) {
                values[k] = (transformed.get(k)[i] - moments.get(k)[0]) / moments.get(k)[1];
            }
            dataset.add(new ArrayExample<>(new Regressor(SCORE, (table.scores()[i] - score[0]) / score[1]), names, values));
        }
        Model<Regressor> model = candidate.trainer(names.length, seed).train(dataset);
        if (!(model instanceof ONNXExportable)) {
            throw new IllegalStateException(candidate.type() + " models do not export to ONNX");
        }
        // Tribuo numbers features by name; record the raw column and transform of each in that order.
        ImmutableFeatureMap ids = model.getFeatureIDMap();
        int[] columns = new int[ids.size()];
        double[] logOffsets = new double[ids.size()];
        double[] means = new double[ids.size()];
        double[] deviations = new double[ids.size()];
        for (int id = 0; id < ids.size(); id++) {
            int k = Arrays.asList(names).indexOf(ids.get(id).getName());
            columns[id] = varying.get(k);
            logOffsets[id] = offsets.get(k);
            means[id] = moments.get(k)[0];
            deviations[id] = moments.get(k)[1];
        }
        return new QualityRegressor(candidate, table, columns, logOffsets, means, deviations, score[0], score[1], model);
    }

    /**
     * {@code ln(x + c)}, kept finite for any input: the argument never falls below a thousandth of {@code c} (a
     * non-negative feature never gets there).
     */
    private static double logOf(double x, double offset) {
        return Math.log(Math.max(x + offset, 1e-3 * offset));
    }

    private static double skewness(double[] values, double[] meanAndDeviation) {
        double sum = 0;
        for (double v : values) {
            double z = (v - meanAndDeviation[0]) / meanAndDeviation[1];
            sum += z * z * z;
        }
        return sum / values.length;
    }

    /** Population mean and standard deviation. */
    private static double[] meanAndDeviation(double[] values) {
        double mean = Arrays.stream(values).average().orElseThrow();
        double sum = 0;
        for (double v : values) {
            sum += (v - mean) * (v - mean);
        }
        return new double[] {mean, Math.sqrt(sum / values.length)};
    }

    /** The predicted mean opinion score of one raw feature vector. */
    public double predict(float[] features) {
        if (features.length != featureNames.size()) {
            throw new IllegalArgumentException(
                    "expected " + featureNames.size() + " features (" + featureVersion + "), got " + features.length);
        }
        String[] names = new String[columns.length];
        double[] values = new double[columns.length];
        for (int id = 0; id < columns.length; id++) {
            names[id] = featureNames.get(columns[id]);
            double x = logOffsets[id] > 0 ? logOf(features[columns[id]], logOffsets[id]) : features[columns[id]];
            values[id] = (x - means[id]) / deviations[id];
        }
        Example<Regressor> example = new ArrayExample<>(RegressionFactory.UNKNOWN_REGRESSOR, names, values);
        return model.predict(example).getOutput().getValues()[0] * scoreDeviation + scoreMean;
    }

    /** The predicted mean opinion score of each row. */
    public double[] predict(float[][] rows) {
        return Arrays.stream(rows).mapToDouble(this::predict).toArray();
    }

    public ModelCandidate candidate() {
        return candidate;
    }

    /** The features the model uses, in the order of the feature vector. */
    public List<String> usedFeatures() {
        return Arrays.stream(columns).sorted().mapToObj(featureNames::get).toList();
    }

    /** The used features it takes the logarithm of, in the order of the feature vector. */
    public List<String> logFeatures() {
        return IntStream.range(0, columns.length).filter(id -> logOffsets[id] > 0)
                .map(id -> columns[id]).sorted().mapToObj(featureNames::get).toList();
    }

    /**
     * The model as an ONNX graph: input {@value #INPUT} float [N, all features] in feature-vector order, output
     * {@value #OUTPUT} float [N, 1]. The graph gathers the used features, transforms and standardises them, applies
     * the Tribuo model's own graph and maps the result back to the score scale.
     */
    public OnnxMl.ModelProto toOnnx() {
        ONNXContext onnx = new ONNXContext();
        onnx.setName("photoscore-quality");
        ONNXPlaceholder input = onnx.floatInput(INPUT, featureNames.size());
        ONNXPlaceholder output = onnx.floatOutput(OUTPUT, 1);
        ONNXNode selected = input.apply(ONNXOperators.GATHER,
                onnx.array("model_feature_columns", Arrays.stream(columns).asLongStream().toArray()),
                Map.of("axis", 1));
        // x' = m ln(max(x + c, c / 1000)) + (1 - m) x, m = 1 for the log features; the others take c = 1, whose
        // logarithm is finite and then multiplied away.
        double[] mask = new double[columns.length];
        double[] offsets = new double[columns.length];
        double[] floors = new double[columns.length];
        for (int id = 0; id < columns.length; id++) {
            boolean log = logOffsets[id] > 0;
            mask[id] = log ? 1 : 0;
            offsets[id] = log ? logOffsets[id] : 1;
            floors[id] = 1e-3 * offsets[id];
        }
        ONNXNode logged = selected
                .apply(ONNXOperators.ADD, onnx.array("log_offsets", offsets))
                .apply(OnnxMath.MAX, onnx.array("log_floors", floors))
                .apply(OnnxMath.LOG)
                .apply(ONNXOperators.MUL, onnx.array("log_mask", mask));
        double[] keep = Arrays.stream(mask).map(m -> 1 - m).toArray();
        ONNXNode transformed = selected
                .apply(ONNXOperators.MUL, onnx.array("linear_mask", keep))
                .apply(ONNXOperators.ADD, logged);
        ONNXNode standardised = transformed
                .apply(ONNXOperators.SUB, onnx.array("feature_means", means))
                .apply(ONNXOperators.DIV, onnx.array("feature_deviations", deviations));
        ((ONNXExportable) model).writeONNXGraph(standardised)
                .apply(ONNXOperators.MUL, onnx.constant("score_deviation", (float) scoreDeviation))
                .apply(ONNXOperators.ADD, onnx.constant("score_mean", (float) scoreMean))
                .assignTo(output);
        OnnxMl.ModelProto.Builder proto = ONNXExportable.buildModel(onnx, "dev.photoscore.quality", 1, model).toBuilder();
        boolean usesMlOperators = proto.getGraph().getNodeList().stream()
                .anyMatch(node -> node.getDomain().equals("ai.onnx.ml"));
        if (usesMlOperators) {
            // Tribuo declares only the default opset; the SVM operators live in the ai.onnx.ml domain, version 1.
            proto.addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(1));
        }
        proto.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder()
                .setKey(FEATURE_VERSION_KEY).setValue(featureVersion));
        proto.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder()
                .setKey(FEATURE_NAMES_KEY).setValue(String.join(",", featureNames)));
        return proto.build();
    }
}
