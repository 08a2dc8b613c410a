package dev.photoscore.metering;

import dev.photoscore.store.OnDemandTables;
import dev.photoscore.store.UsageStoreUnavailableException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collector;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads the usage table the way billing does: a tenant's month is one partition, read with a Query by key,
 * never a scan, page after page (DynamoDB ends a page at 1 MB, or at the {@linkplain #withPageSize page size})
 * until no {@code LastEvaluatedKey} is left.
 */
public final class UsageLedger {

    /** The table name the local service uses; the SAM template names the AWS one. */
    public static final String DEFAULT_TABLE = "photoscore-usage";

    private final DynamoDbClient client;
    private final String table;
    /** Items per Query page; 0: as many as fit DynamoDB's 1 MB. */
    private final int pageSize;

    public UsageLedger(DynamoDbClient client, String table) {
        this(client, table, 0);
    }

    private UsageLedger(DynamoDbClient client, String table, int pageSize) {
        this.client = Objects.requireNonNull(client, "client");
        this.table = Objects.requireNonNull(table, "table");
        this.pageSize = pageSize;
    }

    /** Creates the usage table (on-demand billing) unless it exists. */
    public static void createTable(DynamoDbClient client, String table) {
        OnDemandTables.createIfMissing(client, table, UsageTable.TENANT_MONTH, UsageTable.REQUEST_ID);
    }

    /**
     * Turns on the table's time to live, so that records are deleted once {@linkplain #recordsExpireAt expired}
     * (as the SAM template does in AWS). Not for tables of tests that meter in months long past: DynamoDB Local
     * deletes expired items too.
     */
    public static void expireRecords(DynamoDbClient client, String table) {
        OnDemandTables.expireItemsBy(client, table, UsageTable.EXPIRES_AT);
    }

    /**
     * When the usage records of a month expire (DynamoDB deletes them within days after): whole months after the
     * month, once its statement is written and invoiced. The tenants' monthly counters are kept.
     */
    public static Instant recordsExpireAt(YearMonth month) {
        return UsageTable.expiresAt(month);
    }

    /**
     * This ledger with Query pages of at most {@code items} records (DynamoDB's {@code Limit}) instead of 1 MB:
     * more round trips for the same reads, useful to bound a page's size or to exercise paging.
     */
    public UsageLedger withPageSize(int items) {
        if (items < 1) {
            throw new IllegalArgumentException("a page holds at least 1 item, was " + items);
        }
        return new UsageLedger(client, table, items);
    }

    /** Every photo metered for the tenant in the month (UTC), by request id. */
    public List<UsageRecord> records(String tenantId, YearMonth month) {
        return read(tenantId, month, Collectors.toList());
    }

    /**
     * The tenant's bill for the month (UTC): photos, paid photos and their exact price, summed page by page so
     * that a month of any size is read in constant memory.
     */
    public MonthlyUsage monthlyUsage(String tenantId, YearMonth month) {
        Instant monthStart = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return read(tenantId, month, Collector.of(() -> new Tally(monthStart), Tally::add, Tally::combine,
                tally -> new MonthlyUsage(tenantId, month, tally.photos, tally.latePhotos, tally.billablePhotos,
                        tally.amount, tally.unitPrices)));
    }

    private <R> R read(String tenantId, YearMonth month, Collector<UsageRecord, ?, R> collector) {
        try {
            return client.queryPaginator(b -> {
                        b.tableName(table)
                                .keyConditionExpression("#pk = :pk")
                                .expressionAttributeNames(Map.of("#pk", UsageTable.TENANT_MONTH))
                                .expressionAttributeValues(
                                        Map.of(":pk", AttributeValue.fromS(UsageTable.tenantMonth(tenantId, month))))
                                .consistentRead(true);
                        if (pageSize > 0) {
                            b.limit(pageSize);
                        }
                    })
                    .items().stream()
                    .filter(UsageTable::isRecord)
                    .map(UsageTable::fromItem)
                    .collect(collector);
        } catch (SdkException e) {
            // Pages are fetched as the stream is consumed, so a failing page surfaces here too.
            throw new UsageStoreUnavailableException("cannot read the usage of " + tenantId + " in " + month, e);
        }
    }

    /** Running sums of a month's records. */
    private static final class Tally {

        private final Instant monthStart;
        private long photos;
        private long latePhotos;
        private long billablePhotos;
        private BigDecimal amount = BigDecimal.ZERO;
        private final Set<BigDecimal> unitPrices = new HashSet<>();

        Tally(Instant monthStart) {
            this.monthStart = monthStart;
        }

        void add(UsageRecord record) {
            photos++;
            if (record.requestTime().isBefore(monthStart)) {
                latePhotos++;
            }
            if (record.billable()) {
                billablePhotos++;
                unitPrices.add(record.price().stripTrailingZeros());
            }
            amount = amount.add(record.price());
        }

        Tally combine(Tally other) {
            photos += other.photos;
            latePhotos += other.latePhotos;
            billablePhotos += other.billablePhotos;
            amount = amount.add(other.amount);
            unitPrices.addAll(other.unitPrices);
            return this;
        }
    }
}
