package dev.photoscore.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.photoscore.quality.QualityFeatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainQualityModelTest {

    @TempDir
    Path data;

    @TempDir
    Path out;

    @Test
    void trainsOnLabelledPhotosAndWritesTheModelWithItsProvenance() throws IOException {
        BlurredDrawings.write(data, 30);

        int exit = new CommandLine(new TrainQualityModel()).execute(
                "--data", data.toString(), "--out", out.toString(), "--folds", "3", "--seed", "5",
                "--calibration", out.resolve("calibration.json").toString());

        assertEquals(0, exit);
        assertTrue(Files.size(out.resolve(TrainQualityModel.MODEL_FILE)) > 0);
        JsonNode provenance = new ObjectMapper().readTree(out.resolve(TrainQualityModel.PROVENANCE_FILE).toFile());
        assertEquals(QualityFeatures.VERSION, provenance.at("/features/version").asText());
        assertEquals(QualityFeatures.names().size(), provenance.at("/features/names").size());
        assertEquals(0, provenance.at("/features/modelInputs").size(), "no other model's outputs without --nima-pack");
        assertEquals(30, provenance.at("/data/photos").asInt());
        assertEquals(6, provenance.at("/heldOut/files").size());
        assertEquals(24, provenance.at("/crossValidation/photos").asInt());
        assertEquals(5, provenance.at("/seed").asLong());
        assertTrue(provenance.at("/command").asText().contains("--folds 3"));
        assertTrue(provenance.at("/onnxMaxAbsDifference").asDouble() < 1e-3);
        assertTrue(provenance.at("/crossValidation/spearman/estimate").asDouble() > 0.7,
                "blur is learnt: " + provenance.at("/crossValidation/spearman"));
        assertNotEquals("", provenance.at("/chosen/type").asText());
        assertEquals(5, provenance.at("/heldOut/confusion").size());
        dev.photoscore.modelpack.Calibration calibration =
                dev.photoscore.modelpack.Calibration.read(out.resolve("calibration.json"));
        dev.photoscore.modelpack.Calibration.Variant quality = calibration.variantFor(List.of("quality.mos")).orElseThrow();
        assertEquals("quality", quality.name());
        assertTrue(quality.score(java.util.Map.of("quality.mos", 1e6)) <= 1, "clamped to the last knot");
    }
}
