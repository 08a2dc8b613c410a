package dev.photoscore.modelpack.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.photoscore.modelpack.testing.Correlation;
import dev.photoscore.modelpack.testing.KerasWeightsFixture;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FP16 and INT8 graphs against the FP32 graph they come from, on generated full-width MobileNet weights and generated
 * photo-like inputs (smooth gradients and edges with grain, 8-bit values, never the calibration inputs).
 *
 * <p>Tolerances, on each head's mean score (1..10): FP16 0.01, since rounding a weight to 11 significant bits changes
 * it by at most 2^-11 relative, which over 28 layers moves the output far less; INT8 0.1, since the product's rule is
 * a change of the 0..1 score below 0.02 and the steepest part of the NIMA-only calibration curve ({@code nima-prior})
 * turns a change of 0.1 in the mean into 0.02 (0.2 per unit between 3.5 and 6.5).
 */
class PrecisionTest {

    private static final int SIZE = NimaOnnxConverter.SIZE;
    private static final double FP16_MEAN_TOLERANCE = 0.01;
    private static final double INT8_MEAN_TOLERANCE = 0.1;

    @TempDir
    static Path tmp;

    private static ModelProto fp32;
    private static List<float[]> calibration;
    private static List<float[]> inputs;

    @BeforeAll
    static void convert() throws Exception {
        Map<String, KerasWeightsFile> heads = new LinkedHashMap<>();
        heads.put("aesthetic", KerasWeightsFile.read(KerasWeightsFixture.builder().seed(21)
                .widths(KerasWeightsFixture.MOBILENET_WIDTHS).write(tmp.resolve("a.h5"))));
        heads.put("technical", KerasWeightsFile.read(KerasWeightsFixture.builder().seed(22)
                .widths(KerasWeightsFixture.MOBILENET_WIDTHS).headName("dense").write(tmp.resolve("t.h5"))));
        fp32 = NimaOnnxConverter.convert(heads);
        calibration = photoLikeInputs(100, 4);
        inputs = photoLikeInputs(200, 12);
    }

    @Test
    void float16KeepsTheScoresAndHalvesTheFile() throws Exception {
        ModelProto fp16 = Precision.FP16.apply(fp32, List.of());
        assertCloseMeans(fp16, FP16_MEAN_TOLERANCE);
        double ratio = (double) fp16.getSerializedSize() / fp32.getSerializedSize();
        System.out.printf("fp16 graph: %.3f of the fp32 graph's bytes%n", ratio);
        assertTrue(ratio > 0.49 && ratio < 0.52, "fp16 file ratio " + ratio);
        assertEquals(0, count(fp16, n -> n.getOpType().equals("Cast")) - count(fp32,
                n -> n.getOpType().equals("Conv") || n.getOpType().equals("Gemm")), "one cast per kernel");
    }

    @Test
    void int8StaysWithinTheScoreRuleAndRunsAsQLinearConv() throws Exception {
        ModelProto int8 = Precision.INT8.apply(fp32, calibration);
        assertCloseMeans(int8, INT8_MEAN_TOLERANCE);
        double ratio = (double) int8.getSerializedSize() / fp32.getSerializedSize();
        System.out.printf("int8 graph: %.3f of the fp32 graph's bytes%n", ratio);
        assertTrue(ratio > 0.24 && ratio < 0.30, "int8 file ratio " + ratio);

        // What ONNX Runtime makes of it: every convolution fused into an integer QLinearConv, no float Conv or Clip.
        Path optimized = tmp.resolve("int8-optimized.onnx");
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.EXTENDED_OPT);
            options.setOptimizedModelFilePath(optimized.toString());
            OrtEnvironment.getEnvironment().createSession(int8.toByteArray(), options).close();
        }
        ModelProto runtime = ModelProto.parseFrom(Files.readAllBytes(optimized));
        long convolutions = count(fp32, n -> n.getOpType().equals("Conv"));
        assertEquals(convolutions, count(runtime, n -> n.getOpType().equals("QLinearConv")));
        assertEquals(0, count(runtime, n -> n.getOpType().equals("Conv") || n.getOpType().equals("FusedConv")
                || n.getOpType().equals("Clip")));
    }

    @Test
    void int8NeedsInt8RangeInputs() {
        assertThrows(IllegalArgumentException.class, () -> Precision.INT8.apply(fp32, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> ModelPackBuilder.builder().precision(Precision.INT8).build());
    }

    @Test
    void precisionNamesParse() {
        assertEquals(Precision.FP16, Precision.parse(" FP16"));
        assertEquals("int8", Precision.parse("int8").label());
        assertThrows(IllegalArgumentException.class, () -> Precision.parse("bf16"));
    }

    @Test
    void halfFloatsRoundToNearestEven() {
        assertEquals(0x3C00, Float16Weights.toHalf(1f));
        assertEquals((short) 0xC000, Float16Weights.toHalf(-2f));
        assertEquals(0x3555, Float16Weights.toHalf(1f / 3));
        assertEquals(0x7BFF, Float16Weights.toHalf(65504f));
        assertEquals(0x7C00, Float16Weights.toHalf(65520f), "rounds up to infinity");
        assertEquals(0x0001, Float16Weights.toHalf(0x1p-24f), "smallest subnormal");
        assertEquals(0x0000, Float16Weights.toHalf(0x1p-26f));
        assertEquals(0x3C00, Float16Weights.toHalf(1f + 0x1p-11f), "a tie goes to the even mantissa");
        assertEquals(0x3C02, Float16Weights.toHalf(1f + 3 * 0x1p-11f), "a tie goes to the even mantissa");
        assertEquals(0x0400, Float16Weights.toHalf(0x1.ffep-15f), "a subnormal rounding up to the smallest normal");
    }

    private static void assertCloseMeans(ModelProto model, double tolerance) throws Exception {
        Map<String, double[]> expected = means(fp32, inputs);
        Map<String, double[]> actual = means(model, inputs);
        for (String head : expected.keySet()) {
            double[] a = expected.get(head);
            double[] b = actual.get(head);
            double worst = 0;
            for (int n = 0; n < a.length; n++) {
                worst = Math.max(worst, Math.abs(a[n] - b[n]));
            }
            double correlation = Correlation.pearson(a, b);
            System.out.printf("%s: fp32 means %.3f..%.3f, largest change %.4f, correlation %.4f%n", head,
                    Arrays.stream(a).min().orElseThrow(), Arrays.stream(a).max().orElseThrow(), worst, correlation);
            assertTrue(worst < tolerance, head + " mean changed by " + worst);
            // Small changes alone could come from a graph that ignores its input; the order of the inputs must stay.
            assertTrue(correlation > 0.95, head + ": means correlate with fp32 at " + correlation);
        }
    }

    /** Each head's mean score (1..10) per input. */
    private static Map<String, double[]> means(ModelProto model, List<float[]> tensors) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, double[]> means = new LinkedHashMap<>();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(model.toByteArray(), options)) {
            for (int n = 0; n < tensors.size(); n++) {
                try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(tensors.get(n)),
                        new long[] {1, 3, SIZE, SIZE});
                     OrtSession.Result result = session.run(Map.of(NimaOnnxConverter.INPUT, input))) {
                    for (var output : result) {
                        float[] p = ((float[][]) output.getValue().getValue())[0];
                        double mean = 0;
                        for (int k = 0; k < p.length; k++) {
                            mean += (k + 1) * p[k];
                        }
                        means.computeIfAbsent(output.getKey(), h -> new double[tensors.size()])[n] = mean;
                    }
                }
            }
        }
        return means;
    }

    private static long count(ModelProto model, Predicate<NodeProto> which) {
        return model.getGraph().getNodeList().stream().filter(which).count();
    }

    /**
     * Inputs scaled as the scorer scales photos ({@code p / 127.5 - 1} of 8-bit values): per photo a random
     * colour gradient, a few hard-edged rectangles and grain of random strength.
     */
    private static List<float[]> photoLikeInputs(long seed, int count) {
        Random random = new Random(seed);
        List<float[]> tensors = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            float[] chw = new float[3 * SIZE * SIZE];
            double[][] gradient = new double[3][3];
            for (double[] g : gradient) {
                g[0] = random.nextDouble() * 255;
                g[1] = (random.nextDouble() - 0.5) * 1.5;
                g[2] = (random.nextDouble() - 0.5) * 1.5;
            }
            int[][] rectangles = new int[4][];
            for (int r = 0; r < rectangles.length; r++) {
                int x = random.nextInt(SIZE);
                int y = random.nextInt(SIZE);
                rectangles[r] = new int[] {x, y, x + 10 + random.nextInt(100), y + 10 + random.nextInt(100),
                        random.nextInt(256), random.nextInt(256), random.nextInt(256)};
            }
            double grain = random.nextDouble() * 30;
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    for (int c = 0; c < 3; c++) {
                        double value = gradient[c][0] + gradient[c][1] * x + gradient[c][2] * y;
                        for (int[] r : rectangles) {
                            if (x >= r[0] && x < r[2] && y >= r[1] && y < r[3]) {
                                value = r[4 + c];
                            }
                        }
                        value += random.nextGaussian() * grain;
                        long pixel = Math.max(0, Math.min(255, Math.round(value)));
                        chw[(c * SIZE + y) * SIZE + x] = pixel / 127.5f - 1f;
                    }
                }
            }
            tensors.add(chw);
        }
        return tensors;
    }
}
