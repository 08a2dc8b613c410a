package dev.photoscore.metering;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A photo whose score is being returned, to be metered.
 *
 * @param tenantId    the authenticated tenant's client id
 * @param requestId   what makes this photo's metering happen once: the same for every retry of the request and
 *                    different for every other photo (the API Gateway request id; for S3, one per object version)
 * @param requestTime when the request was received or the photo uploaded (API Gateway's request time, S3's event
 *                    time), the same for every retry of it. Kept on the usage record; the billing month is the
 *                    month the photo is metered in, not this one's (see {@code docs/billing.md})
 * @param source      where the photo came in
 */
public record ScoredPhoto(String tenantId, String requestId, Instant requestTime, UsageSource source) {

    /** DynamoDB's limit for a sort key. */
    private static final int MAX_REQUEST_ID_BYTES = 1024;

    public ScoredPhoto {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(requestTime, "requestTime");
        Objects.requireNonNull(source, "source");
        if (requestId.isBlank() || requestId.getBytes(StandardCharsets.UTF_8).length > MAX_REQUEST_ID_BYTES) {
            throw new IllegalArgumentException("a request id must be 1 to " + MAX_REQUEST_ID_BYTES
                    + " bytes, not blank");
        }
    }

    /** The calendar month (UTC) of the request time. */
    public YearMonth requestMonth() {
        return YearMonth.from(requestTime.atOffset(ZoneOffset.UTC));
    }
}
