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

    /**
     * Drawings whose score falls with their blur: the deep features see blur, so the head learns it. Four more sharp
     * drawings are the fitting half of an anchors split (two of its measuring half must stay out): they are trained
     * on, but left out of the correlations.
     */
    @Test
    void trainsAHeadOnTheBackbonesFeaturesAndWritesItWithItsProvenanceAndACappedCalibration() throws IOException {
        Path backbone = SharedData.directory().resolve(ImagenetBackbone.SHARED_FOLDER);
        assumeTrue(Files.isRegularFile(backbone.resolve(ImagenetBackbone.FILE_NAME)),
                "skipped: Google's MobileNet is not in the shared data (set photoscore.shared)");
        BlurredDrawings.write(data, 40);
        Files.writeString(data.resolve("held-out.txt"), "# test split\nimages/3.png\nimages/10.png\nimages/17.png\n"
                + "images/24.png\nimages/31.png\nimages/38.png\n");
        Path anchorData = out.resolve("anchors");
        BlurredDrawings.write(anchorData, 36);
        StringBuilder split = new StringBuilder("# half\tpackage\tpath\n");
        for (int i = 0; i < 6; i++) {
            split.append(i < 4 ? ProfessionalPhoto.FIT : ProfessionalPhoto.MEASURE).append("\ttest\t")
                    .append(anchorData.resolve("images/" + i * 6 + ".png").toAbsolutePath()).append('\n');
        }
        Files.writeString(anchorData.resolve("split.txt"), split);

        int exit = new CommandLine(new TrainQualityModel()).execute(
                "--data", data.toString(), "--out", out.resolve("quality").toString(), "--folds", "3",
                "--repeats", "2", "--seed", "5", "--working-sizes", "20000", "--backbone", backbone.toString(),
                "--feature-cache", out.resolve("cache").toString(),
                "--held-out-list", data.resolve("held-out.txt").toString(),
                "--anchors", anchorData.resolve("split.txt").toString(), "--anchor-score", "95");

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
        assertEquals(34, provenance.at("/crossValidation/photos").asInt(), "the anchors are not among the rated photos");
        assertEquals(34, provenance.at("/data/trainingPhotos").asInt());
        assertEquals(95, provenance.at("/anchors/score").asDouble());
        assertEquals(List.of(0, 6, 12, 18).stream().map(i -> anchorData.resolve("images/" + i + ".png")
                .toAbsolutePath().toString()).toList(), iterable(provenance.at("/anchors/files")));
        double anchorShare = provenance.at("/anchors/outOfFoldShareInClass45").asDouble();
        assertTrue(anchorShare >= 0 && anchorShare <= 1, "a share: " + anchorShare);
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
