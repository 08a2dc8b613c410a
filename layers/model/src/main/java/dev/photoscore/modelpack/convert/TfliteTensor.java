package dev.photoscore.modelpack.convert;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tensor of a TensorFlow Lite model: its shape (activations NHWC, convolution kernels OHWI, depthwise kernels
 * {@code [1, kh, kw, C]}), element type, constant data (null for activations) and quantisation.
 */
public record TfliteTensor(int index, String name, int[] shape, Type type, byte[] data, Quantization quantization) {

    /** schema.fbs TensorType values this reader knows. */
    public enum Type {
        FLOAT32(0, 4), INT32(2, 4), UINT8(3, 1), INT64(4, 8), INT8(9, 1);

        private final int code;
        private final int bytes;

        Type(int code, int bytes) {
            this.code = code;
            this.bytes = bytes;
        }

        public int code() {
            return code;
        }

        public int bytes() {
            return bytes;
        }

        static Type of(int code, String where) {
            for (Type type : values()) {
                if (type.code == code) {
                    return type;
                }
            }
            throw new InvalidWeightsException(where + " has tensor type " + code + ", which the converter does not read");
        }
    }

    /**
     * Affine quantisation: {@code real = scale * (q - zeroPoint)}, one pair for the whole tensor or one per index of
     * {@code dimension} (per-channel).
     */
    public record Quantization(float[] scales, long[] zeroPoints, int dimension) {
        public Quantization {
            scales = scales.clone();
            zeroPoints = zeroPoints.clone();
        }

        public boolean perChannel() {
            return scales.length > 1;
        }

        public float scale() {
            requirePerTensor();
            return scales[0];
        }

        public long zeroPoint() {
            requirePerTensor();
            return zeroPoints[0];
        }

        private void requirePerTensor() {
            if (perChannel()) {
                throw new InvalidWeightsException("per-channel quantisation (" + scales.length
                        + " scales) where one scale was expected");
            }
        }

        @Override
        public String toString() {
            return perChannel() ? scales.length + " scales along dimension " + dimension
                    : "scale " + scales[0] + " zero point " + zeroPoints[0];
        }
    }

    public TfliteTensor {
        shape = shape.clone();
    }

    public int dim(int i) {
        return shape[i];
    }

    public int rank() {
        return shape.length;
    }

    public boolean constant() {
        return data != null;
    }

    /** The stored integers (UINT8 as 0..255, INT8 as -128..127, INT32), for integer arithmetic. */
    public int[] quantizedValues() {
        ByteBuffer bytes = constantData();
        int[] values = new int[bytes.remaining() / type.bytes()];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (type) {
                case UINT8 -> Byte.toUnsignedInt(bytes.get(i));
                case INT8 -> bytes.get(i);
                case INT32 -> bytes.getInt(i * 4);
                default -> throw new InvalidWeightsException(this + " does not hold integers");
            };
        }
        return values;
    }

    /**
     * The real values: FLOAT32 as stored; integers dequantised as {@code scale * (q - zeroPoint)} with the scale and
     * zero point of the element's index along the quantised dimension when the tensor is quantised per channel.
     */
    public float[] dequantize() {
        if (type == Type.FLOAT32) {
            float[] values = new float[data.length / 4];
            constantData().asFloatBuffer().get(values);
            return values;
        }
        if (quantization == null) {
            throw new InvalidWeightsException(this + " is an integer tensor without quantisation parameters");
        }
        int[] q = quantizedValues();
        int channels = quantization.scales().length;
        int stride = 1;
        if (quantization.perChannel()) {
            int dimension = quantization.dimension();
            if (dimension < 0 || dimension >= shape.length || shape[dimension] != channels) {
                throw new InvalidWeightsException(this + " has " + channels + " scales along dimension " + dimension
                        + ", which does not match its shape");
            }
            for (int d = dimension + 1; d < shape.length; d++) {
                stride *= shape[d];
            }
        }
        float[] values = new float[q.length];
        for (int i = 0; i < q.length; i++) {
            int c = channels == 1 ? 0 : (i / stride) % channels;
            values[i] = (float) (quantization.scales()[c] * (q[i] - quantization.zeroPoints()[c]));
        }
        return values;
    }

    private ByteBuffer constantData() {
        if (data == null) {
            throw new InvalidWeightsException(this + " holds no constant data");
        }
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public String toString() {
        return "tensor " + index + " " + name + " " + type + Arrays.toString(shape)
                + (quantization == null ? "" : " (" + quantization + ")");
    }
}
