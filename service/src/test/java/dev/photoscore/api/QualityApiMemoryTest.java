package dev.photoscore.api;

import static dev.photoscore.testing.TestPhotos.jpeg;
import static dev.photoscore.testing.TestPhotos.texturedRgb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.photoscore.image.DecodeBudget;
import dev.photoscore.metering.UsageLedger;
import dev.photoscore.modelpack.testing.TestModelPacks;
import dev.photoscore.wiring.ApiServices;
import dev.photoscore.wiring.ScoringServices;
import dev.photoscore.store.DynamoDbLocalExtension;
import dev.photoscore.tenants.ClientCredentials;
import dev.photoscore.tenants.TenantAdmin;
import dev.photoscore.wiring.UsageStoreTables;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * No memory for a photo is the service's failure, answered 503 and billed nothing: with a decode budget of 1 MB (set
 * by its system property), a photo needing more is refused without {@code Retry-After} (it can never be scored here),
 * and one that fits but finds the budget taken waits, then is refused with {@code Retry-After}.
 */
class QualityApiMemoryTest {

    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();

    @TempDir
    static Path tmp;

    @Test
    void noMemoryForAPhotoIs503AndNeverA4xx() throws Exception {
        UsageStoreTables.createIfMissing(DYNAMODB.client());
        ApiServices services;
        System.setProperty(DecodeBudget.SETTING, "1");
        try {
            services = ApiServices.builder(ScoringServices.builder().modelDir(TestModelPacks.smallNima(tmp))
                    .dynamoDb(DYNAMODB.settings()).scorerThreads(1)).build();
        } finally {
            System.clearProperty(DecodeBudget.SETTING);
        }
        try (services) {
            ClientCredentials tenant = new TenantAdmin(services.scoring().tenants()).create("t");
            QualityApi api = services.qualityApi();
            byte[] fits = jpeg(texturedRgb(400, 300, 4)); // 400x300 x (3 + 4) bytes: 0.8 MB
            byte[] never = jpeg(texturedRgb(2000, 1500, 4)); // reduced to 667x500 x 7 bytes: 2.2 MB

            ApiResponse tooLarge = api.handle(QualityApiTest.post(tenant, "", never, "data"));
            QualityApiTest.assertError(tooLarge, 503, "whole budget");
            assertNull(tooLarge.headers().get("Retry-After"));

            DecodeBudget budget = services.scoring().scorer().decodeBudget();
            try (DecodeBudget.Lease taken = budget.admit(budget.capacity() - 100_000)) {
                ApiResponse busy = api.handle(QualityApiTest.post(tenant, "", fits, "data"));
                QualityApiTest.assertError(busy, 503, "busy");
                assertEquals("2", busy.headers().get("Retry-After"));
                assertFalse(busy.bodyText().contains("quality"));
            }
            assertEquals(200, api.handle(QualityApiTest.post(tenant, "", fits, "data")).status());
            assertEquals(1, new UsageLedger(DYNAMODB.client(), UsageLedger.DEFAULT_TABLE)
                    .monthlyUsage(tenant.clientId(), YearMonth.now(ZoneOffset.UTC)).photos(), "only the 200 billed");
        }
    }
}
