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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
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
     * @throws UsageStoreUnavailableException (503) the store could not be read or written: nothing was written
     * @throws UnknownTenantException         no tenant has the photo's tenant id (a programming error)
     */
    public MeteringResult meter(ScoredPhoto photo) {
        Objects.requireNonNull(photo, "photo");
        YearMonth month = photo.month();
        for (int attempt = 1; ; attempt++) {
            Tenant tenant = tenants.find(photo.tenantId())
                    .orElseThrow(() -> new UnknownTenantException(photo.tenantId()));
            boolean free = tenant.lifetimePhotos() < tenant.plan().freeAllowance();
            UsageRecord record = recordOf(photo, month, tenant, free);
            TransactionCanceledException cancelled;
            try {
                client.transactWriteItems(b -> b.transactItems(
                        putRecord(record), tenants.countPhoto(tenant, month, free)));
                return new MeteringResult(record, false);
            } catch (TransactionCanceledException e) {
                cancelled = e;
            } catch (SdkException e) {
                throw new UsageStoreUnavailableException("cannot meter request " + photo.requestId(), e);
            }
            List<CancellationReason> reasons = cancelled.cancellationReasons();
            CancellationReason recordReason = reasons.get(0);
            CancellationReason countersReason = reasons.get(1);
            if (CONDITION_FAILED.equals(recordReason.code())) {
                // Checked first: a retried request is answered as it was, even once the cap is reached since.
                LOG.info("request {} of tenant {} was already metered", photo.requestId(), photo.tenantId());
                return new MeteringResult(UsageTable.fromItem(recordReason.item()), true);
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

    private TransactWriteItem putRecord(UsageRecord record) {
        return TransactWriteItem.builder().put(p -> p
                        .tableName(usageTable)
                        .item(UsageTable.toItem(record))
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", UsageTable.TENANT_MONTH))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD))
                .build();
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
