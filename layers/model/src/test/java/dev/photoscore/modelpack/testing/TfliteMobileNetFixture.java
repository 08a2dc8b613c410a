package dev.photoscore.modelpack.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A tiny MobileNet v1 as a TensorFlow Lite file with random uint8 weights: {@code Conv2d_0} (3x3 stride 2, per-tensor
 * quantisation), then one depthwise-separable block ({@code Conv2d_1_depthwise} 3x3, quantised per channel along
 * dimension 3; {@code Conv2d_1_pointwise} 1x1, per channel along dimension 0), each with an int32 bias and ReLU6,
 * as Google's file lays them out (activations NHWC, kernels OHWI, depthwise {@code [1, kh, kw, C]}).
 *
 * <p>Besides the file it keeps the real weights in Keras' layouts (conv HWIO, depthwise HWC), dequantised here from
 * the generated integers, for a float reference that shares no code with the converter.
 */
public final class TfliteMobileNetFixture {

    public static final float INPUT_SCALE = 1 / 128f;
    public static final int INPUT_ZERO_POINT = 128;
    public static final float ACTIVATION_SCALE = 6 / 255f;

    /**
     * One convolution's real weights: {@code kernel} HWIO {@code [k, k, in, out]} for a convolution, HWC
     * {@code [k, k, C]} for a depthwise one; {@code bias} per output channel.
     */
    public record Layer(String name, boolean depthwise, int kernelSize, int stride, int outChannels, float[] kernel,
                        float[] bias) {
    }

    private final byte[] tflite;
    private final List<Layer> layers;

    private TfliteMobileNetFixture(byte[] tflite, List<Layer> layers) {
        this.tflite = tflite;
        this.layers = List.copyOf(layers);
    }

    public byte[] bytes() {
        return tflite.clone();
    }

    public Path write(Path file) throws java.io.IOException {
        return Files.write(file, tflite);
    }

    public List<Layer> layers() {
        return layers;
    }

    /**
     * A fixture with {@code c0} channels after Conv2d_0 and {@code c1} after the pointwise layer; the depthwise
     * layer has stride {@code depthwiseStride}. {@code extraOperator}, when not 0, is a builtin operator code put
     * between Conv2d_0 and the depthwise layer (a layout the converter must refuse).
     */
    public static TfliteMobileNetFixture generate(long seed, int c0, int c1, int depthwiseStride, int extraOperator) {
        Random random = new Random(seed);
        TfliteWriter writer = new TfliteWriter();
        List<Layer> layers = new ArrayList<>();
        int input = writer.tensor("input", new int[] {1, 16, 16, 3}, TfliteWriter.UINT8, null,
                new float[] {INPUT_SCALE}, new long[] {INPUT_ZERO_POINT}, 0);

        // Conv2d_0: OHWI [c0, 3, 3, 3], one scale.
        float scale0 = 0.004f + random.nextFloat() * 0.004f;
        int zero0 = 100 + random.nextInt(50);
        int[] q0 = randomBytes(random, c0 * 27);
        float[] hwio = new float[q0.length];
        for (int o = 0; o < c0; o++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 3; x++) {
                    for (int i = 0; i < 3; i++) {
                        hwio[((y * 3 + x) * 3 + i) * c0 + o] = scale0 * (q0[((o * 3 + y) * 3 + x) * 3 + i] - zero0);
                    }
                }
            }
        }
        float[] biasScales0 = new float[c0];
        java.util.Arrays.fill(biasScales0, INPUT_SCALE * scale0);
        int[] biasQ0 = randomBiases(random, c0);
        int k0 = writer.tensor("MobilenetV1/Conv2d_0/weights", new int[] {c0, 3, 3, 3}, TfliteWriter.UINT8,
                toBytes(q0), new float[] {scale0}, new long[] {zero0}, 0);
        int b0 = writer.tensor("MobilenetV1/Conv2d_0/bias", new int[] {c0}, TfliteWriter.INT32, int32Bytes(biasQ0),
                new float[] {INPUT_SCALE * scale0}, new long[] {0}, 0);
        int out0 = activation(writer, "MobilenetV1/Conv2d_0/Relu6", c0);
        writer.conv(input, k0, b0, out0, TfliteWriter.SAME, 2, TfliteWriter.RELU6);
        layers.add(new Layer("Conv2d_0", false, 3, 2, c0, hwio, real(biasQ0, biasScales0)));

        int next = out0;
        if (extraOperator != 0) {
            next = activation(writer, "extra", c0);
            writer.op(extraOperator, new int[] {out0}, new int[] {next});
        }

        // Conv2d_1_depthwise: [1, 3, 3, c0], one scale per channel (dimension 3).
        float[] scales1 = randomScales(random, c0, 0.01f);
        long[] zeros1 = randomZeroPoints(random, c0);
        int[] q1 = randomBytes(random, 9 * c0);
        float[] hwc = new float[q1.length];
        for (int i = 0; i < q1.length; i++) {
            int c = i % c0;
            hwc[i] = scales1[c] * (q1[i] - zeros1[c]);
        }
        float[] biasScales1 = new float[c0];
        for (int c = 0; c < c0; c++) {
            biasScales1[c] = ACTIVATION_SCALE * scales1[c];
        }
        int[] biasQ1 = randomBiases(random, c0);
        int k1 = writer.tensor("MobilenetV1/Conv2d_1_depthwise/weights", new int[] {1, 3, 3, c0}, TfliteWriter.UINT8,
                toBytes(q1), scales1, zeros1, 3);
        int b1 = writer.tensor("MobilenetV1/Conv2d_1_depthwise/bias", new int[] {c0}, TfliteWriter.INT32,
                int32Bytes(biasQ1), biasScales1, new long[c0], 0);
        int out1 = activation(writer, "MobilenetV1/Conv2d_1_depthwise/Relu6", c0);
        writer.depthwise(next, k1, b1, out1, TfliteWriter.SAME, depthwiseStride, 1, TfliteWriter.RELU6);
        layers.add(new Layer("Conv2d_1_depthwise", true, 3, depthwiseStride, c0, hwc, real(biasQ1, biasScales1)));

        // Conv2d_1_pointwise: OHWI [c1, 1, 1, c0], one scale per output channel (dimension 0).
        float[] scales2 = randomScales(random, c1, 0.004f);
        long[] zeros2 = randomZeroPoints(random, c1);
        int[] q2 = randomBytes(random, c1 * c0);
        float[] io = new float[q2.length];
        for (int o = 0; o < c1; o++) {
            for (int i = 0; i < c0; i++) {
                io[i * c1 + o] = scales2[o] * (q2[o * c0 + i] - zeros2[o]);
            }
        }
        float[] biasScales2 = new float[c1];
        for (int o = 0; o < c1; o++) {
            biasScales2[o] = ACTIVATION_SCALE * scales2[o];
        }
        int[] biasQ2 = randomBiases(random, c1);
        int k2 = writer.tensor("MobilenetV1/Conv2d_1_pointwise/weights", new int[] {c1, 1, 1, c0}, TfliteWriter.UINT8,
                toBytes(q2), scales2, zeros2, 0);
        int b2 = writer.tensor("MobilenetV1/Conv2d_1_pointwise/bias", new int[] {c1}, TfliteWriter.INT32,
                int32Bytes(biasQ2), biasScales2, new long[c1], 0);
        int out2 = activation(writer, "MobilenetV1/Conv2d_1_pointwise/Relu6", c1);
        writer.conv(out1, k2, b2, out2, TfliteWriter.SAME, 1, TfliteWriter.RELU6);
        layers.add(new Layer("Conv2d_1_pointwise", false, 1, 1, c1, io, real(biasQ2, biasScales2)));

        writer.io(new int[] {input}, new int[] {out2});
        return new TfliteMobileNetFixture(writer.toBytes(), layers);
    }

    private static int activation(TfliteWriter writer, String name, int channels) {
        return writer.tensor(name, new int[] {1, 8, 8, channels}, TfliteWriter.UINT8, null,
                new float[] {ACTIVATION_SCALE}, new long[] {0}, 0);
    }

    private static int[] randomBytes(Random random, int n) {
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextInt(256);
        }
        return values;
    }

    private static float[] randomScales(Random random, int n, float base) {
        float[] scales = new float[n];
        for (int i = 0; i < n; i++) {
            scales[i] = base * (0.5f + random.nextFloat());
        }
        return scales;
    }

    private static long[] randomZeroPoints(Random random, int n) {
        long[] zeros = new long[n];
        for (int i = 0; i < n; i++) {
            zeros[i] = 96 + random.nextInt(64);
        }
        return zeros;
    }

    /** Biases of a few real units at the scales above. */
    private static int[] randomBiases(Random random, int n) {
        int[] biases = new int[n];
        for (int i = 0; i < n; i++) {
            biases[i] = random.nextInt(40001) - 20000;
        }
        return biases;
    }

    private static float[] real(int[] q, float[] scales) {
        float[] values = new float[q.length];
        for (int i = 0; i < q.length; i++) {
            values[i] = (float) ((double) scales[i] * q[i]);
        }
        return values;
    }

    private static byte[] toBytes(int[] values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    private static byte[] int32Bytes(int[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            bytes.putInt(v);
        }
        return bytes.array();
    }
}
