package dev.photoscore.modelpack.testing;

import com.google.flatbuffers.FlatBufferBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small TensorFlow Lite flatbuffers for tests with {@link FlatBufferBuilder}, field by field as
 * {@code tensorflow/lite/schema/schema.fbs} declares them (field n at vtable slot n): one subgraph, tensors with
 * their data in buffers, operators with Conv2D / DepthwiseConv2D options.
 */
public final class TfliteWriter {

    /** schema.fbs TensorType. */
    public static final byte FLOAT32 = 0;
    public static final byte INT32 = 2;
    public static final byte UINT8 = 3;
    /** schema.fbs BuiltinOperator. */
    public static final int CONV_2D = 3;
    public static final int DEPTHWISE_CONV_2D = 4;
    public static final int SOFTMAX = 25;
    /** schema.fbs Padding and ActivationFunctionType. */
    public static final byte SAME = 0;
    public static final byte VALID = 1;
    public static final byte NONE = 0;
    public static final byte RELU6 = 3;

    /** How operator codes are written: both fields (current writers), or only the old int8 field. */
    public enum OpcodeFields { BOTH, DEPRECATED_ONLY, BUILTIN_ONLY }

    private record TensorSpec(String name, int[] shape, byte type, byte[] data, float[] scales, long[] zeroPoints,
                              int quantizedDimension) {
    }

    private record OpSpec(int builtinCode, int[] inputs, int[] outputs, int optionsType, byte padding, int stride,
                          int depthMultiplier, byte activation) {
    }

    private final List<TensorSpec> tensors = new ArrayList<>();
    private final List<OpSpec> operators = new ArrayList<>();
    private int[] inputs = new int[0];
    private int[] outputs = new int[0];
    private OpcodeFields opcodeFields = OpcodeFields.BOTH;

    /** Adds a tensor (data null for activations, scales null for none) and returns its index. */
    public int tensor(String name, int[] shape, byte type, byte[] data, float[] scales, long[] zeroPoints,
                      int quantizedDimension) {
        tensors.add(new TensorSpec(name, shape, type, data, scales, zeroPoints, quantizedDimension));
        return tensors.size() - 1;
    }

    /** CONV_2D(input, kernel, bias) with Conv2DOptions. */
    public TfliteWriter conv(int input, int kernel, int bias, int output, byte padding, int stride, byte activation) {
        operators.add(new OpSpec(CONV_2D, new int[] {input, kernel, bias}, new int[] {output}, 1, padding, stride, 0,
                activation));
        return this;
    }

    /** DEPTHWISE_CONV_2D(input, kernel, bias) with DepthwiseConv2DOptions. */
    public TfliteWriter depthwise(int input, int kernel, int bias, int output, byte padding, int stride,
                                  int depthMultiplier, byte activation) {
        operators.add(new OpSpec(DEPTHWISE_CONV_2D, new int[] {input, kernel, bias}, new int[] {output}, 2, padding,
                stride, depthMultiplier, activation));
        return this;
    }

    /** An operator without options. */
    public TfliteWriter op(int builtinCode, int[] inputs, int[] outputs) {
        operators.add(new OpSpec(builtinCode, inputs, outputs, 0, (byte) 0, 0, 0, (byte) 0));
        return this;
    }

    public TfliteWriter io(int[] inputs, int[] outputs) {
        this.inputs = inputs.clone();
        this.outputs = outputs.clone();
        return this;
    }

    public TfliteWriter opcodeFields(OpcodeFields opcodeFields) {
        this.opcodeFields = opcodeFields;
        return this;
    }

    public byte[] toBytes() {
        FlatBufferBuilder b = new FlatBufferBuilder(1024);
        // Buffers: 0 is the empty sentinel, then one per constant tensor.
        List<Integer> bufferTables = new ArrayList<>();
        b.startTable(1);
        bufferTables.add(b.endTable());
        int[] tensorTables = new int[tensors.size()];
        for (int t = 0; t < tensors.size(); t++) {
            TensorSpec spec = tensors.get(t);
            int bufferIndex = 0;
            if (spec.data() != null) {
                int data = b.createByteVector(spec.data());
                b.startTable(1);
                b.addOffset(0, data, 0);
                bufferTables.add(b.endTable());
                bufferIndex = bufferTables.size() - 1;
            }
            int quantization = 0;
            if (spec.scales() != null) {
                int scales = floats(b, spec.scales());
                int zeroPoints = longs(b, spec.zeroPoints());
                b.startTable(7);
                b.addOffset(2, scales, 0);
                b.addOffset(3, zeroPoints, 0);
                b.addInt(6, spec.quantizedDimension(), 0);
                quantization = b.endTable();
            }
            int name = b.createString(spec.name());
            int shape = ints(b, spec.shape());
            b.startTable(5);
            b.addOffset(0, shape, 0);
            b.addByte(1, spec.type(), 0);
            b.addInt(2, bufferIndex, 0);
            b.addOffset(3, name, 0);
            if (quantization != 0) {
                b.addOffset(4, quantization, 0);
            }
            tensorTables[t] = b.endTable();
        }
        Map<Integer, Integer> opcodeIndex = new LinkedHashMap<>();
        operators.forEach(op -> opcodeIndex.putIfAbsent(op.builtinCode(), opcodeIndex.size()));
        int[] opcodeTables = new int[opcodeIndex.size()];
        for (Map.Entry<Integer, Integer> entry : opcodeIndex.entrySet()) {
            b.startTable(4);
            if (opcodeFields != OpcodeFields.BUILTIN_ONLY) {
                b.addByte(0, (byte) Math.min(entry.getKey(), 127), 0);
            }
            b.addInt(2, 1, 1);
            if (opcodeFields != OpcodeFields.DEPRECATED_ONLY) {
                b.addInt(3, entry.getKey(), 0);
            }
            opcodeTables[entry.getValue()] = b.endTable();
        }
        int[] operatorTables = new int[operators.size()];
        for (int i = 0; i < operators.size(); i++) {
            OpSpec op = operators.get(i);
            int options = 0;
            if (op.optionsType() == 1) {
                b.startTable(6);
                b.addByte(0, op.padding(), 0);
                b.addInt(1, op.stride(), 0);
                b.addInt(2, op.stride(), 0);
                b.addByte(3, op.activation(), 0);
                options = b.endTable();
            } else if (op.optionsType() == 2) {
                b.startTable(7);
                b.addByte(0, op.padding(), 0);
                b.addInt(1, op.stride(), 0);
                b.addInt(2, op.stride(), 0);
                b.addInt(3, op.depthMultiplier(), 0);
                b.addByte(4, op.activation(), 0);
                options = b.endTable();
            }
            int in = ints(b, op.inputs());
            int out = ints(b, op.outputs());
            b.startTable(5);
            b.addInt(0, opcodeIndex.get(op.builtinCode()), 0);
            b.addOffset(1, in, 0);
            b.addOffset(2, out, 0);
            if (options != 0) {
                b.addByte(3, (byte) op.optionsType(), 0);
                b.addOffset(4, options, 0);
            }
            operatorTables[i] = b.endTable();
        }
        int tensorVector = b.createVectorOfTables(tensorTables);
        int inputVector = ints(b, inputs);
        int outputVector = ints(b, outputs);
        int operatorVector = b.createVectorOfTables(operatorTables);
        int graphName = b.createString("main");
        b.startTable(5);
        b.addOffset(0, tensorVector, 0);
        b.addOffset(1, inputVector, 0);
        b.addOffset(2, outputVector, 0);
        b.addOffset(3, operatorVector, 0);
        b.addOffset(4, graphName, 0);
        int graph = b.endTable();
        int opcodes = b.createVectorOfTables(opcodeTables);
        int subgraphs = b.createVectorOfTables(new int[] {graph});
        int description = b.createString("photoscore test model");
        int buffers = b.createVectorOfTables(bufferTables.stream().mapToInt(Integer::intValue).toArray());
        b.startTable(5);
        b.addInt(0, 3, 0);
        b.addOffset(1, opcodes, 0);
        b.addOffset(2, subgraphs, 0);
        b.addOffset(3, description, 0);
        b.addOffset(4, buffers, 0);
        b.finish(b.endTable(), "TFL3");
        return b.sizedByteArray();
    }

    private static int ints(FlatBufferBuilder b, int[] values) {
        b.startVector(4, values.length, 4);
        for (int i = values.length - 1; i >= 0; i--) {
            b.addInt(values[i]);
        }
        return b.endVector();
    }

    private static int floats(FlatBufferBuilder b, float[] values) {
        b.startVector(4, values.length, 4);
        for (int i = values.length - 1; i >= 0; i--) {
            b.addFloat(values[i]);
        }
        return b.endVector();
    }

    private static int longs(FlatBufferBuilder b, long[] values) {
        b.startVector(8, values.length, 8);
        for (int i = values.length - 1; i >= 0; i--) {
            b.addLong(values[i]);
        }
        return b.endVector();
    }
}
