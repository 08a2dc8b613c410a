package dev.photoscore.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.photoscore.store.DynamoDbLocalExtension;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * How fast one tenant's month is read for billing: {@code UsageLedger.monthlyUsage} over {@value #RECORDS} usage
 * records in one partition of DynamoDB Local, in 1 MB pages, strongly consistent, as the billing report reads
 * them. Prints records per second, pages, items per page, item size and the read capacity DynamoDB reports;
 * {@code docs/billing.md} extrapolates them to a month of 1,000,000 records. Not a test: run it by hand with
 *
 * <pre>mvn -B -pl function -am test -Dtest=UsageLedgerReadBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dphotoscore.benchmark=true</pre>
 *
 * The records are written directly (BatchWriteItem, the meter's item layout) rather than metered one by one,
 * which would take far longer than reading them.
 */
@EnabledIfSystemProperty(named = "photoscore.benchmark", matches = "true")
class UsageLedgerReadBenchmark {

    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();

    private static final int RECORDS = Integer.getInteger("photoscore.benchmark.records", 100_000);
    private static final int RUNS = 3;
    private static final String TENANT = "0123456789abcdef0123";
    private static final YearMonth MONTH = YearMonth.of(2026, 10);

    @Test
    void readAMonth() {
        Capacity capacity = new Capacity();
        try (DynamoDbClient client = DynamoDbClient.builder()
                .endpointOverride(DYNAMODB.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofMinutes(2)).addExecutionInterceptor(capacity))
                .build()) {
            UsageLedger.createTable(client, "usage");
            long writeStart = System.nanoTime();
            write(client);
            double writeSeconds = (System.nanoTime() - writeStart) / 1e9;
            UsageLedger ledger = new UsageLedger(client, "usage");

            ledger.monthlyUsage(TENANT, MONTH); // warm-up: class loading, JIT
            List<Double> seconds = new ArrayList<>();
            MonthlyUsage usage = null;
            capacity.reset();
            for (int run = 0; run < RUNS; run++) {
                long start = System.nanoTime();
                usage = ledger.monthlyUsage(TENANT, MONTH);
                seconds.add((System.nanoTime() - start) / 1e9);
            }
            assertEquals(RECORDS, usage.photos());
            assertEquals(RECORDS - 500, usage.billablePhotos());

            double best = seconds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            int pages = capacity.pages.get() / RUNS;
            double rcu = capacity.units.sum() / RUNS;
            double waiting = capacity.waitingNanos.get() / 1e9 / RUNS;
            double total = seconds.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            int itemBytes = itemSize(UsageTable.toItem(record(RECORDS - 1)));
            System.out.printf(Locale.ROOT, "usage read benchmark: %,d records in one partition (written in %.1f s)%n"
                            + "  read: runs %s s, best %.2f s = %,.0f records/s%n"
                            + "  of a read, on average: %.2f s waiting for DynamoDB Local's answers (to their headers),"
                            + " %.2f s in the client (receiving, unmarshalling, summing)%n"
                            + "  pages: %d per read, %,.0f items per page; item size %d bytes (DynamoDB's rule)%n"
                            + "  waits of the pages of the last read, first to last: %s s%n"
                            + "  read capacity reported: %.1f RCU per read = %.2f RCU per 1,000 records%n",
                    RECORDS, writeSeconds, seconds.stream().map(s -> String.format(Locale.ROOT, "%.2f", s)).toList(),
                    best, RECORDS / best, waiting, total - waiting, pages, (double) RECORDS / pages, itemBytes,
                    capacity.pageWaits.stream().map(w -> String.format(Locale.ROOT, "%.2f", w)).toList(), rcu, rcu * 1000 / RECORDS);
        }
    }

    /** Writes the records as the meter would have: 500 free, the rest paid at 0.0006. */
    private static void write(DynamoDbClient client) {
        List<WriteRequest> batch = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            Map<String, AttributeValue> item = UsageTable.toItem(record(i));
            batch.add(WriteRequest.builder().putRequest(p -> p.item(item)).build());
            if (batch.size() == 25 || i == RECORDS - 1) {
                List<WriteRequest> items = List.copyOf(batch);
                Map<String, List<WriteRequest>> unprocessed = Map.of("usage", items);
                while (!unprocessed.isEmpty()) {
                    Map<String, List<WriteRequest>> request = unprocessed;
                    unprocessed = client.batchWriteItem(b -> b.requestItems(request)).unprocessedItems();
                }
                batch.clear();
            }
        }
    }

    /** The i-th photo of the month, with an API Gateway-like request id (a UUID). */
    private static UsageRecord record(int i) {
        long lifetime = i + 1;
        boolean free = lifetime <= 500;
        Instant at = Instant.parse("2026-10-01T00:00:00Z").plusSeconds(i % 2_678_400);
        return new UsageRecord(TENANT, MONTH, new java.util.UUID(0x5eedL * i, i).toString(), at, at,
                UsageSource.API_URL, !free,
                free ? BigDecimal.ZERO : new BigDecimal("0.0006"), lifetime, lifetime, Math.max(0, 500 - lifetime));
    }

    /** DynamoDB's item size: attribute names' and values' UTF-8 bytes, numbers about one byte per two digits. */
    private static int itemSize(Map<String, AttributeValue> item) {
        int size = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            size += e.getKey().length();
            AttributeValue v = e.getValue();
            if (v.s() != null) {
                size += v.s().length();
            } else if (v.n() != null) {
                size += (v.n().replace(".", "").replace("-", "").length() + 1) / 2 + 1;
            } else {
                size += 1;
            }
        }
        return size;
    }

    /** Asks every Query for its consumed capacity, and adds it up with the pages. */
    private static final class Capacity implements ExecutionInterceptor {

        final AtomicInteger pages = new AtomicInteger();
        final DoubleAdder units = new DoubleAdder();
        /** From sending a request to its response's headers: DynamoDB Local's work, not the client's. */
        final AtomicLong waitingNanos = new AtomicLong();
        /** The waits of the pages of the last read, in order. */
        final List<Double> pageWaits = new CopyOnWriteArrayList<>();
        private final ThreadLocal<Long> sent = new ThreadLocal<>();

        void reset() {
            pages.set(0);
            units.reset();
            waitingNanos.set(0);
        }

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            sent.set(System.nanoTime());
        }

        @Override
        public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
            long wait = System.nanoTime() - sent.get();
            waitingNanos.addAndGet(wait);
            if (context.request() instanceof QueryRequest query) {
                if (query.exclusiveStartKey().isEmpty()) {
                    pageWaits.clear();
                }
                pageWaits.add(wait / 1e9);
            }
        }

        @Override
        public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
            return context.request() instanceof QueryRequest query
                    ? query.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build()
                    : context.request();
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.response() instanceof QueryResponse page) {
                pages.incrementAndGet();
                if (page.consumedCapacity() != null && page.consumedCapacity().capacityUnits() != null) {
                    units.add(page.consumedCapacity().capacityUnits());
                }
            }
        }
    }
}
