package dev.photoscore.api;

import static dev.photoscore.testing.TestPhotos.jpeg;
import static dev.photoscore.testing.TestPhotos.texturedRgb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.photoscore.modelpack.testing.TestModelPacks;
import dev.photoscore.wiring.ApiServices;
import dev.photoscore.wiring.ScoringServices;
import dev.photoscore.store.DynamoDbLocalExtension;
import dev.photoscore.tenants.ClientCredentials;
import dev.photoscore.tenants.TenantAdmin;
import dev.photoscore.wiring.UsageStoreTables;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** When the usage store is down the answer is 503 and carries no score: nothing is scored and left unbilled. */
class QualityApiStoreDownTest {

    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();

    @TempDir
    static Path tmp;

    @Test
    void usageStoreDownGives503WithoutAScore() throws IOException {
        UsageStoreTables.createIfMissing(DYNAMODB.client());
        try (ApiServices services = ApiServices.builder(ScoringServices.builder().modelDir(TestModelPacks
                .smallNima(tmp)).dynamoDb(DYNAMODB.settings()).scorerThreads(1)).build()) {
            ClientCredentials tenant = new TenantAdmin(services.scoring().tenants()).create("t");
            byte[] photo = jpeg(texturedRgb(400, 300, 4));
            QualityApi api = services.qualityApi();
            assertEquals(200, api.handle(QualityApiTest.post(tenant, "", photo, "data")).status(),
                    "works, and the tenant is now in the authenticator's cache");

            DYNAMODB.stop();
            ApiResponse down = api.handle(QualityApiTest.post(tenant, "", photo, "data"));
            QualityApiTest.assertError(down, 503, "nothing was billed");
            assertEquals("5", down.headers().get("Retry-After"));
            assertFalse(down.bodyText().contains("quality"));

            ClientCredentials unknown = new ClientCredentials("never-seen", "some-secret-value-here");
            QualityApiTest.assertError(api.handle(QualityApiTest.post(unknown, "", photo, "data")), 503, "");
        }
    }
}
