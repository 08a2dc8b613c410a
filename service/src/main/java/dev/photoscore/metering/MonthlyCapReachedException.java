package dev.photoscore.metering;

import java.time.YearMonth;

/**
 * The tenant has been metered its monthly cap of photos for this month: the photo was not metered (nothing was
 * written) and its score must not be returned. The API answers {@value #HTTP_STATUS}.
 */
public final class MonthlyCapReachedException extends RuntimeException {

    public static final int HTTP_STATUS = 429;

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

    /** The status the API answers with: {@value #HTTP_STATUS} Too Many Requests. */
    public int httpStatus() {
        return HTTP_STATUS;
    }
}
