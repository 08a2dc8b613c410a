package dev.photoscore.modelpack.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.photoscore.modelpack.build.BackboneSpec.Statistic;
import dev.photoscore.modelpack.reference.FeatureMap;
import dev.photoscore.modelpack.reference.KerasLayers;
import dev.photoscore.modelpack.testing.TfliteMobileNetFixture;
import dev.photoscore.modelpack.testing.TfliteWriter;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The converter on small generated TensorFlow Lite files against a naive float reference: the fixture's own
 * dequantised weights run through {@link KerasLayers} (TensorFlow 'SAME' padding, no shared code with the converter),
 * plus the bias and ReLU6, then the per-channel spatial mean and population standard deviation in double. Odd and
 * even input sizes, stride-2 and stride-1 depthwise layers, per-tensor and per-channel quantisation.
 */
class MobileNetTfliteConverterTest {

    static final double TOLERANCE = 1e-4;
    static final BackboneSpec ALL_LAYERS = new BackboneSpec(
            List.of("Conv2d_0", BackboneSpec.depthwise(1), BackboneSpec.pointwise(1)),
            List.of(Statistic.MEAN, Statistic.STD));

    @Test
    void generatedWeightsMatchTheFloatReference() throws Exception {
        for (int depthwiseStride : new int[] {2, 1}) {
            TfliteMobileNetFixture fixture = TfliteMobileNetFixture.generate(40 + depthwiseStride, 8, 12,
                    depthwiseStride, 0);
            ModelProto onnx = MobileNetTfliteConverter.convert(read(fixture), ALL_LAYERS);
            for (int[] size : new int[][] {{16, 16}, {15, 17}, {9, 4}, {1, 1}, {33, 20}}) {
                int photos = 2;
                Random random = new Random(size[0] * 100L + size[1]);
                int[][] pixels = new int[photos][];
                for (int n = 0; n < photos; n++) {
                    pixels[n] = new int[size[0] * size[1] * 3];
                    for (int i = 0; i < pixels[n].length; i++) {
                        pixels[n][i] = random.nextInt(256);
                    }
                }
                float[][] features = run(onnx, pixels, size[0], size[1]);
                double worst = 0;
                double spread = 0;
                for (int n = 0; n < photos; n++) {
                    double[] expected = reference(fixture, pixels[n], size[0], size[1]);
                    assertEquals(expected.length, features[n].length);
                    for (int i = 0; i < expected.length; i++) {
                        worst = Math.max(worst, Math.abs(expected[i] - features[n][i]));
                        spread = Math.max(spread, Math.abs(expected[i]));
                    }
                }
                System.out.printf("tflite fixture, depthwise stride %d, %dx%d: largest difference %.2e%n",
                        depthwiseStride, size[0], size[1], worst);
                assertTrue(spread > 0.1, "all-zero features would prove little");
                assertTrue(worst < TOLERANCE, size[0] + "x" + size[1] + " differs by " + worst);
            }
        }
    }

    @Test
    void featuresFollowTheSpecsOrder() throws Exception {
        TfliteMobileNetFixture fixture = TfliteMobileNetFixture.generate(7, 8, 12, 2, 0);
        TfliteModel model = read(fixture);
        BackboneSpec spec = new BackboneSpec(List.of(BackboneSpec.pointwise(1), "Conv2d_0"),
                List.of(Statistic.STD, Statistic.MEAN));
        List<String> names = MobileNetTfliteConverter.featureNames(model, spec);
        assertEquals(2 * (12 + 8), names.size());
        assertEquals("Conv2d_1_pointwise.std.0", names.get(0));
        assertEquals("Conv2d_1_pointwise.mean.11", names.get(23));
        assertEquals("Conv2d_0.std.0", names.get(24));
        assertEquals("Conv2d_0.mean.7", names.get(39));

        int[][] pixels = {new Random(3).ints(13 * 11 * 3, 0, 256).toArray()};
        float[] reordered = run(MobileNetTfliteConverter.convert(model, spec), pixels, 13, 11)[0];
        double[] all = reference(fixture, pixels[0], 13, 11); // Conv2d_0 mean, std; depthwise ...; pointwise ...
        for (int c = 0; c < 12; c++) {
            assertEquals(all[16 + 16 + 12 + c], reordered[c], TOLERANCE, "pointwise std " + c);
            assertEquals(all[16 + 16 + c], reordered[12 + c], TOLERANCE, "pointwise mean " + c);
        }
        for (int c = 0; c < 8; c++) {
            assertEquals(all[8 + c], reordered[24 + c], TOLERANCE, "conv0 std " + c);
            assertEquals(all[c], reordered[32 + c], TOLERANCE, "conv0 mean " + c);
        }
        ModelProto onnx = MobileNetTfliteConverter.convert(model, spec);
        assertEquals(40, onnx.getGraph().getOutput(0).getType().getTensorType().getShape().getDim(1).getDimValue());
        assertEquals(spec.text(), onnx.getMetadataPropsList().stream()
                .filter(p -> p.getKey().equals(MobileNetTfliteConverter.META_SPEC)).findFirst().orElseThrow()
                .getValue());
        assertEquals(spec, BackboneSpec.parse(spec.text()));
    }

    @Test
    void refusesWhatItDoesNotKnow() {
        TfliteMobileNetFixture withSoftmax = TfliteMobileNetFixture.generate(8, 4, 4, 2, TfliteWriter.SOFTMAX);
        InvalidWeightsException e = assertThrows(InvalidWeightsException.class,
                () -> MobileNetTfliteConverter.convert(read(withSoftmax), ALL_LAYERS));
        assertTrue(e.getMessage().contains("SOFTMAX"), e.getMessage());
        // Conv2d_0 alone comes before the unknown operator, so it converts.
        MobileNetTfliteConverter.convert(read(withSoftmax), new BackboneSpec(List.of("Conv2d_0"),
                List.of(Statistic.MEAN)));

        TfliteModel model = read(TfliteMobileNetFixture.generate(8, 4, 4, 2, 0));
        BackboneSpec deeper = new BackboneSpec(List.of(BackboneSpec.depthwise(2)), List.of(Statistic.MEAN));
        e = assertThrows(InvalidWeightsException.class, () -> MobileNetTfliteConverter.convert(model, deeper));
        assertTrue(e.getMessage().contains("no layer Conv2d_2_depthwise"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new BackboneSpec(List.of("Conv2d_5_pointwse"), List.of(Statistic.MEAN)));
    }

    @Test
    void composedGraphScoresInOneInference() throws Exception {
        TfliteMobileNetFixture fixture = TfliteMobileNetFixture.generate(9, 8, 12, 2, 0);
        ModelProto backbone = MobileNetTfliteConverter.convert(read(fixture), ALL_LAYERS);
        int features = 2 * (8 + 8 + 12);
        float[] weights = new float[features];
        Random random = new Random(4);
        for (int i = 0; i < features; i++) {
            weights[i] = (float) random.nextGaussian();
        }
        float bias = 0.75f;
        ModelProto head = linearHead(weights, bias);
        ModelProto composed = OnnxComposition.compose(backbone, head);
        assertEquals(List.of("mos"), composed.getGraph().getOutputList().stream().map(o -> o.getName()).toList());
        assertEquals(List.of(MobileNetTfliteConverter.INPUT),
                composed.getGraph().getInputList().stream().map(o -> o.getName()).toList());

        int[][] pixels = {new Random(5).ints(21 * 18 * 3, 0, 256).toArray(),
                new Random(6).ints(21 * 18 * 3, 0, 256).toArray()};
        float[][] backboneFeatures = run(backbone, pixels, 21, 18);
        float[][] mos = run(composed, pixels, 21, 18);
        for (int n = 0; n < pixels.length; n++) {
            double expected = bias;
            for (int i = 0; i < features; i++) {
                expected += backboneFeatures[n][i] * weights[i];
            }
            assertEquals(1, mos[n].length);
            assertEquals(expected, mos[n][0], 1e-3 * Math.max(1, Math.abs(expected)));
        }

        ModelProto tooNarrow = linearHead(new float[features - 1], 0f);
        assertThrows(IllegalArgumentException.class, () -> OnnxComposition.compose(backbone, tooNarrow));
    }

    /** A head {@code mos = x W + b} whose input is called {@code x} (composition wires whatever the name). */
    static ModelProto linearHead(float[] weights, float bias) {
        OnnxGraphBuilder graph = new OnnxGraphBuilder("head");
        graph.graph().addInput(OnnxGraphBuilder.valueInfo("x", weights.length));
        String product = graph.node("MatMul", "product", "x",
                graph.initializer("w", new Tensor(new int[] {weights.length, 1}, weights)));
        graph.node("Add", "mos", product, graph.initializer("b", new Tensor(new int[] {1}, new float[] {bias})));
        graph.graph().addOutput(OnnxGraphBuilder.valueInfo("mos", 1));
        return graph.model("test head").build();
    }

    static TfliteModel read(TfliteMobileNetFixture fixture) {
        return TfliteModel.read(ByteBuffer.wrap(fixture.bytes()), "fixture.tflite");
    }

    /** Runs a graph on images given as HWC pixel rows, returning its one output [N, F]. */
    static float[][] run(ModelProto onnx, int[][] hwcPixels, int height, int width) throws Exception {
        FloatBuffer nchw = FloatBuffer.allocate(hwcPixels.length * 3 * height * width);
        for (int[] pixels : hwcPixels) {
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < height * width; p++) {
                    nchw.put(pixels[p * 3 + c]);
                }
            }
        }
        nchw.flip();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnx.toByteArray(), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, nchw, new long[] {hwcPixels.length, 3, height, width});
             OrtSession.Result result = session.run(Map.of(MobileNetTfliteConverter.INPUT, input))) {
            return (float[][]) result.get(0).getValue();
        }
    }

    /** The fixture's float forward pass: per layer (in order) the per-channel mean, then standard deviation. */
    static double[] reference(TfliteMobileNetFixture fixture, int[] pixels, int height, int width) {
        float[] values = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            values[i] = TfliteMobileNetFixture.INPUT_SCALE * (pixels[i] - TfliteMobileNetFixture.INPUT_ZERO_POINT);
        }
        FeatureMap x = new FeatureMap(height, width, 3, values);
        List<Double> features = new ArrayList<>();
        for (TfliteMobileNetFixture.Layer layer : fixture.layers()) {
            FeatureMap conv = layer.depthwise()
                    ? KerasLayers.depthwiseConv2d(x, layer.kernel(), layer.kernelSize(), layer.stride(),
                            KerasLayers.Padding.SAME)
                    : KerasLayers.conv2d(x, layer.kernel(), layer.kernelSize(), layer.outChannels(), layer.stride(),
                            KerasLayers.Padding.SAME);
            float[] biased = conv.values().clone();
            for (int i = 0; i < biased.length; i++) {
                biased[i] += layer.bias()[i % conv.channels()];
            }
            x = KerasLayers.relu6(new FeatureMap(conv.height(), conv.width(), conv.channels(), biased));
            int positions = x.height() * x.width();
            double[] mean = new double[x.channels()];
            double[] squares = new double[x.channels()];
            for (int i = 0; i < x.values().length; i++) {
                mean[i % x.channels()] += x.values()[i] / (double) positions;
            }
            for (int i = 0; i < x.values().length; i++) {
                double d = x.values()[i] - mean[i % x.channels()];
                squares[i % x.channels()] += d * d / positions;
            }
            for (double m : mean) {
                features.add(m);
            }
            for (double s : squares) {
                features.add(Math.sqrt(s));
            }
        }
        return features.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
