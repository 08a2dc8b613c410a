package dev.photoscore.metering;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.Set;

/**
 * A tenant's bill for a month (UTC), summed from its usage records.
 *
 * @param photos         photos metered
 * @param latePhotos     of those, the ones requested in an earlier month (an upload delivered late)
 * @param billablePhotos of those, the ones paid for
 * @param amount         what they cost in USD, exact
 * @param unitPrices     the prices per photo the billable records carry, without trailing zeros: one, or none
 *                       when no photo is billable (several only if a plan's price changed within the month)
 */
public record MonthlyUsage(String tenantId, YearMonth month, long photos, long latePhotos, long billablePhotos,
        BigDecimal amount, Set<BigDecimal> unitPrices) {

    public MonthlyUsage {
        unitPrices = Set.copyOf(unitPrices);
    }
}
