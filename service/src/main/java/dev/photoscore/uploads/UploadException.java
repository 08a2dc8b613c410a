package dev.photoscore.uploads;

/** An upload request that cannot be served, with its reason and a message for the client. */
public class UploadException extends RuntimeException {

    /** Why an upload request cannot be served. */
    public enum Reason {
        /** The announced size is at most the minimum photo size. */
        SIZE_TOO_SMALL,
        /** The announced size, or the uploaded photo, is at least the maximum photo size. */
        SIZE_TOO_LARGE,
        /** The upload id is not one {@code POST /v1/uploads} hands out. */
        MALFORMED_UPLOAD_ID,
        /** No upload of that id for this client: never put, or expired. */
        NO_SUCH_UPLOAD
    }

    private final Reason reason;

    public UploadException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
