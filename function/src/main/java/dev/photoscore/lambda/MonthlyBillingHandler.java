package dev.photoscore.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.photoscore.billing.BillingReport;
import dev.photoscore.billing.BillingReporter;
import dev.photoscore.billing.ReportPublisher;
import dev.photoscore.metering.UsageLedger;
import dev.photoscore.store.DynamoDbSettings;
import dev.photoscore.tenants.TenantStore;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The scheduled billing function: writes the previous month's report to the reports bucket as CSV and JSON (see
 * {@link ReportPublisher} for the keys). An EventBridge schedule invokes it early on the 1st of each month;
 * running it again for the same month writes the same files.
 *
 * <p>The month reported is, from the invocation's event:
 * <ul>
 *   <li>{@code "month": "yyyy-MM"} when present: that month (to run it again by hand, or catch up);</li>
 *   <li>else the month before the one of the event's {@code "time"} (a scheduled event's, in UTC): the run of
 *       1 November reports October, even when it is retried later;</li>
 *   <li>else the month before the current one (UTC).</li>
 * </ul>
 *
 * <p>Configured by the environment: {@value #REPORTS_BUCKET} (required), {@value #TENANTS_TABLE} and
 * {@value #USAGE_TABLE} (default: the tables' default names), {@value DynamoDbSettings#ENDPOINT_VARIABLE} (only to
 * point at DynamoDB Local under {@code sam local}); region and credentials are the Lambda's.
 */
public final class MonthlyBillingHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    static final String REPORTS_BUCKET = "REPORTS_BUCKET";
    static final String TENANTS_TABLE = "TENANTS_TABLE";
    static final String USAGE_TABLE = "USAGE_TABLE";

    private static final Logger LOG = LoggerFactory.getLogger(MonthlyBillingHandler.class);

    private final BillingReporter reporter;
    private final ReportPublisher publisher;
    private final Clock clock;

    /** The Lambda runtime's constructor: clients for the environment's tables and bucket. */
    public MonthlyBillingHandler() {
        this(System::getenv);
    }

    MonthlyBillingHandler(Function<String, String> environment) {
        String bucket = environment.apply(REPORTS_BUCKET);
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalStateException("the environment variable " + REPORTS_BUCKET
                    + " must name the bucket the reports are written to");
        }
        DynamoDbClient dynamoDb = BillingReporter.storeSettings().endpointFrom(environment).build().newClient();
        this.clock = Clock.systemUTC();
        this.reporter = new BillingReporter(
                new TenantStore(dynamoDb, orDefault(environment.apply(TENANTS_TABLE), TenantStore.DEFAULT_TABLE)),
                new UsageLedger(dynamoDb, orDefault(environment.apply(USAGE_TABLE), UsageLedger.DEFAULT_TABLE)),
                clock);
        this.publisher = new ReportPublisher(
                S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build(), bucket);
    }

    MonthlyBillingHandler(BillingReporter reporter, ReportPublisher publisher, Clock clock) {
        this.reporter = Objects.requireNonNull(reporter, "reporter");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Writes the report of the event's month.
     *
     * @return {@code month}, {@code bucket}, {@code keys} written and the number of {@code tenants} billed
     */
    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        YearMonth month = monthToReport(event == null ? Map.of() : event, clock);
        BillingReport report = reporter.report(month);
        List<String> keys = publisher.publish(report);
        LOG.info("billing report for {}: {} tenants, {} photos, USD {} due, written to s3://{}/{}", month,
                report.statements().size(), report.totals().scoredPhotos(), report.totals().amountDue(),
                publisher.bucket(), keys);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("month", month.toString());
        result.put("bucket", publisher.bucket());
        result.put("keys", keys);
        result.put("tenants", report.statements().size());
        return result;
    }

    /** The month an invocation reports, as the class comment says. */
    static YearMonth monthToReport(Map<String, Object> event, Clock clock) {
        Object month = event.get("month");
        if (month != null) {
            try {
                return YearMonth.parse(month.toString());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("\"month\" must be a month as yyyy-MM, was \"" + month + "\"", e);
            }
        }
        Object time = event.get("time");
        Instant now;
        try {
            now = time != null ? Instant.parse(time.toString()) : clock.instant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("\"time\" must be an ISO-8601 instant, was \"" + time + "\"", e);
        }
        return YearMonth.from(now.atOffset(ZoneOffset.UTC)).minusMonths(1);
    }

    private static String orDefault(String value, String otherwise) {
        return value == null || value.isBlank() ? otherwise : value;
    }
}
