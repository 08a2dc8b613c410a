package dev.photoscore.modelpack.convert;

import static dev.photoscore.modelpack.convert.OnnxGraphBuilder.ints;
import static dev.photoscore.modelpack.convert.OnnxGraphBuilder.valueInfo;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.util.Map;

/**
 * Turns idealo's NIMA heads (Keras MobileNet v1 + Dense(10) softmax) into one ONNX graph.
 *
 * <p>Keras semantics are matched exactly: a stride-2 convolution follows {@code ZeroPadding2D(((0,1),(0,1)))} and is
 * 'valid', which is ONNX padding {@code [0,0,1,1]}; the other 3x3 convolutions are 'same' ({@code [1,1,1,1]}).
 * Kernels go from Keras HWIO to ONNX OIHW, depthwise kernels become grouped convolutions, and each BatchNorm
 * (epsilon 1e-3) is folded into the convolution before it, which then gets a bias. Channel widths are taken from the
 * kernels, so any width multiplier converts. All heads share the graph's one input {@value #INPUT}
 * ({@code [N,3,224,224]}, batch dynamic) and each head has its own output, named after it ({@code [N,10]}).
 */
public final class NimaOnnxConverter {

    public static final String INPUT = "image";
    public static final int SIZE = 224;
    static final float BN_EPSILON = 1e-3f;

    /** Strides of the 13 depthwise-separable blocks of MobileNet v1. */
    static final int[] BLOCK_STRIDES = {1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1};

    private final OnnxGraphBuilder graph = new OnnxGraphBuilder("nima");

    private NimaOnnxConverter() {
    }

    /** One graph computing every head in {@code heads} (head name to its weights), in map order. */
    public static ModelProto convert(Map<String, KerasWeightsFile> heads) {
        if (heads.isEmpty()) {
            throw new IllegalArgumentException("no heads to convert");
        }
        NimaOnnxConverter converter = new NimaOnnxConverter();
        converter.graph.graph().addInput(valueInfo(INPUT, 3, SIZE, SIZE));
        heads.forEach(converter::addHead);
        return converter.graph
                .model("NIMA (Talebi & Milanfar 2018) MobileNet heads as trained by idealo, converted from Keras")
                .build();
    }

    private void addHead(String head, KerasWeightsFile weights) {
        String x = conv(head, weights, "conv1", "conv1_bn", INPUT, 2, 1);
        for (int block = 1; block <= BLOCK_STRIDES.length; block++) {
            int inChannels = weights.weight("conv_dw_" + block, "depthwise_kernel").dim(2);
            x = conv(head, weights, "conv_dw_" + block, "conv_dw_" + block + "_bn", x, BLOCK_STRIDES[block - 1],
                    inChannels);
            x = conv(head, weights, "conv_pw_" + block, "conv_pw_" + block + "_bn", x, 1, 1);
        }
        String pooled = graph.node("GlobalAveragePool", head + "/pool", x);
        String flat = graph.node("Flatten", head + "/flatten", pooled, OnnxTensors.intAttribute("axis", 1));
        Tensor dense = denseKernel(weights);
        Tensor bias = weights.layer(denseLayer(weights)).get("bias");
        String logits = graph.node("Gemm", head + "/dense", flat,
                graph.initializer(head + "/dense/kernel", dense), graph.initializer(head + "/dense/bias", bias));
        String probabilities = graph.node("Softmax", head, logits, OnnxTensors.intAttribute("axis", 1));
        graph.graph().addOutput(valueInfo(probabilities, dense.dim(1)));
    }

    /** A Keras convolution (regular when {@code groups == 1}, depthwise otherwise) + folded BatchNorm + ReLU6. */
    private String conv(String head, KerasWeightsFile weights, String convLayer, String bnLayer, String input,
                        int stride, int groups) {
        Map<String, Tensor> convWeights = weights.layer(convLayer);
        Tensor kernel = convWeights.containsKey("kernel") ? convWeights.get("kernel")
                : weights.weight(convLayer, "depthwise_kernel");
        if (kernel.rank() != 4) {
            throw new InvalidWeightsException(convLayer + " kernel has shape " + kernel.shapeText());
        }
        Tensor oihw = groups == 1 ? hwioToOihw(kernel) : depthwiseToGrouped(kernel);
        FoldedConv folded = foldBatchNorm(oihw, weights.layer(bnLayer), bnLayer);
        int kh = oihw.dim(2);
        int kw = oihw.dim(3);
        // Keras: stride 2 = ZeroPadding2D(((0,1),(0,1))) + 'valid'; stride 1 = 'same'. ONNX pads: [t, l, b, r].
        long[] pads = stride == 2 ? new long[] {0, 0, 1, 1} : new long[] {(kh - 1) / 2, (kw - 1) / 2, kh / 2, kw / 2};
        String prefix = head + "/" + convLayer;
        String convOut = graph.node("Conv", prefix, input,
                graph.initializer(prefix + "/kernel", folded.kernel()),
                graph.initializer(prefix + "/bias", folded.bias()),
                ints("kernel_shape", kh, kw), ints("strides", stride, stride), ints("pads", pads),
                ints("dilations", 1, 1), OnnxTensors.intAttribute("group", groups));
        return graph.node("Clip", prefix + "/relu6", convOut,
                graph.scalar(head + "/zero", 0f), graph.scalar(head + "/six", 6f));
    }

    record FoldedConv(Tensor kernel, Tensor bias) {
    }

    /**
     * BatchNorm after a bias-free convolution: {@code gamma * (conv(x) - mean) / sqrt(var + eps) + beta} equals a
     * convolution with each output channel's kernel scaled by {@code s = gamma / sqrt(var + eps)} and bias
     * {@code beta - mean * s}.
     */
    static FoldedConv foldBatchNorm(Tensor oihw, Map<String, Tensor> bn, String bnLayer) {
        int out = oihw.dim(0);
        float[] gamma = bnWeight(bn, bnLayer, "gamma", out);
        float[] beta = bnWeight(bn, bnLayer, "beta", out);
        float[] mean = bnWeight(bn, bnLayer, "moving_mean", out);
        float[] variance = bnWeight(bn, bnLayer, "moving_variance", out);
        int perChannel = oihw.data().length / out;
        float[] kernel = new float[oihw.data().length];
        float[] bias = new float[out];
        for (int o = 0; o < out; o++) {
            double scale = gamma[o] / Math.sqrt((double) variance[o] + BN_EPSILON);
            for (int i = 0; i < perChannel; i++) {
                kernel[o * perChannel + i] = (float) (oihw.data()[o * perChannel + i] * scale);
            }
            bias[o] = (float) (beta[o] - mean[o] * scale);
        }
        return new FoldedConv(new Tensor(oihw.shape(), kernel), new Tensor(new int[] {out}, bias));
    }

    private static float[] bnWeight(Map<String, Tensor> bn, String bnLayer, String name, int channels) {
        Tensor t = bn.get(name);
        if (t == null || t.data().length != channels) {
            throw new InvalidWeightsException(bnLayer + "/" + name + " is missing or does not have " + channels
                    + " values");
        }
        return t.data();
    }

    /** Keras [kh, kw, in, out] to ONNX [out, in, kh, kw]. */
    static Tensor hwioToOihw(Tensor hwio) {
        return hwio.permute(3, 2, 0, 1);
    }

    /** Keras depthwise [kh, kw, C, 1] to an ONNX grouped convolution kernel [C, 1, kh, kw] (group = C). */
    static Tensor depthwiseToGrouped(Tensor depthwise) {
        if (depthwise.dim(3) != 1) {
            throw new InvalidWeightsException("depth multiplier " + depthwise.dim(3) + " is not supported (NIMA uses 1)");
        }
        return depthwise.permute(2, 3, 0, 1);
    }

    /** The head's Dense(10) kernel [in, 10]; found by its shape, since newer Keras names the layer dense, not dense_1. */
    private static Tensor denseKernel(KerasWeightsFile weights) {
        return weights.weight(denseLayer(weights), "kernel");
    }

    static String denseLayer(KerasWeightsFile weights) {
        return weights.weightedLayers().stream()
                .filter(name -> {
                    Tensor kernel = weights.layer(name).get("kernel");
                    return kernel != null && kernel.rank() == 2 && kernel.dim(1) == 10
                            && weights.layer(name).containsKey("bias");
                })
                .reduce((a, b) -> {
                    throw new InvalidWeightsException("more than one Dense(10) layer: " + a + ", " + b);
                })
                .orElseThrow(() -> new InvalidWeightsException("no Dense(10) head layer in the weights file"));
    }
}
