package dev.photoscore.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.photoscore.quality.QualityFeatures;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainQualityModelTest {

    @TempDir
    Path data;

    @TempDir
    Path out;

    /** Photos whose score falls with the blur they were given: a relation the features see. */
    @Test
    void trainsOnLabelledPhotosAndWritesTheModelWithItsProvenance() throws IOException {
        Files.createDirectories(data.resolve("images"));
        StringBuilder labels = new StringBuilder("file,score\n");
        Random random = new Random(1);
        for (int i = 0; i < 30; i++) {
            int blur = i % 6;
            BufferedImage photo = blurred(drawing(random), blur);
            String file = "images/" + i + ".png";
            ImageIO.write(photo, "png", data.resolve(file).toFile());
            labels.append(file).append(',').append(90 - 14 * blur + random.nextGaussian()).append('\n');
        }
        Files.writeString(data.resolve("labels.csv"), labels);

        int exit = new CommandLine(new TrainQualityModel()).execute(
                "--data", data.toString(), "--out", out.toString(), "--folds", "3", "--seed", "5",
                "--calibration", out.resolve("calibration.json").toString());

        assertEquals(0, exit);
        assertTrue(Files.size(out.resolve(TrainQualityModel.MODEL_FILE)) > 0);
        JsonNode provenance = new ObjectMapper().readTree(out.resolve(TrainQualityModel.PROVENANCE_FILE).toFile());
        assertEquals(QualityFeatures.VERSION, provenance.at("/features/version").asText());
        assertEquals(QualityFeatures.names().size(), provenance.at("/features/names").size());
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

    private static BufferedImage drawing(Random random) {
        BufferedImage image = new BufferedImage(160, 120, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, 160, 120);
        for (int i = 0; i < 150; i++) {
            g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
            g.fillRect(random.nextInt(160), random.nextInt(120), 2 + random.nextInt(30), 2 + random.nextInt(30));
        }
        g.dispose();
        return image;
    }

    /** A box blur of width {@code 2 * radius + 1}; radius 0 returns the image. */
    private static BufferedImage blurred(BufferedImage image, int radius) {
        if (radius == 0) {
            return image;
        }
        int size = 2 * radius + 1;
        float[] box = new float[size * size];
        Arrays.fill(box, 1f / box.length);
        return new ConvolveOp(new Kernel(size, size, box), ConvolveOp.EDGE_NO_OP, null).filter(image, null);
    }
}
