package dev.photoscore.billing;

import java.math.BigDecimal;
import java.util.List;

/**
 * The totals of a report's statements, kept apart from them. Free photos left are not totalled: each tenant's
 * allowance is its own, and unit prices may differ.
 *
 * @param amount    the exact sum of the statements' exact amounts
 * @param amountDue the sum of the statements' amounts due, each rounded per tenant: what is invoiced in all, which
 *                  may differ by a few cents from {@code amount} rounded once
 */
public record BillingTotals(long scoredPhotos, long latePhotos, long freePhotos, long billablePhotos,
        BigDecimal amount, BigDecimal amountDue) {

    static BillingTotals of(List<TenantStatement> statements) {
        return new BillingTotals(
                statements.stream().mapToLong(TenantStatement::scoredPhotos).sum(),
                statements.stream().mapToLong(TenantStatement::latePhotos).sum(),
                statements.stream().mapToLong(TenantStatement::freePhotos).sum(),
                statements.stream().mapToLong(TenantStatement::billablePhotos).sum(),
                statements.stream().map(TenantStatement::amount).reduce(BigDecimal.ZERO, BigDecimal::add),
                statements.stream().map(TenantStatement::amountDue)
                        .reduce(BigDecimal.ZERO.setScale(Money.CENTS), BigDecimal::add));
    }

    /** What rounding each statement to the cent added in all (negative: waived): due less amount. */
    public BigDecimal rounding() {
        return amountDue.subtract(amount);
    }
}
