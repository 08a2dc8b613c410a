package dev.photoscore.scoring;

/** The scorer cannot score at all: the model pack has no model its calibration can use, or a model failed to load. */
public class ScorerUnavailableException extends RuntimeException {

    public ScorerUnavailableException(String message) {
        super(message);
    }

    public ScorerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
