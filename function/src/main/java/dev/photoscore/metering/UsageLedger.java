package dev.photoscore.metering;

import dev.photoscore.store.OnDemandTables;
import dev.photoscore.store.UsageStoreUnavailableException;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads the usage table the way billing does: a tenant's month is one partition, read with a Query by key,
 * never a scan.
 */
public final class UsageLedger {

    /** The table name the local service uses; the SAM template names the AWS one. */
    public static final String DEFAULT_TABLE = "photoscore-usage";

    private final DynamoDbClient client;
    private final String table;

    public UsageLedger(DynamoDbClient client, String table) {
        this.client = Objects.requireNonNull(client, "client");
        this.table = Objects.requireNonNull(table, "table");
    }

    /** Creates the usage table (on-demand billing) unless it exists. */
    public static void createTable(DynamoDbClient client, String table) {
        OnDemandTables.createIfMissing(client, table, UsageTable.TENANT_MONTH, UsageTable.REQUEST_ID);
    }

    /** Every photo metered for the tenant in the month (UTC), by request id. */
    public List<UsageRecord> records(String tenantId, YearMonth month) {
        try {
            return client.queryPaginator(b -> b.tableName(table)
                            .keyConditionExpression("#pk = :pk")
                            .expressionAttributeNames(Map.of("#pk", UsageTable.TENANT_MONTH))
                            .expressionAttributeValues(
                                    Map.of(":pk", AttributeValue.fromS(UsageTable.tenantMonth(tenantId, month))))
                            .consistentRead(true))
                    .items().stream()
                    .map(UsageTable::fromItem)
                    .toList();
        } catch (SdkException e) {
            throw new UsageStoreUnavailableException("cannot read the usage of " + tenantId + " in " + month, e);
        }
    }

    /** The tenant's bill for the month (UTC): photos, paid photos and their exact price. */
    public MonthlyUsage monthlyUsage(String tenantId, YearMonth month) {
        List<UsageRecord> records = records(tenantId, month);
        return new MonthlyUsage(tenantId, month, records.size(),
                records.stream().filter(UsageRecord::billable).count(),
                records.stream().map(UsageRecord::price).reduce(BigDecimal.ZERO, BigDecimal::add));
    }
}
