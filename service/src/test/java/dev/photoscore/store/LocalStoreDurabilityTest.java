package dev.photoscore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.dynamodblocal.DynamoDbLocal;
import dev.photoscore.metering.ScoredPhoto;
import dev.photoscore.metering.UsageLedger;
import dev.photoscore.metering.UsageMeter;
import dev.photoscore.metering.UsageRecord;
import dev.photoscore.metering.UsageSource;
import dev.photoscore.tenants.TenantAdmin;
import dev.photoscore.tenants.TenantStore;
import dev.photoscore.testing.ChildJvms;
import dev.photoscore.wiring.UsageStoreTables;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code serve --dynamodb-dir}'s store keeps every photo it answered for: a child JVM meters photos one after the
 * other into DynamoDB Local in files and prints each request id once its metering returned (the moment the service
 * would answer 200); it is killed with SIGKILL right after such a line, and every printed photo must then be in the
 * files. Without {@code DynamoDbLocal}'s wait for SQLite's commit, the last photo was missing in most trials.
 */
class LocalStoreDurabilityTest {

    private static final String TENANTS = "tenants";
    private static final String USAGE = "usage";
    private static final Instant WHEN = Instant.parse("2025-06-14T09:30:00Z");
    private static final YearMonth MONTH = YearMonth.of(2025, 6);
    private static final int TRIALS = 3;
    /** Photos answered before the kill: enough for the child to be in its stride. */
    private static final int ANSWERED_BEFORE_KILL = 25;

    @TempDir
    Path tmp;

    @Test
    void aPhotoAnsweredBeforeAKillIsInTheFiles() throws Exception {
        for (int trial = 1; trial <= TRIALS; trial++) {
            Path dir = tmp.resolve("trial-" + trial);
            List<String> answered = meterUntilKilled(dir);
            assertEquals(ANSWERED_BEFORE_KILL, answered.size());
            String tenant = answered.get(0).split(" ")[0];
            try (DynamoDbLocal store = DynamoDbLocal.start(dir);
                 DynamoDbClient client = DynamoDbSettings.builder().localEndpoint(store.endpoint()).build()
                         .newClient()) {
                Set<String> kept = new UsageLedger(client, USAGE).records(tenant, MONTH).stream()
                        .map(UsageRecord::requestId).collect(Collectors.toSet());
                for (String line : answered) {
                    String requestId = line.split(" ")[1];
                    assertTrue(kept.contains(requestId), "trial " + trial + ": " + requestId
                            + " was answered, then lost by the kill; kept " + kept.size() + " of " + answered.size());
                }
            }
        }
    }

    /** Starts the child, kills it right after its {@value #ANSWERED_BEFORE_KILL}th answer, returns the answers. */
    private static List<String> meterUntilKilled(Path dir) throws Exception {
        Process child = new ProcessBuilder(ChildJvms.command(List.of("-Xmx512m"), MeteringChild.class,
                dir.toString())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> answered = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("answered ")) {
                    answered.add(line.substring("answered ".length()));
                    if (answered.size() == ANSWERED_BEFORE_KILL) {
                        child.destroyForcibly(); // SIGKILL
                        break;
                    }
                }
            }
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not die");
        }
        return answered;
    }

    /** The child: DynamoDB Local in files under its argument, metering photos until it is killed. */
    public static final class MeteringChild {

        public static void main(String[] args) {
            try (DynamoDbLocal store = DynamoDbLocal.start(Path.of(args[0]));
                 DynamoDbClient client = DynamoDbSettings.builder().localEndpoint(store.endpoint()).build()
                         .newClient()) {
                UsageStoreTables.createIfMissing(client, TENANTS, USAGE);
                TenantStore tenants = new TenantStore(client, TENANTS);
                String tenant = new TenantAdmin(tenants).create("durable").clientId();
                // Metered a minute after the requests, so in their month (the month rule: the month of metering).
                UsageMeter meter = UsageMeter.builder(client, tenants).usageTable(USAGE)
                        .clock(Clock.fixed(WHEN.plusSeconds(60), ZoneOffset.UTC)).build();
                for (int i = 1; ; i++) {
                    String requestId = "photo-" + i;
                    meter.meter(new ScoredPhoto(tenant, requestId, WHEN, UsageSource.API_UPLOAD));
                    System.out.println("answered " + tenant + " " + requestId);
                    System.out.flush();
                }
            }
        }
    }
}
