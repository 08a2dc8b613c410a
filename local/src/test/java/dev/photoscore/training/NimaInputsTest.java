package dev.photoscore.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.modelpack.ModelManifest;
import dev.photoscore.modelpack.build.ModelPackBuilder;
import dev.photoscore.modelpack.testing.TestModelPacks;
import dev.photoscore.modelpack.testing.TestModelPacks.NimaWeights;
import dev.photoscore.quality.QualityFeatures;
import dev.photoscore.scoring.PhotoScore;
import dev.photoscore.scoring.PhotoScorer;
import dev.photoscore.scoring.ScorerUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The NIMA means as inputs of the quality model, end to end: trained with {@code --nima-pack} on a pack of the layout
 * specimen's random heads (the figures mean nothing), packed with the heads, and scored in one pass, NIMA first.
 */
class NimaInputsTest {

    private static final List<String> NIMA_MEANS = List.of("nima.aesthetic", "nima.technical");

    @TempDir
    static Path dir;

    static Path data;
    static NimaWeights weights;
    /** calibration.json and quality/ as the train command wrote them. */
    static Path trained;

    @BeforeAll
    static void trainOnTheFeaturesAndTheNimaMeans() throws IOException {
        data = dir.resolve("data");
        BlurredDrawings.write(data, 30);
        weights = TestModelPacks.specimenOrSmall(dir);
        Path nimaPack = TestModelPacks.fromWeights(weights.aesthetic(), weights.technical(), dir.resolve("nima"));
        trained = Files.createDirectories(dir.resolve("trained"));
        try (InputStream bundled = ModelPackBuilder.class.getResourceAsStream(
                "/dev/photoscore/modelpack/pack/calibration.json")) {
            Files.copy(bundled, trained.resolve("calibration.json"));
        }
        int exit = new CommandLine(new TrainQualityModel()).execute("--data", data.toString(),
                "--out", trained.resolve("quality").toString(), "--folds", "3", "--seed", "5",
                "--nima-pack", nimaPack.toString());
        assertEquals(0, exit);
    }

    @Test
    void theModelRecordsThatItTakesTheNimaMeansAfterTheFeatures() throws Exception {
        JsonNode provenance = new ObjectMapper().readTree(
                trained.resolve("quality").resolve(TrainQualityModel.PROVENANCE_FILE).toFile());
        assertEquals(NIMA_MEANS, strings(provenance.at("/features/modelInputs")));
        List<String> names = strings(provenance.at("/features/names"));
        assertEquals(QualityFeatures.names(), names.subList(0, QualityFeatures.names().size()));
        assertEquals(NIMA_MEANS, names.subList(QualityFeatures.names().size(), names.size()));
        assertEquals("float[N," + names.size() + "]", provenance.at("/onnx/inputShape").asText());
    }

    @Test
    void aPackWithTheHeadsRunsNimaFirstAndFeedsItsMeansToTheQualityModel() throws Exception {
        Path pack = TestModelPacks.withBundled(weights.aesthetic(), weights.technical(), trained, dir.resolve("pack"));
        ModelManifest.ModelEntry quality = ModelManifest.read(pack).model(ModelPackBuilder.QUALITY_MODEL).orElseThrow();
        assertEquals(NIMA_MEANS, quality.inputs());

        byte[] photo = Files.readAllBytes(data.resolve("images/7.png"));
        try (PhotoScorer scorer = PhotoScorer.builder().modelDir(pack).threads(1)
                .limits(PhotoLimits.api().withoutSizeLimits()).build()) {
            PhotoScore score = scorer.score(photo);
            assertTrue(score.calibration().endsWith("/quality"), score.calibration());
            assertEquals(Set.of("nima.aesthetic", "nima.technical", "quality.mos"), score.outputs().keySet());

            // The graph run here on the photo's features and the NIMA means the scorer reported gives its answer.
            float[] features = QualityFeatures.extract(scorer.decoder().decode(photo).image()).toArray();
            float[] input = Arrays.copyOf(features, features.length + 2);
            input[features.length] = score.outputs().get("nima.aesthetic").floatValue();
            input[features.length + 1] = score.outputs().get("nima.technical").floatValue();
            assertEquals(run(pack.resolve(ModelPackBuilder.QUALITY_FILE), input), score.outputs().get("quality.mos"),
                    1e-4);
        }
    }

    @Test
    void aPackWithoutTheHeadsIsNotBuiltForSuchAModel() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> ModelPackBuilder.builder()
                .weights("").bundledDir(trained).log(line -> { }).build().build(dir.resolve("headless")));
        assertTrue(refused.getMessage().contains("[nima.aesthetic, nima.technical]"), refused.getMessage());
        assertTrue(refused.getMessage().contains("--nima-pack"), refused.getMessage());
    }

    @Test
    void theScorerRefusesAPackWhoseQualityModelMissesItsInputs() throws Exception {
        Path pack = TestModelPacks.withBundled(weights.aesthetic(), weights.technical(), trained,
                dir.resolve("edited"));
        ModelManifest manifest = ModelManifest.read(pack);
        new ModelManifest(manifest.format(), manifest.packVersion(), manifest.input(),
                manifest.models().stream().filter(m -> !m.name().equals(ModelPackBuilder.NIMA_MODEL)).toList(),
                manifest.calibrationFile(), manifest.calibrationVersion(), manifest.notes()).write(pack);

        ScorerUnavailableException refused = assertThrows(ScorerUnavailableException.class,
                () -> PhotoScorer.builder().modelDir(pack).threads(1).build());
        assertTrue(refused.getMessage().contains("quality takes [nima.aesthetic, nima.technical]"),
                refused.getMessage());
    }

    @Test
    void trainingRefusesAPackWithoutHeads() {
        Path empty = TestModelPacks.withoutModels(dir.resolve("empty"));
        int exit = new CommandLine(new TrainQualityModel()).execute("--data", data.toString(),
                "--out", dir.resolve("unused").toString(), "--folds", "3", "--nima-pack", empty.toString());
        assertNotEquals(0, exit);
        assertTrue(Files.notExists(dir.resolve("unused").resolve(TrainQualityModel.MODEL_FILE)));
    }

    private static float run(Path model, float[] input) throws Exception {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession session = environment.createSession(model.toString(), new OrtSession.SessionOptions());
             OnnxTensor tensor = OnnxTensor.createTensor(environment, new float[][] {input});
             OrtSession.Result result = session.run(Map.of(QualityRegressor.INPUT, tensor))) {
            return ((float[][]) result.get(0).getValue())[0][0];
        }
    }

    private static List<String> strings(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
