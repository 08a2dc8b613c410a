package dev.photoscore.billing;

import dev.photoscore.tenants.Plan;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * One tenant's statement for one calendar month (UTC): a line item a finance person or a billing system can take,
 * summed from the usage records of the photos metered in the month.
 *
 * @param tenantId       the tenant's client id
 * @param tenantName     who the tenant is, for people
 * @param month          the billing month
 * @param plan           the tenant's plan: its lifetime free allowance and its price per 1,000 photos
 * @param scoredPhotos   photos metered in the month: its usage records
 * @param latePhotos     of those, the ones requested (uploaded) in an earlier month and delivered late: billed in
 *                       this month, as they were metered in it
 * @param freePhotos     of those, the ones within the free allowance (records not billable): the allowance used
 * @param freePhotosLeft the lifetime free allowance left at the end of the month:
 *                       {@code max(0, freeAllowance - photos metered in this and all earlier months)}
 * @param billablePhotos of the month's photos, the ones paid for (records billable)
 * @param unitPrice      the price of one billable photo, exact, USD, as the month's records carry it
 * @param amount         the exact sum of the month's records' prices: {@code billablePhotos x unitPrice}
 * @param amountDue      {@code amount} rounded to the cent, half up: what the tenant pays
 */
public record TenantStatement(String tenantId, String tenantName, YearMonth month, Plan plan, long scoredPhotos,
        long latePhotos, long freePhotos, long freePhotosLeft, long billablePhotos, BigDecimal unitPrice, BigDecimal amount,
        BigDecimal amountDue) {

    public TenantStatement {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(tenantName, "tenantName");
        Objects.requireNonNull(month, "month");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(unitPrice, "unitPrice");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(amountDue, "amountDue");
        if (freePhotos < 0 || billablePhotos < 0 || freePhotosLeft < 0 || freePhotos + billablePhotos != scoredPhotos) {
            throw new IllegalArgumentException("photo counts do not add up: " + scoredPhotos + " scored, "
                    + freePhotos + " free, " + billablePhotos + " billable, " + freePhotosLeft + " free left");
        }
        if (latePhotos < 0 || latePhotos > scoredPhotos) {
            throw new IllegalArgumentException(latePhotos + " late photos of " + scoredPhotos + " scored");
        }
        if (billablePhotos > 0 && freePhotosLeft > 0) {
            throw new IllegalArgumentException(billablePhotos + " billable photos while " + freePhotosLeft
                    + " free photos are left at the end of " + month);
        }
        if (amount.compareTo(unitPrice.multiply(BigDecimal.valueOf(billablePhotos))) != 0) {
            throw new IllegalArgumentException("amount " + amount + " is not " + billablePhotos + " x " + unitPrice);
        }
        if (!amountDue.equals(Money.due(amount))) {
            throw new IllegalArgumentException("amount due " + amountDue + " is not " + amount + " to the cent");
        }
    }

    /** The statement of these counts and this exact amount, its amount due rounded by the billing rule. */
    static TenantStatement of(String tenantId, String tenantName, YearMonth month, Plan plan, long scoredPhotos,
            long latePhotos, long billablePhotos, long freePhotosLeft, BigDecimal unitPrice, BigDecimal amount) {
        return new TenantStatement(tenantId, tenantName, month, plan, scoredPhotos, latePhotos,
                scoredPhotos - billablePhotos,
                freePhotosLeft, billablePhotos, unitPrice, amount, Money.due(amount));
    }

    /**
     * The statement's id, the same in every report of this tenant's month: {@code ps-<yyyy-MM>-<tenant id>}, at
     * most 74 characters (client ids have at most 64). Stripe's meter event for it uses it as its identifier.
     */
    public String statementId() {
        return "ps-" + month + "-" + tenantId;
    }

    /** The first instant of the period: the month's first day at 00:00 UTC. */
    public Instant periodStart() {
        return periodStart(month);
    }

    /** The end of the period, exclusive: the next month's first day at 00:00 UTC. */
    public Instant periodEnd() {
        return periodStart(month.plusMonths(1));
    }

    /** What rounding to the cent added to the exact amount (negative when it rounded down): due less amount. */
    public BigDecimal rounding() {
        return amountDue.subtract(amount);
    }

    static Instant periodStart(YearMonth month) {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
