package dev.photoscore.modelpack.convert;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;

/**
 * Stores a graph's convolution and dense kernels as float16, each followed by a Cast to float: the file is about
 * half the size, and ONNX Runtime folds the casts when it loads the graph, so it computes in float32 as before
 * (its x86 CPU kernels have no float16 convolutions). Biases and constants stay float (a few KB).
 */
final class Float16Weights {

    private static final Set<String> WEIGHTED_OPS = Set.of("Conv", "Gemm");

    private Float16Weights() {
    }

    static ModelProto apply(ModelProto model) {
        GraphProto graph = model.getGraph();
        Set<String> kernels = new HashSet<>();
        for (NodeProto node : graph.getNodeList()) {
            if (WEIGHTED_OPS.contains(node.getOpType())) {
                kernels.add(node.getInput(1));
            }
        }
        GraphProto.Builder half = graph.toBuilder().clearInitializer().clearNode();
        for (TensorProto initializer : graph.getInitializerList()) {
            if (!kernels.contains(initializer.getName())) {
                half.addInitializer(initializer);
                continue;
            }
            Tensor weights = OnnxTensors.read(initializer);
            ByteBuffer bytes = OnnxTensors.buffer(weights.data().length * Short.BYTES);
            for (float value : weights.data()) {
                bytes.putShort(toHalf(value));
            }
            String stored = initializer.getName() + "/fp16";
            half.addInitializer(OnnxTensors.raw(stored, TensorProto.DataType.FLOAT16, weights.shape(), bytes));
            half.addNode(NodeProto.newBuilder().setOpType("Cast").setName(initializer.getName() + "/cast")
                    .addInput(stored).addOutput(initializer.getName())
                    .addAttribute(OnnxTensors.intAttribute("to", TensorProto.DataType.FLOAT.getNumber())));
        }
        half.addAllNode(graph.getNodeList());
        return model.toBuilder().setGraph(half).build();
    }

    /**
     * IEEE 754 binary16 bits of {@code value}, rounded to nearest even (Java 17 has no {@code Float.floatToFloat16}):
     * overflow gives infinity, tiny values subnormals or zero.
     */
    static short toHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = bits >>> 16 & 0x8000;
        int exponent = bits >>> 23 & 0xFF;
        int mantissa = bits & 0x7FFFFF;
        if (exponent == 0xFF) {
            return (short) (sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0));
        }
        int halfExponent = exponent - 127 + 15;
        if (halfExponent >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (halfExponent <= 0) {
            if (halfExponent < -10) {
                return (short) sign;
            }
            // Subnormal: the implicit leading 1 becomes explicit and the value is shifted into 10 bits.
            return (short) (sign | roundShift(mantissa | 0x800000, 14 - halfExponent));
        }
        // A carry out of the mantissa rightly increments the exponent (up to infinity).
        return (short) (sign | ((halfExponent << 10) + roundShift(mantissa, 13)));
    }

    /** {@code value >> shift}, rounded to nearest, ties to even. */
    private static int roundShift(int value, int shift) {
        int kept = value >> shift;
        int rest = value & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        return rest > half || rest == half && (kept & 1) != 0 ? kept + 1 : kept;
    }
}
