package dev.photoscore.billing;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.Objects;

/**
 * One tenant's bill for one calendar month (UTC), summed from its usage records.
 *
 * @param tenantId       the tenant's client id
 * @param tenantName     who the tenant is, for people
 * @param month          the billing month
 * @param scoredPhotos   photos metered in the month: its usage records
 * @param freePhotos     of those, the ones within the free allowance (records not billable)
 * @param freePhotosLeft the lifetime free allowance left at the end of the month:
 *                       {@code max(0, freeAllowance - photos metered in this and all earlier months)}
 * @param billablePhotos of the month's photos, the ones paid for (records billable)
 * @param amount         the exact sum of the month's records' prices, USD
 * @param amountDue      {@code amount} rounded to the cent, half up: what the tenant pays
 */
public record TenantStatement(String tenantId, String tenantName, YearMonth month, long scoredPhotos,
        long freePhotos, long freePhotosLeft, long billablePhotos, BigDecimal amount, BigDecimal amountDue) {

    public TenantStatement {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(tenantName, "tenantName");
        Objects.requireNonNull(month, "month");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(amountDue, "amountDue");
        if (freePhotos < 0 || billablePhotos < 0 || freePhotosLeft < 0 || freePhotos + billablePhotos != scoredPhotos) {
            throw new IllegalArgumentException("photo counts do not add up: " + scoredPhotos + " scored, "
                    + freePhotos + " free, " + billablePhotos + " billable, " + freePhotosLeft + " free left");
        }
        if (!amountDue.equals(Money.due(amount))) {
            throw new IllegalArgumentException("amount due " + amountDue + " is not " + amount + " to the cent");
        }
    }

    /** The statement of these counts and this exact amount, its amount due rounded by the billing rule. */
    static TenantStatement of(String tenantId, String tenantName, YearMonth month, long scoredPhotos,
            long billablePhotos, long freePhotosLeft, BigDecimal amount) {
        return new TenantStatement(tenantId, tenantName, month, scoredPhotos, scoredPhotos - billablePhotos,
                freePhotosLeft, billablePhotos, amount, Money.due(amount));
    }
}
