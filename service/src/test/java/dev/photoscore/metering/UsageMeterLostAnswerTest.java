package dev.photoscore.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.store.DynamoDbLocalExtension;
import dev.photoscore.store.DynamoDbSettings;
import dev.photoscore.store.UsageStoreUnavailableException;
import dev.photoscore.tenants.TenantAdmin;
import dev.photoscore.tenants.TenantStore;
import dev.photoscore.testing.LossyProxy;
import dev.photoscore.testing.LossyProxy.Fault;
import dev.photoscore.wiring.UsageStoreTables;
import java.time.Duration;
import java.time.Instant;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Metering through a proxy that loses the billing transaction's request or answer: whatever is lost, the meter's
 * answer matches the ledger. A result means the photo is recorded and counted; a 503 (UsageStoreUnavailable) means
 * it is not, and never will be, even when the lost write reaches the store later. Each fault runs several times.
 */
class UsageMeterLostAnswerTest {

    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();

    private static final Instant JUNE = Instant.parse("2025-06-14T09:30:00Z");
    private static final YearMonth JUNE_MONTH = YearMonth.of(2025, 6);
    private static final String TRANSACTION = "TransactWriteItems";
    private static final int RUNS = 3;

    private static LossyProxy proxy;
    private static DynamoDbClient throughProxy;
    private static TenantStore tenants;
    private static TenantAdmin admin;
    private static UsageMeter meter;
    private static UsageLedger ledger;

    @BeforeAll
    static void tables() {
        UsageStoreTables.createIfMissing(DYNAMODB.client(), "tenants", "usage");
        tenants = new TenantStore(DYNAMODB.client(), "tenants");
        admin = new TenantAdmin(tenants);
        ledger = new UsageLedger(DYNAMODB.client(), "usage");
        proxy = LossyProxy.to(DYNAMODB.endpoint());
        // The meter's writes go through the proxy, with the short timeouts of an API call (two attempts of 2 s).
        throughProxy = DynamoDbSettings.builder().localEndpoint(proxy.endpoint())
                .attemptTimeout(Duration.ofSeconds(2)).callTimeout(Duration.ofSeconds(5)).maxAttempts(2)
                .build().newClient();
        // Metered a minute after the requests, so in their month (the month rule: the month of metering).
        meter = UsageMeter.builder(throughProxy, tenants).usageTable("usage")
                .clock(Clock.fixed(JUNE.plusSeconds(60), ZoneOffset.UTC)).build();
    }

    @AfterAll
    static void close() throws Exception {
        throughProxy.close();
        proxy.close();
    }

    @AfterEach
    void heal() {
        proxy.heal();
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"ANSWER_LOST", "ANSWER_CUT"})
    void aCommittedWriteWhoseAnswerIsLostIsAnsweredAsMetered(Fault fault) {
        String tenant = admin.create("lost-answers-" + fault).clientId();
        Set<String> answered = new HashSet<>();
        int faultedBefore = proxy.faulted();
        for (int run = 1; run <= RUNS; run++) {
            String requestId = "run-" + run;
            proxy.fail(TRANSACTION, fault);
            MeteringResult result = meter.meter(new ScoredPhoto(tenant, requestId, JUNE, UsageSource.API_UPLOAD));
            proxy.heal();
            assertFalse(result.alreadyMetered(), "this call wrote the record");
            assertEquals(run, result.record().lifetimeCount());
            answered.add(requestId);
        }
        assertTrue(proxy.faulted() - faultedBefore >= RUNS, "every run lost an answer");
        assertBilledExactly(tenant, answered);
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"REQUEST_LOST", "REQUEST_LATE"})
    void aWriteThatDidNotArriveIsAnswered503AndNeverCommitsLater(Fault fault) throws Exception {
        String tenant = admin.create("lost-requests-" + fault).clientId();
        for (int run = 1; run <= RUNS; run++) {
            ScoredPhoto photo = new ScoredPhoto(tenant, "run-" + run, JUNE, UsageSource.S3);
            proxy.fail(TRANSACTION, fault);
            UsageStoreUnavailableException e = assertThrows(UsageStoreUnavailableException.class,
                    () -> meter.meter(photo));
            proxy.heal();
            assertFalse(e.outcomeUnknown(), "the meter found out: " + e.getMessage());
            // A late write has now reached the store: it must have been refused.
            proxy.awaitLateRequests(Duration.ofSeconds(30));
            assertBilledExactly(tenant, Set.of());
        }
        // A redelivery of the same request (an S3 event's retry) is metered over the fence, once.
        MeteringResult retried = meter.meter(new ScoredPhoto(tenant, "run-1", JUNE, UsageSource.S3));
        assertFalse(retried.alreadyMetered());
        assertEquals(1, retried.record().lifetimeCount());
        assertEquals(retried.record(), meter.meter(new ScoredPhoto(tenant, "run-1", JUNE, UsageSource.S3)).record());
        assertBilledExactly(tenant, Set.of("run-1"));
    }

    @Test
    void aStoreThatStopsAnsweringAfterTheWriteLeavesTheOutcomeUnknownAndSaysSo() {
        String tenant = admin.create("unknown").clientId();
        proxy.fail(TRANSACTION, Fault.ANSWER_LOST);
        proxy.fail("UpdateItem", Fault.REQUEST_LOST);

        UsageStoreUnavailableException e = assertThrows(UsageStoreUnavailableException.class,
                () -> meter.meter(new ScoredPhoto(tenant, "in-doubt", JUNE, UsageSource.API_URL)));

        assertTrue(e.outcomeUnknown());
        // The one window left (docs/metering.md): here the write did commit.
        assertBilledExactly(tenant, Set.of("in-doubt"));
    }

    /** The ledger holds exactly these photos of the tenant, and its counters agree. */
    private static void assertBilledExactly(String tenant, Set<String> requestIds) {
        Set<String> recorded = ledger.records(tenant, JUNE_MONTH).stream().map(UsageRecord::requestId)
                .collect(Collectors.toSet());
        assertEquals(requestIds, recorded);
        assertEquals(requestIds.size(), tenants.find(tenant).orElseThrow().lifetimePhotos());
        assertEquals(requestIds.size(), ledger.monthlyUsage(tenant, JUNE_MONTH).photos());
    }
}
