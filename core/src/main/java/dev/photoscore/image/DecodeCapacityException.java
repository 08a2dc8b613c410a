package dev.photoscore.image;

import java.util.OptionalLong;

/**
 * The service has no memory for decoding a photo now: the {@linkplain DecodeBudget budget} for photos in flight stayed
 * full, the photo needs more than the whole budget, or decoding ran out of memory. The photo is not at fault: the API
 * answers that the service is unavailable, with when to retry where waiting may help; the S3 flow lets Lambda retry.
 */
public final class DecodeCapacityException extends RuntimeException {

    private final OptionalLong retryAfterSeconds;

    DecodeCapacityException(String message, OptionalLong retryAfterSeconds, Throwable cause) {
        super(message, cause);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** When a retry may succeed, in seconds; empty when this service can never decode the photo. */
    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
