package dev.photoscore.image;

/** A photo the service will not score, with a reason the edges map to an answer and a message a user understands. */
public class PhotoRejectedException extends Exception {

    /** Why a photo was rejected, with the HTTP status the API answers with. */
    public enum Reason {
        /** Neither JPEG nor PNG by its magic bytes. */
        UNSUPPORTED_FORMAT(415),
        /** At most the minimum upload size (20 KB): too small to judge. */
        FILE_TOO_SMALL(422),
        /** At least the maximum upload size (10 MB). */
        FILE_TOO_LARGE(413),
        /** Width x height above the pixel limit: a decompression bomb or an absurd photo. */
        TOO_MANY_PIXELS(422),
        /** Narrower or lower than {@link PhotoDecoder#MIN_SIDE} pixels: nothing to judge. */
        TOO_FEW_PIXELS(422),
        /** The bytes claim a JPEG or PNG but do not decode as one (truncated, damaged). */
        CORRUPT(422);

        private final int httpStatus;

        Reason(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
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
