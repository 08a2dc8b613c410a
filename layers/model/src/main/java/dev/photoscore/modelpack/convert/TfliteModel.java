package dev.photoscore.modelpack.convert;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A TensorFlow Lite model file as far as a converter needs it: its one subgraph's tensors (with their constant data
 * and quantisation) and operators, in execution order.
 *
 * <p>Read with {@code flatbuffers-java} against the documented schema ({@code tensorflow/lite/schema/schema.fbs});
 * the field ids below are the schema's declaration order. No TensorFlow runtime is involved. Anything the reader
 * cannot represent faithfully (several subgraphs, tensors stored outside the flatbuffer, a tensor referring to a
 * buffer that does not exist) is refused with {@link InvalidWeightsException}.
 */
public record TfliteModel(int version, String description, List<TfliteTensor> tensors,
                          List<TfliteOperator> operators, int[] inputs, int[] outputs) {

    /** The file identifier TensorFlow Lite writes at bytes 4..7. */
    static final String FILE_IDENTIFIER = "TFL3";

    // schema.fbs field ids, in declaration order.
    static final int MODEL_VERSION = 0;
    static final int MODEL_OPERATOR_CODES = 1;
    static final int MODEL_SUBGRAPHS = 2;
    static final int MODEL_DESCRIPTION = 3;
    static final int MODEL_BUFFERS = 4;
    static final int SUBGRAPH_TENSORS = 0;
    static final int SUBGRAPH_INPUTS = 1;
    static final int SUBGRAPH_OUTPUTS = 2;
    static final int SUBGRAPH_OPERATORS = 3;
    static final int TENSOR_SHAPE = 0;
    static final int TENSOR_TYPE = 1;
    static final int TENSOR_BUFFER = 2;
    static final int TENSOR_NAME = 3;
    static final int TENSOR_QUANTIZATION = 4;
    static final int TENSOR_SPARSITY = 6;
    static final int QUANT_SCALE = 2;
    static final int QUANT_ZERO_POINT = 3;
    static final int QUANT_DETAILS_TYPE = 4;
    static final int QUANT_QUANTIZED_DIMENSION = 6;
    static final int OPERATOR_OPCODE_INDEX = 0;
    static final int OPERATOR_INPUTS = 1;
    static final int OPERATOR_OUTPUTS = 2;
    static final int OPERATOR_BUILTIN_OPTIONS_TYPE = 3;
    static final int OPERATOR_BUILTIN_OPTIONS = 4;
    static final int OPCODE_DEPRECATED_BUILTIN_CODE = 0;
    static final int OPCODE_CUSTOM_CODE = 1;
    static final int OPCODE_VERSION = 2;
    static final int OPCODE_BUILTIN_CODE = 3;
    static final int BUFFER_DATA = 0;
    static final int BUFFER_OFFSET = 1;
    /** BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES: codes above it live only in builtin_code. */
    static final int PLACEHOLDER_FOR_GREATER_OP_CODES = 127;

    public TfliteModel {
        tensors = List.copyOf(tensors);
        operators = List.copyOf(operators);
        inputs = inputs.clone();
        outputs = outputs.clone();
    }

    public static TfliteModel read(Path file) {
        try {
            return read(ByteBuffer.wrap(Files.readAllBytes(file)), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the TensorFlow Lite file " + file, e);
        }
    }

    /** Reads a TensorFlow Lite flatbuffer; {@code source} names it in error messages. */
    public static TfliteModel read(ByteBuffer bytes, String source) {
        ByteBuffer buffer = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (buffer.remaining() < 8 || !FILE_IDENTIFIER.equals(identifier(buffer))) {
            throw new InvalidWeightsException(source + " is not a TensorFlow Lite file (no " + FILE_IDENTIFIER
                    + " identifier)");
        }
        try {
            return decode(FlatTable.root(buffer), source);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new InvalidWeightsException(source + " is a damaged TensorFlow Lite file: " + e, e);
        }
    }

    private static String identifier(ByteBuffer buffer) {
        byte[] id = new byte[4];
        buffer.get(buffer.position() + 4, id);
        return new String(id, StandardCharsets.US_ASCII);
    }

    private static TfliteModel decode(FlatTable model, String source) {
        List<FlatTable> subgraphs = model.tables(MODEL_SUBGRAPHS);
        if (subgraphs.size() != 1) {
            throw new InvalidWeightsException(source + " has " + subgraphs.size()
                    + " subgraphs; the converter reads models with exactly one");
        }
        List<FlatTable> buffers = model.tables(MODEL_BUFFERS);
        List<FlatTable> opcodes = model.tables(MODEL_OPERATOR_CODES);
        FlatTable graph = subgraphs.get(0);
        List<TfliteTensor> tensors = new ArrayList<>();
        for (FlatTable tensor : graph.tables(SUBGRAPH_TENSORS)) {
            tensors.add(tensor(tensor, tensors.size(), buffers, source));
        }
        List<TfliteOperator> operators = new ArrayList<>();
        for (FlatTable op : graph.tables(SUBGRAPH_OPERATORS)) {
            operators.add(operator(op, operators.size(), opcodes, tensors.size(), source));
        }
        int[] inputs = graph.int32s(SUBGRAPH_INPUTS);
        int[] outputs = graph.int32s(SUBGRAPH_OUTPUTS);
        checkTensorIndices(inputs, tensors.size(), source + " subgraph inputs");
        checkTensorIndices(outputs, tensors.size(), source + " subgraph outputs");
        return new TfliteModel(model.int32(MODEL_VERSION, 0), model.string(MODEL_DESCRIPTION), tensors,
                operators, inputs, outputs);
    }

    private static TfliteTensor tensor(FlatTable tensor, int index, List<FlatTable> buffers, String source) {
        String name = tensor.string(TENSOR_NAME);
        String where = source + " tensor " + index + " (" + name + ")";
        TfliteTensor.Type type = TfliteTensor.Type.of(tensor.int8(TENSOR_TYPE, (byte) 0), where);
        if (tensor.has(TENSOR_SPARSITY)) {
            throw new InvalidWeightsException(where + " is sparse; the converter reads dense tensors only");
        }
        int bufferIndex = tensor.int32(TENSOR_BUFFER, 0);
        if (bufferIndex < 0 || bufferIndex >= buffers.size()) {
            throw new InvalidWeightsException(where + " refers to buffer " + Integer.toUnsignedString(bufferIndex)
                    + " of " + buffers.size());
        }
        FlatTable buffer = buffers.get(bufferIndex);
        if (buffer.int64(BUFFER_OFFSET, 0) > 1) {
            throw new InvalidWeightsException(where + " keeps its data outside the flatbuffer, which is not supported");
        }
        byte[] data = buffer.bytes(BUFFER_DATA);
        int[] shape = tensor.int32s(TENSOR_SHAPE);
        if (data.length > 0) {
            long expected = (long) type.bytes() * Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b);
            if (data.length != expected) {
                throw new InvalidWeightsException(where + " of shape " + Arrays.toString(shape) + " holds "
                        + data.length + " bytes, expected " + expected);
            }
        }
        return new TfliteTensor(index, name, shape, type, data.length == 0 ? null : data,
                quantization(tensor.table(TENSOR_QUANTIZATION), where));
    }

    private static TfliteTensor.Quantization quantization(FlatTable q, String where) {
        if (q == null) {
            return null;
        }
        if (q.int8(QUANT_DETAILS_TYPE, (byte) 0) != 0) {
            throw new InvalidWeightsException(where + " uses custom quantisation details, which are not supported");
        }
        float[] scales = q.float32s(QUANT_SCALE);
        long[] zeroPoints = q.int64s(QUANT_ZERO_POINT);
        if (scales.length == 0) {
            return null;
        }
        if (zeroPoints.length != scales.length) {
            throw new InvalidWeightsException(where + " has " + scales.length + " quantisation scales but "
                    + zeroPoints.length + " zero points");
        }
        return new TfliteTensor.Quantization(scales, zeroPoints, q.int32(QUANT_QUANTIZED_DIMENSION, 0));
    }

    private static TfliteOperator operator(FlatTable op, int index, List<FlatTable> opcodes, int tensorCount,
                                           String source) {
        String where = source + " operator " + index;
        int opcodeIndex = op.int32(OPERATOR_OPCODE_INDEX, 0);
        if (opcodeIndex < 0 || opcodeIndex >= opcodes.size()) {
            throw new InvalidWeightsException(where + " refers to operator code " + opcodeIndex + " of "
                    + opcodes.size());
        }
        FlatTable code = opcodes.get(opcodeIndex);
        // schema.fbs: builtin_code is authoritative; files written before it existed hold only the int8
        // deprecated_builtin_code, and newer writers fill the deprecated field with at most 127. The larger wins.
        int builtin = Math.max(code.int8(OPCODE_DEPRECATED_BUILTIN_CODE, (byte) 0), code.int32(OPCODE_BUILTIN_CODE, 0));
        int[] inputs = op.int32s(OPERATOR_INPUTS);
        int[] outputs = op.int32s(OPERATOR_OUTPUTS);
        for (int input : inputs) {
            if (input != -1) {
                checkTensorIndices(new int[] {input}, tensorCount, where + " inputs");
            }
        }
        checkTensorIndices(outputs, tensorCount, where + " outputs");
        int optionsType = Byte.toUnsignedInt(op.int8(OPERATOR_BUILTIN_OPTIONS_TYPE, (byte) 0));
        return new TfliteOperator(index, builtin, code.string(OPCODE_CUSTOM_CODE), code.int32(OPCODE_VERSION, 1),
                inputs, outputs, TfliteOperator.options(optionsType, op.table(OPERATOR_BUILTIN_OPTIONS), where));
    }

    private static void checkTensorIndices(int[] indices, int tensorCount, String where) {
        for (int i : indices) {
            if (i < 0 || i >= tensorCount) {
                throw new InvalidWeightsException(where + " refer to tensor " + i + " of " + tensorCount);
            }
        }
    }

    public TfliteTensor tensor(int index) {
        if (index < 0 || index >= tensors.size()) {
            throw new InvalidWeightsException("no tensor " + index + " (the model has " + tensors.size() + ")");
        }
        return tensors.get(index);
    }

    /** The one input tensor of the subgraph. */
    public TfliteTensor input() {
        if (inputs.length != 1) {
            throw new InvalidWeightsException("the model has " + inputs.length + " inputs; expected one image");
        }
        return tensor(inputs[0]);
    }

    /** A text listing of the operators and their tensors, for error messages and for looking into a file. */
    public String describe() {
        StringBuilder text = new StringBuilder("TensorFlow Lite model version " + version
                + (description == null ? "" : " (" + description + ")") + "\n");
        for (int i : inputs) {
            text.append("input ").append(tensor(i)).append('\n');
        }
        for (TfliteOperator op : operators) {
            text.append(op.index()).append(' ').append(op.name())
                    .append(op.options() == null ? "" : " " + op.options()).append('\n');
            for (int i : op.inputs()) {
                text.append("    in  ").append(i < 0 ? "(none)" : tensor(i).toString()).append('\n');
            }
            for (int i : op.outputs()) {
                text.append("    out ").append(tensor(i)).append('\n');
            }
        }
        return text.toString();
    }
}
