package dev.photoscore.modelpack.convert;

/** Weights that could not be downloaded: no network, a host that does not answer, or an HTTP error. */
public class WeightsUnreachableException extends RuntimeException {

    public WeightsUnreachableException(String message) {
        super(message);
    }

    public WeightsUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
