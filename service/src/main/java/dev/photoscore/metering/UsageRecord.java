package dev.photoscore.metering;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * One metered photo as the usage table keeps it, with the figures its metering answered.
 *
 * @param tenantId       whose photo
 * @param month          the billing month: the calendar month (UTC) of {@code meteredAt}
 * @param requestId      the request that was metered
 * @param requestTime    when the request was received (for S3, when the object was created), to the millisecond
 * @param meteredAt      when the photo was metered, to the millisecond: what decides its month
 * @param source         where the photo came in
 * @param billable       whether it is paid for: false while the tenant's lifetime count was below its free
 *                       allowance when this photo was counted
 * @param price          what it costs in USD: zero when free, else the plan's price per photo at that time
 * @param monthCount     the tenant's photos in this month, this one included, as read when metering it
 * @param lifetimeCount  the tenant's photos ever, this one included, as read when metering it
 * @param freePhotosLeft the free allowance left after this photo, as read when metering it
 */
public record UsageRecord(String tenantId, YearMonth month, String requestId, Instant requestTime,
        Instant meteredAt, UsageSource source, boolean billable, BigDecimal price, long monthCount, long lifetimeCount,
        long freePhotosLeft) {

    public UsageRecord {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(month, "month");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(requestTime, "requestTime");
        Objects.requireNonNull(meteredAt, "meteredAt");
        if (!YearMonth.from(meteredAt.atOffset(ZoneOffset.UTC)).equals(month)) {
            throw new IllegalArgumentException("a photo metered at " + meteredAt + " is billed in its month, not "
                    + month);
        }
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(price, "price");
    }
}
