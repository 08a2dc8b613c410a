package dev.photoscore.modelpack.convert;

/** Weights that cannot be read or do not have the shape the converter expects (NIMA Keras, TensorFlow Lite). */
public class InvalidWeightsException extends RuntimeException {

    public InvalidWeightsException(String message) {
        super(message);
    }

    public InvalidWeightsException(String message, Throwable cause) {
        super(message, cause);
    }
}
