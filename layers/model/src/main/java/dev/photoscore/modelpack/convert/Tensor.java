package dev.photoscore.modelpack.convert;

import java.util.Arrays;

/** A dense float tensor in row-major order, as read from a weights file or written into an ONNX initializer. */
record Tensor(int[] shape, float[] data) {

    Tensor {
        long size = 1;
        for (int d : shape) {
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold "
                    + data.length + " values");
        }
    }

    int dim(int i) {
        return shape[i];
    }

    int rank() {
        return shape.length;
    }

    /**
     * The same values with the axes reordered: axis {@code i} of the result is axis {@code order[i]} of this
     * tensor (numpy's {@code transpose(order)}), e.g. {@code permute(3, 2, 0, 1)} turns HWIO kernels into OIHW.
     */
    Tensor permute(int... order) {
        int rank = shape.length;
        if (order.length != rank) {
            throw new IllegalArgumentException("permutation " + Arrays.toString(order) + " of a rank-" + rank
                    + " tensor");
        }
        int[] strides = new int[rank];
        int stride = 1;
        for (int d = rank - 1; d >= 0; d--) {
            strides[d] = stride;
            stride *= shape[d];
        }
        int[] outShape = new int[rank];
        int[] sourceStrides = new int[rank];
        for (int i = 0; i < rank; i++) {
            outShape[i] = shape[order[i]];
            sourceStrides[i] = strides[order[i]];
        }
        float[] out = new float[data.length];
        int[] index = new int[rank];
        int source = 0;
        for (int k = 0; k < out.length; k++) {
            out[k] = data[source];
            for (int d = rank - 1; d >= 0; d--) { // odometer over the result's indices
                index[d]++;
                source += sourceStrides[d];
                if (index[d] < outShape[d]) {
                    break;
                }
                source -= sourceStrides[d] * outShape[d];
                index[d] = 0;
            }
        }
        return new Tensor(outShape, out);
    }

    /** Every value times {@code factor}: this tensor itself when the factor is 1. */
    Tensor times(float factor) {
        if (factor == 1f) {
            return this;
        }
        float[] out = new float[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = data[i] * factor;
        }
        return new Tensor(shape, out);
    }

    String shapeText() {
        return Arrays.toString(shape);
    }
}
