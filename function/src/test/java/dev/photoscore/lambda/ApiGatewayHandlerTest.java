package dev.photoscore.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.photoscore.api.ApiRequest;
import dev.photoscore.demo.DemoPage;
import dev.photoscore.metering.UsageLedger;
import dev.photoscore.wiring.ApiServices;
import dev.photoscore.wiring.ScoringServices;
import dev.photoscore.store.DynamoDbLocalExtension;
import dev.photoscore.tenants.ClientCredentials;
import dev.photoscore.tenants.Plan;
import dev.photoscore.tenants.TenantAdmin;
import dev.photoscore.modelpack.testing.TestModelPacks;
import dev.photoscore.wiring.UsageStoreTables;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The Lambda handler on the very files of events/, deserialised as the Lambda runtime does. */
class ApiGatewayHandlerTest {

    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();

    @TempDir
    static Path tmp;

    static ApiServices services;
    static ApiGatewayHandler handler;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        UsageStoreTables.createIfMissing(DYNAMODB.client());
        services = ApiServices.builder(ScoringServices.builder().modelDir(TestModelPacks.smallNima(tmp))
                .dynamoDb(DYNAMODB.settings()).scorerThreads(1))
                .maxDirectUploadBytes(LambdaEnvironment.MAX_DIRECT_UPLOAD_BYTES).build();
        new TenantAdmin(services.scoring().tenants()).create("demo", Plan.DEFAULT,
                new ClientCredentials("demo-client", "demo-secret-0123456789"));
        handler = new ApiGatewayHandler(services.qualityApi());
    }

    @AfterAll
    static void stop() {
        services.close();
    }

    static APIGatewayV2HTTPEvent event(String name) throws IOException {
        PojoSerializer<APIGatewayV2HTTPEvent> serializer = LambdaEventSerializers.serializerFor(
                APIGatewayV2HTTPEvent.class, ApiGatewayHandlerTest.class.getClassLoader());
        Path file = eventsDir().resolve(name);
        try (InputStream in = Files.newInputStream(file)) {
            return serializer.fromJson(in);
        }
    }

    static Path eventsDir() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(dir.resolve("events"))) {
            dir = dir.getParent();
        }
        return dir.resolve("events");
    }

    @Test
    void multipartEventIsScored() throws IOException {
        YearMonth before = YearMonth.now(ZoneOffset.UTC);
        APIGatewayV2HTTPResponse response = handler.handleRequest(event("quality-post-multipart.json"), null);
        YearMonth after = YearMonth.now(ZoneOffset.UTC);
        JsonNode body = JSON.readTree(response.getBody());
        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals("ok", body.path("status").asText());
        assertTrue(body.path("quality").path("class").asInt() >= 1);
        assertEquals("Cx1bGhHhoAMEVfB=", response.getHeaders().get("X-Request-Id"));
        UsageLedger ledger = new UsageLedger(DYNAMODB.client(), UsageLedger.DEFAULT_TABLE);
        assertEquals(List.of("Cx1bGhHhoAMEVfB="), Stream.of(before, after).distinct()
                        .flatMap(month -> ledger.records("demo-client", month).stream())
                        .map(r -> r.requestId()).toList(),
                "metered once, in the month it was metered (the event's request time is in 2026-11)");
    }

    /** The demo page, the same handler's: this deployment has no demo tenant, so the page loads but says so. */
    @Test
    void demoPageEventIsThePage() throws IOException {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event("demo-page-get.json"), null);
        assertEquals(200, response.getStatusCode());
        assertEquals("text/html; charset=utf-8", response.getHeaders().get("Content-Type"));
        assertTrue(response.getBody().startsWith("<!doctype html>"), response.getBody());
        assertEquals("Cx1cJhHjoAMEVgC=", response.getHeaders().get("X-Request-Id"));
        APIGatewayV2HTTPEvent credentials = event("demo-page-get.json");
        credentials.setRawPath(DemoPage.CREDENTIALS_PATH);
        assertEquals(404, handler.handleRequest(credentials, null).getStatusCode());
    }

    @Test
    void urlEventWithoutNetworkSaysWhyTheFetchFailed() throws IOException {
        // photos.example.com does not resolve on a machine without internet: a 502 that names the cause.
        APIGatewayV2HTTPResponse response = handler.handleRequest(event("quality-get-url.json"), null);
        JsonNode body = JSON.readTree(response.getBody());
        assertTrue(response.getStatusCode() == 502 || response.getStatusCode() == 200, response.getBody());
        if (response.getStatusCode() == 502) {
            assertEquals("error", body.path("status").asText());
            assertEquals(2, body.size());
        }
    }

    @Test
    void aBodyThatIsNotBase64IsABadRequest() throws IOException {
        APIGatewayV2HTTPEvent event = event("quality-post-multipart.json");
        for (String garbage : List.of("!!!! not base64 at all", "YWJj=", "====", "QUJD\nREVG")) {
            event.setBody(garbage);
            APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
            assertEquals(400, response.getStatusCode(), garbage + ": " + response.getBody());
            JsonNode body = JSON.readTree(response.getBody());
            assertEquals("error", body.path("status").asText());
            assertEquals("the request body is marked base64 but is not valid base64", body.path("message").asText());
            assertEquals("Cx1bGhHhoAMEVfB=", response.getHeaders().get("X-Request-Id"));
        }
    }

    @Test
    void anEventThatIsNoHttpApiRequestIsABadRequest() throws IOException {
        APIGatewayV2HTTPResponse response = handler.handleRequest(new APIGatewayV2HTTPEvent(), null);
        assertEquals(400, response.getStatusCode(), response.getBody());
        assertEquals("error", JSON.readTree(response.getBody()).path("status").asText());
        assertTrue(response.getHeaders().containsKey("X-Request-Id"));
    }

    @Test
    void queryStringsKeepRepeatedParameters() {
        Map<String, List<String>> query = ApiRequest.parseQuery("url=a%26b&url=c&details=true&flag");
        assertEquals(List.of("a&b", "c"), query.get("url"));
        assertEquals(List.of(""), query.get("flag"));
    }
}
