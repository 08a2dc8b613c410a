package dev.photoscore.modelpack.convert;

import static dev.photoscore.modelpack.convert.OnnxGraphBuilder.ints;
import static dev.photoscore.modelpack.convert.OnnxGraphBuilder.string;
import static dev.photoscore.modelpack.convert.OnnxGraphBuilder.valueInfo;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import dev.photoscore.modelpack.convert.BackboneSpec.Statistic;
import dev.photoscore.modelpack.convert.TfliteOperator.Activation;
import dev.photoscore.modelpack.convert.TfliteOperator.ConvOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns Google's TensorFlow Lite MobileNet v1 (uint8 weights) into an ONNX feature extractor with float activations
 * that runs on any image size.
 *
 * <p>The graph's input {@value #INPUT} is float {@code [N, 3, H, W]} (N, H, W dynamic) holding raw RGB pixel values
 * 0..255; the graph applies the TFLite input's own affine map {@code scale * (p - zeroPoint)} (for Google's file
 * {@code (p - 128) / 128}): the subtraction as a node, the scale folded into the first convolution's kernel (a
 * convolution is linear in its input and its zero padding stays zero when scaled, so this is the same function with
 * one pass over the image fewer; for Google's scale, a power of two, it is exact to the bit). Each convolution's
 * weights are dequantised ({@code scale * (q - zeroPoint)}, per tensor or per channel as the file says; int32 biases
 * {@code scale * q}); TFLite 'SAME' padding is ONNX
 * {@code auto_pad=SAME_UPPER} (the odd pixel of padding after, as TensorFlow does, for every input size); the fused
 * activation follows (ReLU6 is {@code Clip(0, 6)}); depthwise convolutions are grouped convolutions. The network is
 * converted up to the deepest layer the {@link BackboneSpec} asks for; the fixed 224x224 average pool after it is
 * not used.
 *
 * <p>The one output {@value #OUTPUT} is float {@code [N, F]}: for each layer of the spec in order, for each statistic
 * in order, one value per channel in channel order ({@link #featureNames}). Mean and standard deviation are taken
 * over all spatial positions; the variance is the mean of the squares less the square of the mean, clipped at zero
 * ({@link #pooled}).
 */
public final class MobileNetTfliteConverter {

    public static final String INPUT = "image";
    public static final String OUTPUT = "features";
    /** ONNX metadata keys the backbone graph carries. */
    public static final String META_SPEC = "photoscore.backbone.spec";
    public static final String META_LAYOUT = "photoscore.backbone.features";

    private final TfliteModel model;
    private final OnnxGraphBuilder graph = new OnnxGraphBuilder("mobilenet_v1_features");

    private MobileNetTfliteConverter(TfliteModel model) {
        this.model = model;
    }

    /** Reads a TFLite file, converts it for {@code spec} and writes the ONNX graph to {@code onnxFile}. */
    public static ModelProto convertFile(Path tfliteFile, BackboneSpec spec, Path onnxFile) {
        ModelProto onnx = convert(TfliteModel.read(tfliteFile), spec);
        try {
            if (onnxFile.getParent() != null) {
                Files.createDirectories(onnxFile.getParent());
            }
            Files.write(onnxFile, onnx.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + onnxFile, e);
        }
        return onnx;
    }

    /** The backbone graph computing {@code spec}'s features from {@value #INPUT}. */
    public static ModelProto convert(TfliteModel model, BackboneSpec spec) {
        MobileNetTfliteConverter converter = new MobileNetTfliteConverter(model);
        Map<String, Layer> layers = converter.convertLayers(spec);
        List<String> parts = new ArrayList<>();
        List<String> layout = new ArrayList<>();
        for (String name : spec.layers()) {
            Layer layer = layers.get(name);
            for (Statistic statistic : spec.statistics()) {
                parts.add(converter.pooled(layer.value(), statistic));
                layout.add(name + "." + statistic.label() + "[" + layer.channels() + "]");
            }
        }
        converter.graph.node("Concat", OUTPUT, parts, OnnxTensors.intAttribute("axis", 1));
        int features = layers.values().stream().filter(l -> spec.layers().contains(l.name()))
                .mapToInt(Layer::channels).sum() * spec.statistics().size();
        converter.graph.graph().addInput(valueInfo(INPUT, 3, "H", "W"));
        converter.graph.graph().addOutput(valueInfo(OUTPUT, features));
        return converter.graph
                .model("Google's MobileNet v1 (ImageNet, TensorFlow Lite uint8, Apache-2.0), converted to float ONNX by"
                        + " photoscore: per-channel spatial statistics of " + spec.layers())
                .addMetadataProps(meta(META_SPEC, spec.text()))
                .addMetadataProps(meta(META_LAYOUT, String.join(",", layout)))
                .build();
    }

    /**
     * The names of the {@value #OUTPUT} values in order, {@code <layer>.<statistic>.<channel>}, e.g.
     * {@code Conv2d_5_pointwise.mean.0}.
     */
    public static List<String> featureNames(TfliteModel model, BackboneSpec spec) {
        Map<String, Integer> channels = layerChannels(model, spec);
        List<String> names = new ArrayList<>();
        for (String layer : spec.layers()) {
            for (Statistic statistic : spec.statistics()) {
                for (int c = 0; c < channels.get(layer); c++) {
                    names.add(layer + "." + statistic.label() + "." + c);
                }
            }
        }
        return names;
    }

    record Layer(String name, String value, int channels) {
    }

    private static Map<String, Integer> layerChannels(TfliteModel model, BackboneSpec spec) {
        Map<String, Integer> channels = new LinkedHashMap<>();
        chain(model, spec).forEach((name, op) -> channels.put(name, model.tensor(op.outputs()[0]).dim(3)));
        return channels;
    }

    /**
     * The convolutions from the input to the deepest layer of {@code spec}, by layer name: a chain where each
     * operator reads the previous one's output, Conv2d_0 a CONV_2D, then DEPTHWISE_CONV_2D and CONV_2D in turn.
     */
    private static Map<String, TfliteOperator> chain(TfliteModel model, BackboneSpec spec) {
        int deepest = spec.layers().stream().mapToInt(BackboneSpec::position).max().orElseThrow();
        Map<String, TfliteOperator> chain = new LinkedHashMap<>();
        int previous = model.input().index();
        for (int position = 0; position <= deepest; position++) {
            String layer = BackboneSpec.layerAt(position);
            if (position >= model.operators().size()) {
                throw new InvalidWeightsException("the model has no layer " + layer + " (it has "
                        + model.operators().size() + " operators)");
            }
            TfliteOperator op = model.operators().get(position);
            int expected = position == 0 || position % 2 == 0 ? TfliteOperator.CONV_2D
                    : TfliteOperator.DEPTHWISE_CONV_2D;
            if (op.builtinCode() != expected) {
                throw new InvalidWeightsException(op + " is not what MobileNet v1 has at " + layer + " ("
                        + (expected == TfliteOperator.CONV_2D ? "CONV_2D" : "DEPTHWISE_CONV_2D")
                        + "); the converter knows no other layout");
            }
            if (op.inputs().length < 2 || op.inputs()[0] != previous || op.outputs().length != 1) {
                throw new InvalidWeightsException(op + " does not read the output of the layer before it (tensor "
                        + previous + "); the converter reads a plain chain of convolutions");
            }
            String tensorName = model.tensor(op.outputs()[0]).name();
            String named = tensorName == null ? null : slimLayer(tensorName);
            if (named != null && !named.equals(layer)) {
                throw new InvalidWeightsException(op + " is layer " + layer + " by position but its output is named "
                        + tensorName);
            }
            chain.put(layer, op);
            previous = op.outputs()[0];
        }
        return chain;
    }

    /** The TF-slim layer name in a tensor name such as {@code MobilenetV1/MobilenetV1/Conv2d_5_pointwise/Relu6;...}. */
    private static String slimLayer(String tensorName) {
        String first = tensorName.split(";", 2)[0];
        for (String part : first.split("/")) {
            if (part.startsWith("Conv2d_")) {
                return part;
            }
        }
        return null;
    }

    private Map<String, Layer> convertLayers(BackboneSpec spec) {
        TfliteTensor input = model.input();
        if (input.rank() != 4 || input.dim(3) != 3) {
            throw new InvalidWeightsException("the model input " + input + " is not an NHWC RGB image");
        }
        String x = centredInput(input);
        float inputScale = input.quantization().scale();
        Map<String, Layer> layers = new LinkedHashMap<>();
        for (Map.Entry<String, TfliteOperator> entry : chain(model, spec).entrySet()) {
            x = conv(entry.getKey(), entry.getValue(), x, layers.isEmpty() ? inputScale : 1f);
            layers.put(entry.getKey(), new Layer(entry.getKey(), x, model.tensor(entry.getValue().outputs()[0]).dim(3)));
        }
        return layers;
    }

    /**
     * Raw pixels less the input's zero point, {@code p - zeroPoint}: the real values the network was trained on once
     * the first convolution's kernel carries the input's scale ({@link #conv}).
     */
    private String centredInput(TfliteTensor input) {
        if (input.type() == TfliteTensor.Type.FLOAT32) {
            throw new InvalidWeightsException("the model input " + input + " is float: its pixel range is not"
                    + " recorded in the file, so the converter cannot map 0..255 pixels onto it");
        }
        if (input.quantization() == null) {
            throw new InvalidWeightsException("the model input " + input + " has no quantisation parameters");
        }
        return graph.node("Sub", "input/centred", INPUT,
                graph.scalar("input/zero_point", input.quantization().zeroPoint()));
    }

    /** The layer's convolution and activation on {@code x}, {@code x} times {@code inputScale} as far as it sees. */
    private String conv(String layer, TfliteOperator op, String x, float inputScale) {
        ConvOptions options = op.options(ConvOptions.class);
        if (options.dilationW() != 1 || options.dilationH() != 1) {
            throw new InvalidWeightsException(op + " is dilated, which the converter does not support");
        }
        TfliteTensor in = model.tensor(op.inputs()[0]);
        TfliteTensor weights = model.tensor(op.inputs()[1]);
        if (weights.rank() != 4 || !weights.constant()) {
            throw new InvalidWeightsException(op + ": weights " + weights + " are not a constant 4-d kernel");
        }
        int inChannels = in.dim(3);
        boolean depthwise = op.builtinCode() == TfliteOperator.DEPTHWISE_CONV_2D;
        Tensor kernel = (depthwise ? depthwiseKernel(weights, inChannels, op) : convKernel(weights, inChannels, op))
                .times(inputScale);
        int outChannels = kernel.dim(0);
        Tensor bias = bias(op, outChannels);
        String conv = graph.node("Conv", layer + "/conv", x,
                graph.initializer(layer + "/kernel", kernel), graph.initializer(layer + "/bias", bias),
                ints("kernel_shape", kernel.dim(2), kernel.dim(3)),
                ints("strides", options.strideH(), options.strideW()),
                string("auto_pad", options.padding() == TfliteOperator.Padding.SAME ? "SAME_UPPER" : "VALID"),
                OnnxTensors.intAttribute("group", depthwise ? inChannels : 1));
        return activation(layer, conv, options.activation(), op);
    }

    /** CONV_2D weights OHWI to ONNX OIHW. */
    private static Tensor convKernel(TfliteTensor weights, int inChannels, TfliteOperator op) {
        if (weights.dim(3) != inChannels) {
            throw new InvalidWeightsException(op + ": kernel " + weights + " does not take " + inChannels
                    + " input channels");
        }
        return new Tensor(weights.shape(), weights.dequantize()).permute(0, 3, 1, 2);
    }

    /**
     * DEPTHWISE_CONV_2D weights {@code [1, kh, kw, C*m]} to an ONNX grouped kernel {@code [C*m, 1, kh, kw]} with
     * {@code group = C}: output channel {@code c*m + j} reads input channel {@code c} in both.
     */
    private static Tensor depthwiseKernel(TfliteTensor weights, int inChannels, TfliteOperator op) {
        if (weights.dim(0) != 1 || weights.dim(3) % inChannels != 0) {
            throw new InvalidWeightsException(op + ": depthwise kernel " + weights + " does not fit "
                    + inChannels + " input channels");
        }
        return new Tensor(weights.shape(), weights.dequantize()).permute(3, 0, 1, 2);
    }

    private Tensor bias(TfliteOperator op, int outChannels) {
        if (op.inputs().length < 3 || op.inputs()[2] < 0) {
            return new Tensor(new int[] {outChannels}, new float[outChannels]);
        }
        TfliteTensor bias = model.tensor(op.inputs()[2]);
        if (!bias.constant() || bias.rank() != 1 || bias.dim(0) != outChannels) {
            throw new InvalidWeightsException(op + ": bias " + bias + " is not " + outChannels + " constants");
        }
        return new Tensor(new int[] {outChannels}, bias.dequantize());
    }

    private String activation(String layer, String x, Activation activation, TfliteOperator op) {
        return switch (activation) {
            case NONE -> x;
            case RELU -> graph.node("Relu", layer, x);
            case RELU6 -> graph.node("Clip", layer, x, graph.scalar("relu6/min", 0f), graph.scalar("relu6/max", 6f));
            case RELU_N1_TO_1 -> graph.node("Clip", layer, x, graph.scalar("relu1/min", -1f),
                    graph.scalar("relu1/max", 1f));
            default -> throw new InvalidWeightsException(op + " has the fused activation " + activation
                    + ", which the converter does not support");
        };
    }

    /**
     * One statistic of each channel of {@code x} [N, C, H, W] over H and W, as [N, C].
     *
     * <p>The variance is {@code mean(x * x) - mean(x)^2}, not the mean of the centred squares: ONNX Runtime keeps the
     * convolutions' output in its blocked channel layout (NCHWc) and runs the square and both means in it, where
     * centring (a subtraction broadcasting the mean) would first reorder the layer to NCHW and take two more passes
     * over it (about 2 ms of 36 at 500x500, docs/performance.md). The activations are ReLU6's, 0..6, so the difference
     * loses nothing that matters (the score moves by under 0.001 on 0..100 over livec_dev and on flat images);
     * rounding leaves a constant channel's variance a hair below zero as often as not, hence the clip before the
     * root.
     */
    private String pooled(String x, Statistic statistic) {
        String prefix = x + "/" + statistic.label();
        String mean = x + "/mean/pool";
        String pooled = switch (statistic) {
            case MEAN -> meanPool(x, mean);
            case STD -> {
                String square = graph.node("Mul", prefix + "/square", x, x);
                String meanSquare = graph.node("GlobalAveragePool", prefix + "/mean_square", square);
                String meanPooled = meanPool(x, mean);
                String squaredMean = graph.node("Mul", prefix + "/squared_mean", meanPooled, meanPooled);
                String difference = graph.node("Sub", prefix + "/difference", meanSquare, squaredMean);
                String variance = graph.node("Relu", prefix + "/variance", difference);
                yield graph.node("Sqrt", prefix + "/pool", variance);
            }
        };
        return graph.node("Flatten", prefix, pooled, OnnxTensors.intAttribute("axis", 1));
    }

    /** The spatial mean [N, C, 1, 1], added to the graph once per layer. */
    private String meanPool(String x, String name) {
        boolean present = graph.graph().getNodeList().stream().anyMatch(node -> node.getName().equals(name));
        return present ? name : graph.node("GlobalAveragePool", name, x);
    }

    private static StringStringEntryProto meta(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }
}
