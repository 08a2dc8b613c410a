package dev.photoscore.modelpack.convert;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How the pack's convolutional graphs (NIMA's, and the quality model built on the ImageNet backbone) store and
 * compute their weights. FP32 is the default; see docs/performance.md ("Quantisation") for what the others measured.
 */
public enum Precision {

    /** float32 weights and arithmetic, as converted. */
    FP32 {
        @Override
        ModelProto apply(ModelProto fp32, List<float[]> int8RangeInputs, long[] inputShape) {
            return fp32;
        }
    },

    /** Kernels stored as float16 (half the file), cast to float32 when ONNX Runtime loads the graph. */
    FP16 {
        @Override
        ModelProto apply(ModelProto fp32, List<float[]> int8RangeInputs, long[] inputShape) {
            return Float16Weights.apply(fp32);
        }
    },

    /**
     * Convolutions quantised to int8 (static, QDQ form: ONNX Runtime runs them as QLinearConv); activation ranges
     * calibrated on {@code int8RangeInputs}. The pooling and the Dense(10) + softmax heads stay float.
     */
    INT8 {
        @Override
        ModelProto apply(ModelProto fp32, List<float[]> int8RangeInputs, long[] inputShape) {
            return inputShape == null ? Int8Quantizer.quantize(fp32, int8RangeInputs)
                    : Int8Quantizer.quantize(fp32, int8RangeInputs, inputShape);
        }
    };

    /**
     * The model {@code fp32} stored at this precision; {@code int8RangeInputs} (single input tensors of
     * {@code inputShape}, {@code [1, C, H, W]}; null for the size the graph's input declares) are used by INT8 only.
     */
    abstract ModelProto apply(ModelProto fp32, List<float[]> int8RangeInputs, long[] inputShape);

    /** {@link #apply(ModelProto, List, long[])} for a graph whose input declares its size (NIMA's). */
    ModelProto apply(ModelProto fp32, List<float[]> int8RangeInputs) {
        return apply(fp32, int8RangeInputs, null);
    }

    /** {@code fp32}, {@code fp16} or {@code int8} (any case). */
    public static Precision parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown precision '" + name + "'; one of "
                    + Arrays.stream(values()).map(Precision::label).toList(), e);
        }
    }

    /** The lower-case name, as {@link #parse} takes it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
