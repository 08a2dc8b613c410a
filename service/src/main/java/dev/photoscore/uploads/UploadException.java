package dev.photoscore.uploads;

/** An upload request that cannot be served, with the HTTP status the API answers and a message for the client. */
public class UploadException extends Exception {

    private final int httpStatus;

    public UploadException(int httpStatus, String message) {
        super(message);
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
