package dev.photoscore.api;

import static dev.photoscore.testing.TestPhotos.jpeg;
import static dev.photoscore.testing.TestPhotos.texturedRgb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.metering.UsageLedger;
import dev.photoscore.modelpack.testing.TestModelPacks;
import dev.photoscore.wiring.ApiServices;
import dev.photoscore.wiring.ScoringServices;
import dev.photoscore.store.DynamoDbLocalExtension;
import dev.photoscore.store.DynamoDbSettings;
import dev.photoscore.tenants.ClientCredentials;
import dev.photoscore.tenants.TenantAdmin;
import dev.photoscore.testing.LossyProxy;
import dev.photoscore.testing.LossyProxy.Fault;
import dev.photoscore.wiring.UsageStoreTables;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API's answer when the billing transaction's answer or request is lost between the service and DynamoDB (a
 * proxy in between loses it): a committed write is answered 200 with the score, a write that never committed 503, and
 * the ledger agrees with every answer, over every fault (UsageMeterLostAnswerTest repeats them).
 */
class QualityApiLostAnswerTest {

    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();

    private static final int RUNS = 1;

    @TempDir
    static Path tmp;

    @Test
    void noBilled503AndNoUnbilled200() throws Exception {
        UsageStoreTables.createIfMissing(DYNAMODB.client());
        UsageLedger ledger = new UsageLedger(DYNAMODB.client(), UsageLedger.DEFAULT_TABLE);
        try (LossyProxy proxy = LossyProxy.to(DYNAMODB.endpoint());
             ApiServices services = ApiServices.builder(ScoringServices.builder().modelDir(TestModelPacks.smallNima(tmp))
                     .dynamoDb(DynamoDbSettings.builder().localEndpoint(proxy.endpoint())
                             .attemptTimeout(Duration.ofSeconds(2)).callTimeout(Duration.ofSeconds(5)).maxAttempts(2)
                             .build()).scorerThreads(1)).build()) {
            ClientCredentials tenant = new TenantAdmin(services.scoring().tenants()).create("t");
            byte[] photo = jpeg(texturedRgb(400, 300, 4));
            QualityApi api = services.qualityApi();
            assertEquals(200, api.handle(QualityApiTest.post(tenant, "", photo, "data")).status());
            long billed = 1;
            for (int run = 1; run <= RUNS; run++) {
                for (Fault fault : Fault.values()) {
                    proxy.fail("TransactWriteItems", fault);
                    ApiResponse answer = api.handle(QualityApiTest.post(tenant, "", photo, "data"));
                    proxy.heal();
                    if (answer.status() == 200) {
                        assertTrue(answer.bodyText().contains("\"score\""), answer.bodyText());
                        billed++;
                        assertEquals(Long.toString(billed), answer.headers().get(QualityApi.MONTH_COUNT_HEADER));
                    } else {
                        QualityApiTest.assertError(answer, 503, "nothing was billed");
                    }
                    // Whichever answer, the ledger agrees with it, also once a late write has reached the store.
                    proxy.awaitLateRequests(Duration.ofSeconds(30));
                    assertEquals(billed, photosBilled(ledger, tenant), fault + " answered " + answer.status());
                    // A write that committed is answered 200, one that never reached the store 503; one that
                    // arrives late may be either (before or after the service's check), the ledger agreeing.
                    if (fault == Fault.ANSWER_LOST || fault == Fault.ANSWER_CUT) {
                        assertEquals(200, answer.status(), fault.toString());
                    } else if (fault == Fault.REQUEST_LOST) {
                        assertEquals(503, answer.status(), fault.toString());
                    }
                }
            }
        }
    }

    private static long photosBilled(UsageLedger ledger, ClientCredentials tenant) {
        return ledger.monthlyUsage(tenant.clientId(), YearMonth.now(ZoneOffset.UTC)).photos();
    }
}
