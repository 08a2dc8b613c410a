package dev.photoscore.billing;

import dev.photoscore.metering.MeteringResult;
import dev.photoscore.metering.ScoredPhoto;
import dev.photoscore.metering.UsageLedger;
import dev.photoscore.metering.UsageMeter;
import dev.photoscore.metering.UsageSource;
import dev.photoscore.tenants.Plan;
import dev.photoscore.tenants.TenantAdmin;
import dev.photoscore.tenants.TenantStore;
import dev.photoscore.wiring.UsageStoreTables;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Real usage for billing tests: tenants made by {@link TenantAdmin}, photos metered by {@link UsageMeter} on
 * several threads at once (as concurrent Lambda instances would), so that records and counters are exactly what
 * production writes. A photo is metered the moment it was requested unless a test says when.
 */
public final class MeteringFixture implements AutoCloseable {

    public static final String TENANTS = "tenants";
    public static final String USAGE = "usage";
    private static final int THREADS = 8;

    public final TenantStore tenants;
    public final TenantAdmin admin;
    public final UsageLedger ledger;
    private final DynamoDbClient client;
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    public MeteringFixture(DynamoDbClient client) {
        UsageStoreTables.createIfMissing(client, TENANTS, USAGE);
        tenants = new TenantStore(client, TENANTS);
        admin = new TenantAdmin(tenants);
        ledger = new UsageLedger(client, USAGE);
        this.client = client;
    }

    public String tenant(String name, Plan plan) {
        return admin.create(name, plan).clientId();
    }

    /**
     * {@code count} photos of a tenant with request times spread evenly over {@code [from, to)} and request ids
     * {@code <prefix>-<i>}.
     */
    public static List<ScoredPhoto> photos(String tenant, String prefix, int count, Instant from, Instant to) {
        Duration step = Duration.between(from, to).dividedBy(count);
        return IntStream.range(0, count)
                .mapToObj(i -> new ScoredPhoto(tenant, prefix + "-" + i, from.plus(step.multipliedBy(i)),
                        UsageSource.API_URL))
                .toList();
    }

    /**
     * Meters the photos of every list at once, taking the lists in turn (so that threads spread over tenants), and
     * returns when all are metered. Which photo of a batch commits first, and so which are free, is up to
     * DynamoDB; how many are free is not.
     */
    @SafeVarargs
    public final void meterAtOnce(List<ScoredPhoto>... batches) throws InterruptedException, ExecutionException {
        List<Callable<Object>> tasks = new ArrayList<>();
        int longest = List.of(batches).stream().mapToInt(List::size).max().orElse(0);
        for (int i = 0; i < longest; i++) {
            for (List<ScoredPhoto> batch : batches) {
                if (i < batch.size()) {
                    ScoredPhoto photo = batch.get(i);
                    tasks.add(() -> meterOne(photo));
                }
            }
        }
        for (Future<Object> done : pool.invokeAll(tasks)) {
            done.get();
        }
    }

    /** Meters one photo alone, at its request time: the order of such photos is the order of the calls. */
    public MeteringResult meterOne(ScoredPhoto photo) {
        return meterAt(photo, photo.requestTime());
    }

    /** Meters one photo alone at this moment, such as an upload delivered hours after it was made. */
    public MeteringResult meterAt(ScoredPhoto photo, Instant meteredAt) {
        return UsageMeter.builder(client, tenants).usageTable(USAGE).clock(Clock.fixed(meteredAt, ZoneOffset.UTC))
                .build().meter(photo);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
