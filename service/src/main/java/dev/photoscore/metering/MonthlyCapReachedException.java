package dev.photoscore.metering;

import java.time.YearMonth;

/**
 * The tenant has been metered its monthly cap of photos for this month: the photo was not metered (nothing was
 * written) and its score must not be returned.
 */
public final class MonthlyCapReachedException extends RuntimeException {

    private final String tenantId;
    private final YearMonth month;
    private final long cap;

    public MonthlyCapReachedException(String tenantId, YearMonth month, long cap) {
        super("monthly cap of " + cap + " photos reached for " + month);
        this.tenantId = tenantId;
        this.month = month;
        this.cap = cap;
    }

    public String tenantId() {
        return tenantId;
    }

    public YearMonth month() {
        return month;
    }

    public long cap() {
        return cap;
    }
}
