package dev.photoscore.metering;

import java.math.BigDecimal;
import java.time.YearMonth;

/**
 * A tenant's bill for a month (UTC), summed from its usage records.
 *
 * @param photos         photos metered
 * @param billablePhotos of those, the ones paid for
 * @param amount         what they cost in USD, exact
 */
public record MonthlyUsage(String tenantId, YearMonth month, long photos, long billablePhotos, BigDecimal amount) {
}
