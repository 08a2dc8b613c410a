package dev.photoscore.modelpack.reference;

import java.util.Arrays;

/**
 * The Keras layers NIMA MobileNet uses, written naively from their definitions (TensorFlow semantics, inference
 * mode) with double accumulation, as the independent reference for the converted model. Kernels are flat arrays in
 * Keras' row-major layout. Convolutions are cross-correlations, as in Keras (no kernel flip).
 */
public final class KerasLayers {

    /** Keras' convolution padding modes. */
    public enum Padding {
        /** No padding; output {@code floor((in - k) / stride) + 1}. */
        VALID,
        /**
         * TensorFlow 'same': output {@code ceil(in / stride)}, total padding {@code max((out - 1) * stride + k - in, 0)}
         * split with the smaller half before (top/left) and the rest after (bottom/right).
         */
        SAME
    }

    private KerasLayers() {
    }

    /** {@code ZeroPadding2D(((top, bottom), (left, right)))}. */
    public static FeatureMap zeroPadding(FeatureMap in, int top, int bottom, int left, int right) {
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            throw new IllegalArgumentException("padding must not be negative");
        }
        FeatureMap out = FeatureMap.zeros(in.height() + top + bottom, in.width() + left + right, in.channels());
        int rowLength = in.width() * in.channels();
        for (int y = 0; y < in.height(); y++) {
            System.arraycopy(in.values(), in.index(y, 0, 0), out.values(), out.index(y + top, left, 0), rowLength);
        }
        return out;
    }

    /**
     * {@code Conv2D(outChannels, kernelSize, strides=stride, padding, use_bias=False)}: kernel
     * {@code [kernelSize, kernelSize, in.channels, outChannels]}.
     */
    public static FeatureMap conv2d(FeatureMap in, float[] kernel, int kernelSize, int outChannels, int stride,
                                    Padding padding) {
        int inChannels = in.channels();
        requireLength(kernel, kernelSize * kernelSize * inChannels * outChannels, "conv2d kernel");
        Geometry rows = Geometry.of(in.height(), kernelSize, stride, padding);
        Geometry columns = Geometry.of(in.width(), kernelSize, stride, padding);
        FeatureMap out = FeatureMap.zeros(rows.out, columns.out, outChannels);
        float[] inValues = in.values();
        double[] sums = new double[outChannels];
        for (int oy = 0; oy < rows.out; oy++) {
            for (int ox = 0; ox < columns.out; ox++) {
                Arrays.fill(sums, 0);
                for (int ky = 0; ky < kernelSize; ky++) {
                    int iy = oy * stride + ky - rows.padBefore;
                    if (iy < 0 || iy >= in.height()) {
                        continue; // padding zeros add nothing
                    }
                    for (int kx = 0; kx < kernelSize; kx++) {
                        int ix = ox * stride + kx - columns.padBefore;
                        if (ix < 0 || ix >= in.width()) {
                            continue;
                        }
                        int input = in.index(iy, ix, 0);
                        int tap = (ky * kernelSize + kx) * inChannels * outChannels;
                        for (int ci = 0; ci < inChannels; ci++) {
                            double x = inValues[input + ci];
                            int weights = tap + ci * outChannels;
                            for (int co = 0; co < outChannels; co++) {
                                sums[co] += x * kernel[weights + co];
                            }
                        }
                    }
                }
                store(sums, out, out.index(oy, ox, 0));
            }
        }
        return out;
    }

    /**
     * {@code DepthwiseConv2D(kernelSize, strides=stride, padding, depth_multiplier=1, use_bias=False)}: kernel
     * {@code [kernelSize, kernelSize, channels, 1]}, each channel convolved with its own slice.
     */
    public static FeatureMap depthwiseConv2d(FeatureMap in, float[] kernel, int kernelSize, int stride,
                                             Padding padding) {
        int channels = in.channels();
        requireLength(kernel, kernelSize * kernelSize * channels, "depthwise kernel");
        Geometry rows = Geometry.of(in.height(), kernelSize, stride, padding);
        Geometry columns = Geometry.of(in.width(), kernelSize, stride, padding);
        FeatureMap out = FeatureMap.zeros(rows.out, columns.out, channels);
        float[] inValues = in.values();
        double[] sums = new double[channels];
        for (int oy = 0; oy < rows.out; oy++) {
            for (int ox = 0; ox < columns.out; ox++) {
                Arrays.fill(sums, 0);
                for (int ky = 0; ky < kernelSize; ky++) {
                    int iy = oy * stride + ky - rows.padBefore;
                    if (iy < 0 || iy >= in.height()) {
                        continue;
                    }
                    for (int kx = 0; kx < kernelSize; kx++) {
                        int ix = ox * stride + kx - columns.padBefore;
                        if (ix < 0 || ix >= in.width()) {
                            continue;
                        }
                        int input = in.index(iy, ix, 0);
                        int tap = (ky * kernelSize + kx) * channels;
                        for (int c = 0; c < channels; c++) {
                            sums[c] += (double) inValues[input + c] * kernel[tap + c];
                        }
                    }
                }
                store(sums, out, out.index(oy, ox, 0));
            }
        }
        return out;
    }

    /** {@code BatchNormalization} at inference: {@code gamma * (x - mean) / sqrt(variance + epsilon) + beta}. */
    public static FeatureMap batchNormalization(FeatureMap in, float[] gamma, float[] beta, float[] movingMean,
                                                float[] movingVariance, double epsilon) {
        int channels = in.channels();
        requireLength(gamma, channels, "gamma");
        requireLength(beta, channels, "beta");
        requireLength(movingMean, channels, "moving_mean");
        requireLength(movingVariance, channels, "moving_variance");
        float[] values = in.values();
        float[] normalised = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            int c = i % channels;
            normalised[i] = (float) ((double) gamma[c] * ((double) values[i] - movingMean[c])
                    / Math.sqrt((double) movingVariance[c] + epsilon) + beta[c]);
        }
        return new FeatureMap(in.height(), in.width(), channels, normalised);
    }

    /** {@code ReLU(max_value=6)}: {@code min(max(x, 0), 6)}. */
    public static FeatureMap relu6(FeatureMap in) {
        float[] values = in.values();
        float[] clipped = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            clipped[i] = Math.min(Math.max(values[i], 0f), 6f);
        }
        return new FeatureMap(in.height(), in.width(), in.channels(), clipped);
    }

    /** {@code GlobalAveragePooling2D}: the mean of each channel over all positions. */
    public static float[] globalAveragePooling(FeatureMap in) {
        int channels = in.channels();
        double[] sums = new double[channels];
        float[] values = in.values();
        for (int i = 0; i < values.length; i++) {
            sums[i % channels] += values[i];
        }
        int positions = in.height() * in.width();
        float[] means = new float[channels];
        for (int c = 0; c < channels; c++) {
            means[c] = (float) (sums[c] / positions);
        }
        return means;
    }

    /** {@code Dense(units)} without activation: kernel {@code [in, units]}, {@code out = in . kernel + bias}. */
    public static float[] dense(float[] in, float[] kernel, float[] bias) {
        int units = bias.length;
        requireLength(kernel, in.length * units, "dense kernel");
        double[] sums = new double[units];
        for (int u = 0; u < units; u++) {
            sums[u] = bias[u];
        }
        for (int i = 0; i < in.length; i++) {
            double x = in[i];
            for (int u = 0; u < units; u++) {
                sums[u] += x * kernel[i * units + u];
            }
        }
        float[] out = new float[units];
        for (int u = 0; u < units; u++) {
            out[u] = (float) sums[u];
        }
        return out;
    }

    /** Softmax, shifted by the maximum so large logits do not overflow. */
    public static float[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double[] exponentials = new double[logits.length];
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            exponentials[i] = Math.exp(logits[i] - max);
            total += exponentials[i];
        }
        float[] probabilities = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            probabilities[i] = (float) (exponentials[i] / total);
        }
        return probabilities;
    }

    private static void store(double[] sums, FeatureMap out, int offset) {
        for (int c = 0; c < sums.length; c++) {
            out.values()[offset + c] = (float) sums[c];
        }
    }

    private static void requireLength(float[] array, int expected, String what) {
        if (array.length != expected) {
            throw new IllegalArgumentException(what + " has " + array.length + " values, expected " + expected);
        }
    }

    /** Output size and leading padding of one spatial axis. */
    private record Geometry(int out, int padBefore) {

        static Geometry of(int in, int kernelSize, int stride, Padding padding) {
            if (kernelSize <= 0 || stride <= 0) {
                throw new IllegalArgumentException("kernel size and stride must be positive");
            }
            if (padding == Padding.VALID) {
                if (in < kernelSize) {
                    throw new IllegalArgumentException("input " + in + " is smaller than the kernel " + kernelSize);
                }
                return new Geometry((in - kernelSize) / stride + 1, 0);
            }
            int out = (in + stride - 1) / stride;
            int total = Math.max((out - 1) * stride + kernelSize - in, 0);
            return new Geometry(out, total / 2);
        }
    }
}
