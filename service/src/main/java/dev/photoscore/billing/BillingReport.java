package dev.photoscore.billing;

import java.time.YearMonth;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The statements of a calendar month (UTC), ordered by tenant id, and their total. Holds nothing that changes
 * between two reports of the same usage (no time of making), so the same usage always gives the same report.
 */
public record BillingReport(YearMonth month, List<TenantStatement> statements) {

    public BillingReport {
        Objects.requireNonNull(month, "month");
        statements = statements.stream().sorted(Comparator.comparing(TenantStatement::tenantId)).toList();
        for (TenantStatement statement : statements) {
            if (!statement.month().equals(month)) {
                throw new IllegalArgumentException("a statement of " + statement.month() + " in a report of " + month);
            }
        }
    }

    public BillingTotals totals() {
        return BillingTotals.of(statements);
    }
}
