package dev.photoscore.training;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.photoscore.evaluation.Bootstrap;
import dev.photoscore.evaluation.ConfidenceInterval;
import dev.photoscore.evaluation.Correlation;
import dev.photoscore.evaluation.QuintileConfusion;
import dev.photoscore.modelpack.Calibration;
import dev.photoscore.modelpack.convert.BackboneSpec;
import dev.photoscore.modelpack.convert.Checksums;
import dev.photoscore.modelpack.convert.ImagenetBackbone;
import dev.photoscore.modelpack.convert.MobileNetTfliteConverter;
import dev.photoscore.modelpack.convert.OnnxComposition;
import dev.photoscore.modelpack.convert.TfliteModel;
import dev.photoscore.modelpack.convert.WeightsFetcher;
import dev.photoscore.scoring.DjlDefaults;
import dev.photoscore.scoring.PhotoScore;
import dev.photoscore.scoring.WorkingSize;
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
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Trains the quality model's head on the deep features of Google's ImageNet MobileNet v1 and writes
 * {@value #MODEL_FILE} (the head) and {@value #PROVENANCE_FILE}; the pack build converts the backbone and composes
 * the two into one graph from pixels to score.
 *
 * <p>The held-out photos are set apart first (a committed list, or a stratified draw with the seed); repeated
 * stratified k-fold cross-validation on the rest picks the working size, the layers, the statistics, the weighting
 * and the kernel ({@link DeepSearchGrid}), with the ridge penalty chosen inside each training fold; the chosen head is
 * fitted on the whole rest, and only then measured on the held-out photos.
 *
 * <p>With {@code --anchors}, the fitting half of the professional photos joins the training photos as anchors with
 * the score the product's bands give a professional photo ({@code --anchor-score}): LIVE's ratings are of phone photos
 * and put none of them where a professional photograph belongs. The anchors take part in every fold's fit and are
 * predicted out of fold like the rest, but the correlations that choose the head and the calibration count only the
 * rated photos; the anchors' out-of-fold classes are reported apart.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Trains the quality model's head on deep ImageNet features of DIR/labels.csv (file,score) and its"
                + " photos; writes " + TrainQualityModel.MODEL_FILE + " and " + TrainQualityModel.PROVENANCE_FILE
                + " and refits the calibration.")
public final class TrainQualityModel implements Callable<Integer> {

    public static final String MODEL_FILE = "quality-model.onnx";
    public static final String PROVENANCE_FILE = "quality-model.json";
    /** A photo with a quality flag scores at most this: class 1, the product's "very bad" (see docs/scoring.md). */
    static final double FLAGGED_MAX_SCORE = 0.1999;
    private static final int RESAMPLES = 2000;
    /** Knots of the quantile calibration: every 5 % of the predictions. */
    private static final int CALIBRATION_STEPS = 20;

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "Folder with labels.csv (file,score; files relative to it) and the photos.")
    private Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write the model files to.")
    private Path out;

    @Option(names = "--held-out-list", paramLabel = "FILE",
            description = "The held-out photos, one file name (as in labels.csv) a line, '#' comments; without it a"
                    + " stratified fifth is drawn with the seed. The project's split: local/splits/livec_dev-heldout.txt.")
    private Path heldOutList;

    @Option(names = "--seed", defaultValue = "42",
            description = "Seed of the folds, a drawn split and the bootstrap (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--folds", defaultValue = "5", description = "Cross-validation folds (default: ${DEFAULT-VALUE}).")
    private int folds;

    @Option(names = "--repeats", defaultValue = "5",
            description = "Cross-validation repeats, each with other folds (default: ${DEFAULT-VALUE}).")
    private int repeats;

    @Option(names = "--working-sizes", split = ",", defaultValue = "250000", paramLabel = "PIXELS",
            description = "Working sizes searched, as pixel counts (default: ${DEFAULT-VALUE}, LIVE's 500x500).")
    private List<Integer> workingSizes;

    @Option(names = "--backbone", paramLabel = "FILE|DIR|URL",
            description = "Google's TensorFlow Lite MobileNet v1 (default: its published URL, then the shared copy).")
    private String backbone;

    @Option(names = "--feature-cache", paramLabel = "DIR",
            description = "Where extracted features are cached (default: the weights cache's features folder).")
    private Path featureCache;

    @Option(names = "--anchors", paramLabel = "FILE",
            description = "The professional photos' split (half, package, path a line; the project's:"
                    + " local/splits/professional-photos.txt): its '" + ProfessionalPhoto.FIT + "' photos join the"
                    + " training photos with the score --anchor-score; the correlations leave them out.")
    private Path anchorsFile;

    @Option(names = "--anchor-score", defaultValue = "95", paramLabel = "SCORE",
            description = "The anchors' score on the labels' 0-100 scale, in the product's excellent band (80-100 %%);"
                    + " default ${DEFAULT-VALUE}: of 90, 95 and 100 the one whose anchors' out-of-fold classes were"
                    + " best while the rated photos' cross-validation stayed at 0.80 or above (docs/scoring.md).")
    private double anchorScore;

    @Option(names = "--calibration", paramLabel = "FILE",
            description = "Calibration file whose 'quality' variant is refitted (default: calibration.json beside OUT).")
    private Path calibrationFile;

    public static void main(String[] args) {
        DjlDefaults.apply();
        System.exit(new CommandLine(new TrainQualityModel()).execute(args));
    }

    @Override
    public Integer call() throws IOException, OrtException {
        PrintStream log = System.out;
        List<LabelledPhoto> labels = LabelledPhoto.readLabels(data);
        boolean[] heldOut = heldOut(labels);
        boolean[] training = new boolean[heldOut.length];
        for (int i = 0; i < heldOut.length; i++) {
            training[i] = !heldOut[i];
        }
        ImagenetBackbone.Source source = ImagenetBackbone.resolve(backbone, sharedBackbone(),
                ImagenetBackbone.BLOB_ID, WeightsFetcher.builder().build(), log::println);
        TfliteModel tflite = TfliteModel.read(source.model());
        byte[] extractor = MobileNetTfliteConverter.convert(tflite, DeepSearchGrid.EXTRACTED).toByteArray();
        List<DeepFeatureTable.Group> groups = DeepSearchGrid.groupsOf(
                MobileNetTfliteConverter.featureNames(tflite, DeepSearchGrid.EXTRACTED));
        Path cache = featureCache != null ? featureCache : WeightsFetcher.defaultCacheDir().resolveSibling("features");
        List<ProfessionalPhoto> anchorPhotos = anchorsFile == null ? List.of()
                : ProfessionalPhoto.half(ProfessionalPhoto.read(anchorsFile), ProfessionalPhoto.FIT);
        List<LabelledPhoto> anchorFiles = anchorFiles(anchorPhotos, anchorScore, anchorsFile);

        List<ModelProvenance.Candidate> tried = new ArrayList<>();
        Search best = null;
        for (int pixels : workingSizes) {
            long start = System.nanoTime();
            DeepFeatureTable all = DeepFeatureTable.extract(extractor, groups, new WorkingSize(pixels), data, labels,
                    cache, done -> {
                        if (done % 100 == 0) {
                            log.printf("working size %d: features of %d of %d photos%n", pixels, done, labels.size());
                        }
                    });
            log.printf(Locale.ROOT, "working size %d: features of %d photos in %.1f s%n", pixels, all.size(),
                    (System.nanoTime() - start) / 1e9);
            // An anchor's file is absolute: data.resolve leaves it as it is.
            DeepFeatureTable anchors = anchorPhotos.isEmpty() ? all.where(new boolean[all.size()])
                    : DeepFeatureTable.extract(extractor, groups, new WorkingSize(pixels), data, anchorFiles, cache,
                            done -> { });
            DeepFeatureTable trainingPart = all.where(training);
            DeepModelSearch search = new DeepModelSearch(trainingPart.plus(anchors), anchorMarks(trainingPart.size(),
                    anchors.size()));
            for (DeepModelSearch.Candidate candidate : DeepSearchGrid.candidates()) {
                DeepModelSearch.Result result = search.crossValidate(candidate, folds, repeats, seed);
                tried.add(new ModelProvenance.Candidate(pixels, candidate.groups(), kernel(candidate),
                        result.meanSpearman(), result.spearmanDeviation(), result.meanPearson()));
                log.printf(Locale.ROOT, "  %d SRCC %.4f ±%.4f PLCC %.4f  %s%n", pixels, result.meanSpearman(),
                        result.spearmanDeviation(), result.meanPearson(), candidate.describe());
                // Strictly better only: of equal candidates the earlier, simpler one in the grid wins.
                if (best == null || result.meanSpearman() > best.result().meanSpearman()) {
                    best = new Search(pixels, all, anchors, result);
                }
            }
        }
        DeepModelSearch.Candidate chosen = best.result().candidate();
        BackboneSpec backboneSpec = DeepSearchGrid.spec(chosen.groups());
        DeepFeatureTable table = best.table().select(chosen.groups());
        DeepFeatureTable trainingPart = table.where(training);
        DeepFeatureTable heldOutPart = table.where(heldOut);
        DeepFeatureTable anchorPart = best.anchors().select(chosen.groups());
        DeepQualityHead head = DeepQualityHead.fit(trainingPart.plus(anchorPart), chosen);
        double[] heldOutPredictions = head.predict(heldOutPart.rows());
        double[] outOfFold = best.result().predictions();
        double[] ratedOutOfFold = Arrays.copyOf(outOfFold, trainingPart.size());
        double[] anchorsOutOfFold = Arrays.copyOfRange(outOfFold, trainingPart.size(), outOfFold.length);

        ModelProvenance.Figures cvFigures = figures(ratedOutOfFold, trainingPart.scores());
        ModelProvenance.Figures heldOutFigures = figures(heldOutPredictions, heldOutPart.scores());
        QuintileConfusion confusion = QuintileConfusion.of(
                Arrays.stream(heldOutPredictions).map(p -> Math.max(0, Math.min(100, p))).toArray(),
                heldOutPart.scores());

        OnnxMl.ModelProto headGraph = head.toOnnx(List.of(meta("photoscore.backbone.spec", backboneSpec.text()),
                meta("photoscore.backbone.working_pixels", Integer.toString(best.workingPixels()))));
        OnnxMl.ModelProto composed = OnnxComposition.compose(
                MobileNetTfliteConverter.convert(tflite, backboneSpec), headGraph);
        double parity = maxAbsDifference(composed, new WorkingSize(best.workingPixels()), heldOutPart.files(),
                heldOutPredictions);
        if (parity > 0.05) {
            throw new IllegalStateException("the composed ONNX graph disagrees with the Java model by up to " + parity);
        }
        Files.createDirectories(out);
        Files.write(out.resolve(MODEL_FILE), headGraph.toByteArray());
        tried.sort(Comparator.comparingDouble(ModelProvenance.Candidate::spearman).reversed());
        ModelProvenance provenance = new ModelProvenance(MODEL_FILE,
                OffsetDateTime.now(ZoneOffset.UTC).withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                commandLine(), seed,
                new ModelProvenance.Data(data.getFileName().toString(), source(data), table.size(),
                        trainingPart.size(), heldOutPart.size()),
                null,
                new ModelProvenance.Backbone("Google ImageNet MobileNet v1 (" + ImagenetBackbone.FILE_NAME
                        + ", Apache-2.0), converted to ONNX", backboneSpec.text(), source.gitBlobId(),
                        best.workingPixels(), table.rows()[0].length),
                new ModelProvenance.Features("imagenet-mobilenet-v1/" + backboneSpec.text(), List.of()),
                new ModelProvenance.Chosen(best.workingPixels(), chosen.groups(), head.kernel(), head.penalty(),
                        "EJML (kernel ridge, photoscore)"),
                new ModelProvenance.Selection(folds, repeats,
                        "mean over the repeats of the pooled out-of-fold Spearman correlation",
                        "chosen inside each training fold by exact leave-one-out squared error", tried),
                cvFigures,
                new ModelProvenance.HeldOut(heldOutList != null ? heldOutList.toString()
                        : "stratified fifth drawn with the seed", heldOutFigures, confusion.counts(),
                        confusion.accuracy(), confusion.withinOneAccuracy(), heldOutPart.files()),
                parity);
        Calibration.Variant calibration = writeCalibration(ratedOutOfFold, trainingPart.scores(),
                Checksums.sha256(out.resolve(MODEL_FILE)));
        if (!anchorPart.files().isEmpty()) {
            provenance = provenance.withAnchors(new ModelProvenance.Anchors(anchorsFile.toString(),
                    ProfessionalPhoto.FIT, anchorScore, shareInTopClasses(anchorsOutOfFold, calibration),
                    anchorPhotos.stream().map(ProfessionalPhoto::path).toList()));
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(out.resolve(PROVENANCE_FILE).toFile(), provenance);
        QuintileConfusion calibratedClasses = QuintileConfusion.of(Arrays.stream(heldOutPredictions)
                .map(p -> 100 * calibration.score(Map.of(QuantileCalibration.INPUT, p))).toArray(),
                heldOutPart.scores());

        log.printf(Locale.ROOT, "chosen: working size %d, %s, penalty %.4g%n", best.workingPixels(),
                chosen.describe(), head.penalty());
        log.printf(Locale.ROOT, "cross-validation (%d photos): SRCC %s, PLCC %s%n", cvFigures.photos(),
                text(cvFigures.spearman()), text(cvFigures.pearson()));
        log.printf(Locale.ROOT, "held out (%d photos): SRCC %s, PLCC %s%n", heldOutFigures.photos(),
                text(heldOutFigures.spearman()), text(heldOutFigures.pearson()));
        if (anchorsOutOfFold.length > 0) {
            log.printf(Locale.ROOT, "anchors (%d professional photos, score %.0f), out of fold: %.3f in class 4 or 5%n",
                    anchorsOutOfFold.length, anchorScore, shareInTopClasses(anchorsOutOfFold, calibration));
            for (int i = 0; i < anchorsOutOfFold.length; i++) {
                log.printf(Locale.ROOT, "  mos %5.1f  class %d  %s%n", anchorsOutOfFold[i], PhotoScore.classOf(
                        calibration.score(Map.of(QuantileCalibration.INPUT, anchorsOutOfFold[i]))),
                        anchorPhotos.get(i).path());
            }
        }
        log.println(confusion);
        log.printf(Locale.ROOT, "composed ONNX graph vs Java model: max |difference| %.2e%n", parity);
        log.println("held out, calibrated score classes (columns) against the labels' quintiles (rows):");
        log.println(calibratedClasses);
        log.printf("wrote %s and %s%n", out.resolve(MODEL_FILE), out.resolve(PROVENANCE_FILE));
        return 0;
    }

    /** The chosen working size's features, its anchors' and the winning candidate's cross-validation. */
    private record Search(int workingPixels, DeepFeatureTable table, DeepFeatureTable anchors,
                          DeepModelSearch.Result result) {
    }

    /**
     * The anchors' files on this machine (absolute), each with {@code score}; {@code split} names the file they were
     * read from, for the message when one is missing.
     */
    static List<LabelledPhoto> anchorFiles(List<ProfessionalPhoto> photos, double score, Path split)
            throws IOException {
        Optional<Path> shared = Optional.ofNullable(System.getProperty("photoscore.shared")).map(Path::of);
        List<LabelledPhoto> anchors = new ArrayList<>();
        for (ProfessionalPhoto photo : photos) {
            Path file = photo.location(shared).filter(Files::isRegularFile).orElseThrow(() -> new IOException(
                    split + " names " + photo.path() + ", which is not here: install " + photo.source()));
            anchors.add(new LabelledPhoto(file.toAbsolutePath().toString(), score));
        }
        return anchors;
    }

    /** {@code rated} rows, then {@code anchors} rows marked as anchors. */
    static boolean[] anchorMarks(int rated, int anchors) {
        boolean[] marks = new boolean[rated + anchors];
        Arrays.fill(marks, rated, marks.length, true);
        return marks;
    }

    /** The share of the predictions that the calibration puts in class 4 or 5. */
    private static double shareInTopClasses(double[] predictions, Calibration.Variant calibration) {
        return Arrays.stream(predictions).filter(p -> PhotoScore.classOf(
                calibration.score(Map.of(QuantileCalibration.INPUT, p))) >= 4).count() / (double) predictions.length;
    }

    private static String kernel(DeepModelSearch.Candidate candidate) {
        return candidate.rbfWidth() == 0 ? "linear" : "gaussian " + candidate.rbfWidth();
    }

    private boolean[] heldOut(List<LabelledPhoto> labels) throws IOException {
        double[] scores = labels.stream().mapToDouble(LabelledPhoto::score).toArray();
        if (heldOutList == null) {
            return StratifiedSplits.heldOut(scores, 0.2, seed);
        }
        Set<String> names = new LinkedHashSet<>();
        for (String line : Files.readAllLines(heldOutList, StandardCharsets.UTF_8)) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                names.add(name);
            }
        }
        Set<String> known = new HashSet<>(labels.stream().map(LabelledPhoto::file).toList());
        for (String name : names) {
            if (!known.contains(name)) {
                throw new IOException(heldOutList + " names " + name + ", which " + data.resolve(LabelledPhoto.LABELS)
                        + " does not list");
            }
        }
        boolean[] heldOut = new boolean[labels.size()];
        for (int i = 0; i < heldOut.length; i++) {
            heldOut[i] = names.contains(labels.get(i).file());
        }
        return heldOut;
    }

    /** The shared data folder's copy of the backbone, when the build says where shared data is. */
    private static Path sharedBackbone() {
        String shared = System.getProperty("photoscore.shared");
        return shared == null ? null : Path.of(shared).resolve(ImagenetBackbone.SHARED_FOLDER);
    }

    /**
     * Refits the calibration's quality variant on the cross-validation's out-of-fold predictions and writes the
     * calibration file under a version naming the model it belongs to; a new file gets the flag cap.
     */
    private Calibration.Variant writeCalibration(double[] outOfFold, double[] labels, String modelSha256)
            throws IOException {
        Path file = calibrationFile != null ? calibrationFile : out.toAbsolutePath().getParent().resolve(
                Calibration.FILE_NAME);
        Calibration.Variant fitted = QuantileCalibration.fit(outOfFold, labels, CALIBRATION_STEPS);
        Calibration previous = Files.isRegularFile(file) ? Calibration.read(file)
                : new Calibration("", "fitted by the train command; see docs/scoring.md", List.of(fitted),
                        FLAGGED_MAX_SCORE);
        Calibration updated = QuantileCalibration.withVariant(previous, fitted,
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

    private static OnnxMl.StringStringEntryProto meta(String key, String value) {
        return OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    /**
     * The largest difference between ONNX Runtime running the composed graph (pixels to score) on the photos and
     * the Java model's predictions from their extracted features: the composition, the feature order and the head's
     * export checked end to end.
     */
    private double maxAbsDifference(OnnxMl.ModelProto composed, WorkingSize workingSize, List<String> files,
                                    double[] expected) throws IOException, OrtException {
        double max = 0;
        try (PhotoGraph graph = new PhotoGraph(composed.toByteArray(), workingSize)) {
            for (int i = 0; i < files.size(); i++) {
                float predicted = graph.run(Files.readAllBytes(data.resolve(files.get(i))), files.get(i),
                        DeepQualityHead.OUTPUT)[0];
                max = Math.max(max, Math.abs(predicted - expected[i]));
            }
        }
        return max;
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
