package dev.photoscore.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.photoscore.modelpack.ModelManifest;
import dev.photoscore.modelpack.convert.ImagenetBackbone;
import dev.photoscore.modelpack.convert.NimaHead;
import dev.photoscore.modelpack.testing.KerasWeightsFixture;
import dev.photoscore.modelpack.testing.SharedData;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import javax.imageio.ImageIO;

class PackCommandTest {

    @TempDir
    Path tmp;

    @Test
    void int8PackIsCalibratedOnTheBundledPhotosAndScores() throws Exception {
        // DJL's engine insists on creating ONNX Runtime's one environment per JVM; the calibration uses any.
        Engine.getEngine("OnnxRuntime");
        Path weights = Files.createDirectories(tmp.resolve("weights"));
        KerasWeightsFixture.builder().seed(1).widths(KerasWeightsFixture.SMALL_WIDTHS)
                .write(weights.resolve(NimaHead.AESTHETIC.publishedFileName()));
        KerasWeightsFixture.builder().seed(2).widths(KerasWeightsFixture.SMALL_WIDTHS)
                .write(weights.resolve(NimaHead.TECHNICAL.publishedFileName()));
        Path pack = tmp.resolve("pack");
        StringWriter err = new StringWriter();
        int exit = PhotoscoreCommand.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "pack",
                "--weights", weights.toString(), "--no-quality-model", "--precision", "int8", "--out",
                pack.toString());
        assertEquals(0, exit, err.toString());
        ModelManifest manifest = ModelManifest.read(pack);
        assertTrue(manifest.notes().contains("nima.onnx is int8 (activation ranges from 2 calibration photos)"),
                manifest.notes().toString());
        ModelProto nima = ModelProto.parseFrom(Files.readAllBytes(pack.resolve("nima.onnx")));
        assertTrue(nima.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("QuantizeLinear")));

        BufferedImage photo = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < photo.getHeight(); y++) {
            for (int x = 0; x < photo.getWidth(); x++) {
                photo.setRGB(x, y, (x * 255 / 320) << 16 | (y * 255 / 240) << 8 | 90);
            }
        }
        Path photoFile = tmp.resolve("gradient.png");
        ImageIO.write(photo, "png", photoFile.toFile());
        StringWriter out = new StringWriter();
        exit = PhotoscoreCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), "score",
                photoFile.toString(), "--model-dir", pack.toString());
        assertEquals(0, exit, err.toString());
        JsonNode line = new ObjectMapper().readTree(out.toString().lines().findFirst().orElseThrow());
        double score = line.path("quality").path("score").asDouble(-1);
        assertTrue(score >= 0 && score <= 1, line.toString());
    }

    @Test
    void int8PackCalibratesTheQualityGraphToo() throws Exception {
        Path backbone = SharedData.directory().resolve(ImagenetBackbone.SHARED_FOLDER);
        assumeTrue(Files.isRegularFile(backbone.resolve(ImagenetBackbone.FILE_NAME)),
                "skipped: Google's MobileNet is not in the shared data (set photoscore.shared)");
        Engine.getEngine("OnnxRuntime");
        Path pack = tmp.resolve("pack");
        StringWriter err = new StringWriter();
        // No NIMA weights: the pack is the quality graph alone, quantised with the bundled photos' ranges.
        int exit = PhotoscoreCommand.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "pack",
                "--weights", "", "--backbone", backbone.toString(), "--precision", "int8", "--out", pack.toString());
        assertEquals(0, exit, err.toString());
        ModelManifest manifest = ModelManifest.read(pack);
        assertTrue(manifest.notes().contains(
                        "quality/quality-model.onnx is int8 (activation ranges from 2 calibration photos)"),
                manifest.notes().toString());
        ModelProto quality = ModelProto.parseFrom(Files.readAllBytes(pack.resolve("quality/quality-model.onnx")));
        assertTrue(quality.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("QuantizeLinear")));
    }

    @Test
    void anUnknownPrecisionIsRefused() {
        StringWriter err = new StringWriter();
        int exit = PhotoscoreCommand.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "pack",
                "--weights", tmp.toString(), "--precision", "bf16", "--out", tmp.resolve("pack").toString());
        assertNotEquals(0, exit);
        assertTrue(err.toString().contains("unknown precision 'bf16'"), err.toString());
    }
}
