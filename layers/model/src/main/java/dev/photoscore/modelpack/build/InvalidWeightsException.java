package dev.photoscore.modelpack.build;

/** Weights that cannot be read or do not have the shape of a NIMA MobileNet. */
public class InvalidWeightsException extends RuntimeException {

    public InvalidWeightsException(String message) {
        super(message);
    }

    public InvalidWeightsException(String message, Throwable cause) {
        super(message, cause);
    }
}
