package dev.photoscore.image;

/**
 * A photo the service will not score, with a reason the edges map to an answer (the API to a status) and a message a
 * user understands.
 */
public class PhotoRejectedException extends Exception {

    /** Why a photo was rejected. */
    public enum Reason {
        /** Neither JPEG nor PNG by its magic bytes. */
        UNSUPPORTED_FORMAT,
        /** At most the minimum size ({@link PhotoLimits}): too small to judge. */
        FILE_TOO_SMALL,
        /** At least the maximum size ({@link PhotoLimits}). */
        FILE_TOO_LARGE,
        /** Width x height above the pixel limit: a decompression bomb or an absurd photo. */
        TOO_MANY_PIXELS,
        /** Narrower or lower than {@link PhotoDecoder#MIN_SIDE} pixels: nothing to judge. */
        TOO_FEW_PIXELS,
        /** The bytes claim a JPEG or PNG but do not decode as one (truncated, damaged). */
        CORRUPT
    }

    private final Reason reason;

    public PhotoRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public PhotoRejectedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
