package dev.photoscore.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.store.DynamoDbLocalExtension;
import dev.photoscore.testing.MutableClock;
import dev.photoscore.tenants.Plan;
import dev.photoscore.tenants.Tenant;
import dev.photoscore.tenants.TenantAdmin;
import dev.photoscore.tenants.TenantStore;
import dev.photoscore.tenants.UnknownTenantException;
import dev.photoscore.wiring.UsageStoreTables;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

class UsageMeterTest {

    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();

    private static final Instant JUNE = Instant.parse("2025-06-14T09:30:00.123456Z");
    private static final YearMonth JUNE_MONTH = YearMonth.of(2025, 6);

    private static TenantStore tenants;
    private static TenantAdmin admin;
    /** When the meter meters: {@link #meteredAtRequest} sets it to the photo's request time. */
    private static final MutableClock CLOCK = new MutableClock();
    private static UsageMeter meter;
    private static UsageLedger ledger;

    @BeforeAll
    static void tables() {
        UsageStoreTables.createIfMissing(DYNAMODB.client(), "tenants", "usage");
        tenants = new TenantStore(DYNAMODB.client(), "tenants");
        admin = new TenantAdmin(tenants);
        meter = UsageMeter.builder(DYNAMODB.client(), tenants).usageTable("usage").clock(CLOCK).build();
        ledger = new UsageLedger(DYNAMODB.client(), "usage");
    }

    @Test
    void metersAFreePhotoAndCountsIt() {
        String tenant = admin.create("happy").clientId();

        MeteringResult result = meteredAtRequest(new ScoredPhoto(tenant, "req-1", JUNE, UsageSource.API_URL));

        Instant millis = Instant.parse("2025-06-14T09:30:00.123Z");
        UsageRecord expected = new UsageRecord(tenant, JUNE_MONTH, "req-1", millis, millis,
                UsageSource.API_URL, false, BigDecimal.ZERO, 1, 1, 499);
        assertEquals(new MeteringResult(expected, false), result);
        assertEquals(List.of(expected), ledger.records(tenant, JUNE_MONTH));
        Tenant counted = tenants.find(tenant).orElseThrow();
        assertEquals(1, counted.lifetimePhotos());
        assertEquals(1, counted.photosIn(JUNE_MONTH));
    }

    @Test
    void aRepeatedRequestIdIsMeteredOnceAndAnsweredAsTheFirstTime() {
        String tenant = admin.create("retrying").clientId();
        MeteringResult first = meteredAtRequest(new ScoredPhoto(tenant, "req-1", JUNE, UsageSource.API_UPLOAD));
        meteredAtRequest(new ScoredPhoto(tenant, "req-2", JUNE, UsageSource.API_UPLOAD));

        MeteringResult retried = meteredAtRequest(new ScoredPhoto(tenant, "req-1", JUNE, UsageSource.API_UPLOAD));

        assertTrue(retried.alreadyMetered());
        assertEquals(first.record(), retried.record());
        assertEquals(2, ledger.records(tenant, JUNE_MONTH).size());
        assertEquals(2, tenants.find(tenant).orElseThrow().lifetimePhotos());
    }

    @Test
    void theMonthIsTheMeteringTimesInUtc() {
        String tenant = admin.create("monthly").clientId();
        meteredAtRequest(new ScoredPhoto(tenant, "last-of-may", Instant.parse("2025-05-31T23:59:59.999Z"), UsageSource.S3));
        meteredAtRequest(new ScoredPhoto(tenant, "first-of-june", Instant.parse("2025-06-01T00:00:00Z"), UsageSource.S3));
        MeteringResult june = meteredAtRequest(new ScoredPhoto(tenant, "second-of-june", JUNE, UsageSource.S3));

        assertEquals(2, june.record().monthCount());
        assertEquals(3, june.record().lifetimeCount());
        assertEquals(List.of("last-of-may"), requestIds(tenant, YearMonth.of(2025, 5)));
        assertEquals(List.of("first-of-june", "second-of-june"), requestIds(tenant, JUNE_MONTH));
        Tenant counted = tenants.find(tenant).orElseThrow();
        assertEquals(1, counted.photosIn(YearMonth.of(2025, 5)));
        assertEquals(2, counted.photosIn(JUNE_MONTH));
    }

    @Test
    void photosBeyondTheFreeAllowanceArePaidAtThePlansPrice() {
        String tenant = admin.create("small", new Plan(2, new BigDecimal("0.60"), OptionalLong.empty())).clientId();

        List<UsageRecord> records = List.of("a", "b", "c", "d").stream()
                .map(id -> meteredAtRequest(new ScoredPhoto(tenant, id, JUNE, UsageSource.API_URL)).record())
                .toList();

        assertEquals(List.of(false, false, true, true), records.stream().map(UsageRecord::billable).toList());
        assertEquals(List.of(1L, 0L, 0L, 0L), records.stream().map(UsageRecord::freePhotosLeft).toList());
        assertEquals(new BigDecimal("0.0006"), records.get(3).price());
        assertEquals(new MonthlyUsage(tenant, JUNE_MONTH, 4, 0, 2, new BigDecimal("0.0012"),
                        Set.of(new BigDecimal("0.0006"))),
                ledger.monthlyUsage(tenant, JUNE_MONTH));
    }

    @Test
    void theMonthlyCapRefusesWithoutWritingAnything() {
        String tenant = admin.create("capped", new Plan(500, new BigDecimal("0.60"), OptionalLong.of(2))).clientId();
        MeteringResult first = meteredAtRequest(new ScoredPhoto(tenant, "a", JUNE, UsageSource.API_URL));
        meteredAtRequest(new ScoredPhoto(tenant, "b", JUNE, UsageSource.API_URL));

        MonthlyCapReachedException refused = assertThrows(MonthlyCapReachedException.class,
                () -> meteredAtRequest(new ScoredPhoto(tenant, "c", JUNE, UsageSource.API_URL)));

        assertEquals(2, refused.cap());
        assertEquals(JUNE_MONTH, refused.month());
        assertEquals(List.of("a", "b"), requestIds(tenant, JUNE_MONTH));
        Tenant counted = tenants.find(tenant).orElseThrow();
        assertEquals(2, counted.lifetimePhotos());
        assertEquals(2, counted.photosIn(JUNE_MONTH));
        // A retry of a photo metered before the cap was reached is still answered as the first time.
        assertEquals(new MeteringResult(first.record(), true),
                meteredAtRequest(new ScoredPhoto(tenant, "a", JUNE, UsageSource.API_URL)));
        // Raising the cap lets photos through again, and the cap is per month.
        admin.setMonthlyCap(tenant, OptionalLong.of(3));
        assertEquals(3, meteredAtRequest(new ScoredPhoto(tenant, "c", JUNE, UsageSource.API_URL)).record().monthCount());
        assertFalse(meteredAtRequest(new ScoredPhoto(tenant, "july", Instant.parse("2025-07-01T00:00:00Z"),
                UsageSource.API_URL)).alreadyMetered());
    }

    @Test
    void aPlanEditedAfterTheReadIsNoticedByTheTransaction() {
        String tenant = admin.create("edited").clientId();
        meteredAtRequest(new ScoredPhoto(tenant, "a", JUNE, UsageSource.API_URL));
        admin.setMonthlyCap(tenant, OptionalLong.of(1));

        assertThrows(MonthlyCapReachedException.class,
                () -> meteredAtRequest(new ScoredPhoto(tenant, "b", JUNE, UsageSource.API_URL)));
    }

    @Test
    void meteringAnUnknownTenantIsRefused() {
        assertThrows(UnknownTenantException.class,
                () -> meteredAtRequest(new ScoredPhoto("nobody", "a", JUNE, UsageSource.API_URL)));
        assertThrows(UnknownTenantException.class,
                () -> meteredAtRequest(new ScoredPhoto("not#a-client-id", "a", JUNE, UsageSource.API_URL)));
    }

    @Test
    void aRequestIdMustFitAKey() {
        assertThrows(IllegalArgumentException.class, () -> new ScoredPhoto("t", " ", JUNE, UsageSource.S3));
        assertThrows(IllegalArgumentException.class,
                () -> new ScoredPhoto("t", "x".repeat(1025), JUNE, UsageSource.S3));
    }

    @Test
    void aPhotoDeliveredHoursLateIsBilledInTheMonthItIsMetered() {
        String tenant = admin.create("late").clientId();
        Instant uploaded = Instant.parse("2025-10-31T23:59:59.900Z");
        CLOCK.set(Instant.parse("2025-11-01T04:59:59.900Z"));

        UsageRecord late = meter.meter(new ScoredPhoto(tenant, "late", uploaded, UsageSource.S3)).record();

        assertEquals(YearMonth.of(2025, 11), late.month());
        assertEquals(uploaded, late.requestTime());
        assertEquals(Instant.parse("2025-11-01T04:59:59.900Z"), late.meteredAt());
        assertEquals(List.of(), requestIds(tenant, YearMonth.of(2025, 10)));
        assertEquals(List.of("late"), requestIds(tenant, YearMonth.of(2025, 11)));
        Tenant counted = tenants.find(tenant).orElseThrow();
        assertEquals(0, counted.photosIn(YearMonth.of(2025, 10)));
        assertEquals(1, counted.photosIn(YearMonth.of(2025, 11)));
    }

    @Test
    void aPhotoMeteredBeforeMidnightAndRedeliveredAfterIsCountedOnce() {
        String tenant = admin.create("redelivered").clientId();
        Instant uploaded = Instant.parse("2025-10-31T23:59:59.900Z");
        CLOCK.set(Instant.parse("2025-10-31T23:59:59.950Z"));
        MeteringResult first = meter.meter(new ScoredPhoto(tenant, "object-v1", uploaded, UsageSource.S3));
        // Delivered again 5 hours later, and again in December: the November and December checks find October's.
        CLOCK.set(Instant.parse("2025-11-01T05:00:00Z"));
        MeteringResult again = meter.meter(new ScoredPhoto(tenant, "object-v1", uploaded, UsageSource.S3));
        CLOCK.set(Instant.parse("2025-12-02T00:00:00Z"));
        MeteringResult december = meter.meter(new ScoredPhoto(tenant, "object-v1", uploaded, UsageSource.S3));

        assertEquals(YearMonth.of(2025, 10), first.record().month());
        assertEquals(new MeteringResult(first.record(), true), again);
        assertEquals(new MeteringResult(first.record(), true), december);
        assertEquals(List.of(), requestIds(tenant, YearMonth.of(2025, 11)));
        assertEquals(1, tenants.find(tenant).orElseThrow().lifetimePhotos());
    }

    @Test
    void aRequestMeteredInTheMonthBeforeItsOwnIsFoundThere() {
        // The request's clock a little ahead of the meter's at midnight: metered in October, a retry in November.
        String tenant = admin.create("skewed").clientId();
        Instant requested = Instant.parse("2025-11-01T00:00:00.010Z");
        CLOCK.set(Instant.parse("2025-10-31T23:59:59.995Z"));
        MeteringResult first = meter.meter(new ScoredPhoto(tenant, "skewed", requested, UsageSource.API_URL));
        CLOCK.set(Instant.parse("2025-11-01T00:00:01Z"));

        assertEquals(new MeteringResult(first.record(), true),
                meter.meter(new ScoredPhoto(tenant, "skewed", requested, UsageSource.API_URL)));
    }

    @Test
    void aClockBehindTheTenantsLatestMonthMetersInThatMonth() {
        // Two instances at midnight, one clock a few milliseconds ahead of the other.
        String tenant = admin.create("skewed clocks").clientId();
        CLOCK.set(Instant.parse("2025-12-01T00:00:00.002Z"));
        meter.meter(new ScoredPhoto(tenant, "ahead", CLOCK.instant(), UsageSource.API_URL));
        Tenant beforeTheLastPhoto = tenants.find(tenant).orElseThrow();
        CLOCK.set(Instant.parse("2025-11-30T23:59:59.999Z"));

        UsageRecord behind = meter.meter(new ScoredPhoto(tenant, "behind", CLOCK.instant(), UsageSource.API_URL))
                .record();

        assertEquals(YearMonth.of(2025, 12), behind.month());
        assertEquals(Instant.parse("2025-12-01T00:00:00Z"), behind.meteredAt());
        assertEquals(2, tenants.find(tenant).orElseThrow().photosIn(YearMonth.of(2025, 12)));
        // Counting in November once December has photos is refused at commit, whatever the snapshot said.
        assertThrows(TransactionCanceledException.class, () -> DYNAMODB.client().transactWriteItems(b -> b
                .transactItems(tenants.countPhoto(beforeTheLastPhoto, YearMonth.of(2025, 11), true))));
    }

    @Test
    void aRequestAYearBeforeItsMeteringIsRefused() {
        String tenant = admin.create("ancient").clientId();
        CLOCK.set(Instant.parse("2026-07-01T00:00:00Z"));
        assertThrows(IllegalArgumentException.class, () -> meter.meter(
                new ScoredPhoto(tenant, "ancient", Instant.parse("2025-06-30T23:59:59Z"), UsageSource.S3)));
        assertEquals(0, tenants.find(tenant).orElseThrow().lifetimePhotos());
    }

    @Test
    void recordsExpireThreeMonthsAfterTheirMonth() {
        String tenant = admin.create("expiring").clientId();
        meteredAtRequest(new ScoredPhoto(tenant, "nov", Instant.parse("2026-11-30T23:59:59Z"), UsageSource.API_URL));
        // The table's time to live is not turned on here: DynamoDB Local would delete these tests' old records.
        UsageLedger.createTable(DYNAMODB.client(), "expiring-usage");
        UsageLedger.expireRecords(DYNAMODB.client(), "expiring-usage");

        Map<String, AttributeValue> item = DYNAMODB.client().getItem(b -> b.tableName("usage").key(Map.of(
                "tenantMonth", AttributeValue.fromS(tenant + "#2026-11"),
                "requestId", AttributeValue.fromS("nov")))).item();
        Instant expiry = Instant.parse("2027-03-01T00:00:00Z");
        assertEquals(Long.toString(expiry.getEpochSecond()), item.get("expiresAt").n());
        assertEquals(expiry, UsageLedger.recordsExpireAt(YearMonth.of(2026, 11)));
        TimeToLiveDescription ttl = DYNAMODB.client().describeTimeToLive(b -> b.tableName("expiring-usage"))
                .timeToLiveDescription();
        assertEquals("expiresAt", ttl.attributeName());
        assertEquals(TimeToLiveStatus.ENABLED, ttl.timeToLiveStatus());
    }

    /** Meters the photo the moment it was requested, as the API does. */
    private static MeteringResult meteredAtRequest(ScoredPhoto photo) {
        CLOCK.set(photo.requestTime());
        return meter.meter(photo);
    }

    private static List<String> requestIds(String tenant, YearMonth month) {
        return ledger.records(tenant, month).stream().map(UsageRecord::requestId).toList();
    }
}
