package dev.photoscore.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.photoscore.demo.DemoPage;
import dev.photoscore.modelpack.testing.TestModelPacks;
import dev.photoscore.wiring.ApiServices;
import dev.photoscore.testing.HttpApiEvents;
import dev.photoscore.testing.TestPhotos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Lambda's wiring from the environment template.yaml gives it, for the demo page: its tenant's credentials and
 * its samples folder, or neither. None of these requests reaches DynamoDB, so the region's client is never called.
 */
class LambdaEnvironmentTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static Path models;
    static String regionBefore;

    @BeforeAll
    static void start() {
        models = TestModelPacks.smallNima(tmp);
        // The SDK's DynamoDB client needs a region to be built; the Lambda has AWS_REGION.
        regionBefore = System.setProperty("aws.region", "eu-west-1");
    }

    @AfterAll
    static void stop() {
        if (regionBefore == null) {
            System.clearProperty("aws.region");
        } else {
            System.setProperty("aws.region", regionBefore);
        }
    }

    static APIGatewayV2HTTPResponse get(ApiServices services, String path) {
        return new ApiGatewayHandler(services.qualityApi()).handleRequest(HttpApiEvents.get(path, Map.of()), null);
    }

    @Test
    void theDemoTenantAndTheSamplesComeFromTheEnvironment() throws IOException {
        Path samples = Files.createDirectories(tmp.resolve("samples"));
        Files.write(samples.resolve("dusk.jpg"), TestPhotos.jpeg(TestPhotos.texturedRgb(320, 240, 3)));
        try (ApiServices services = LambdaEnvironment.api(Map.of("MODEL_DIR", models.toString(),
                LambdaEnvironment.DEMO_CLIENT_ID, "demo-client", LambdaEnvironment.DEMO_CLIENT_SECRET, "demo-secret-0123456789",
                LambdaEnvironment.SAMPLES_DIR, samples.toString()))) {
            JsonNode credentials = JSON.readTree(get(services, DemoPage.CREDENTIALS_PATH).getBody());
            assertEquals("demo-client", credentials.path("clientId").asText());
            assertEquals("demo-secret-0123456789", credentials.path("clientSecret").asText());
            JsonNode listing = JSON.readTree(get(services, "/samples/").getBody());
            assertEquals("dusk.jpg", listing.path("samples").path(0).path("name").asText());
        }
    }

    /** The template's defaults: empty credentials, and a samples folder the layer may not have. */
    @Test
    void withEmptyCredentialsTheDemoIsOff() {
        try (ApiServices services = LambdaEnvironment.api(Map.of("MODEL_DIR", models.toString(),
                LambdaEnvironment.DEMO_CLIENT_ID, "", LambdaEnvironment.DEMO_CLIENT_SECRET, "",
                LambdaEnvironment.SAMPLES_DIR, tmp.resolve("no-such-folder").toString()))) {
            assertEquals(200, get(services, "/").getStatusCode());
            assertEquals(404, get(services, DemoPage.CREDENTIALS_PATH).getStatusCode());
            assertEquals(404, get(services, "/samples/").getStatusCode());
        }
    }

    @Test
    void aClientIdWithoutItsSecretFailsTheStart() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LambdaEnvironment.api(Map.of(
                "MODEL_DIR", models.toString(), LambdaEnvironment.DEMO_CLIENT_ID, "demo-client")));
        assertTrue(e.getMessage().contains(LambdaEnvironment.DEMO_CLIENT_SECRET), e.getMessage());
    }
}
