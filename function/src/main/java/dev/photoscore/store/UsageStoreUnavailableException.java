package dev.photoscore.store;

/**
 * The usage store (the DynamoDB tables of tenants and metered photos) could not be read or written: unreachable,
 * throttled after the SDK's retries, missing tables, or too much write contention. Nothing was metered by the
 * failing call. The API answers {@value #HTTP_STATUS}: the caller may retry the same request later.
 */
public final class UsageStoreUnavailableException extends RuntimeException {

    public static final int HTTP_STATUS = 503;

    public UsageStoreUnavailableException(String message, Throwable cause) {
        super("usage store unavailable: " + message, cause);
    }

    public UsageStoreUnavailableException(String message) {
        super("usage store unavailable: " + message);
    }

    /** The status the API answers with: {@value #HTTP_STATUS} Service Unavailable. */
    public int httpStatus() {
        return HTTP_STATUS;
    }
}
