package dev.photoscore.store;

/**
 * The usage store (the DynamoDB tables of tenants and metered photos) could not be read or written: unreachable,
 * throttled after the SDK's retries, missing tables, or too much write contention. Nothing was metered by the
 * failing call, unless {@link #outcomeUnknown()}. The caller may retry the same request later.
 */
public final class UsageStoreUnavailableException extends RuntimeException {

    private final boolean outcomeUnknown;

    public UsageStoreUnavailableException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public UsageStoreUnavailableException(String message) {
        super("usage store unavailable: " + message);
        this.outcomeUnknown = false;
    }

    private UsageStoreUnavailableException(String message, Throwable cause, boolean outcomeUnknown) {
        super("usage store unavailable: " + message, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    /**
     * A metering write whose answer was lost and whose outcome could not be found out either, the store having
     * stopped answering: the photo may or may not be metered (docs/metering.md, "Failures").
     */
    public static UsageStoreUnavailableException outcomeUnknown(String message, Throwable cause) {
        return new UsageStoreUnavailableException(message, cause, true);
    }

    /** Whether the failed call may have metered its photo after all (see {@link #outcomeUnknown(String, Throwable)}). */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
