package dev.photoscore.billing;

/** A report could not be written to its bucket: S3 refused (no such bucket, access denied) or was unreachable. */
public final class ReportPublishingException extends RuntimeException {

    public ReportPublishingException(String message, Throwable cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
