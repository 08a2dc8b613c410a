package dev.photoscore.billing;

import static dev.photoscore.billing.MeteringFixture.photos;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.metering.MeteringResult;
import dev.photoscore.metering.ScoredPhoto;
import dev.photoscore.metering.UsageLedger;
import dev.photoscore.metering.UsageRecord;
import dev.photoscore.metering.UsageSource;
import dev.photoscore.store.DynamoDbLocalExtension;
import dev.photoscore.tenants.Plan;
import dev.photoscore.tenants.TenantStore;
import dev.photoscore.tenants.UnknownTenantException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Reconciliation: about 4,000 photos metered through the real {@code UsageMeter} for five tenants over three
 * months; the reports must agree with the raw usage records exactly, and their money with figures worked out by
 * hand.
 */
class BillingReporterTest {

    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();

    private static final YearMonth SEPTEMBER = YearMonth.of(2026, 9);
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    private static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
    /** When the reports are made: August's records are kept until 1 December 2026, September's until 1 January. */
    private static final Clock REPORTED_AT = Clock.fixed(Instant.parse("2026-11-30T12:00:00Z"), ZoneOffset.UTC);
    /** USD 0.45 per 1,000 paid photos after 1,000 free ones, instead of 0.60 after 500. */
    private static final Plan DISCOUNTED = new Plan(1000, new BigDecimal("0.45"), OptionalLong.empty());

    private static MeteringFixture usage;
    private static BillingReporter reporter;
    /** Crosses its free allowance with its 500th and 501st photo, on 15 October; September, October, November. */
    private static String crossing;
    /** The discounted plan; 1,500 photos in October. */
    private static String discounted;
    /** 1,609 photos in October. */
    private static String busy;
    /** 120 photos in October, all free. */
    private static String small;
    /** 50 photos in September only. */
    private static String septemberOnly;
    private static MeteringResult photo500;
    private static MeteringResult photo501;

    @BeforeAll
    static void meterThreeMonths() throws Exception {
        usage = new MeteringFixture(DYNAMODB.client());
        reporter = new BillingReporter(usage.tenants, usage.ledger, REPORTED_AT);
        crossing = usage.tenant("Crossing, Ltd.", Plan.DEFAULT);
        discounted = usage.tenant("Discounted", DISCOUNTED);
        busy = usage.tenant("Busy", Plan.DEFAULT);
        small = usage.tenant("Small", Plan.DEFAULT);
        septemberOnly = usage.tenant("September only", Plan.DEFAULT);

        // September: 300 + 50 photos.
        usage.meterAtOnce(
                photos(crossing, "sep", 300, at("2026-09-01T00:00:00Z"), at("2026-10-01T00:00:00Z")),
                photos(septemberOnly, "sep", 50, at("2026-09-03T00:00:00Z"), at("2026-09-20T00:00:00Z")));
        // October: the crossing tenant's photos 301..499 in the first half of the month, with everyone else's.
        usage.meterAtOnce(
                photos(crossing, "oct-a", 199, at("2026-10-01T00:00:00Z"), at("2026-10-15T00:00:00Z")),
                photos(discounted, "oct", 1500, at("2026-10-01T00:00:00Z"), at("2026-11-01T00:00:00Z")),
                photos(busy, "oct", 1609, at("2026-10-01T00:00:00Z"), at("2026-11-01T00:00:00Z")),
                photos(small, "oct", 120, at("2026-10-02T00:00:00Z"), at("2026-10-30T00:00:00Z")));
        // Its 500th and 501st photos, mid-October, one after the other.
        photo500 = usage.meterOne(photo(crossing, "oct-500", "2026-10-15T12:00:00Z"));
        photo501 = usage.meterOne(photo(crossing, "oct-501", "2026-10-15T12:00:01Z"));
        // Then 199 more up to the last millisecond of October, and November's from its first millisecond.
        usage.meterAtOnce(
                photos(crossing, "oct-b", 199, at("2026-10-16T00:00:00Z"), at("2026-10-31T00:00:00Z")),
                List.of(photo(crossing, "oct-last", "2026-10-31T23:59:59.999Z")));
        usage.meterAtOnce(
                List.of(photo(crossing, "nov-first", "2026-11-01T00:00:00Z")),
                photos(crossing, "nov", 100, at("2026-11-01T00:00:01Z"), at("2026-12-01T00:00:00Z")));
    }

    @AfterAll
    static void stopMetering() {
        usage.close();
    }

    @Test
    void theAllowanceIsCrossedByThe501stPhoto() {
        assertFalse(photo500.record().billable());
        assertEquals(500, photo500.record().lifetimeCount());
        assertEquals(0, photo500.record().freePhotosLeft());
        assertTrue(photo501.record().billable());
        assertEquals(501, photo501.record().lifetimeCount());
        assertEquals(new BigDecimal("0.0006"), photo501.record().price());
    }

    @Test
    void octoberMatchesTheHandWorkedFigures() {
        BillingReport report = reporter.report(OCTOBER);

        // The September-only tenant has no photos in October and no statement.
        assertEquals(List.of(busy, crossing, discounted, small).stream().sorted().toList(),
                report.statements().stream().map(TenantStatement::tenantId).toList());
        Map<String, TenantStatement> byTenant = byTenant(report);
        // Crossing: 300 free in September leave 200 free for October's 401 photos; 201 paid at 0.0006:
        // 201 x 0.0006 = 0.1206, due 0.12. Lifetime 701 > 500: none left.
        assertStatement(byTenant.get(crossing), "Crossing, Ltd.", 401, 200, 0, 201, "0.1206", "0.12");
        // Discounted: 1,000 free, 500 paid at 0.45 / 1,000 = 0.00045: 500 x 0.00045 = 0.225, due 0.23 (half up;
        // half even would give 0.22).
        assertStatement(byTenant.get(discounted), "Discounted", 1500, 1000, 0, 500, "0.225", "0.23");
        // Busy: 500 free, 1,109 paid: 1,109 x 0.0006 = 0.6654, due 0.67.
        assertStatement(byTenant.get(busy), "Busy", 1609, 500, 0, 1109, "0.6654", "0.67");
        // Small: 120 free of 500, 380 left, nothing due.
        assertStatement(byTenant.get(small), "Small", 120, 120, 380, 0, "0", "0.00");
        // Unit prices as the records carry them; without billable photos, the plan's.
        assertAmount("0.0006", byTenant.get(crossing).unitPrice());
        assertAmount("0.00045", byTenant.get(discounted).unitPrice());
        assertAmount("0.0006", byTenant.get(small).unitPrice());
        assertEquals("ps-2026-10-" + crossing, byTenant.get(crossing).statementId());
        assertEquals(Instant.parse("2026-10-01T00:00:00Z"), byTenant.get(crossing).periodStart());
        assertEquals(Instant.parse("2026-11-01T00:00:00Z"), byTenant.get(crossing).periodEnd());
        // Total: 3,630 photos = 1,820 free + 1,810 paid; exact 0.1206 + 0.225 + 0.6654 = 1.011; due
        // 0.12 + 0.23 + 0.67 + 0.00 = 1.02 (the sum of what each tenant pays, not 1.011 rounded, which is 1.01).
        BillingTotals totals = report.totals();
        assertEquals(3630, totals.scoredPhotos());
        assertEquals(1820, totals.freePhotos());
        assertEquals(1810, totals.billablePhotos());
        assertAmount("1.011", totals.amount());
        assertEquals(new BigDecimal("1.02"), totals.amountDue());
    }

    @Test
    void theCrossingTenantAcrossMonthBoundaries() {
        // September: 300 free, 200 left. November: 101 paid (from its first millisecond): 101 x 0.0006 = 0.0606.
        assertStatement(reporter.report(SEPTEMBER, crossing).statements().get(0),
                "Crossing, Ltd.", 300, 300, 200, 0, "0", "0.00");
        assertStatement(reporter.report(NOVEMBER).statements().get(0),
                "Crossing, Ltd.", 101, 0, 0, 101, "0.0606", "0.06");
        assertEquals(1, reporter.report(NOVEMBER).statements().size());
        // The last millisecond of October is October's, the first of November November's.
        assertTrue(usage.ledger.records(crossing, OCTOBER).stream().anyMatch(r -> r.requestId().equals("oct-last")));
        assertTrue(usage.ledger.records(crossing, NOVEMBER).stream()
                .anyMatch(r -> r.requestId().equals("nov-first")));
    }

    @Test
    void everyStatementEqualsItsRawRecords() {
        for (YearMonth month : List.of(SEPTEMBER, OCTOBER, NOVEMBER)) {
            for (TenantStatement statement : reporter.report(month).statements()) {
                List<UsageRecord> records = usage.ledger.records(statement.tenantId(), month);
                assertEquals(records.size(), statement.scoredPhotos());
                assertEquals(records.stream().filter(UsageRecord::billable).count(), statement.billablePhotos());
                assertEquals(records.stream().filter(r -> !r.billable()).count(), statement.freePhotos());
                assertAmount(Money.format(records.stream().map(UsageRecord::price)
                        .reduce(BigDecimal.ZERO, BigDecimal::add)), statement.amount());
                // The counters metering kept agree with the records.
                assertEquals(records.size(),
                        usage.tenants.find(statement.tenantId()).orElseThrow().photosIn(month));
            }
        }
    }

    @Test
    void freePhotosLeftIsTheAllowanceLessTheFreeRecordsSoFar() {
        long freeSoFar = 0;
        for (YearMonth month : List.of(SEPTEMBER, OCTOBER, NOVEMBER)) {
            freeSoFar += usage.ledger.records(crossing, month).stream().filter(r -> !r.billable()).count();
            assertEquals(500 - freeSoFar, reporter.report(month, crossing).statements().get(0).freePhotosLeft());
        }
        assertEquals(500, freeSoFar);
    }

    @Test
    void aTenantAskedForAppearsEvenWithoutPhotos() {
        assertStatement(reporter.report(OCTOBER, septemberOnly).statements().get(0),
                "September only", 0, 0, 450, 0, "0", "0.00");
        // Before its first photo the whole allowance is left.
        assertStatement(reporter.report(YearMonth.of(2026, 8), septemberOnly).statements().get(0),
                "September only", 0, 0, 500, 0, "0", "0.00");
        assertThrows(UnknownTenantException.class, () -> reporter.report(OCTOBER, "nobody"));
    }

    @Test
    void aMonthWithoutPhotosHasNoStatementsAndZeroTotals() {
        BillingReport report = reporter.report(YearMonth.of(2027, 1));
        assertEquals(List.of(), report.statements());
        assertEquals(new BillingTotals(0, 0, 0, 0, BigDecimal.ZERO, new BigDecimal("0.00")), report.totals());
    }

    @Test
    void smallPagesGiveTheSameReportWithoutScanningTheUsage() {
        PageCounter counter = new PageCounter();
        try (DynamoDbClient counted = DynamoDbClient.builder()
                .endpointOverride(DYNAMODB.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
                .build()) {
            BillingReporter paged = new BillingReporter(new TenantStore(counted, MeteringFixture.TENANTS),
                    new UsageLedger(counted, MeteringFixture.USAGE).withPageSize(7), REPORTED_AT);

            assertEquals(reporter.report(OCTOBER), paged.report(OCTOBER));

            // October: 401 + 1,500 + 1,609 + 120 records in pages of 7, and an empty query for the fifth tenant.
            int fewestPages = ceil(401, 7) + ceil(1500, 7) + ceil(1609, 7) + ceil(120, 7) + 1;
            assertTrue(counter.queries.get() >= fewestPages, counter.queries + " pages");
            assertEquals(3630, counter.items.get());
            assertEquals(0, counter.usageScans.get());
        }
    }

    @Test
    void aMonthWhoseRecordsHaveExpiredIsRefused() {
        // September's records expire on 1 January 2027, three whole months after September.
        BillingReporter january = new BillingReporter(usage.tenants, usage.ledger,
                Clock.fixed(Instant.parse("2027-01-01T00:00:00Z"), ZoneOffset.UTC));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> january.report(SEPTEMBER));
        assertEquals("the usage records of 2026-09 expired at 2027-01-01T00:00:00Z: its statements are the ones"
                + " written before (the reports bucket keeps them)", refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> january.report(SEPTEMBER, crossing));
        assertEquals(reporter.report(OCTOBER), january.report(OCTOBER));
    }

    @Test
    void aPageSizeMustHoldAnItem() {
        assertThrows(IllegalArgumentException.class, () -> usage.ledger.withPageSize(0));
    }

    /** Counts the Query pages and items a client reads, and its scans of the usage table. */
    private static final class PageCounter implements ExecutionInterceptor {

        final AtomicInteger queries = new AtomicInteger();
        final AtomicInteger items = new AtomicInteger();
        final AtomicInteger usageScans = new AtomicInteger();

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.response() instanceof QueryResponse page) {
                queries.incrementAndGet();
                items.addAndGet(page.count());
            }
            if (context.request() instanceof ScanRequest scan && scan.tableName().equals(MeteringFixture.USAGE)) {
                usageScans.incrementAndGet();
            }
        }
    }

    private static void assertStatement(TenantStatement statement, String name, long scored, long free,
            long freeLeft, long billable, String amount, String amountDue) {
        assertEquals(name, statement.tenantName());
        assertEquals(scored, statement.scoredPhotos(), "scored");
        assertEquals(free, statement.freePhotos(), "free");
        assertEquals(freeLeft, statement.freePhotosLeft(), "free left");
        assertEquals(billable, statement.billablePhotos(), "billable");
        assertAmount(amount, statement.amount());
        assertEquals(new BigDecimal(amountDue), statement.amountDue());
    }

    /** Equal in value, whatever the scale: 0.225 is 0.22500. */
    private static void assertAmount(String expected, BigDecimal actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual), () -> "expected " + expected + ", was " + actual);
    }

    private static Map<String, TenantStatement> byTenant(BillingReport report) {
        return report.statements().stream()
                .collect(java.util.stream.Collectors.toMap(TenantStatement::tenantId, s -> s));
    }

    private static ScoredPhoto photo(String tenant, String requestId, String time) {
        return new ScoredPhoto(tenant, requestId, at(time), UsageSource.API_UPLOAD);
    }

    private static Instant at(String time) {
        return Instant.parse(time);
    }

    private static int ceil(int items, int pageSize) {
        return (items + pageSize - 1) / pageSize;
    }
}
