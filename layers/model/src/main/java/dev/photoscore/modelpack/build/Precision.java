package dev.photoscore.modelpack.build;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How the NIMA graph's weights are stored and computed. FP32 is the default; see docs/performance.md
 * ("Quantisation") for what the others measured.
 */
public enum Precision {

    /** float32 weights and arithmetic, as converted. */
    FP32 {
        @Override
        ModelProto apply(ModelProto fp32, List<float[]> calibrationInputs) {
            return fp32;
        }
    },

    /** Kernels stored as float16 (half the file), cast to float32 when ONNX Runtime loads the graph. */
    FP16 {
        @Override
        ModelProto apply(ModelProto fp32, List<float[]> calibrationInputs) {
            return Float16Weights.apply(fp32);
        }
    },

    /**
     * Convolutions quantised to int8 (static, QDQ form: ONNX Runtime runs them as QLinearConv); activation ranges
     * calibrated on {@code calibrationInputs}. The pooling and the Dense(10) + softmax heads stay float.
     */
    INT8 {
        @Override
        ModelProto apply(ModelProto fp32, List<float[]> calibrationInputs) {
            return Int8Quantizer.quantize(fp32, calibrationInputs);
        }
    };

    /** The model {@code fp32} stored at this precision; {@code calibrationInputs} are used by INT8 only. */
    abstract ModelProto apply(ModelProto fp32, List<float[]> calibrationInputs);

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
