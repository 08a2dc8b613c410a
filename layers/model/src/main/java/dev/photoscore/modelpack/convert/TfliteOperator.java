package dev.photoscore.modelpack.convert;

import java.util.Arrays;

/**
 * One operator of a TensorFlow Lite subgraph: its builtin operator code (schema.fbs BuiltinOperator), its input and
 * output tensor indices (-1 for an omitted optional input) and its options where the converter reads them.
 */
public record TfliteOperator(int index, int builtinCode, String customCode, int version, int[] inputs, int[] outputs,
                             Options options) {

    /** schema.fbs BuiltinOperator codes the converter knows. */
    public static final int AVERAGE_POOL_2D = 1;
    public static final int CONV_2D = 3;
    public static final int DEPTHWISE_CONV_2D = 4;
    public static final int RESHAPE = 22;
    public static final int SOFTMAX = 25;
    public static final int SQUEEZE = 43;
    public static final int CUSTOM = 32;

    /** schema.fbs BuiltinOptions union members the reader decodes. */
    static final int CONV_2D_OPTIONS = 1;
    static final int DEPTHWISE_CONV_2D_OPTIONS = 2;
    static final int POOL_2D_OPTIONS = 5;

    public TfliteOperator {
        inputs = inputs.clone();
        outputs = outputs.clone();
    }

    /** schema.fbs Padding. */
    public enum Padding { SAME, VALID }

    /** schema.fbs ActivationFunctionType. */
    public enum Activation { NONE, RELU, RELU_N1_TO_1, RELU6, TANH, SIGN_BIT }

    /** An operator's builtin options, as far as the converter reads them. */
    public sealed interface Options permits ConvOptions, PoolOptions {
    }

    /**
     * Conv2DOptions ({@code depthMultiplier} 0, not used) or DepthwiseConv2DOptions.
     */
    public record ConvOptions(Padding padding, int strideW, int strideH, int depthMultiplier, Activation activation,
                              int dilationW, int dilationH) implements Options {
    }

    /** Pool2DOptions. */
    public record PoolOptions(Padding padding, int strideW, int strideH, int filterWidth, int filterHeight,
                              Activation activation) implements Options {
    }

    /** Decodes the options table of union member {@code type}; null for members the converter does not read. */
    static Options options(int type, FlatTable table, String where) {
        if (table == null) {
            return null;
        }
        return switch (type) {
            // Conv2DOptions: padding, stride_w, stride_h, fused_activation_function, dilation_w, dilation_h.
            case CONV_2D_OPTIONS -> new ConvOptions(padding(table.int8(0, (byte) 0), where), table.int32(1, 0),
                    table.int32(2, 0), 0, activation(table.int8(3, (byte) 0), where), table.int32(4, 1),
                    table.int32(5, 1));
            // DepthwiseConv2DOptions: padding, stride_w, stride_h, depth_multiplier, fused_activation_function,
            // dilation_w, dilation_h.
            case DEPTHWISE_CONV_2D_OPTIONS -> new ConvOptions(padding(table.int8(0, (byte) 0), where),
                    table.int32(1, 0), table.int32(2, 0), table.int32(3, 0), activation(table.int8(4, (byte) 0), where),
                    table.int32(5, 1), table.int32(6, 1));
            // Pool2DOptions: padding, stride_w, stride_h, filter_width, filter_height, fused_activation_function.
            case POOL_2D_OPTIONS -> new PoolOptions(padding(table.int8(0, (byte) 0), where), table.int32(1, 0),
                    table.int32(2, 0), table.int32(3, 0), table.int32(4, 0), activation(table.int8(5, (byte) 0), where));
            default -> null;
        };
    }

    private static Padding padding(byte code, String where) {
        if (code < 0 || code >= Padding.values().length) {
            throw new InvalidWeightsException(where + " has padding " + code + ", which TensorFlow Lite does not define");
        }
        return Padding.values()[code];
    }

    private static Activation activation(byte code, String where) {
        if (code < 0 || code >= Activation.values().length) {
            throw new InvalidWeightsException(where + " has activation " + code
                    + ", which TensorFlow Lite does not define");
        }
        return Activation.values()[code];
    }

    /** The builtin operator's schema name where the converter knows it, else its code. */
    public String name() {
        return switch (builtinCode) {
            case AVERAGE_POOL_2D -> "AVERAGE_POOL_2D";
            case CONV_2D -> "CONV_2D";
            case DEPTHWISE_CONV_2D -> "DEPTHWISE_CONV_2D";
            case RESHAPE -> "RESHAPE";
            case SOFTMAX -> "SOFTMAX";
            case SQUEEZE -> "SQUEEZE";
            case CUSTOM -> "CUSTOM " + customCode;
            default -> "builtin operator " + builtinCode;
        };
    }

    /** The options as {@code type}, or an exception naming the operator when it has others. */
    public <T extends Options> T options(Class<T> type) {
        if (!type.isInstance(options)) {
            throw new InvalidWeightsException("operator " + index + " (" + name() + ") has no "
                    + type.getSimpleName());
        }
        return type.cast(options);
    }

    @Override
    public String toString() {
        return "operator " + index + " " + name() + " in " + Arrays.toString(inputs) + " out "
                + Arrays.toString(outputs) + (options == null ? "" : " " + options);
    }
}
