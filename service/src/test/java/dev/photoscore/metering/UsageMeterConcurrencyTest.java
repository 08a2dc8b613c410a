package dev.photoscore.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.store.DynamoDbLocalExtension;
import dev.photoscore.tenants.Tenant;
import dev.photoscore.tenants.TenantAdmin;
import dev.photoscore.tenants.TenantStore;
import dev.photoscore.wiring.UsageStoreTables;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Eight threads metering one tenant at once, as concurrent Lambda instances would. */
class UsageMeterConcurrencyTest {

    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();

    private static final int THREADS = 8;
    private static final Instant NOW = Instant.parse("2025-06-14T09:30:00Z");
    private static final YearMonth MONTH = YearMonth.of(2025, 6);

    private static TenantStore tenants;
    private static TenantAdmin admin;
    private static UsageMeter meter;
    private static UsageLedger ledger;
    private static ExecutorService pool;

    @BeforeAll
    static void setUp() {
        UsageStoreTables.createIfMissing(DYNAMODB.client(), "tenants", "usage");
        tenants = new TenantStore(DYNAMODB.client(), "tenants");
        admin = new TenantAdmin(tenants);
        meter = UsageMeter.builder(DYNAMODB.client(), tenants).usageTable("usage")
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
        ledger = new UsageLedger(DYNAMODB.client(), "usage");
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterAll
    static void tearDown() {
        pool.shutdownNow();
    }

    @Test
    void repeatedRequestIdsAreBilledOnceEach() throws Exception {
        String tenant = admin.create("retries").clientId();
        List<String> requestIds = new ArrayList<>();
        IntStream.range(0, 60).forEach(i -> Collections.nCopies(3, "req-" + i).forEach(requestIds::add));
        Collections.shuffle(requestIds, new Random(7));

        List<MeteringResult> results = meterAll(tenant, requestIds);

        assertEquals(60, results.stream().filter(r -> !r.alreadyMetered()).count());
        List<UsageRecord> records = ledger.records(tenant, MONTH);
        assertEquals(60, records.size());
        assertEquals(60, records.stream().map(UsageRecord::requestId).distinct().count());
        // Every answer for a request id, first or repeated, is that request's one record.
        results.forEach(r -> assertTrue(records.contains(r.record()), r::toString));
        Tenant counted = tenants.find(tenant).orElseThrow();
        assertEquals(records.size(), counted.lifetimePhotos());
        assertEquals(records.size(), counted.photosIn(MONTH));
    }

    @Test
    void exactlyTheFreeAllowanceIsFreeWhenPhotosCrossItConcurrently() throws Exception {
        String tenant = admin.create("crossing").clientId();
        List<String> requestIds = IntStream.range(0, 520).mapToObj(i -> "photo-" + i).toList();

        meterAll(tenant, requestIds);

        List<UsageRecord> records = ledger.records(tenant, MONTH);
        assertEquals(520, records.size());
        List<UsageRecord> free = records.stream().filter(r -> !r.billable()).toList();
        List<UsageRecord> paid = records.stream().filter(UsageRecord::billable).toList();
        assertEquals(500, free.size());
        assertEquals(20, paid.size());
        free.forEach(r -> assertEquals(BigDecimal.ZERO, r.price()));
        paid.forEach(r -> assertEquals(new BigDecimal("0.0006"), r.price()));
        // The figures each photo answered agree with how it was billed.
        free.forEach(r -> assertTrue(r.lifetimeCount() <= 500, r::toString));
        paid.forEach(r -> assertTrue(r.lifetimeCount() > 500 && r.freePhotosLeft() == 0, r::toString));
        assertEquals(new MonthlyUsage(tenant, MONTH, 520, 0, 20, new BigDecimal("0.0120"),
                        Set.of(new BigDecimal("0.0006"))),
                ledger.monthlyUsage(tenant, MONTH));
        assertEquals(520, tenants.find(tenant).orElseThrow().lifetimePhotos());
    }

    private static List<MeteringResult> meterAll(String tenant, List<String> requestIds) throws Exception {
        List<Callable<MeteringResult>> tasks = requestIds.stream()
                .<Callable<MeteringResult>>map(id -> () ->
                        meter.meter(new ScoredPhoto(tenant, id, NOW, UsageSource.API_URL)))
                .toList();
        List<MeteringResult> results = new ArrayList<>();
        for (Future<MeteringResult> future : pool.invokeAll(tasks)) {
            results.add(future.get());
        }
        return results;
    }
}
