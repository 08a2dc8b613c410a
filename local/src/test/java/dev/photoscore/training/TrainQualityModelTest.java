package dev.photoscore.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.photoscore.modelpack.Calibration;
import dev.photoscore.modelpack.convert.BackboneSpec;
import dev.photoscore.modelpack.convert.ImagenetBackbone;
import dev.photoscore.modelpack.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainQualityModelTest {

    @TempDir
    Path data;

    @TempDir
    Path out;

    /** Drawings whose score falls with their blur: the deep features see blur, so the head learns it. */
    @Test
    void trainsAHeadOnTheBackbonesFeaturesAndWritesItWithItsProvenanceAndACappedCalibration() throws IOException {
        Path backbone = SharedData.directory().resolve(ImagenetBackbone.SHARED_FOLDER);
        assumeTrue(Files.isRegularFile(backbone.resolve(ImagenetBackbone.FILE_NAME)),
                "skipped: Google's MobileNet is not in the shared data (set photoscore.shared)");
        BlurredDrawings.write(data, 40);
        Files.writeString(data.resolve("held-out.txt"), "# test split\nimages/3.png\nimages/10.png\nimages/17.png\n"
                + "images/24.png\nimages/31.png\nimages/38.png\n");

        int exit = new CommandLine(new TrainQualityModel()).execute(
                "--data", data.toString(), "--out", out.resolve("quality").toString(), "--folds", "3",
                "--repeats", "2", "--seed", "5", "--working-sizes", "20000", "--backbone", backbone.toString(),
                "--feature-cache", out.resolve("cache").toString(),
                "--held-out-list", data.resolve("held-out.txt").toString());

        assertEquals(0, exit);
        assertTrue(Files.size(out.resolve("quality").resolve(TrainQualityModel.MODEL_FILE)) > 0);
        JsonNode provenance = new ObjectMapper().readTree(
                out.resolve("quality").resolve(TrainQualityModel.PROVENANCE_FILE).toFile());
        assertEquals(DeepSearchGrid.spec(iterable(provenance.at("/chosen/groups"))).text(),
                BackboneSpec.parse(provenance.at("/backbone/spec").asText()).text(),
                "the spec computes the chosen groups");
        assertEquals(ImagenetBackbone.BLOB_ID, provenance.at("/backbone/sourceBlobId").asText());
        assertEquals(20000, provenance.at("/backbone/workingPixels").asInt());
        assertEquals(40, provenance.at("/data/photos").asInt());
        assertEquals(List.of("images/3.png", "images/10.png", "images/17.png", "images/24.png", "images/31.png",
                "images/38.png"), iterable(provenance.at("/heldOut/files")));
        assertEquals(34, provenance.at("/crossValidation/photos").asInt());
        assertEquals(DeepSearchGrid.candidates().size(), provenance.at("/selection/candidates").size());
        assertTrue(provenance.at("/command").asText().contains("--repeats 2"));
        assertTrue(provenance.at("/onnxMaxAbsDifference").asDouble() < 0.05, "the composed graph agrees");
        assertTrue(provenance.at("/crossValidation/spearman/estimate").asDouble() > 0.7,
                "blur is learnt: " + provenance.at("/crossValidation/spearman"));
        Calibration calibration = Calibration.read(out.resolve("calibration.json"));
        assertEquals(TrainQualityModel.FLAGGED_MAX_SCORE, calibration.flaggedMaxScore(),
                "a new calibration keeps flagged photos in class 1");
        Calibration.Variant quality = calibration.variantFor(List.of("quality.mos")).orElseThrow();
        assertTrue(quality.score(Map.of("quality.mos", 1e6)) <= 1, "clamped to the last knot");
        assertTrue(Files.list(out.resolve("cache")).findAny().isPresent(), "features cached for a rerun");
    }

    private static List<String> iterable(JsonNode array) {
        List<String> values = new java.util.ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
