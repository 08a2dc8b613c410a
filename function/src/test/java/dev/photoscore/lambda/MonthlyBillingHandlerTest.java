package dev.photoscore.lambda;

import static dev.photoscore.billing.MeteringFixture.photos;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.photoscore.billing.BillingReport;
import dev.photoscore.billing.BillingReporter;
import dev.photoscore.billing.MeteringFixture;
import dev.photoscore.billing.ReportPublisher;
import dev.photoscore.billing.ReportPublishingException;
import dev.photoscore.store.DynamoDbLocalExtension;
import dev.photoscore.tenants.Plan;
import dev.photoscore.testing.LocalS3;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The scheduled function against DynamoDB Local and an in-process S3 (S3Mock). */
class MonthlyBillingHandlerTest {

    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();

    private static final String BUCKET = "photoscore-reports";
    private static final String OCTOBER_CSV = "reports/2026/10/billing-2026-10.csv";
    private static final String OCTOBER_JSON = "reports/2026/10/billing-2026-10.json";
    /** What EventBridge sends for the schedule cron(15 0 1 * ? *) on 1 November 2026. */
    private static final Map<String, Object> SCHEDULED_EVENT = Map.of(
            "version", "0",
            "id", "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
            "detail-type", "Scheduled Event",
            "source", "aws.events",
            "account", "123456789012",
            "time", "2026-11-01T00:15:00Z",
            "region", "eu-west-1",
            "resources", List.of("arn:aws:events:eu-west-1:123456789012:rule/photoscore-monthly-billing"),
            "detail", Map.of());

    private static LocalS3 localS3;
    private static S3Client s3;
    private static MeteringFixture usage;
    private static MonthlyBillingHandler handler;
    private static String crossing;
    private static String override;

    @BeforeAll
    static void meterOctoberAndNovember() throws Exception {
        localS3 = LocalS3.start(BUCKET);
        s3 = localS3.newClient();
        usage = new MeteringFixture(DYNAMODB.client());
        crossing = usage.tenant("Crossing", Plan.DEFAULT);
        override = usage.tenant("Override", new Plan(10, new BigDecimal("1.25"), OptionalLong.empty()));
        String november = usage.tenant("November only", Plan.DEFAULT);
        usage.meterAtOnce(
                photos(crossing, "oct", 520, Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-11-01T00:00:00Z")),
                photos(override, "oct", 30, Instant.parse("2026-10-05T00:00:00Z"), Instant.parse("2026-10-06T00:00:00Z")),
                photos(november, "nov", 5, Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-02T00:00:00Z")));
        Clock clock = Clock.fixed(Instant.parse("2026-11-20T10:00:00Z"), ZoneOffset.UTC);
        handler = new MonthlyBillingHandler(new BillingReporter(usage.tenants, usage.ledger, clock),
                new ReportPublisher(s3, BUCKET), clock);
    }

    @AfterAll
    static void stop() {
        usage.close();
        s3.close();
        localS3.close();
    }

    @Test
    void theScheduledRunWritesThePreviousMonthAsCsvAndJson() throws Exception {
        Map<String, Object> result = handler.handleRequest(SCHEDULED_EVENT, null);

        assertEquals(Map.of("month", "2026-10", "bucket", BUCKET, "keys", List.of(OCTOBER_CSV, OCTOBER_JSON),
                "tenants", 2), result);
        // Crossing: 500 free, 20 paid at 0.0006: 20 x 0.0006 = 0.012, due 0.01.
        // Override: 10 free, 20 paid at 1.25 / 1,000 = 0.00125: 20 x 0.00125 = 0.025, due 0.03 (half up).
        // Total: 550 = 510 + 40; exact 0.012 + 0.025 = 0.037; due 0.01 + 0.03 = 0.04.
        String period = ",2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,";
        List<String> rows = Stream.of(
                        "ps-2026-10-" + crossing + "," + crossing + ",Crossing" + period
                                + "\"500 free, 0.60 per 1000\",520,0,500,0,20,0.0006,0.012,0.01,-0.002,USD",
                        "ps-2026-10-" + override + "," + override + ",Override" + period
                                + "\"10 free, 1.25 per 1000\",30,0,10,0,20,0.00125,0.025,0.03,0.005,USD")
                .sorted().toList();
        assertEquals("statement_id,tenant_id,tenant_name,period_start,period_end,plan,scored_photos,late_photos,"
                + "free_allowance_used,free_allowance_left,billable_photos,unit_price,amount,amount_due,rounding,"
                + "currency\n" + rows.get(0) + "\n" + rows.get(1) + "\n", read(OCTOBER_CSV));
        JsonNode json = new ObjectMapper().readTree(read(OCTOBER_JSON));
        assertEquals("2026-10", json.path("month").asText());
        assertEquals(2, json.path("statements").size());
        assertEquals(550, json.path("totals").path("scoredPhotos").asLong());
        assertEquals("0.037", json.path("totals").path("amount").textValue());
        assertEquals("0.04", json.path("totals").path("amountDue").textValue());
        assertEquals("0.003", json.path("totals").path("rounding").textValue());
        assertEquals("text/csv;charset=utf-8", head(OCTOBER_CSV).contentType());
        assertEquals("application/json", head(OCTOBER_JSON).contentType());
        assertEquals(List.of(OCTOBER_CSV, OCTOBER_JSON), keysUnder("reports/2026/10/"));
    }

    @Test
    void runningAgainWritesTheSameFiles() {
        handler.handleRequest(SCHEDULED_EVENT, null);
        byte[] csv = bytes(OCTOBER_CSV);
        byte[] json = bytes(OCTOBER_JSON);
        String csvTag = head(OCTOBER_CSV).eTag();

        // A retry of the same schedule, minutes later, and a run by hand for October.
        handler.handleRequest(Map.of("time", "2026-11-01T00:21:07Z"), null);
        handler.handleRequest(Map.of("month", "2026-10"), null);

        assertArrayEquals(csv, bytes(OCTOBER_CSV));
        assertArrayEquals(json, bytes(OCTOBER_JSON));
        assertEquals(csvTag, head(OCTOBER_CSV).eTag());
        assertEquals(List.of(OCTOBER_CSV, OCTOBER_JSON), keysUnder("reports/2026/10/"));
    }

    @Test
    void aMonthGivenInTheEventIsReported() {
        Map<String, Object> result = handler.handleRequest(Map.of("month", "2026-11"), null);

        assertEquals(List.of("reports/2026/11/billing-2026-11.csv", "reports/2026/11/billing-2026-11.json"),
                result.get("keys"));
        assertEquals(1, result.get("tenants"));
    }

    @Test
    void theMonthReportedComesFromTheEventElseTheClock() {
        Clock clock = Clock.fixed(Instant.parse("2027-01-01T00:15:00Z"), ZoneOffset.UTC);
        assertEquals(YearMonth.of(2026, 12), MonthlyBillingHandler.monthToReport(Map.of(), clock));
        assertEquals(YearMonth.of(2026, 12),
                MonthlyBillingHandler.monthToReport(Map.of("time", "2027-01-01T00:15:00Z"), clock));
        assertEquals(YearMonth.of(2026, 10),
                MonthlyBillingHandler.monthToReport(Map.of("time", "2026-11-30T23:59:59Z"), clock));
        assertEquals(YearMonth.of(2025, 2),
                MonthlyBillingHandler.monthToReport(Map.of("month", "2025-02", "time", "2027-01-01T00:15:00Z"), clock));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MonthlyBillingHandler.monthToReport(Map.of("month", "2025-13"), clock));
        assertEquals("\"month\" must be a month as yyyy-MM, was \"2025-13\"", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> MonthlyBillingHandler.monthToReport(Map.of("time", "yesterday"), clock));
    }

    @Test
    void theBucketMustBeConfigured() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new MonthlyBillingHandler(Map.<String, String>of()::get));
        assertEquals("the environment variable REPORTS_BUCKET must name the bucket the reports are written to",
                e.getMessage());
    }

    @Test
    void aBucketS3RefusesIsReported() {
        ReportPublisher nowhere = new ReportPublisher(s3, "no-such-bucket");
        BillingReport report = new BillingReport(YearMonth.of(2026, 10), List.of());

        ReportPublishingException e = assertThrows(ReportPublishingException.class, () -> nowhere.publish(report));

        assertTrue(e.getMessage().startsWith(
                "cannot write s3://no-such-bucket/reports/2026/10/billing-2026-10.csv: "), e.getMessage());
    }

    private static String read(String key) {
        return new String(bytes(key), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
    }

    private static HeadObjectResponse head(String key) {
        return s3.headObject(b -> b.bucket(BUCKET).key(key));
    }

    private static List<String> keysUnder(String prefix) {
        return s3.listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream().map(S3Object::key).toList();
    }
}
