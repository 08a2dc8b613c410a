package dev.photoscore.modelpack.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.photoscore.modelpack.reference.KerasMobileNetReference;
import dev.photoscore.modelpack.testing.KerasWeightsFixture;
import dev.photoscore.modelpack.testing.PublishedWeights;
import dev.photoscore.modelpack.testing.SharedData;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof of the conversion: ONNX Runtime running the converted graph agrees with an independent plain-Java forward
 * pass of the Keras definition (dev.photoscore.modelpack.reference, which shares no code with the converter) on the
 * same weights and inputs, to 1e-4 on each of the 10 probabilities.
 */
class NimaOnnxConverterTest {

    static final double TOLERANCE = 1e-4;

    @TempDir
    Path tmp;

    @Test
    void smallGeneratedWeightsMatchTheReference() throws Exception {
        Path aesthetic = KerasWeightsFixture.builder().seed(11).widths(KerasWeightsFixture.SMALL_WIDTHS)
                .write(tmp.resolve("a.h5"));
        Path technical = KerasWeightsFixture.builder().seed(12).widths(KerasWeightsFixture.SMALL_WIDTHS)
                .headName("dense").write(tmp.resolve("t.h5"));
        assertMatchesReference(Map.of("aesthetic", aesthetic, "technical", technical), 3);
    }

    @Test
    void layoutSpecimenMatchesTheReference() throws Exception {
        Path specimen = SharedData.requireFile("models/layout_specimen_random.h5");
        assertMatchesReference(Map.of("aesthetic", specimen), 2);
    }

    @Test
    void publishedWeightsMatchTheReference() throws Exception {
        Path aesthetic = PublishedWeights.require(NimaHead.AESTHETIC);
        Path technical = PublishedWeights.require(NimaHead.TECHNICAL);
        assertMatchesReference(Map.of("aesthetic", aesthetic, "technical", technical), 2);
    }

    @Test
    void batchNormIsFoldedIntoTheConvolution() {
        // One output channel, one input channel, 1x1 kernel of weight 2: conv(x) = 2x.
        Tensor kernel = new Tensor(new int[] {1, 1, 1, 1}, new float[] {2f});
        Map<String, Tensor> bn = Map.of(
                "gamma", new Tensor(new int[] {1}, new float[] {3f}),
                "beta", new Tensor(new int[] {1}, new float[] {0.5f}),
                "moving_mean", new Tensor(new int[] {1}, new float[] {4f}),
                "moving_variance", new Tensor(new int[] {1}, new float[] {0.999f}));
        NimaOnnxConverter.FoldedConv folded = NimaOnnxConverter.foldBatchNorm(kernel, bn, "bn");
        // BN(2x) = 3 * (2x - 4) / sqrt(0.999 + 0.001) + 0.5 = 6x - 11.5
        assertEquals(6f, folded.kernel().data()[0], 1e-6);
        assertEquals(-11.5f, folded.bias().data()[0], 1e-6);
    }

    @Test
    void kernelsGoFromHwioToOihw() {
        // [kh=1, kw=2, in=2, out=3]: value = 100*x + 10*i + o
        float[] hwio = new float[12];
        for (int x = 0; x < 2; x++) {
            for (int i = 0; i < 2; i++) {
                for (int o = 0; o < 3; o++) {
                    hwio[(x * 2 + i) * 3 + o] = 100 * x + 10 * i + o;
                }
            }
        }
        Tensor oihw = NimaOnnxConverter.hwioToOihw(new Tensor(new int[] {1, 2, 2, 3}, hwio));
        assertArrayEquals(new int[] {3, 2, 1, 2}, oihw.shape());
        // [o=2, i=1, y=0, x=1] = 100 + 10 + 2
        assertEquals(112f, oihw.data()[((2 * 2 + 1) * 1) * 2 + 1]);
    }

    private void assertMatchesReference(Map<String, Path> heads, int photos) throws Exception {
        Map<String, KerasWeightsFile> weights = new LinkedHashMap<>();
        heads.forEach((head, file) -> weights.put(head, KerasWeightsFile.read(file)));
        Path onnx = tmp.resolve("nima.onnx");
        Files.write(onnx, NimaOnnxConverter.convert(weights).toByteArray());

        Random random = new Random(5);
        int size = NimaOnnxConverter.SIZE;
        float[][] hwcInputs = new float[photos][];
        FloatBuffer nchw = FloatBuffer.allocate(photos * 3 * size * size);
        for (int n = 0; n < photos; n++) {
            float[] hwc = new float[size * size * 3];
            for (int i = 0; i < hwc.length; i++) {
                hwc[i] = random.nextInt(256) / 127.5f - 1f;
            }
            hwcInputs[n] = hwc;
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < size * size; p++) {
                    nchw.put(hwc[p * 3 + c]);
                }
            }
        }
        nchw.flip();

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, nchw, new long[] {photos, 3, size, size});
             OrtSession.Result result = session.run(Map.of(NimaOnnxConverter.INPUT, input))) {
            for (String head : heads.keySet()) {
                float[][] probabilities = (float[][]) result.get(head).orElseThrow().getValue();
                KerasMobileNetReference reference = KerasMobileNetReference.load(heads.get(head));
                for (int n = 0; n < photos; n++) {
                    float[] expected = reference.predict(hwcInputs[n]);
                    double worst = 0;
                    double spread = 0;
                    for (int k = 0; k < 10; k++) {
                        worst = Math.max(worst, Math.abs(expected[k] - probabilities[n][k]));
                        spread = Math.max(spread, Math.abs(expected[k] - 0.1));
                    }
                    assertTrue(spread > 1e-3, "a flat distribution would prove little: " + spread);
                    System.out.printf("%s photo %d: largest probability difference ONNX vs reference %.2e%n",
                            head, n, worst);
                    assertTrue(worst < TOLERANCE, head + " photo " + n + " differs by " + worst);
                }
            }
        }
    }
}
