package dev.photoscore.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.photoscore.evaluation.Correlation;
import dev.photoscore.modelpack.Calibration;
import dev.photoscore.modelpack.build.Checksums;
import dev.photoscore.quality.QualityFeatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The model files committed to the model pack sources agree with the feature code and with their provenance. */
class CommittedQualityModelTest {

    /** Tests run in the module folder; the repository root is its parent. */
    private static final Path PACK = Path.of("..", "layers", "model", "src", "main", "pack", "quality");

    @Test
    void graphExpectsTheCurrentFeatureSet() throws IOException {
        OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(PACK.resolve(TrainQualityModel.MODEL_FILE)));
        Map<String, String> metadata = new HashMap<>();
        model.getMetadataPropsList().forEach(p -> metadata.put(p.getKey(), p.getValue()));
        assertEquals(QualityFeatures.VERSION, metadata.get(QualityRegressor.FEATURE_VERSION_KEY),
                "feature code changed: retrain the model");
        assertEquals(String.join(",", QualityFeatures.names()), metadata.get(QualityRegressor.FEATURE_NAMES_KEY));
    }

    @Test
    void calibrationBelongsToTheModelAndItsNimaPriorToItsKnots() throws IOException {
        Calibration calibration = Calibration.read(PACK.resolveSibling(Calibration.FILE_NAME));
        String sha = Checksums.sha256(PACK.resolve(TrainQualityModel.MODEL_FILE));
        assertTrue(calibration.version().startsWith("quantile-" + sha.substring(0, 12)), calibration.version());
        Calibration.Variant quality = calibration.variants().stream()
                .filter(v -> v.name().equals(QuantileCalibration.VARIANT)).findFirst().orElseThrow();
        Calibration.Variant expected = QuantileCalibration.withNimaPrior(quality);
        Calibration.Variant prior = calibration.variants().get(0);
        assertEquals(expected.name(), prior.name(), "the prior comes first: a pack with the heads uses it");
        assertEquals(expected.inputs(), prior.inputs());
        assertArrayEquals(expected.weights(), prior.weights(), 1e-12);
        assertEquals(expected.bias(), prior.bias(), 1e-12);
        assertArrayEquals(expected.knotsX(), prior.knotsX(), 1e-12);
        assertArrayEquals(expected.knotsY(), prior.knotsY(), 1e-12);
    }

    @Test
    void heldOutFigureIsReproduced() throws Exception {
        Path shared = Path.of(System.getProperty("photoscore.shared", "../../shared"));
        JsonNode provenance = new ObjectMapper().readTree(PACK.resolve(TrainQualityModel.PROVENANCE_FILE).toFile());
        Path data = shared.resolve("evaldata").resolve(provenance.at("/data/folder").asText());
        assumeTrue(Files.isRegularFile(data.resolve(LabelledPhoto.LABELS)),
                () -> "skipped: no labelled photos at " + data.toAbsolutePath());
        Map<String, Double> scores = new HashMap<>();
        LabelledPhoto.readLabels(data).forEach(p -> scores.put(p.file(), p.score()));
        List<LabelledPhoto> heldOut = new ArrayList<>();
        provenance.at("/heldOut/files").forEach(f -> heldOut.add(new LabelledPhoto(f.asText(), scores.get(f.asText()))));

        FeatureTable table = FeatureTable.extract(data, heldOut, file -> { });
        OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(PACK.resolve(TrainQualityModel.MODEL_FILE)));
        float[][] predicted = QualityRegressorTest.runOnnx(model, table.rows());
        double[] mos = new double[predicted.length];
        for (int i = 0; i < mos.length; i++) {
            mos[i] = predicted[i][0];
        }
        assertEquals(provenance.at("/heldOut/figures/spearman/estimate").asDouble(),
                Correlation.spearman(mos, table.scores()), 1e-3);
        assertEquals(provenance.at("/heldOut/figures/pearson/estimate").asDouble(),
                Correlation.pearson(mos, table.scores()), 1e-3);
    }
}
