package dev.photoscore.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.photoscore.image.DecodedPhoto;
import dev.photoscore.image.NativeCrop;
import dev.photoscore.image.PhotoFormat;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scorer with a {@code quality-image} model (one graph from pixels to score), here a hand-made graph whose
 * "opinion score" is the mean of its input: photos reach it area-averaged to the working size, as raw RGB, and
 * photos of different working sizes in one batch go in separate calls.
 */
class QualityImageModelTest {

    @TempDir
    Path pack;

    /** {@code mos [N,1]} = the mean over channels and pixels of {@code image [N,3,H,W]}. */
    private static OnnxMl.ModelProto meanGraph() {
        OnnxMl.TypeProto.Tensor.Builder image = OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                .setShape(OnnxMl.TensorShapeProto.newBuilder()
                        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(3))
                        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("H"))
                        .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("W")));
        OnnxMl.TypeProto.Tensor.Builder mos = OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber());
        return OnnxMl.ModelProto.newBuilder().setIrVersion(7)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13))
                .setGraph(OnnxMl.GraphProto.newBuilder().setName("mean")
                        .addInput(OnnxMl.ValueInfoProto.newBuilder().setName("image")
                                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(image)))
                        .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("mos")
                                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(mos)))
                        .addNode(reduceMean("image", "per_channel", List.of(2L, 3L), 0))
                        .addNode(reduceMean("per_channel", "mos", List.of(1L), 1)))
                .build();
    }

    private static OnnxMl.NodeProto reduceMean(String in, String out, List<Long> axes, int keepDims) {
        return OnnxMl.NodeProto.newBuilder().setOpType("ReduceMean").setName(out).addInput(in).addOutput(out)
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axes")
                        .setType(OnnxMl.AttributeProto.AttributeType.INTS).addAllInts(axes))
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("keepdims")
                        .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(keepDims))
                .build();
    }

    private void writePack(String image) throws IOException {
        Files.createDirectories(pack.resolve("quality"));
        Files.write(pack.resolve("quality/quality-model.onnx"), meanGraph().toByteArray());
        Files.writeString(pack.resolve("manifest.json"), """
                {"format": 1, "packVersion": "test",
                 "input": {"width": 224, "height": 224, "layout": "NCHW", "colour": "RGB", "scale": 1, "offset": 0,
                           "resize": "nearest"},
                 "models": [{"name": "quality", "file": "quality/quality-model.onnx", "kind": "quality-image",
                             "outputs": ["mos"]%s}],
                 "calibrationFile": "calibration.json", "calibrationVersion": "test"}
                """.formatted(image), StandardCharsets.UTF_8);
        Files.writeString(pack.resolve("calibration.json"), """
                {"version": "test", "description": "mean pixel value / 255",
                 "variants": [{"name": "quality", "inputs": ["quality.mos"], "weights": [1], "bias": 0,
                               "knotsX": [0, 255], "knotsY": [0, 1]}]}
                """, StandardCharsets.UTF_8);
    }

    private static DecodedPhoto photo(int width, int height, int rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x + y) % 2 == 0 ? rgb : 0);
            }
        }
        return new DecodedPhoto(image, NativeCrop.of(image), PhotoFormat.PNG, 1000, width, height);
    }

    @Test
    void photosReachTheGraphAtTheirWorkingSizeOneCallPerSize() throws IOException {
        writePack(", \"image\": {\"name\": \"image\", \"layout\": \"NCHW\", \"colour\": \"RGB\", \"workingPixels\": 4096}");
        try (PhotoScorer scorer = PhotoScorer.builder().modelDir(pack).threads(1).build()) {
            assertEquals(128, scorer.decoder().size().minWidth(), "decoded at twice the working side");
            List<PhotoScore> scores = scorer.scoreAll(List.of(photo(400, 300, 0xFFFFFF), photo(200, 200, 0x808080),
                    photo(60, 40, 0xFF0000), photo(800, 600, 0xFFFFFF)));
            // Half the pixels are the colour, half black: the graph's mean is half the colour's channel mean.
            assertEquals(127.5, scores.get(0).outputs().get("quality.mos"), 0.5);
            assertEquals(64, scores.get(1).outputs().get("quality.mos"), 0.5);
            assertEquals(255 / 6.0, scores.get(2).outputs().get("quality.mos"), 0.01, "small photos as they are");
            assertEquals(127.5, scores.get(3).outputs().get("quality.mos"), 0.5);
            assertEquals(0.5, scores.get(0).score(), 0.01);
            assertEquals(3, scorer.modelCalls(), "400x300 and 800x600 share a working size (74x55), the others not");
        }
    }

    @Test
    void aModelThatTakesThePhotoMustNameItsWorkingSize() throws IOException {
        writePack("");
        ScorerUnavailableException e = assertThrows(ScorerUnavailableException.class,
                () -> PhotoScorer.builder().modelDir(pack).threads(1).build());
        assertTrue(e.getMessage().contains("names no working size"), e.getMessage());
    }
}
