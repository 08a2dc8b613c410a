package dev.photoscore.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.photoscore.evaluation.Correlation;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.modelpack.Calibration;
import dev.photoscore.modelpack.convert.MobileNetTfliteConverter;
import dev.photoscore.modelpack.convert.ModelPackBuilder;
import dev.photoscore.modelpack.convert.TfliteModel;
import dev.photoscore.modelpack.convert.WeightsFetcher;
import dev.photoscore.modelpack.testing.TestModelPacks;
import dev.photoscore.quality.flags.PhotoFlag;
import dev.photoscore.scoring.PhotoScorer;
import dev.photoscore.scoring.WorkingSize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The final score in cross-validation on livec_dev's training photos (the held-out split left out): the bundled
 * quality head's candidate (its provenance's layers, kernel and working size) refitted in 5-fold cross-validation
 * as the train command does (seed 42, first repeat, with the professional anchors its provenance names), the rated
 * photos' out-of-fold predictions mapped through the bundled
 * calibration, then capped where the bundled pack's scorer flags the photo. A measurement, not a test:
 * <pre>
 * mvn -B -q -o -pl local -am test -Dtest=FinalScoreCrossValidation -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dphotoscore.finalcv=true
 * </pre>
 */
@EnabledIfSystemProperty(named = "photoscore.finalcv", matches = "true")
class FinalScoreCrossValidation {

    /** The professional photos' split, from the local module's folder (where the tests run). */
    private static final Path SPLIT = Path.of("splits", "professional-photos.txt");

    @TempDir
    Path tmp;

    @Test
    void measure() throws Exception {
        SharedTrainingData shared = SharedTrainingData.require();
        Path data = shared.data();
        Path pack = TestModelPacks.offline(tmp.resolve("pack"));
        JsonNode provenance = new ObjectMapper().readTree(pack.resolve(ModelPackBuilder.QUALITY_PROVENANCE).toFile());
        JsonNode chosen = provenance.path("chosen");
        List<String> groups = new ArrayList<>();
        chosen.path("groups").forEach(g -> groups.add(g.asText()));
        String kernel = chosen.path("kernel").asText();
        double width = kernel.startsWith("gaussian, width ")
                ? Double.parseDouble(kernel.substring("gaussian, width ".length()).split(" ")[0]) : 0;
        WorkingSize workingSize = new WorkingSize(chosen.path("workingPixels").asInt());

        Set<String> heldOut = shared.heldOut();
        List<LabelledPhoto> labels = LabelledPhoto.readLabels(data);
        boolean[] training = new boolean[labels.size()];
        for (int i = 0; i < training.length; i++) {
            training[i] = !heldOut.contains(labels.get(i).file());
        }
        // The bundled pack's flags on the training photos, in the labels' order (the order of the training part below).
        // First, as DJL sets ONNX Runtime's thread pool only on an environment it creates itself.
        List<List<PhotoFlag>> flags = new ArrayList<>();
        try (PhotoScorer scorer = PhotoScorer.builder().modelDir(pack).limits(PhotoLimits.api().withoutSizeLimits())
                .build()) {
            for (int i = 0; i < labels.size(); i++) {
                if (training[i]) {
                    flags.add(scorer.score(Files.readAllBytes(data.resolve(labels.get(i).file()))).flags());
                }
            }
        }
        TfliteModel tflite = TfliteModel.read(shared.backbone().model());
        byte[] extractor = MobileNetTfliteConverter.convert(tflite, DeepSearchGrid.EXTRACTED).toByteArray();
        List<DeepFeatureTable.Group> featureGroups = DeepSearchGrid.groupsOf(
                MobileNetTfliteConverter.featureNames(tflite, DeepSearchGrid.EXTRACTED));
        Path cache = WeightsFetcher.defaultCacheDir().resolveSibling("features");
        DeepFeatureTable all = DeepFeatureTable.extract(extractor, featureGroups, workingSize, data, labels, cache,
                done -> { });
        DeepFeatureTable part = all.where(training);
        // The professional anchors the bundled head was fitted with (its provenance), in every fold's fit as the
        // train command has them; only the rated photos' out-of-fold predictions are measured.
        JsonNode anchorsUsed = provenance.path("anchors");
        List<LabelledPhoto> anchorFiles = anchorsUsed.isObject() ? TrainQualityModel.anchorFiles(
                ProfessionalPhoto.half(ProfessionalPhoto.read(SPLIT), anchorsUsed.path("half").asText()),
                anchorsUsed.path("score").asDouble(), SPLIT) : List.of();
        DeepFeatureTable anchors = anchorFiles.isEmpty() ? all.where(new boolean[all.size()])
                : DeepFeatureTable.extract(extractor, featureGroups, workingSize, data, anchorFiles, cache, done -> { });
        DeepModelSearch.Result result = new DeepModelSearch(part.plus(anchors),
                TrainQualityModel.anchorMarks(part.size(), anchors.size()))
                .crossValidate(new DeepModelSearch.Candidate(groups, width), 5, 1, provenance.path("seed").asLong(42));
        double[] outOfFold = Arrays.copyOf(result.predictions(), part.size());

        Calibration calibration = Calibration.read(pack.resolve(Calibration.FILE_NAME));
        Calibration.Variant variant = calibration.variants().stream().filter(v -> v.name().equals("quality"))
                .findFirst().orElseThrow();
        double cap = calibration.flaggedMaxScore();
        double[] calibrated = new double[outOfFold.length];
        for (int i = 0; i < outOfFold.length; i++) {
            calibrated[i] = variant.score(Map.of("quality.mos", outOfFold[i]));
        }
        double[] labelsOf = part.scores();
        double[] capped = new double[calibrated.length];
        for (int i = 0; i < capped.length; i++) {
            capped[i] = flags.get(i).isEmpty() ? calibrated[i] : Math.min(calibrated[i], cap);
        }
        System.out.printf(Locale.ROOT, "%d training photos, 5-fold out of fold: model %.4f, calibrated %.4f,"
                + " final (flags capped) %.4f; flagged %d%n", capped.length, Correlation.spearman(outOfFold, labelsOf),
                Correlation.spearman(calibrated, labelsOf), Correlation.spearman(capped, labelsOf),
                flags.stream().filter(f -> !f.isEmpty()).count());
        for (PhotoFlag flag : PhotoFlag.values()) {
            StringBuilder line = new StringBuilder();
            int n = 0;
            for (int i = 0; i < capped.length; i++) {
                if (flags.get(i).contains(flag)) {
                    n++;
                    line.append(String.format(Locale.ROOT, " %s(label %.0f, oof %.3f)", part.files().get(i),
                            labelsOf[i], calibrated[i]));
                }
            }
            if (n > 0) {
                System.out.println(flag.jsonName() + " " + n + ":" + line);
            }
        }
        for (double penalty = 0; penalty <= 0.4001; penalty += 0.05) {
            double[] penalised = new double[capped.length];
            for (int i = 0; i < capped.length; i++) {
                penalised[i] = flags.get(i).equals(List.of(PhotoFlag.UNDEREXPOSED))
                        ? Math.max(0, calibrated[i] - penalty) : capped[i];
            }
            System.out.printf(Locale.ROOT, "underexposed alone: penalty %.2f instead of the cap: final %.4f%n",
                    penalty, Correlation.spearman(penalised, labelsOf));
        }
    }
}
