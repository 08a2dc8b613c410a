package dev.photoscore.billing;

import dev.photoscore.metering.MonthlyUsage;
import dev.photoscore.metering.UsageLedger;
import dev.photoscore.store.DynamoDbSettings;
import dev.photoscore.store.UsageStoreUnavailableException;
import dev.photoscore.tenants.Tenant;
import dev.photoscore.tenants.TenantStore;
import dev.photoscore.tenants.UnknownTenantException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a month's statements from the usage table. What was metered is what is billed: counts and amounts come
 * from the usage records alone, each carrying whether it was billable and its exact price, decided when it was
 * metered; the tenants' plans as they are now play no part in them (a plan changed since changes nothing billed
 * before). The one figure not in the month's records, the free allowance left at the end of the month, is the
 * plan's allowance less the photos metered in the month and before it, those before counted by the tenant's
 * per-month counters (which metering keeps in the same transaction as the records).
 *
 * <p>Reads: one scan of the (small) tenants table, then one paginated Query per tenant for the tenant's month,
 * never a scan of the usage table. See {@code docs/billing.md}.
 */
public final class BillingReporter {

    private static final Logger LOG = LoggerFactory.getLogger(BillingReporter.class);

    private final TenantStore tenants;
    private final UsageLedger ledger;
    private final Clock clock;

    /** A reporter that tells by this clock whether a month's usage records are still kept. */
    public BillingReporter(TenantStore tenants, UsageLedger ledger, Clock clock) {
        this.tenants = Objects.requireNonNull(tenants, "tenants");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * DynamoDB settings for reading reports: reading a month is a long series of 1 MB pages, so a call gets more
     * time and attempts than the API's defaults allow. Add the endpoint, region or credentials as needed.
     */
    public static DynamoDbSettings.Builder storeSettings() {
        return DynamoDbSettings.builder()
                .connectionTimeout(Duration.ofSeconds(3))
                .attemptTimeout(Duration.ofSeconds(20))
                .callTimeout(Duration.ofSeconds(60))
                .maxAttempts(5);
    }

    /**
     * The statements of every tenant that has photos metered in the month (UTC).
     *
     * @throws UsageStoreUnavailableException when a table cannot be read
     * @throws IllegalArgumentException       when the month's usage records have expired
     */
    public BillingReport report(YearMonth month) {
        checkRecordsKept(month);
        List<TenantStatement> statements = new ArrayList<>();
        for (Tenant tenant : tenants.list()) {
            TenantStatement statement = statement(tenant, month);
            if (statement.scoredPhotos() > 0) {
                statements.add(statement);
            }
        }
        return new BillingReport(month, statements);
    }

    /**
     * The statement of one tenant for the month (UTC), also when it has no photos in it.
     *
     * @throws UnknownTenantException         when no tenant has this client id
     * @throws UsageStoreUnavailableException when a table cannot be read
     * @throws IllegalArgumentException       when the month's usage records have expired
     */
    public BillingReport report(YearMonth month, String tenantId) {
        checkRecordsKept(month);
        Tenant tenant = tenants.find(tenantId).orElseThrow(() -> new UnknownTenantException(tenantId));
        return new BillingReport(month, List.of(statement(tenant, month)));
    }

    /** Refuses a month whose records DynamoDB may have deleted: its report would miss photos. */
    private void checkRecordsKept(YearMonth month) {
        Objects.requireNonNull(month, "month");
        Instant expiry = UsageLedger.recordsExpireAt(month);
        if (!clock.instant().isBefore(expiry)) {
            throw new IllegalArgumentException("the usage records of " + month + " expired at " + expiry
                    + ": its statements are the ones written before (the reports bucket keeps them)");
        }
    }

    private TenantStatement statement(Tenant tenant, YearMonth month) {
        MonthlyUsage usage = ledger.monthlyUsage(tenant.clientId(), month);
        long counted = tenant.photosIn(month);
        if (counted != usage.photos()) {
            // Equal for a closed month. Photos metered while the report runs explain a difference in the current
            // month; anything else means records and counters disagree, which the records settle for billing.
            LOG.warn("tenant {} has {} usage records in {} but its counter says {}", tenant.clientId(),
                    usage.photos(), month, counted);
        }
        long meteredBefore = tenant.monthlyPhotos().entrySet().stream()
                .filter(e -> e.getKey().isBefore(month))
                .mapToLong(Map.Entry::getValue)
                .sum();
        long freeLeft = Math.max(0, tenant.plan().freeAllowance() - meteredBefore - usage.photos());
        return TenantStatement.of(tenant.clientId(), tenant.name(), month, tenant.plan(), usage.photos(),
                usage.latePhotos(), usage.billablePhotos(), freeLeft, unitPrice(tenant, usage), usage.amount());
    }

    /**
     * The price of the month's billable photos, as their records carry it; without any, the plan's. A plan's price
     * cannot be edited today; were it edited within a month, that month would need two lines, which statements
     * do not have, so it is refused rather than averaged.
     */
    private static BigDecimal unitPrice(Tenant tenant, MonthlyUsage usage) {
        if (usage.unitPrices().size() > 1) {
            throw new IllegalStateException("the billable photos of tenant " + tenant.clientId() + " in "
                    + usage.month() + " carry several prices " + usage.unitPrices().stream().sorted().toList()
                    + ": a statement has one unit price");
        }
        return usage.unitPrices().stream().findFirst().orElse(tenant.plan().pricePerPhoto());
    }
}
