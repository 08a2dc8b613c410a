package dev.photoscore.metrics;

import dev.photoscore.scoring.PhotoScore;

/**
 * The product's own numbers, for its operators: photos scored (with their score and class, and how long each stage
 * took) and photos refused (by reason). The scoring edges report here; an implementation publishes them (the Lambda's
 * in CloudWatch's embedded metric format, {@code dev.photoscore.lambda.EmfMetrics}) or drops them ({@link #NONE}:
 * the local service, which logs every answer anyway).
 */
public interface ServiceMetrics {

    /** The failure's code when the usage store cannot record a photo (answered 503). */
    String USAGE_STORE_UNAVAILABLE = "USAGE_STORE_UNAVAILABLE";
    /** The failure's code of an unexpected exception (answered 500). */
    String INTERNAL = "INTERNAL";
    /** The refusal's code when a tenant's monthly cap is reached, on every path. */
    String MONTHLY_CAP = "MONTHLY_CAP";
    /** No memory to decode the photo (the budget for photos in flight, or out of memory): a server-side failure. */
    String NO_MEMORY = "NO_MEMORY";

    /** Publishes nothing. */
    ServiceMetrics NONE = new ServiceMetrics() {
        @Override
        public void photoScored(PhotoScore score, StageTimes times) {
        }

        @Override
        public void photoRefused(String reason) {
        }

        @Override
        public void requestFailed(String reason) {
        }
    };

    /** A photo was scored and metered: its answer went out. */
    void photoScored(PhotoScore score, StageTimes times);

    /**
     * A request was refused (a 4xx, or the 502 or 504 of a photo URL that could not be fetched; an upload's error
     * result): {@code reason} is a short upper-case code from a closed set
     * (a rejected photo's {@code PhotoRejectedException.Reason}, a failed fetch's, {@code MONTHLY_CAP},
     * {@code RATE_LIMITED}, ...), never free text, since each distinct one is a metric of its own.
     */
    void photoRefused(String reason);

    /**
     * A request was answered with a server error (a 5xx: the usage store unavailable, an unexpected failure), by a
     * code from a closed set. What a canary deployment watches, since the API's own 5xx alarm cannot be one of its
     * rollback alarms (the API refers to the function's alias, which refers to its deployment).
     */
    void requestFailed(String reason);

    /**
     * Runs {@code action} with nothing it reports published: SnapStart's priming requests exercise the real path but
     * are no traffic.
     */
    default void unpublished(Runnable action) {
        action.run();
    }
}
