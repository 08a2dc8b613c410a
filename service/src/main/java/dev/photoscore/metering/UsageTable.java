package dev.photoscore.metering;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The usage table's layout: one item per metered photo, partitioned by tenant and month so that a month's bill
 * is one Query (see {@code docs/metering.md}):
 *
 * <pre>
 * tenantMonth (S, partition key: "&lt;tenantId&gt;#&lt;yyyy-MM&gt;")   requestId (S, sort key)
 * tenantId (S)   month (S, yyyy-MM)   requestTime (N, epoch ms)   requestTimeIso (S, ISO-8601)   source (S)
 * meteredAt (N, epoch ms)   billable (BOOL)   price (N, USD)   monthCount (N)   lifetimeCount (N)
 * freePhotosLeft (N)   expiresAt (N, epoch seconds: the table's time to live)
 * meteredBy (S, the metering call that wrote it)
 * </pre>
 *
 * <p>Beside the records, a <em>fence</em> may hold a request id's key: {@code abandoned} (SS), the metering calls
 * whose transactions lost their answers and were then barred from ever committing ({@link UsageMeter}). A fence is
 * no photo: readers skip it ({@link #isRecord}), and a later call for the same request id writes its record over it.
 */
final class UsageTable {

    static final String TENANT_MONTH = "tenantMonth";
    static final String REQUEST_ID = "requestId";
    private static final String TENANT_ID = "tenantId";
    private static final String MONTH = "month";
    private static final String REQUEST_TIME = "requestTime";
    private static final String REQUEST_TIME_ISO = "requestTimeIso";
    private static final String METERED_AT = "meteredAt";
    private static final String SOURCE = "source";
    private static final String BILLABLE = "billable";
    private static final String PRICE = "price";
    private static final String MONTH_COUNT = "monthCount";
    private static final String LIFETIME_COUNT = "lifetimeCount";
    private static final String FREE_PHOTOS_LEFT = "freePhotosLeft";
    /** The table's time-to-live attribute: DynamoDB deletes an item some time after this epoch second. */
    static final String EXPIRES_AT = "expiresAt";
    /** How long a month's records are kept after the month ends: its statement, reruns and disputes. */
    static final int RETENTION_MONTHS = 3;
    static final String METERED_BY = "meteredBy";
    static final String ABANDONED = "abandoned";

    private UsageTable() {
    }

    /**
     * The partition of a tenant's month. Client ids never contain {@code #}, so the key is unambiguous.
     */
    static String tenantMonth(String tenantId, YearMonth month) {
        return tenantId + "#" + month;
    }

    /**
     * When a month's records expire: {@value #RETENTION_MONTHS} whole months after the month ends, at 00:00 UTC
     * (October's on 1 February). The tenant's monthly counters are kept.
     */
    static Instant expiresAt(YearMonth month) {
        return month.plusMonths(RETENTION_MONTHS + 1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The key of a request id's item in its tenant's month. */
    static Map<String, AttributeValue> key(String tenantId, YearMonth month, String requestId) {
        return Map.of(TENANT_MONTH, AttributeValue.fromS(tenantMonth(tenantId, month)),
                REQUEST_ID, AttributeValue.fromS(requestId));
    }

    /** Whether an item of the table is a metered photo's record, not a fence. */
    static boolean isRecord(Map<String, AttributeValue> item) {
        return !item.containsKey(ABANDONED);
    }

    static Map<String, AttributeValue> toItem(UsageRecord record) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(TENANT_MONTH, AttributeValue.fromS(tenantMonth(record.tenantId(), record.month())));
        item.put(REQUEST_ID, AttributeValue.fromS(record.requestId()));
        item.put(TENANT_ID, AttributeValue.fromS(record.tenantId()));
        item.put(MONTH, AttributeValue.fromS(record.month().toString()));
        item.put(REQUEST_TIME, number(record.requestTime().toEpochMilli()));
        item.put(REQUEST_TIME_ISO, AttributeValue.fromS(record.requestTime().toString()));
        item.put(METERED_AT, number(record.meteredAt().toEpochMilli()));
        item.put(SOURCE, AttributeValue.fromS(record.source().storedName()));
        item.put(BILLABLE, AttributeValue.fromBool(record.billable()));
        item.put(PRICE, AttributeValue.fromN(record.price().toPlainString()));
        item.put(MONTH_COUNT, number(record.monthCount()));
        item.put(LIFETIME_COUNT, number(record.lifetimeCount()));
        item.put(FREE_PHOTOS_LEFT, number(record.freePhotosLeft()));
        item.put(EXPIRES_AT, number(expiresAt(record.month()).getEpochSecond()));
        return item;
    }

    static UsageRecord fromItem(Map<String, AttributeValue> item) {
        Instant requestTime = Instant.ofEpochMilli(Long.parseLong(item.get(REQUEST_TIME).n()));
        return new UsageRecord(
                item.get(TENANT_ID).s(),
                YearMonth.parse(item.get(MONTH).s()),
                item.get(REQUEST_ID).s(),
                requestTime,
                // Records written before photos were billed in their metering month have no meteredAt: their
                // month was their request time's.
                item.containsKey(METERED_AT) ? Instant.ofEpochMilli(Long.parseLong(item.get(METERED_AT).n()))
                        : requestTime,
                UsageSource.fromStoredName(item.get(SOURCE).s()),
                item.get(BILLABLE).bool(),
                new BigDecimal(item.get(PRICE).n()),
                Long.parseLong(item.get(MONTH_COUNT).n()),
                Long.parseLong(item.get(LIFETIME_COUNT).n()),
                Long.parseLong(item.get(FREE_PHOTOS_LEFT).n()));
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
