package dev.photoscore.modelpack;

/** A model folder that is missing, incomplete or not readable as a model pack. */
public class InvalidModelPackException extends RuntimeException {

    public InvalidModelPackException(String message) {
        super(message);
    }

    public InvalidModelPackException(String message, Throwable cause) {
        super(message, cause);
    }
}
