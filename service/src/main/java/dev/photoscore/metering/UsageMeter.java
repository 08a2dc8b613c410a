package dev.photoscore.metering;

import dev.photoscore.store.UsageStoreUnavailableException;
import dev.photoscore.tenants.Tenant;
import dev.photoscore.tenants.TenantStore;
import dev.photoscore.tenants.UnknownTenantException;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import java.util.UUID;
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
 * <p>A photo is billed in the calendar month (UTC) in which it is metered, by this meter's clock, and never in a
 * month before one its tenant already has photos in: metering order is month order, so the free allowance is used
 * up month by month. One DynamoDB transaction writes the photo's usage record, conditional on no record with its
 * request id existing in its month or an earlier month it may have been metered in, together with the tenant's
 * counters (lifetime and month), conditional on the free/paid decision still holding, on the monthly cap and on
 * no photo counted in the next month. So a photo is counted if and only if its record is written, a retried
 * request is never billed twice, and of any number of concurrent photos exactly the free allowance is free. The
 * approach, and why the figures it answers are read before the write, is in {@code docs/metering.md} and
 * {@code docs/billing.md}.
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
    /**
     * How many months before its metering month a request may be: a transaction holds a check per earlier month.
     * Redeliveries come within days (S3's retries within 6 hours, the failure queue keeps events 14 days).
     */
    private static final int MAX_LATE_MONTHS = 12;
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
    private final Clock clock;

    private UsageMeter(Builder builder) {
        this.client = builder.client;
        this.tenants = builder.tenants;
        this.usageTable = builder.usageTable;
        this.maxAttempts = builder.maxAttempts;
        this.clock = builder.clock;
    }

    /** A meter writing through this client, reading tenants (and counting photos on them) through this store. */
    public static Builder builder(DynamoDbClient client, TenantStore tenants) {
        return new Builder(client, tenants);
    }

    /**
     * Meters a photo whose score is being returned, once per request id.
     *
     * @return the photo's usage record; if the request id was metered before, that earlier record, unchanged
     * @throws MonthlyCapReachedException     the tenant's monthly cap is reached: nothing was written
     * @throws UsageStoreUnavailableException the store could not be read or written: nothing was written,
     *                                        unless its {@code outcomeUnknown()} (the store stopped answering between
     *                                        the write and the check of what became of it)
     * @throws UnknownTenantException         no tenant has the photo's tenant id (a programming error)
     */
    public MeteringResult meter(ScoredPhoto photo) {
        Objects.requireNonNull(photo, "photo");
        // Names this call's transactions, so that a fence can bar exactly them (settle).
        String call = UUID.randomUUID().toString();
        for (int attempt = 1; ; attempt++) {
            // The clock is read on every attempt: an attempt that straddles midnight is in the month it started
            // in, and a later one in the next; the earlier months' check below keeps the photo counted once.
            Instant clockTime = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            Tenant tenant = tenants.find(photo.tenantId())
                    .orElseThrow(() -> new UnknownTenantException(photo.tenantId()));
            // Never a month before one the tenant already has photos in (another instance's clock may be a few
            // milliseconds ahead at midnight): metering order stays month order. The counters' update checks it.
            YearMonth month = tenant.latestMonth()
                    .filter(latest -> latest.isAfter(YearMonth.from(clockTime.atOffset(ZoneOffset.UTC))))
                    .orElse(YearMonth.from(clockTime.atOffset(ZoneOffset.UTC)));
            Instant monthStart = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant meteredAt = clockTime.isBefore(monthStart) ? monthStart : clockTime;
            List<YearMonth> earlierMonths = monthsItMayHaveBeenMeteredIn(photo, month);
            boolean free = tenant.lifetimePhotos() < tenant.plan().freeAllowance();
            UsageRecord record = recordOf(photo, month, meteredAt, tenant, free);
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(putRecord(record, call));
            earlierMonths.forEach(earlier -> writes.add(notMeteredIn(photo, earlier)));
            writes.add(tenants.countPhoto(tenant, month, free));
            TransactionCanceledException cancelled;
            try {
                client.transactWriteItems(b -> b.transactItems(writes));
                return new MeteringResult(record, false);
            } catch (TransactionCanceledException e) {
                cancelled = e;
            } catch (SdkException e) {
                // Only this attempt is in doubt: every earlier one was cancelled, a definite answer.
                return settle(photo, month, call, e);
            }
            List<CancellationReason> reasons = cancelled.cancellationReasons();
            // Checked first: a retried request is answered as it was, even once the cap is reached since. Its
            // record is the put's (metered this month) or one of the earlier months' checks'. (The put's may also be
            // this call's own, from an SDK attempt whose answer was lost and that committed.)
            for (CancellationReason recordReason : reasons.subList(0, reasons.size() - 1)) {
                if (CONDITION_FAILED.equals(recordReason.code())) {
                    LOG.info("request {} of tenant {} was already metered", photo.requestId(), photo.tenantId());
                    return new MeteringResult(UsageTable.fromItem(recordReason.item()),
                            !meteredBy(recordReason.item(), call));
                }
            }
            CancellationReason countersReason = reasons.get(reasons.size() - 1);
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

    /**
     * Whether this request was metered already (a retried request, a redelivered S3 event): looks for its usage
     * record, with consistent reads, in every month it may have been metered in, from the month before its request
     * time to the later of the clock's month and the tenant's latest. A fence ({@link #settle}) is no record.
     *
     * @throws UsageStoreUnavailableException the store could not be read
     */
    public boolean isMetered(Tenant tenant, String requestId, Instant requestTime) {
        YearMonth now = YearMonth.from(clock.instant().atOffset(ZoneOffset.UTC));
        YearMonth last = tenant.latestMonth().filter(latest -> latest.isAfter(now)).orElse(now);
        YearMonth first = YearMonth.from(requestTime.atOffset(ZoneOffset.UTC)).minusMonths(1);
        if (first.isBefore(last.minusMonths(MAX_LATE_MONTHS))) {
            first = last.minusMonths(MAX_LATE_MONTHS); // never metered that late (see monthsItMayHaveBeenMeteredIn)
        }
        try {
            for (YearMonth month = first; !month.isAfter(last); month = month.plusMonths(1)) {
                Map<String, AttributeValue> key = UsageTable.key(tenant.clientId(), month, requestId);
                Map<String, AttributeValue> item = client.getItem(b -> b.tableName(usageTable).key(key)
                        .consistentRead(true)).item();
                if (item != null && !item.isEmpty() && !item.containsKey(UsageTable.ABANDONED)) {
                    return true;
                }
            }
            return false;
        } catch (SdkException e) {
            throw new UsageStoreUnavailableException("reading whether request " + requestId
                    + " was metered failed", e);
        }
    }

    /**
     * The months before {@code month} in which this request may already have been metered: a photo is never
     * metered before its request time, so from the request's month (or the previous month, should the request's
     * clock be ahead of the meter's around midnight) to the month before this one. Usually just the previous
     * month; a photo redelivered weeks late, two.
     */
    private static List<YearMonth> monthsItMayHaveBeenMeteredIn(ScoredPhoto photo, YearMonth month) {
        YearMonth previous = month.minusMonths(1);
        YearMonth first = photo.requestMonth().isBefore(previous) ? photo.requestMonth() : previous;
        if (first.isBefore(month.minusMonths(MAX_LATE_MONTHS))) {
            throw new IllegalArgumentException("request " + photo.requestId() + " of " + photo.requestTime()
                    + " is more than " + MAX_LATE_MONTHS + " months before it is metered in " + month);
        }
        List<YearMonth> months = new ArrayList<>();
        for (YearMonth m = first; m.isBefore(month); m = m.plusMonths(1)) {
            months.add(m);
        }
        return months;
    }

    private static UsageRecord recordOf(ScoredPhoto photo, YearMonth month, Instant meteredAt, Tenant tenant,
            boolean free) {
        long lifetime = tenant.lifetimePhotos() + 1;
        return new UsageRecord(photo.tenantId(), month, photo.requestId(),
                photo.requestTime().truncatedTo(ChronoUnit.MILLIS), meteredAt, photo.source(),
                !free, free ? BigDecimal.ZERO : tenant.plan().pricePerPhoto(),
                tenant.photosIn(month) + 1, lifetime, Math.max(0, tenant.plan().freeAllowance() - lifetime));
    }

    /**
     * A check that the request has no record in an earlier month (a fence there is no record: it only bars the
     * calls it names, see {@link #settle}); failing, it returns that record.
     */
    private TransactWriteItem notMeteredIn(ScoredPhoto photo, YearMonth earlier) {
        return TransactWriteItem.builder().conditionCheck(c -> c
                        .tableName(usageTable)
                        .key(UsageTable.key(photo.tenantId(), earlier, photo.requestId()))
                        .conditionExpression("attribute_not_exists(#pk) OR attribute_exists(#abandoned)")
                        .expressionAttributeNames(Map.of("#pk", UsageTable.TENANT_MONTH,
                                "#abandoned", UsageTable.ABANDONED))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD))
                .build();
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
                    // The fence expires with its month's records.
                    .updateExpression("SET #expires = :expires ADD #abandoned :calls")
                    .conditionExpression("attribute_not_exists(#pk) OR attribute_exists(#abandoned)")
                    .expressionAttributeNames(Map.of("#pk", UsageTable.TENANT_MONTH,
                            "#abandoned", UsageTable.ABANDONED, "#expires", UsageTable.EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":calls", AttributeValue.fromSs(List.of(call)),
                            ":expires", AttributeValue.fromN(Long.toString(
                                    UsageTable.expiresAt(month).getEpochSecond())))));
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
        private Clock clock = Clock.systemUTC();

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

        /** The clock that says when a photo is metered, and so its billing month. Default: the system's. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public UsageMeter build() {
            return new UsageMeter(this);
        }
    }
}
