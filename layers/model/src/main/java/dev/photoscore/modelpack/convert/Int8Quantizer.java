package dev.photoscore.modelpack.convert;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Static post-training int8 quantisation of a MobileNet graph (NIMA's, or the ImageNet backbone's), in the QDQ form
 * ONNX Runtime fuses into QLinearConv.
 *
 * <ul>
 *   <li>Activations: the input of the first convolution and every ReLU6 (Clip) output get a QuantizeLinear to uint8
 *       (asymmetric, range from calibration: the smallest and largest value seen on the calibration inputs, widened
 *       to hold 0), and each consumer its own DequantizeLinear. A Clip followed by such a QuantizeLinear is redundant (the uint8 range
 *       lies within [0, 6]): ONNX Runtime removes it, so each convolution reads and writes uint8.</li>
 *   <li>Convolution kernels: int8, symmetric, one scale per output channel ({@code max |w| / 127}), so the per-channel
 *       BatchNorm scales folded into them cost no precision.</li>
 *   <li>Convolution biases: int32 with scale {@code input scale * kernel scale} per channel, as QLinearConv wants.</li>
 *   <li>Global pooling, Dense(10) and softmax (the backbone's statistics) stay float: they are a tiny part of the
 *       cost and set the output.</li>
 * </ul>
 */
final class Int8Quantizer {

    private static final int UINT8_LEVELS = 255;
    private static final int INT8_MAX = 127;

    private final GraphProto graph;
    private final Map<String, TensorProto> initializers = new LinkedHashMap<>();
    private final GraphProto.Builder quantized;

    private Int8Quantizer(GraphProto graph) {
        this.graph = graph;
        graph.getInitializerList().forEach(t -> initializers.put(t.getName(), t));
        this.quantized = graph.toBuilder().clearNode().clearInitializer();
    }

    /**
     * The int8 graph of {@code model}; {@code int8RangeInputs} are single {@code [3, H, W]} input tensors of the
     * size the graph's input declares.
     */
    static ModelProto quantize(ModelProto model, List<float[]> int8RangeInputs) {
        List<Long> inputShape = new ArrayList<>(List.of(1L));
        for (var dim : model.getGraph().getInput(0).getType().getTensorType().getShape().getDimList().subList(1,
                model.getGraph().getInput(0).getType().getTensorType().getShape().getDimCount())) {
            if (!dim.hasDimValue()) {
                throw new IllegalArgumentException("the graph's input has a dynamic size (" + dim.getDimParam()
                        + "): give the calibration inputs' shape");
            }
            inputShape.add(dim.getDimValue());
        }
        return quantize(model, int8RangeInputs, inputShape.stream().mapToLong(Long::longValue).toArray());
    }

    /** The int8 graph of {@code model}, calibrated on single input tensors of shape {@code inputShape}. */
    static ModelProto quantize(ModelProto model, List<float[]> int8RangeInputs, long[] inputShape) {
        if (int8RangeInputs == null || int8RangeInputs.isEmpty()) {
            throw new IllegalArgumentException("int8 quantisation needs calibration inputs (photos as tensors)");
        }
        Int8Quantizer quantizer = new Int8Quantizer(model.getGraph());
        Map<String, float[]> ranges = quantizer.calibrate(model, int8RangeInputs, inputShape);
        return model.toBuilder().setGraph(quantizer.rewrite(ranges)).build();
    }

    /**
     * The activations to quantise: what the convolutions read (the graph input, or the float step before the first
     * one, such as the backbone's input centring), and the ReLU6 outputs.
     */
    private Set<String> activations() {
        Set<String> activations = new LinkedHashSet<>();
        for (NodeProto node : graph.getNodeList()) {
            if (node.getOpType().equals("Conv")) {
                activations.add(node.getInput(0));
            }
            if (node.getOpType().equals("Clip")) {
                activations.add(node.getOutput(0));
            }
        }
        return activations;
    }

    /**
     * Each activation's {@code [min, max]} over the calibration inputs, from the float graph run by ONNX Runtime.
     * It uses the JVM's one ONNX Runtime environment, creating it if there is none: a process that also scores
     * through DJL must start DJL's engine first, since DJL refuses an environment it did not create.
     */
    private Map<String, float[]> calibrate(ModelProto model, List<float[]> int8RangeInputs, long[] shape) {
        Set<String> graphInputs = new LinkedHashSet<>();
        graph.getInputList().forEach(i -> graphInputs.add(i.getName()));
        if (graphInputs.size() != 1) {
            throw new IllegalArgumentException("calibration expects a graph with one input, not " + graphInputs);
        }
        String input = graphInputs.iterator().next();
        Map<String, float[]> ranges = new LinkedHashMap<>();
        GraphProto.Builder probed = graph.toBuilder();
        for (String activation : activations()) {
            ranges.put(activation, new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY});
            if (!activation.equals(input)) {
                probed.addOutput(ValueInfoProto.newBuilder().setName(activation).setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder()
                                .setElemType(TensorProto.DataType.FLOAT.getNumber()))));
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(model.toBuilder().setGraph(probed).build().toByteArray(),
                     options)) {
            for (float[] tensor : int8RangeInputs) {
                if (ranges.containsKey(input)) {
                    widen(ranges.get(input), FloatBuffer.wrap(tensor));
                }
                try (OnnxTensor onnxInput = OnnxTensor.createTensor(env, FloatBuffer.wrap(tensor), shape);
                     OrtSession.Result result = session.run(Map.of(input, onnxInput))) {
                    for (Map.Entry<String, float[]> range : ranges.entrySet()) {
                        if (!range.getKey().equals(input)) {
                            OnnxTensor values = (OnnxTensor) result.get(range.getKey()).orElseThrow();
                            widen(range.getValue(), values.getFloatBuffer());
                        }
                    }
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("calibration run failed: " + e.getMessage(), e);
        }
        return ranges;
    }

    private static void widen(float[] range, FloatBuffer values) {
        while (values.hasRemaining()) {
            float v = values.get();
            range[0] = Math.min(range[0], v);
            range[1] = Math.max(range[1], v);
        }
    }

    private GraphProto rewrite(Map<String, float[]> ranges) {
        for (Map.Entry<String, float[]> range : ranges.entrySet()) {
            if (graph.getInputList().stream().anyMatch(i -> i.getName().equals(range.getKey()))) {
                quantizeActivation(range.getKey(), range.getValue());
            }
        }
        for (NodeProto node : graph.getNodeList()) {
            NodeProto.Builder rewritten = node.toBuilder();
            // One DequantizeLinear per activation a node reads, however often it reads it (the square x * x).
            Map<String, String> dequantized = new LinkedHashMap<>();
            for (int i = 0; i < node.getInputCount(); i++) {
                if (ranges.containsKey(node.getInput(i))) {
                    rewritten.setInput(i, dequantized.computeIfAbsent(node.getInput(i), activation ->
                            dequantizeActivation(activation, node.getName() + "/input"
                                    + (dequantized.isEmpty() ? "" : "_" + dequantized.size()))));
                }
            }
            if (node.getOpType().equals("Conv")) {
                quantizeConvWeights(rewritten, ranges.get(node.getInput(0)));
            }
            quantized.addNode(rewritten);
            if (ranges.containsKey(node.getOutput(0))) {
                quantizeActivation(node.getOutput(0), ranges.get(node.getOutput(0)));
            }
        }
        Set<String> used = new LinkedHashSet<>();
        quantized.getNodeList().forEach(n -> used.addAll(n.getInputList()));
        initializers.values().stream().filter(t -> used.contains(t.getName())).forEach(quantized::addInitializer);
        return quantized.build();
    }

    /** uint8 scale and zero point of a {@code [min, max]} range, widened to hold 0 (so zero padding is exact). */
    private static ActivationQuantization activationQuantization(float[] range) {
        double low = Math.min(0, range[0]);
        double high = Math.max(0, range[1]);
        float scale = high > low ? (float) ((high - low) / UINT8_LEVELS) : 1f;
        int zeroPoint = (int) Math.max(0, Math.min(UINT8_LEVELS, Math.round(-low / scale)));
        return new ActivationQuantization(scale, zeroPoint);
    }

    private record ActivationQuantization(float scale, int zeroPoint) {
    }

    private void quantizeActivation(String name, float[] range) {
        ActivationQuantization q = activationQuantization(range);
        addInitializer(OnnxTensors.floats(name + "/scale", new Tensor(new int[0], new float[] {q.scale()})));
        ByteBuffer zeroPoint = OnnxTensors.buffer(1).put((byte) q.zeroPoint());
        addInitializer(OnnxTensors.raw(name + "/zero_point", TensorProto.DataType.UINT8, new int[0], zeroPoint));
        quantized.addNode(NodeProto.newBuilder().setOpType("QuantizeLinear").setName(name + "/quantize")
                .addInput(name).addInput(name + "/scale").addInput(name + "/zero_point")
                .addOutput(name + "/quantized"));
    }

    /**
     * A DequantizeLinear of the activation, named {@code output}, for one consumer (ONNX Runtime fuses node groups
     * with their own).
     */
    private String dequantizeActivation(String name, String output) {
        quantized.addNode(NodeProto.newBuilder().setOpType("DequantizeLinear").setName(output)
                .addInput(name + "/quantized").addInput(name + "/scale").addInput(name + "/zero_point")
                .addOutput(output));
        return output;
    }

    /** Replaces the convolution's float kernel and bias by int8 and int32 ones behind DequantizeLinear nodes. */
    private void quantizeConvWeights(NodeProto.Builder conv, float[] inputRange) {
        Tensor kernel = OnnxTensors.read(initializer(conv.getInput(1)));
        Tensor bias = OnnxTensors.read(initializer(conv.getInput(2)));
        float inputScale = activationQuantization(inputRange).scale();
        int channels = kernel.dim(0);
        int perChannel = kernel.data().length / channels;
        float[] kernelScales = new float[channels];
        float[] biasScales = new float[channels];
        ByteBuffer kernelBytes = OnnxTensors.buffer(kernel.data().length);
        ByteBuffer biasBytes = OnnxTensors.buffer(channels * Integer.BYTES);
        for (int o = 0; o < channels; o++) {
            float largest = 0;
            for (int i = 0; i < perChannel; i++) {
                largest = Math.max(largest, Math.abs(kernel.data()[o * perChannel + i]));
            }
            kernelScales[o] = largest > 0 ? largest / INT8_MAX : 1f;
            for (int i = 0; i < perChannel; i++) {
                long q = Math.round(kernel.data()[o * perChannel + i] / kernelScales[o]);
                kernelBytes.put((byte) Math.max(-INT8_MAX, Math.min(INT8_MAX, q)));
            }
            biasScales[o] = inputScale * kernelScales[o];
            biasBytes.putInt((int) Math.max(Integer.MIN_VALUE + 1L,
                    Math.min(Integer.MAX_VALUE, Math.round((double) bias.data()[o] / biasScales[o]))));
        }
        conv.setInput(1, dequantizeWeights(conv.getInput(1), TensorProto.DataType.INT8, kernel.shape(), kernelBytes,
                kernelScales, Byte.BYTES));
        conv.setInput(2, dequantizeWeights(conv.getInput(2), TensorProto.DataType.INT32, bias.shape(), biasBytes,
                biasScales, Integer.BYTES));
    }

    /** An integer initializer with per-channel scales (axis 0, zero points 0) and its DequantizeLinear. */
    private String dequantizeWeights(String name, TensorProto.DataType type, int[] shape, ByteBuffer values,
                                     float[] scales, int zeroPointBytes) {
        int channels = scales.length;
        addInitializer(OnnxTensors.raw(name + "/quantized", type, shape, values));
        addInitializer(OnnxTensors.floats(name + "/scale", new Tensor(new int[] {channels}, scales)));
        addInitializer(OnnxTensors.raw(name + "/zero_point", type, new int[] {channels},
                OnnxTensors.buffer(channels * zeroPointBytes)));
        String output = name + "/dequantized";
        quantized.addNode(NodeProto.newBuilder().setOpType("DequantizeLinear").setName(output)
                .addInput(name + "/quantized").addInput(name + "/scale").addInput(name + "/zero_point")
                .addOutput(output).addAttribute(OnnxTensors.intAttribute("axis", 0)));
        return output;
    }

    private TensorProto initializer(String name) {
        TensorProto tensor = initializers.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("convolution weight " + name + " is not an initializer");
        }
        return tensor;
    }

    private void addInitializer(TensorProto tensor) {
        initializers.put(tensor.getName(), tensor);
    }
}
