package dev.photoscore.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.store.DynamoDbLocalExtension;
import dev.photoscore.tenants.Plan;
import dev.photoscore.tenants.Tenant;
import dev.photoscore.tenants.TenantAdmin;
import dev.photoscore.tenants.TenantStore;
import dev.photoscore.tenants.UnknownTenantException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class UsageMeterTest {

    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();

    private static final Instant JUNE = Instant.parse("2025-06-14T09:30:00.123456Z");
    private static final YearMonth JUNE_MONTH = YearMonth.of(2025, 6);

    private static TenantStore tenants;
    private static TenantAdmin admin;
    private static UsageMeter meter;
    private static UsageLedger ledger;

    @BeforeAll
    static void tables() {
        TenantStore.createTable(DYNAMODB.client(), "tenants");
        UsageLedger.createTable(DYNAMODB.client(), "usage");
        tenants = new TenantStore(DYNAMODB.client(), "tenants");
        admin = new TenantAdmin(tenants);
        meter = UsageMeter.builder(DYNAMODB.client(), tenants).usageTable("usage").build();
        ledger = new UsageLedger(DYNAMODB.client(), "usage");
    }

    @Test
    void metersAFreePhotoAndCountsIt() {
        String tenant = admin.create("happy").clientId();

        MeteringResult result = meter.meter(new ScoredPhoto(tenant, "req-1", JUNE, UsageSource.API_URL));

        UsageRecord expected = new UsageRecord(tenant, JUNE_MONTH, "req-1", Instant.parse("2025-06-14T09:30:00.123Z"),
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
        MeteringResult first = meter.meter(new ScoredPhoto(tenant, "req-1", JUNE, UsageSource.API_UPLOAD));
        meter.meter(new ScoredPhoto(tenant, "req-2", JUNE, UsageSource.API_UPLOAD));

        MeteringResult retried = meter.meter(new ScoredPhoto(tenant, "req-1", JUNE, UsageSource.API_UPLOAD));

        assertTrue(retried.alreadyMetered());
        assertEquals(first.record(), retried.record());
        assertEquals(2, ledger.records(tenant, JUNE_MONTH).size());
        assertEquals(2, tenants.find(tenant).orElseThrow().lifetimePhotos());
    }

    @Test
    void theRequestTimeDecidesTheMonthInUtc() {
        String tenant = admin.create("monthly").clientId();
        meter.meter(new ScoredPhoto(tenant, "last-of-may", Instant.parse("2025-05-31T23:59:59.999Z"), UsageSource.S3));
        meter.meter(new ScoredPhoto(tenant, "first-of-june", Instant.parse("2025-06-01T00:00:00Z"), UsageSource.S3));
        MeteringResult june = meter.meter(new ScoredPhoto(tenant, "second-of-june", JUNE, UsageSource.S3));

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
                .map(id -> meter.meter(new ScoredPhoto(tenant, id, JUNE, UsageSource.API_URL)).record())
                .toList();

        assertEquals(List.of(false, false, true, true), records.stream().map(UsageRecord::billable).toList());
        assertEquals(List.of(1L, 0L, 0L, 0L), records.stream().map(UsageRecord::freePhotosLeft).toList());
        assertEquals(new BigDecimal("0.0006"), records.get(3).price());
        assertEquals(new MonthlyUsage(tenant, JUNE_MONTH, 4, 2, new BigDecimal("0.0012")),
                ledger.monthlyUsage(tenant, JUNE_MONTH));
    }

    @Test
    void theMonthlyCapRefusesWithoutWritingAnything() {
        String tenant = admin.create("capped", new Plan(500, new BigDecimal("0.60"), OptionalLong.of(2))).clientId();
        MeteringResult first = meter.meter(new ScoredPhoto(tenant, "a", JUNE, UsageSource.API_URL));
        meter.meter(new ScoredPhoto(tenant, "b", JUNE, UsageSource.API_URL));

        MonthlyCapReachedException refused = assertThrows(MonthlyCapReachedException.class,
                () -> meter.meter(new ScoredPhoto(tenant, "c", JUNE, UsageSource.API_URL)));

        assertEquals(429, refused.httpStatus());
        assertEquals(2, refused.cap());
        assertEquals(JUNE_MONTH, refused.month());
        assertEquals(List.of("a", "b"), requestIds(tenant, JUNE_MONTH));
        Tenant counted = tenants.find(tenant).orElseThrow();
        assertEquals(2, counted.lifetimePhotos());
        assertEquals(2, counted.photosIn(JUNE_MONTH));
        // A retry of a photo metered before the cap was reached is still answered as the first time.
        assertEquals(new MeteringResult(first.record(), true),
                meter.meter(new ScoredPhoto(tenant, "a", JUNE, UsageSource.API_URL)));
        // The cap is per month, and raising it lets photos through again.
        assertFalse(meter.meter(new ScoredPhoto(tenant, "july", Instant.parse("2025-07-01T00:00:00Z"),
                UsageSource.API_URL)).alreadyMetered());
        admin.setMonthlyCap(tenant, OptionalLong.of(3));
        assertEquals(3, meter.meter(new ScoredPhoto(tenant, "c", JUNE, UsageSource.API_URL)).record().monthCount());
    }

    @Test
    void aPlanEditedAfterTheReadIsNoticedByTheTransaction() {
        String tenant = admin.create("edited").clientId();
        meter.meter(new ScoredPhoto(tenant, "a", JUNE, UsageSource.API_URL));
        admin.setMonthlyCap(tenant, OptionalLong.of(1));

        assertThrows(MonthlyCapReachedException.class,
                () -> meter.meter(new ScoredPhoto(tenant, "b", JUNE, UsageSource.API_URL)));
    }

    @Test
    void meteringAnUnknownTenantIsRefused() {
        assertThrows(UnknownTenantException.class,
                () -> meter.meter(new ScoredPhoto("nobody", "a", JUNE, UsageSource.API_URL)));
        assertThrows(UnknownTenantException.class,
                () -> meter.meter(new ScoredPhoto("not#a-client-id", "a", JUNE, UsageSource.API_URL)));
    }

    @Test
    void aRequestIdMustFitAKey() {
        assertThrows(IllegalArgumentException.class, () -> new ScoredPhoto("t", " ", JUNE, UsageSource.S3));
        assertThrows(IllegalArgumentException.class,
                () -> new ScoredPhoto("t", "x".repeat(1025), JUNE, UsageSource.S3));
    }

    private static List<String> requestIds(String tenant, YearMonth month) {
        return ledger.records(tenant, month).stream().map(UsageRecord::requestId).toList();
    }
}
