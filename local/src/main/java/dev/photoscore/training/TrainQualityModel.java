package dev.photoscore.training;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.photoscore.evaluation.Bootstrap;
import dev.photoscore.evaluation.ConfidenceInterval;
import dev.photoscore.evaluation.Correlation;
import dev.photoscore.evaluation.QuintileConfusion;
import dev.photoscore.modelpack.Calibration;
import dev.photoscore.modelpack.build.Checksums;
import dev.photoscore.quality.QualityFeatures;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tribuo.Tribuo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Trains the photo quality model from labelled photos and writes {@value #MODEL_FILE} and {@value #PROVENANCE_FILE}.
 *
 * <p>A fixed share of the photos, stratified by score and drawn with the seed, is held out before anything else;
 * k-fold cross-validation on the rest picks the model type and hyper-parameters from {@link ModelCandidate#grid()};
 * the chosen candidate is trained on the whole rest, and only then is it measured on the held-out photos.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Trains the quality model from DIR/labels.csv (file,score) and its photos; writes "
                + TrainQualityModel.MODEL_FILE + " and " + TrainQualityModel.PROVENANCE_FILE + ".")
public final class TrainQualityModel implements Callable<Integer> {

    public static final String MODEL_FILE = "quality-model.onnx";
    public static final String PROVENANCE_FILE = "quality-model.json";
    private static final int RESAMPLES = 2000;
    private static final int REPORTED_CANDIDATES = 10;

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "Folder with labels.csv (file,score; files relative to it) and the photos.")
    private Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write the model files to.")
    private Path out;

    @Option(names = "--seed", defaultValue = "42",
            description = "Seed of the split, the folds, the trainers and the bootstrap (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--held-out", defaultValue = "0.2", paramLabel = "FRACTION",
            description = "Share of photos held out for the final measurement (default: ${DEFAULT-VALUE}).")
    private double heldOutFraction;

    @Option(names = "--folds", defaultValue = "5", description = "Cross-validation folds (default: ${DEFAULT-VALUE}).")
    private int folds;

    @Option(names = "--calibration", paramLabel = "FILE",
            description = "Calibration file whose 'quality' variant is refitted (default: calibration.json beside OUT).")
    private Path calibrationFile;

    @Option(names = "--nima-pack", paramLabel = "DIR",
            description = "A model pack with the NIMA heads (see the pack command): their means join the features as"
                    + " inputs of the model, and a pack with this model must carry the same heads.")
    private Path nimaPack;

    /** Knots of the quantile calibration: every 5 % of the predictions. */
    private static final int CALIBRATION_STEPS = 20;

    public static void main(String[] args) {
        System.exit(new CommandLine(new TrainQualityModel()).execute(args));
    }

    @Override
    public Integer call() throws IOException, OrtException {
        PrintStream log = System.out;
        List<LabelledPhoto> labels = LabelledPhoto.readLabels(data);
        long start = System.nanoTime();
        int[] done = {0};
        FeatureTable table = FeatureTable.extract(data, labels, file -> {
            if (++done[0] % 50 == 0) {
                log.printf("features: %d of %d photos%n", done[0], labels.size());
            }
        });
        log.printf(Locale.ROOT, "features of %d photos in %.1f s (decode included)%n", table.size(),
                (System.nanoTime() - start) / 1e9);
        List<String> modelInputs = List.of();
        if (nimaPack != null) {
            table = NimaInputs.append(table, data, nimaPack);
            modelInputs = table.featureNames().subList(QualityFeatures.names().size(), table.featureNames().size());
            log.printf("model inputs from %s: %s%n", nimaPack, modelInputs);
        }

        boolean[] heldOut = StratifiedSplits.heldOut(table.scores(), heldOutFraction, seed);
        boolean[] training = new boolean[heldOut.length];
        for (int i = 0; i < heldOut.length; i++) {
            training[i] = !heldOut[i];
        }
        FeatureTable trainingPart = table.where(training);
        FeatureTable heldOutPart = table.where(heldOut);
        int[] fold = StratifiedSplits.folds(trainingPart.scores(), folds, seed);

        List<CrossValidation.Result> results = new ArrayList<>();
        for (ModelCandidate candidate : ModelCandidate.grid()) {
            results.add(CrossValidation.run(candidate, trainingPart, fold, seed));
        }
        // Stable sort: of equally good candidates the earlier, simpler one in the grid wins.
        results.sort(Comparator.comparingDouble(CrossValidation.Result::spearman).reversed());
        CrossValidation.Result best = results.get(0);
        log.printf("cross-validation on %d photos, %d folds, %d candidates; best:%n", trainingPart.size(), folds,
                results.size());
        for (CrossValidation.Result r : results.subList(0, Math.min(5, results.size()))) {
            log.printf(Locale.ROOT, "  SRCC %.3f PLCC %.3f  %s %s%n", r.spearman(), r.pearson(), r.candidate().type(),
                    r.candidate().hyperParameters());
        }

        QualityRegressor regressor = QualityRegressor.train(best.candidate(), trainingPart, seed);
        double[] heldOutPredictions = regressor.predict(heldOutPart.rows());
        ModelProvenance.Figures cvFigures = figures(best.predictions(), trainingPart.scores());
        ModelProvenance.Figures heldOutFigures = figures(heldOutPredictions, heldOutPart.scores());
        QuintileConfusion confusion = QuintileConfusion.of(
                Arrays.stream(heldOutPredictions).map(p -> Math.max(0, Math.min(100, p))).toArray(),
                heldOutPart.scores());

        OnnxMl.ModelProto onnx = regressor.toOnnx();
        double parity = maxAbsDifference(onnx, regressor, table);
        if (parity > 1e-2) {
            throw new IllegalStateException("the ONNX graph disagrees with the Java model by up to " + parity);
        }
        Files.createDirectories(out);
        Files.write(out.resolve(MODEL_FILE), onnx.toByteArray());
        ModelProvenance provenance = new ModelProvenance(MODEL_FILE,
                OffsetDateTime.now(ZoneOffset.UTC).withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                commandLine(), seed,
                new ModelProvenance.Data(data.getFileName().toString(), source(data), table.size(),
                        trainingPart.size(), heldOutPart.size()),
                new ModelProvenance.Features(table.featureVersion(), table.featureNames(), modelInputs,
                        regressor.usedFeatures(), regressor.logFeatures()),
                new ModelProvenance.Onnx(QualityRegressor.INPUT, "float[N," + table.featureNames().size() + "]",
                        QualityRegressor.OUTPUT, "float[N,1]",
                        "predicted mean opinion score on the labels' 0-100 scale (not clipped)",
                        "Tribuo " + Tribuo.VERSION),
                new ModelProvenance.Chosen(best.candidate().type(), best.candidate().hyperParameters(),
                        "Tribuo " + Tribuo.VERSION),
                new ModelProvenance.Selection(folds, "pooled out-of-fold Spearman correlation", results.size(),
                        results.subList(0, Math.min(REPORTED_CANDIDATES, results.size())).stream()
                                .map(r -> new ModelProvenance.Candidate(r.candidate().type(),
                                        r.candidate().hyperParameters(), r.spearman(), r.pearson()))
                                .toList()),
                cvFigures,
                new ModelProvenance.HeldOut(heldOutFraction, heldOutFigures, confusion.counts(), confusion.accuracy(),
                        confusion.withinOneAccuracy(), heldOutPart.files()),
                parity);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(out.resolve(PROVENANCE_FILE).toFile(), provenance);
        Calibration.Variant calibration = writeCalibration(best.predictions(), trainingPart.scores(),
                Checksums.sha256(out.resolve(MODEL_FILE)));
        QuintileConfusion calibratedClasses = QuintileConfusion.of(
                Arrays.stream(heldOutPredictions).map(p -> 100 * calibration.score(Map.of(QuantileCalibration.INPUT, p)))
                        .toArray(),
                heldOutPart.scores());

        log.printf(Locale.ROOT, "chosen: %s %s%n", best.candidate().type(), best.candidate().hyperParameters());
        log.printf(Locale.ROOT, "cross-validation (%d photos): SRCC %s, PLCC %s%n", cvFigures.photos(),
                text(cvFigures.spearman()), text(cvFigures.pearson()));
        log.printf(Locale.ROOT, "held out (%d photos): SRCC %s, PLCC %s%n", heldOutFigures.photos(),
                text(heldOutFigures.spearman()), text(heldOutFigures.pearson()));
        log.println(confusion);
        log.printf(Locale.ROOT, "ONNX graph vs Java model: max |difference| %.2e%n", parity);
        log.println("held out, calibrated score classes (columns) against the labels' quintiles (rows):");
        log.println(calibratedClasses);
        log.printf("wrote %s and %s%n", out.resolve(MODEL_FILE), out.resolve(PROVENANCE_FILE));
        return 0;
    }

    /**
     * Refits the calibration's quality variant on the cross-validation's out-of-fold predictions and writes the
     * calibration file under a version naming the model it belongs to.
     */
    private Calibration.Variant writeCalibration(double[] outOfFold, double[] labels, String modelSha256)
            throws IOException {
        Path file = calibrationFile != null ? calibrationFile : out.toAbsolutePath().getParent().resolve(
                Calibration.FILE_NAME);
        Calibration.Variant fitted = QuantileCalibration.fit(outOfFold, labels, CALIBRATION_STEPS);
        Calibration previous = Files.isRegularFile(file) ? Calibration.read(file)
                : new Calibration("", "fitted by the train command; see docs/scoring.md", List.of(fitted));
        Calibration updated = QuantileCalibration.withVariant(previous, fitted, nimaPack != null,
                QuantileCalibration.version(modelSha256, previous.version()));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), updated);
        System.out.printf("calibration %s written to %s%n", updated.version(), file);
        return fitted;
    }

    private ModelProvenance.Figures figures(double[] predicted, double[] human) {
        Bootstrap bootstrap = Bootstrap.builder().resamples(RESAMPLES).seed(seed).build();
        return new ModelProvenance.Figures(predicted.length,
                interval(bootstrap.interval(predicted, human, Correlation::spearman)),
                interval(bootstrap.interval(predicted, human, Correlation::pearson)));
    }

    private static ModelProvenance.Interval interval(ConfidenceInterval ci) {
        return new ModelProvenance.Interval(ci.estimate(), ci.lower(), ci.upper(), ci.level(), RESAMPLES);
    }

    private static String text(ModelProvenance.Interval interval) {
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", interval.estimate(), interval.lower(), interval.upper());
    }

    /** The largest difference between ONNX Runtime running the graph and the Java model, over every photo. */
    private static double maxAbsDifference(OnnxMl.ModelProto onnx, QualityRegressor regressor, FeatureTable table)
            throws OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession session = environment.createSession(onnx.toByteArray(), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(environment, table.rows());
             OrtSession.Result result = session.run(Map.of(QualityRegressor.INPUT, input))) {
            float[][] predicted = (float[][]) result.get(0).getValue();
            double max = 0;
            for (int i = 0; i < table.size(); i++) {
                max = Math.max(max, Math.abs(predicted[i][0] - regressor.predict(table.rows()[i])));
            }
            return max;
        }
    }

    private String commandLine() {
        List<String> words = new ArrayList<>(List.of(getClass().getName()));
        words.addAll(spec.commandLine().getParseResult().originalArgs());
        return String.join(" ", words);
    }

    /** The first line of the data folder's SOURCE.md without its heading marks, or null without one. */
    private static String source(Path data) throws IOException {
        Path source = data.resolve("SOURCE.md");
        if (!Files.isRegularFile(source)) {
            return null;
        }
        return Files.readAllLines(source, StandardCharsets.UTF_8).stream()
                .map(line -> line.replaceFirst("^#+\\s*", "").strip())
                .filter(line -> !line.isEmpty())
                .findFirst().orElse(null);
    }
}
