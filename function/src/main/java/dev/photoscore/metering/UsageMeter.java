package dev.photoscore.metering;

import dev.photoscore.store.UsageStoreUnavailableException;
import dev.photoscore.tenants.Tenant;
import dev.photoscore.tenants.TenantStore;
import dev.photoscore.tenants.UnknownTenantException;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Meters scored photos exactly once: call {@link #meter} when, and only when, a photo's score is returned.
 *
 * <p>One DynamoDB transaction writes the photo's usage record, conditional on no record with its request id
 * existing in its month, together with the tenant's counters (lifetime and month), conditional on the free/paid
 * decision still holding and on the monthly cap. So a photo is counted if and only if its record is written, a
 * retried request is never billed twice, and of any number of concurrent photos exactly the free allowance is
 * free. The approach, and why the figures it answers are read before the write, is in {@code docs/metering.md}.
 *
 * <p>When a transaction's answer is lost (a timeout, a dropped connection, a 5xx: it may have committed, or still be
 * on its way and commit later), the meter finds out before it answers, and makes the answer final ({@link #settle}):
 * metered means a result, not metered means {@link UsageStoreUnavailableException}, never the other way round.
 */
public final class UsageMeter {

    private static final Logger LOG = LoggerFactory.getLogger(UsageMeter.class);

    /** The first back-off after a collision; it doubles with each attempt, up to 32 times. */
    private static final Duration BACKOFF = Duration.ofMillis(10);
    private static final String CONDITION_FAILED = "ConditionalCheckFailed";
    /** Cancellation reasons that clear up by themselves: a concurrent transaction on the tenant, throttling. */
    private static final List<String> TRANSIENT = List.of(
            "TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded");

    /**
     * The back-off's randomness. Not ThreadLocalRandom: a Lambda SnapStart snapshot would copy the thread's seed into
     * every restored environment, and environments that collided once would then back off in step and collide again.
     * SecureRandom (NativePRNG) mixes fresh /dev/urandom bytes into each draw; it is drawn only after a collision.
     */
    private static final SecureRandom JITTER = new SecureRandom();

    private final DynamoDbClient client;
    private final TenantStore tenants;
    private final String usageTable;
    private final int maxAttempts;

    private UsageMeter(Builder builder) {
        this.client = builder.client;
        this.tenants = builder.tenants;
        this.usageTable = builder.usageTable;
        this.maxAttempts = builder.maxAttempts;
    }

    /** A meter writing through this client, reading tenants (and counting photos on them) through this store. */
    public static Builder builder(DynamoDbClient client, TenantStore tenants) {
        return new Builder(client, tenants);
    }

    /**
     * Meters a photo whose score is being returned, once per request id.
     *
     * @return the photo's usage record; if the request id was metered before, that earlier record, unchanged
     * @throws MonthlyCapReachedException     (429) the tenant's monthly cap is reached: nothing was written
     * @throws UsageStoreUnavailableException (503) the store could not be read or written: nothing was written,
     *                                        unless its {@code outcomeUnknown()} (the store stopped answering between
     *                                        the write and the check of what became of it)
     * @throws UnknownTenantException         no tenant has the photo's tenant id (a programming error)
     */
    public MeteringResult meter(ScoredPhoto photo) {
        Objects.requireNonNull(photo, "photo");
        YearMonth month = photo.month();
        // Names this call's transactions, so that a fence can bar exactly them (settle).
        String call = UUID.randomUUID().toString();
        for (int attempt = 1; ; attempt++) {
            Tenant tenant = tenants.find(photo.tenantId())
                    .orElseThrow(() -> new UnknownTenantException(photo.tenantId()));
            boolean free = tenant.lifetimePhotos() < tenant.plan().freeAllowance();
            UsageRecord record = recordOf(photo, month, tenant, free);
            TransactionCanceledException cancelled;
            try {
                client.transactWriteItems(b -> b.transactItems(
                        putRecord(record, call), tenants.countPhoto(tenant, month, free)));
                return new MeteringResult(record, false);
            } catch (TransactionCanceledException e) {
                cancelled = e;
            } catch (SdkException e) {
                return settle(photo, month, call, e);
            }
            List<CancellationReason> reasons = cancelled.cancellationReasons();
            CancellationReason recordReason = reasons.get(0);
            CancellationReason countersReason = reasons.get(1);
            if (CONDITION_FAILED.equals(recordReason.code())) {
                // Checked first: a retried request is answered as it was, even once the cap is reached since. (The
                // record may also be this call's own, from an SDK attempt whose answer was lost and that committed.)
                LOG.info("request {} of tenant {} was already metered", photo.requestId(), photo.tenantId());
                return new MeteringResult(UsageTable.fromItem(recordReason.item()),
                        !meteredBy(recordReason.item(), call));
            }
            boolean stale = CONDITION_FAILED.equals(countersReason.code());
            if (stale) {
                if (!countersReason.hasItem() || countersReason.item().isEmpty()) {
                    throw new UnknownTenantException(photo.tenantId());
                }
                Tenant now = TenantStore.tenantFromItem(countersReason.item());
                OptionalLong cap = now.plan().monthlyCap();
                if (cap.isPresent() && now.photosIn(month) >= cap.getAsLong()) {
                    throw new MonthlyCapReachedException(photo.tenantId(), month, cap.getAsLong());
                }
                // Otherwise the tenant changed since it was read: concurrent photos used up the free allowance,
                // or its plan was edited. Read it again and decide again.
            } else if (!reasons.stream().allMatch(r -> "None".equals(r.code()) || TRANSIENT.contains(r.code()))) {
                throw new UsageStoreUnavailableException("metering request " + photo.requestId()
                        + " was cancelled: " + codes(reasons), cancelled);
            }
            LOG.debug("metering request {} retries after attempt {}: {}", photo.requestId(), attempt, codes(reasons));
            if (attempt == maxAttempts) {
                throw new UsageStoreUnavailableException("metering request " + photo.requestId() + " gave up after "
                        + maxAttempts + " attempts: " + codes(reasons), cancelled);
            }
            if (!stale) {
                pause(attempt);
            }
        }
    }

    private static UsageRecord recordOf(ScoredPhoto photo, YearMonth month, Tenant tenant, boolean free) {
        long lifetime = tenant.lifetimePhotos() + 1;
        return new UsageRecord(photo.tenantId(), month, photo.requestId(),
                photo.requestTime().truncatedTo(ChronoUnit.MILLIS), photo.source(),
                !free, free ? BigDecimal.ZERO : tenant.plan().pricePerPhoto(),
                tenant.photosIn(month) + 1, lifetime, Math.max(0, tenant.plan().freeAllowance() - lifetime));
    }

    /**
     * The record's write: only where no record of the request id is, though over a fence that bars other calls
     * (an earlier delivery of the same S3 object whose answer was lost), never over one that bars this call.
     */
    private TransactWriteItem putRecord(UsageRecord record, String call) {
        Map<String, AttributeValue> item = new HashMap<>(UsageTable.toItem(record));
        item.put(UsageTable.METERED_BY, AttributeValue.fromS(call));
        return TransactWriteItem.builder().put(p -> p
                        .tableName(usageTable)
                        .item(item)
                        .conditionExpression("attribute_not_exists(#pk)"
                                + " OR (attribute_exists(#abandoned) AND NOT contains(#abandoned, :call))")
                        .expressionAttributeNames(Map.of("#pk", UsageTable.TENANT_MONTH,
                                "#abandoned", UsageTable.ABANDONED))
                        .expressionAttributeValues(Map.of(":call", AttributeValue.fromS(call)))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD))
                .build();
    }

    /**
     * What became of this call's transactions after one lost its answer: they may have committed, or one may still
     * be on its way and commit later. One conditional write decides for good: a fence on the photo's key naming this
     * call, written only where no record is. Written, it bars every transaction of this call from committing (their
     * record's condition), now or late: nothing is metered, and the caller is told so. Refused, a record is there,
     * by this call or an earlier one of the same request id: the photo is metered, and its record is read back for
     * the answer. If the store answers neither, the outcome stays unknown and is logged for the operator.
     */
    private MeteringResult settle(ScoredPhoto photo, YearMonth month, String call, SdkException lost) {
        Map<String, AttributeValue> key = UsageTable.key(photo.tenantId(), month, photo.requestId());
        try {
            client.updateItem(b -> b.tableName(usageTable).key(key)
                    .updateExpression("ADD #abandoned :calls")
                    .conditionExpression("attribute_not_exists(#pk) OR attribute_exists(#abandoned)")
                    .expressionAttributeNames(Map.of("#pk", UsageTable.TENANT_MONTH,
                            "#abandoned", UsageTable.ABANDONED))
                    .expressionAttributeValues(Map.of(":calls", AttributeValue.fromSs(List.of(call)))));
        } catch (ConditionalCheckFailedException metered) {
            return meteredDespiteLostAnswer(photo, key, call, lost);
        } catch (SdkException e) {
            throw unknownOutcome(photo, lost, e);
        }
        LOG.warn("metering request {} of tenant {} lost its answer ({}); barred from committing, it metered nothing",
                photo.requestId(), photo.tenantId(), lost.toString());
        throw new UsageStoreUnavailableException("metering request " + photo.requestId()
                + " got no answer and was barred from committing: nothing was metered", lost);
    }

    private MeteringResult meteredDespiteLostAnswer(ScoredPhoto photo, Map<String, AttributeValue> key, String call,
                                                    SdkException lost) {
        Map<String, AttributeValue> item;
        try {
            item = client.getItem(b -> b.tableName(usageTable).key(key).consistentRead(true)).item();
        } catch (SdkException e) {
            throw unknownOutcome(photo, lost, e);
        }
        boolean byThisCall = meteredBy(item, call);
        LOG.info("metering request {} of tenant {} lost its answer ({}) but is metered{}", photo.requestId(),
                photo.tenantId(), lost.toString(), byThisCall ? "" : " (by an earlier call)");
        return new MeteringResult(UsageTable.fromItem(item), !byThisCall);
    }

    /** Whether a usage record was written by this metering call. */
    private static boolean meteredBy(Map<String, AttributeValue> record, String call) {
        AttributeValue by = record.get(UsageTable.METERED_BY);
        return by != null && call.equals(by.s());
    }

    private static UsageStoreUnavailableException unknownOutcome(ScoredPhoto photo, SdkException lost,
                                                                 SdkException check) {
        LOG.error("metering request {} of tenant {} lost its answer ({}) and the check failed too ({}): it may or may"
                + " not be metered; its usage record, if any, is under this request id", photo.requestId(),
                photo.tenantId(), lost.toString(), check.toString());
        UsageStoreUnavailableException e = UsageStoreUnavailableException.outcomeUnknown("metering request "
                + photo.requestId() + " got no answer, nor did the check of its outcome", lost);
        e.addSuppressed(check);
        return e;
    }

    /** Full-jitter exponential back-off, so that colliding transactions spread out. */
    private void pause(int attempt) {
        long ceiling = BACKOFF.toNanos() << Math.min(attempt - 1, 5);
        try {
            Thread.sleep(Duration.ofNanos(JITTER.nextLong(ceiling + 1)).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsageStoreUnavailableException("interrupted while metering", e);
        }
    }

    private static String codes(List<CancellationReason> reasons) {
        return reasons.stream().map(CancellationReason::code).collect(Collectors.joining(", ", "[", "]"));
    }

    public static final class Builder {

        private final DynamoDbClient client;
        private final TenantStore tenants;
        private String usageTable = UsageLedger.DEFAULT_TABLE;
        private int maxAttempts = 10;

        private Builder(DynamoDbClient client, TenantStore tenants) {
            this.client = Objects.requireNonNull(client, "client");
            this.tenants = Objects.requireNonNull(tenants, "tenants");
        }

        /** The usage table's name. Default {@value UsageLedger#DEFAULT_TABLE}. */
        public Builder usageTable(String table) {
            this.usageTable = Objects.requireNonNull(table, "table");
            return this;
        }

        /**
         * How many transactions one photo may try when they collide with concurrent ones on the tenant's counters
         * before giving up with {@link UsageStoreUnavailableException}. Default 10.
         */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        public UsageMeter build() {
            return new UsageMeter(this);
        }
    }
}
