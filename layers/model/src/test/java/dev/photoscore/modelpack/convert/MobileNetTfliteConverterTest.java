package dev.photoscore.modelpack.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.photoscore.modelpack.convert.BackboneSpec.Statistic;
import dev.photoscore.modelpack.reference.FeatureMap;
import dev.photoscore.modelpack.reference.KerasLayers;
import dev.photoscore.modelpack.reference.TfliteIntegerReference;
import dev.photoscore.modelpack.testing.Correlation;
import dev.photoscore.modelpack.testing.SharedData;
import dev.photoscore.modelpack.testing.TfliteMobileNetFixture;
import dev.photoscore.modelpack.testing.TfliteWriter;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
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

    /**
     * The proof on Google's file, at 224x224 on the shared sample photos, against TFLite's integer arithmetic
     * ({@link TfliteIntegerReference}).
     *
     * <p>The file's own output, the average pool of Conv2d_13_pointwise, against the converted graph's spatial mean
     * of that layer, over the 1024 values of all photos together: Pearson at least 0.99 and a mean absolute
     * difference under two output quantisation steps. The graph keeps activations in float while TFLite rounds them
     * to uint8 after each of the 27 layers, so single photos drift apart by one to three steps, most in the last
     * layer (its 1024-wide 1x1 convolution amplifies the rounding of its inputs); a layout or padding mistake would
     * cost far more. The first layer, where only one rounding separates the two, must agree per photo to within
     * 0.05 steps on every channel mean: that is where a kernel layout, padding or input-scaling mistake shows.
     */
    @Test
    void publishedModelAgreesWithTfliteIntegerArithmetic() throws Exception {
        Path file = SharedData.requireFile(TfliteModelTest.PUBLISHED);
        List<Path> photos;
        try (var listing = Files.list(SharedData.directory().resolve("images"))) {
            photos = listing.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
        }
        assertTrue(photos.size() >= 5, "the shared images folder holds " + photos.size() + " photos");
        TfliteModel model = TfliteModel.read(file);
        TfliteIntegerReference reference = new TfliteIntegerReference(model);
        List<String> layers = List.of("Conv2d_0", BackboneSpec.pointwise(5), BackboneSpec.pointwise(11),
                BackboneSpec.pointwise(13));
        ModelProto onnx = MobileNetTfliteConverter.convert(model, new BackboneSpec(layers, List.of(Statistic.MEAN)));
        TfliteTensor pooled = model.tensor(model.outputs()[0]);
        float step = pooled.quantization().scale();
        int size = 224;
        List<double[]> integerPools = new ArrayList<>();
        List<float[]> graphPools = new ArrayList<>();
        for (Path photo : photos) {
            int[] pixels = resizedRgb(photo, size);
            TfliteIntegerReference.Activation[] tensors = reference.runAll(
                    new TfliteIntegerReference.Activation(size, size, 3, pixels));
            float[] means = run(onnx, new int[][] {pixels}, size, size)[0];
            StringBuilder line = new StringBuilder(photo.getFileName() + ": converted graph vs TFLite integer"
                    + " arithmetic, mean |difference| of channel means in quantisation steps:");
            int offset = 0;
            for (String layer : layers) {
                TfliteOperator op = model.operators().get(BackboneSpec.position(layer));
                TfliteTensor output = model.tensor(op.outputs()[0]);
                TfliteIntegerReference.Activation activation = tensors[output.index()];
                double[] integerMeans = channelMeans(activation, output);
                double difference = 0;
                for (int c = 0; c < integerMeans.length; c++) {
                    difference += Math.abs(integerMeans[c] - means[offset + c]) / integerMeans.length;
                }
                double steps = difference / output.quantization().scale();
                line.append(String.format(" %s %.3f", layer, steps));
                if (layer.equals("Conv2d_0")) {
                    assertTrue(steps < 0.05, photo + ": the first layer differs by " + steps + " steps");
                }
                offset += integerMeans.length;
            }
            double[] integerPool = new double[1024];
            for (int c = 0; c < 1024; c++) {
                integerPool[c] = step * (tensors[pooled.index()].values()[c] - pooled.quantization().zeroPoint());
            }
            float[] graphPool = java.util.Arrays.copyOfRange(means, offset - 1024, offset);
            integerPools.add(integerPool);
            graphPools.add(graphPool);
            line.append(String.format("; average pool: %.3f steps, Pearson %.5f",
                    meanAbsoluteDifference(integerPool, graphPool) / step, pearson(integerPool, graphPool)));
            System.out.println(line);
        }
        double[] allIntegers = integerPools.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
        float[] allGraph = new float[allIntegers.length];
        for (int n = 0; n < graphPools.size(); n++) {
            System.arraycopy(graphPools.get(n), 0, allGraph, n * 1024, 1024);
        }
        double pearson = pearson(allIntegers, allGraph);
        double steps = meanAbsoluteDifference(allIntegers, allGraph) / step;
        System.out.printf("all %d photos, average pool: Pearson %.5f, mean |difference| %.3f quantisation steps%n",
                photos.size(), pearson, steps);
        assertTrue(pearson >= 0.99, "Pearson " + pearson);
        assertTrue(steps < 2, "mean absolute difference " + steps + " steps");
    }

    /** The real value of each channel's mean over an integer activation. */
    static double[] channelMeans(TfliteIntegerReference.Activation activation, TfliteTensor tensor) {
        int channels = activation.channels();
        int positions = activation.height() * activation.width();
        double[] means = new double[channels];
        for (int i = 0; i < activation.values().length; i++) {
            means[i % channels] += activation.values()[i];
        }
        for (int c = 0; c < channels; c++) {
            means[c] = tensor.quantization().scale() * (means[c] / positions - tensor.quantization().zeroPoint());
        }
        return means;
    }

    static double meanAbsoluteDifference(double[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / a.length;
    }

    /** The photo as 0xRRGGBB pixels area-averaged to size x size, as HWC uint8 values. */
    static int[] resizedRgb(Path photo, int size) throws Exception {
        BufferedImage image = ImageIO.read(photo.toFile());
        BufferedImage resized = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = resized.createGraphics();
        g.drawImage(image.getScaledInstance(size, size, Image.SCALE_AREA_AVERAGING), 0, 0, null);
        g.dispose();
        int[] pixels = new int[size * size * 3];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int rgb = resized.getRGB(x, y);
                int i = (y * size + x) * 3;
                pixels[i] = (rgb >> 16) & 0xff;
                pixels[i + 1] = (rgb >> 8) & 0xff;
                pixels[i + 2] = rgb & 0xff;
            }
        }
        return pixels;
    }

    static double pearson(double[] a, float[] b) {
        double[] widened = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            widened[i] = b[i];
        }
        return Correlation.pearson(a, widened);
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

    /**
     * A channel that is one value everywhere has no deviation: the graph takes the variance as
     * {@code mean(x * x) - mean(x)^2}, which rounding leaves a hair below zero for most such values and sizes (5.9 on
     * 7x7, 31x31 and 32x32 maps among them), so without the clip the root would be NaN.
     */
    @Test
    void aConstantChannelHasNoDeviation() throws Exception {
        TfliteMobileNetFixture fixture = TfliteMobileNetFixture.generate(11, 8, 12, 2, 0);
        BackboneSpec spec = new BackboneSpec(List.of("Conv2d_0"), List.of(Statistic.MEAN, Statistic.STD));
        ModelProto onnx = MobileNetTfliteConverter.convert(read(fixture), spec);
        float constant = 5.9f; // under ReLU6's 6, so the activation passes it as it is
        ModelProto.Builder constantChannel = onnx.toBuilder();
        GraphProto.Builder graph = constantChannel.getGraphBuilder();
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            String name = graph.getInitializer(i).getName();
            Tensor values = OnnxTensors.read(graph.getInitializer(i));
            float[] data = values.data().clone();
            if (name.equals("Conv2d_0/kernel")) {
                Arrays.fill(data, 0, data.length / values.dim(0), 0f); // channel 0 reads nothing
            } else if (name.equals("Conv2d_0/bias")) {
                data[0] = constant;
            } else {
                continue;
            }
            graph.setInitializer(i, OnnxTensors.floats(name, new Tensor(values.shape(), data)));
        }
        for (int side : new int[] {14, 62, 64}) { // Conv2d_0's stride 2: 7x7, 31x31, 32x32 maps
            int[][] pixels = {new Random(side).ints(side * side * 3, 0, 256).toArray()};
            float[] features = run(constantChannel.build(), pixels, side, side)[0];
            assertEquals(constant, features[0], 1e-4, side + "x" + side + ": channel 0's mean");
            float deviation = features[8];
            assertTrue(deviation >= 0 && deviation < 0.02, side + "x" + side + ": channel 0's deviation " + deviation);
        }
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

    /**
     * The quality head and the collage classifier on one backbone: one inference gives both outputs, each what its
     * head computes from the backbone's features, though both heads use the same internal names.
     */
    @Test
    void composedGraphGivesEveryHeadsOutputInOneInference() throws Exception {
        TfliteMobileNetFixture fixture = TfliteMobileNetFixture.generate(10, 8, 12, 2, 0);
        ModelProto backbone = MobileNetTfliteConverter.convert(read(fixture), ALL_LAYERS);
        int features = 2 * (8 + 8 + 12);
        Random random = new Random(7);
        float[][] weights = new float[2][features];
        for (float[] w : weights) {
            for (int i = 0; i < features; i++) {
                w[i] = (float) random.nextGaussian();
            }
        }
        float[] biases = {0.75f, -2f};
        ModelProto composed = OnnxComposition.compose(backbone, List.of(linearHead(weights[0], biases[0], "mos"),
                linearHead(weights[1], biases[1], "collage")));
        assertEquals(List.of("mos", "collage"),
                composed.getGraph().getOutputList().stream().map(o -> o.getName()).toList());

        int[][] pixels = {new Random(8).ints(17 * 23 * 3, 0, 256).toArray(),
                new Random(9).ints(17 * 23 * 3, 0, 256).toArray()};
        float[][] backboneFeatures = run(backbone, pixels, 17, 23);
        List<float[][]> outputs = runAll(composed, pixels, 17, 23);
        for (int head = 0; head < 2; head++) {
            for (int n = 0; n < pixels.length; n++) {
                double expected = biases[head];
                for (int i = 0; i < features; i++) {
                    expected += backboneFeatures[n][i] * weights[head][i];
                }
                assertEquals(expected, outputs.get(head)[n][0], 1e-3 * Math.max(1, Math.abs(expected)));
            }
        }

        ModelProto twice = linearHead(weights[1], biases[1], "mos");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxComposition.compose(backbone, List.of(linearHead(weights[0], biases[0], "mos"), twice)));
        assertTrue(e.getMessage().contains("two heads have the output 'mos'"), e.getMessage());
    }

    /** A head {@code mos = x W + b} whose input is called {@code x} (composition wires whatever the name). */
    static ModelProto linearHead(float[] weights, float bias) {
        return linearHead(weights, bias, "mos");
    }

    /** A head {@code output = x W + b} whose input is called {@code x}. */
    static ModelProto linearHead(float[] weights, float bias, String output) {
        OnnxGraphBuilder graph = new OnnxGraphBuilder("head");
        graph.graph().addInput(OnnxGraphBuilder.valueInfo("x", weights.length));
        String product = graph.node("MatMul", "product", "x",
                graph.initializer("w", new Tensor(new int[] {weights.length, 1}, weights)));
        graph.node("Add", output, product, graph.initializer("b", new Tensor(new int[] {1}, new float[] {bias})));
        graph.graph().addOutput(OnnxGraphBuilder.valueInfo(output, 1));
        return graph.model("test head").build();
    }

    static TfliteModel read(TfliteMobileNetFixture fixture) {
        return TfliteModel.read(ByteBuffer.wrap(fixture.bytes()), "fixture.tflite");
    }

    /** Runs a graph on images given as HWC pixel rows, returning its first output [N, F]. */
    static float[][] run(ModelProto onnx, int[][] hwcPixels, int height, int width) throws Exception {
        return runAll(onnx, hwcPixels, height, width).get(0);
    }

    /** Runs a graph on images given as HWC pixel rows, returning each of its outputs [N, F] in order. */
    static List<float[][]> runAll(ModelProto onnx, int[][] hwcPixels, int height, int width) throws Exception {
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
            List<float[][]> outputs = new ArrayList<>();
            for (int i = 0; i < result.size(); i++) {
                outputs.add((float[][]) result.get(i).getValue());
            }
            return outputs;
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
