package dev.photoscore.modelpack.reference;

import dev.photoscore.modelpack.convert.TfliteModel;
import dev.photoscore.modelpack.convert.TfliteOperator;
import dev.photoscore.modelpack.convert.TfliteTensor;

/**
 * A TensorFlow Lite uint8 model run the way TFLite's quantised reference kernels compute it
 * ({@code reference_ops::Conv}, {@code DepthwiseConv}, {@code AveragePool} for uint8): integer inputs and weights
 * with their zero points subtracted, int32 accumulators, the int32 bias added, then requantisation of every output
 * with the fixed-point multiplier of {@code M = input_scale * weight_scale / output_scale} (per channel where the
 * weights are quantised per channel), rounding, the output zero point, and clamping to the fused activation's range
 * in the output's quantised domain.
 *
 * <p>Independent of the converter: it uses only the reader's raw view of the file (shapes, stored integers, scales
 * and zero points, options), never its dequantised weights, and computes in NHWC as TFLite does.
 */
public final class TfliteIntegerReference {

    /** A uint8 activation, NHWC without the batch axis; values 0..255. */
    public record Activation(int height, int width, int channels, int[] values) {
    }

    private final TfliteModel model;

    public TfliteIntegerReference(TfliteModel model) {
        this.model = model;
    }

    /** Runs every operator in order from the input (uint8 HWC pixels) and returns the subgraph's output. */
    public Activation run(Activation input) {
        return runAll(input)[model.outputs()[0]];
    }

    /** Runs every operator in order; each computed tensor by its index (null for constants). */
    public Activation[] runAll(Activation input) {
        Activation[] tensors = new Activation[model.tensors().size()];
        tensors[model.input().index()] = input;
        for (TfliteOperator op : model.operators()) {
            Activation in = tensors[op.inputs()[0]];
            if (in == null) {
                throw new IllegalStateException(op + " reads a tensor no operator has computed");
            }
            TfliteTensor output = model.tensor(op.outputs()[0]);
            tensors[op.outputs()[0]] = switch (op.builtinCode()) {
                case TfliteOperator.CONV_2D, TfliteOperator.DEPTHWISE_CONV_2D -> conv(op, in, output);
                case TfliteOperator.AVERAGE_POOL_2D -> averagePool(op, in, output);
                default -> throw new IllegalArgumentException("the integer reference does not run " + op);
            };
        }
        return tensors;
    }

    private Activation conv(TfliteOperator op, Activation in, TfliteTensor output) {
        TfliteOperator.ConvOptions options = op.options(TfliteOperator.ConvOptions.class);
        boolean depthwise = op.builtinCode() == TfliteOperator.DEPTHWISE_CONV_2D;
        TfliteTensor input = model.tensor(op.inputs()[0]);
        TfliteTensor filter = model.tensor(op.inputs()[1]);
        TfliteTensor bias = model.tensor(op.inputs()[2]);
        int filterHeight = filter.dim(1);
        int filterWidth = filter.dim(2);
        int outChannels = depthwise ? filter.dim(3) : filter.dim(0);
        int multiplier = depthwise ? outChannels / in.channels() : 0;
        int[] filterValues = filter.quantizedValues();
        int[] biasValues = bias.quantizedValues();
        int inputOffset = (int) -input.quantization().zeroPoint();
        int outputOffset = (int) output.quantization().zeroPoint();
        // Per-channel multipliers: one per output channel (TFLite's per-channel path), or the same one repeated.
        int[] filterOffsets = new int[outChannels];
        int[] multipliers = new int[outChannels];
        int[] shifts = new int[outChannels];
        float[] filterScales = filter.quantization().scales();
        long[] filterZeros = filter.quantization().zeroPoints();
        for (int oc = 0; oc < outChannels; oc++) {
            int q = filterScales.length == 1 ? 0 : oc;
            filterOffsets[oc] = (int) -filterZeros[q];
            double real = (double) input.quantization().scale() * (double) filterScales[q]
                    / (double) output.quantization().scale();
            long[] quantized = quantizeMultiplier(real);
            multipliers[oc] = (int) quantized[0];
            shifts[oc] = (int) quantized[1];
        }
        int[] range = activationRange(options.activation(), output);
        Geometry rows = Geometry.of(options.padding(), in.height(), filterHeight, options.strideH());
        Geometry cols = Geometry.of(options.padding(), in.width(), filterWidth, options.strideW());
        int[] out = new int[rows.out * cols.out * outChannels];
        int inChannels = in.channels();
        int[] x = in.values();
        for (int oy = 0; oy < rows.out; oy++) {
            for (int ox = 0; ox < cols.out; ox++) {
                int inY0 = oy * options.strideH() - rows.pad;
                int inX0 = ox * options.strideW() - cols.pad;
                for (int oc = 0; oc < outChannels; oc++) {
                    int acc = 0;
                    int filterOffset = filterOffsets[oc];
                    for (int fy = 0; fy < filterHeight; fy++) {
                        int iy = inY0 + fy;
                        if (iy < 0 || iy >= in.height()) {
                            continue;
                        }
                        for (int fx = 0; fx < filterWidth; fx++) {
                            int ix = inX0 + fx;
                            if (ix < 0 || ix >= in.width()) {
                                continue;
                            }
                            int pixel = (iy * in.width() + ix) * inChannels;
                            if (depthwise) {
                                int ic = oc / multiplier;
                                int w = filterValues[(fy * filterWidth + fx) * outChannels + oc];
                                acc += (w + filterOffset) * (x[pixel + ic] + inputOffset);
                            } else {
                                int row = ((oc * filterHeight + fy) * filterWidth + fx) * inChannels;
                                for (int ic = 0; ic < inChannels; ic++) {
                                    acc += (filterValues[row + ic] + filterOffset) * (x[pixel + ic] + inputOffset);
                                }
                            }
                        }
                    }
                    acc += biasValues[oc];
                    acc = multiplyByQuantizedMultiplier(acc, multipliers[oc], shifts[oc]);
                    acc += outputOffset;
                    out[(oy * cols.out + ox) * outChannels + oc] = Math.max(range[0], Math.min(range[1], acc));
                }
            }
        }
        return new Activation(rows.out, cols.out, outChannels, out);
    }

    private Activation averagePool(TfliteOperator op, Activation in, TfliteTensor output) {
        TfliteOperator.PoolOptions options = op.options(TfliteOperator.PoolOptions.class);
        TfliteTensor input = model.tensor(op.inputs()[0]);
        if (input.quantization().scale() != output.quantization().scale()
                || input.quantization().zeroPoint() != output.quantization().zeroPoint()) {
            throw new IllegalArgumentException(op + ": uint8 average pooling keeps the input's quantisation");
        }
        int[] range = activationRange(options.activation(), output);
        Geometry rows = Geometry.of(options.padding(), in.height(), options.filterHeight(), options.strideH());
        Geometry cols = Geometry.of(options.padding(), in.width(), options.filterWidth(), options.strideW());
        int channels = in.channels();
        int[] out = new int[rows.out * cols.out * channels];
        for (int oy = 0; oy < rows.out; oy++) {
            for (int ox = 0; ox < cols.out; ox++) {
                int inY0 = oy * options.strideH() - rows.pad;
                int inX0 = ox * options.strideW() - cols.pad;
                int yStart = Math.max(0, -inY0);
                int yEnd = Math.min(options.filterHeight(), in.height() - inY0);
                int xStart = Math.max(0, -inX0);
                int xEnd = Math.min(options.filterWidth(), in.width() - inX0);
                for (int c = 0; c < channels; c++) {
                    int acc = 0;
                    int count = 0;
                    for (int fy = yStart; fy < yEnd; fy++) {
                        for (int fx = xStart; fx < xEnd; fx++) {
                            acc += in.values()[((inY0 + fy) * in.width() + inX0 + fx) * channels + c];
                            count++;
                        }
                    }
                    acc = (acc + count / 2) / count;
                    out[(oy * cols.out + ox) * channels + c] = Math.max(range[0], Math.min(range[1], acc));
                }
            }
        }
        return new Activation(rows.out, cols.out, channels, out);
    }

    /** CalculateActivationRangeQuantized for a uint8 output: the activation's bounds quantised, within 0..255. */
    static int[] activationRange(TfliteOperator.Activation activation, TfliteTensor output) {
        float scale = output.quantization().scale();
        int zero = (int) output.quantization().zeroPoint();
        return switch (activation) {
            case NONE -> new int[] {0, 255};
            case RELU -> new int[] {Math.max(0, quantize(0f, scale, zero)), 255};
            case RELU6 -> new int[] {Math.max(0, quantize(0f, scale, zero)), Math.min(255, quantize(6f, scale, zero))};
            case RELU_N1_TO_1 -> new int[] {Math.max(0, quantize(-1f, scale, zero)),
                    Math.min(255, quantize(1f, scale, zero))};
            default -> throw new IllegalArgumentException("no quantised range for " + activation);
        };
    }

    private static int quantize(float value, float scale, int zero) {
        return zero + (int) roundHalfAwayFromZero(value / scale);
    }

    private static double roundHalfAwayFromZero(double x) {
        return Math.signum(x) * Math.floor(Math.abs(x) + 0.5);
    }

    /**
     * QuantizeMultiplier: {@code real = q * 2^shift} with {@code q} in [0.5, 1) held as a Q31 integer; returns
     * {@code {q31, shift}}.
     */
    static long[] quantizeMultiplier(double real) {
        if (real == 0) {
            return new long[] {0, 0};
        }
        int shift = Math.getExponent(real) + 1; // frexp: real = q * 2^shift, 0.5 <= q < 1
        double q = Math.scalb(real, -shift);
        long fixed = (long) roundHalfAwayFromZero(q * (1L << 31));
        if (fixed == 1L << 31) {
            fixed /= 2;
            shift++;
        }
        if (shift < -31) {
            return new long[] {0, 0};
        }
        return new long[] {fixed, shift};
    }

    /** MultiplyByQuantizedMultiplier (gemmlowp semantics). */
    static int multiplyByQuantizedMultiplier(int x, int multiplier, int shift) {
        int leftShift = shift > 0 ? shift : 0;
        int rightShift = shift > 0 ? 0 : -shift;
        return roundingDivideByPowerOfTwo(saturatingRoundingDoublingHighMul(x * (1 << leftShift), multiplier),
                rightShift);
    }

    /** gemmlowp SaturatingRoundingDoublingHighMul: the high 32 bits of 2ab, rounded to nearest. */
    static int saturatingRoundingDoublingHighMul(int a, int b) {
        if (a == Integer.MIN_VALUE && b == Integer.MIN_VALUE) {
            return Integer.MAX_VALUE;
        }
        long ab = (long) a * b;
        long nudge = ab >= 0 ? 1L << 30 : 1 - (1L << 30);
        return (int) ((ab + nudge) / (1L << 31)); // Java's long division truncates toward zero, as C++'s does
    }

    /** gemmlowp RoundingDivideByPOT: {@code x / 2^exponent} rounded to nearest, ties away from zero. */
    static int roundingDivideByPowerOfTwo(int x, int exponent) {
        int mask = (1 << exponent) - 1;
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (remainder > threshold ? 1 : 0);
    }

    /** Output size and leading padding of one axis (ComputeOutSize, ComputePaddingWithOffset; no dilation). */
    private record Geometry(int out, int pad) {
        static Geometry of(TfliteOperator.Padding padding, int in, int filter, int stride) {
            int out = padding == TfliteOperator.Padding.SAME ? (in + stride - 1) / stride
                    : (in + stride - filter) / stride;
            int total = Math.max((out - 1) * stride + filter - in, 0);
            return new Geometry(out, total / 2);
        }
    }
}
