package dev.photoscore.lambda;

import static dev.photoscore.testing.TestPhotos.jpeg;
import static dev.photoscore.testing.TestPhotos.paddedTo;
import static dev.photoscore.testing.TestPhotos.texturedRgb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.photoscore.modelpack.testing.TestModelPacks;
import dev.photoscore.wiring.ApiServices;
import dev.photoscore.wiring.ScoringServices;
import dev.photoscore.store.DynamoDbLocalExtension;
import dev.photoscore.tenants.ClientCredentials;
import dev.photoscore.tenants.Plan;
import dev.photoscore.tenants.TenantAdmin;
import dev.photoscore.testing.EmfLines;
import dev.photoscore.testing.HttpApiEvents;
import dev.photoscore.wiring.UsageStoreTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Lambda's metrics as CloudWatch reads them: real requests through the handler, and the embedded-metric-format
 * lines it writes to stdout, parsed and checked for their namespace, metric names, units, dimensions and values.
 */
class EmfMetricsTest {

    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();

    @TempDir
    static Path tmp;

    static final ObjectMapper JSON = new ObjectMapper();
    static final ClientCredentials TENANT = new ClientCredentials("metrics-client", "metrics-secret-0123456789");
    static ApiServices services;
    static ApiGatewayHandler handler;

    @BeforeAll
    static void start() {
        UsageStoreTables.createIfMissing(DYNAMODB.client());
        services = ApiServices.builder(ScoringServices.builder().modelDir(TestModelPacks.smallNima(tmp))
                .dynamoDb(DYNAMODB.settings()).scorerThreads(1).metrics(EmfMetrics.fromEnvironment(Map
                .of(EmfMetrics.NAMESPACE_VARIABLE, "photoscore/test"))))
                .maxDirectUploadBytes(LambdaEnvironment.MAX_DIRECT_UPLOAD_BYTES).build();
        new TenantAdmin(services.scoring().tenants()).create("metrics", Plan.DEFAULT, TENANT);
        handler = new ApiGatewayHandler(services.qualityApi());
    }

    @AfterAll
    static void stop() {
        services.close();
    }

    @Test
    void aScoredPhotoIsCountedTimedByStageAndCountedInItsClass() throws Exception {
        byte[] photo = paddedTo(jpeg(texturedRgb(640, 480, 3)), 200_000);
        List<EmfLines.Document> documents = new ArrayList<>();
        APIGatewayV2HTTPResponse response = EmfLines.capture(documents,
                () -> handler.handleRequest(HttpApiEvents.upload(TENANT, "", photo), null));
        assertEquals(200, response.getStatusCode(), response.getBody());
        int qualityClass = JSON.readTree(response.getBody()).path("quality").path("class").asInt();
        double score = JSON.readTree(response.getBody()).path("quality").path("score").asDouble();

        assertEquals(2, documents.size(), documents.toString());
        EmfLines.Document scored = documents.get(0);
        assertEquals("photoscore/test", scored.namespace());
        assertEquals(List.of(Map.of(EmfMetrics.SERVICE_DIMENSION, "api")), scored.dimensions());
        assertEquals(Map.of(EmfMetrics.SCORE, "None",
                EmfMetrics.INPUT_LATENCY, "Milliseconds", EmfMetrics.DECODE_LATENCY, "Milliseconds",
                EmfMetrics.MODEL_LATENCY, "Milliseconds", EmfMetrics.METERING_LATENCY, "Milliseconds"),
                scored.units());
        assertEquals(score, scored.values().get(EmfMetrics.SCORE), 1e-9);
        for (String stage : List.of(EmfMetrics.INPUT_LATENCY, EmfMetrics.DECODE_LATENCY, EmfMetrics.MODEL_LATENCY,
                EmfMetrics.METERING_LATENCY)) {
            assertTrue(scored.values().get(stage) > 0, stage + " " + scored.values());
        }

        EmfLines.Document byClass = documents.get(1);
        assertEquals(List.of(Map.of(EmfMetrics.SERVICE_DIMENSION, "api"), Map.of(EmfMetrics.SERVICE_DIMENSION, "api",
                EmfMetrics.CLASS_DIMENSION, Integer.toString(qualityClass))), byClass.dimensions());
        assertEquals(Map.of(EmfMetrics.PHOTOS_SCORED, "Count"), byClass.units());
        assertEquals(Map.of(EmfMetrics.PHOTOS_SCORED, 1.0), byClass.values());
    }

    @Test
    void refusalsAreCountedByReason() throws Exception {
        byte[] tooSmall = jpeg(texturedRgb(64, 64, 1));
        ClientCredentials stranger = new ClientCredentials("no-such-client", "wrong-secret-0123456789");
        List<EmfLines.Document> documents = new ArrayList<>();
        EmfLines.capture(documents, () -> {
            assertEquals(422, handler.handleRequest(HttpApiEvents.upload(TENANT, "", tooSmall), null)
                    .getStatusCode());
            assertEquals(401, handler.handleRequest(HttpApiEvents.upload(stranger, "", tooSmall), null)
                    .getStatusCode());
            return null;
        });
        List<String> reasons = List.of("FILE_TOO_SMALL", "INVALID_CREDENTIALS");
        assertEquals(reasons.size(), documents.size(), documents.toString());
        for (int i = 0; i < reasons.size(); i++) {
            EmfLines.Document refusal = documents.get(i);
            assertEquals(Map.of(EmfMetrics.PHOTOS_REFUSED, "Count"), refusal.units());
            assertEquals(Map.of(EmfMetrics.PHOTOS_REFUSED, 1.0), refusal.values());
            assertEquals(List.of(Map.of(EmfMetrics.SERVICE_DIMENSION, "api"), Map.of(EmfMetrics.SERVICE_DIMENSION,
                    "api", EmfMetrics.REASON_DIMENSION, reasons.get(i))), refusal.dimensions());
        }
    }

    /** SnapStart's priming sends an unknown client's request through the handler: exercised, not counted. */
    @Test
    void primingRequestsAreNotCounted() throws Exception {
        List<EmfLines.Document> documents = new ArrayList<>();
        EmfLines.capture(documents, () -> {
            services.scoring().metrics().unpublished(() -> assertEquals(401,
                    handler.handleRequest(ApiGatewayHandler.primingRequest(), null).getStatusCode()));
            return null;
        });
        assertEquals(List.of(), documents);
    }
}
