package dev.photoscore.modelpack.build;

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

    String shapeText() {
        return Arrays.toString(shape);
    }
}
