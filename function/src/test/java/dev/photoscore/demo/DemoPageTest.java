package dev.photoscore.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.photoscore.api.QualityApi;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.lambda.ApiGatewayHandler;
import dev.photoscore.lambda.LambdaEnvironment;
import dev.photoscore.modelpack.testing.TestModelPacks;
import dev.photoscore.wiring.ApiServices;
import dev.photoscore.wiring.ScoringServices;
import dev.photoscore.store.DynamoDbLocalExtension;
import dev.photoscore.tenants.Authenticator;
import dev.photoscore.tenants.ClientCredentials;
import dev.photoscore.tenants.Plan;
import dev.photoscore.tenants.TenantAdmin;
import dev.photoscore.testing.HttpApiEvents;
import dev.photoscore.testing.TestPhotos;
import dev.photoscore.wiring.UsageStoreTables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo page through the Lambda's own handler, on API Gateway HTTP API events: the page's files, the demo
 * credentials (only where a demo tenant is set up), the samples, and the calls the page makes, which score.
 */
class DemoPageTest {

    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();

    static final ClientCredentials DEMO = new ClientCredentials("demo-client", "demo-secret-0123456789");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static ApiServices services;
    static ApiGatewayHandler handler;
    static byte[] sample;

    @BeforeAll
    static void start() throws IOException {
        UsageStoreTables.createIfMissing(DYNAMODB.client());
        Path samples = Files.createDirectories(tmp.resolve("samples"));
        sample = TestPhotos.jpeg(TestPhotos.texturedRgb(480, 320, 7));
        Files.write(samples.resolve("beach house.jpg"), sample);
        services = ApiServices.builder(ScoringServices.builder().modelDir(TestModelPacks.smallNima(tmp))
                .dynamoDb(DYNAMODB.settings()).scorerThreads(1))
                .maxDirectUploadBytes(LambdaEnvironment.MAX_DIRECT_UPLOAD_BYTES).demoTenant(DEMO).samples(samples)
                .build();
        new TenantAdmin(services.scoring().tenants()).create("demo", Plan.DEFAULT, DEMO);
        handler = new ApiGatewayHandler(services.qualityApi());
    }

    @AfterAll
    static void stop() {
        if (services != null) {
            services.close();
        }
    }

    static APIGatewayV2HTTPResponse get(ApiGatewayHandler handler, String path) {
        return handler.handleRequest(HttpApiEvents.get(path, Map.of()), null);
    }

    @Test
    void servesThePageFilesWithTheirTypes() {
        for (String path : List.of("/", "/index.html")) {
            APIGatewayV2HTTPResponse page = get(handler, path);
            assertEquals(200, page.getStatusCode());
            assertEquals("text/html; charset=utf-8", page.getHeaders().get("Content-Type"));
            assertFalse(page.getIsBase64Encoded());
            assertTrue(page.getBody().startsWith("<!doctype html>"), page.getBody());
            assertTrue(page.getBody().contains("<script src=\"app.js\" defer></script>"), page.getBody());
            assertTrue(page.getHeaders().get("Content-Security-Policy").startsWith("default-src 'self';"));
            assertEquals("no-cache", page.getHeaders().get("Cache-Control"));
            assertTrue(page.getHeaders().containsKey(QualityApi.REQUEST_ID_HEADER), "answered like the API");
        }
        Map<String, String> types = Map.of("/app.js", "text/javascript; charset=utf-8",
                "/style.css", "text/css; charset=utf-8", DemoPage.OPENAPI_PATH, "application/yaml; charset=utf-8",
                "/favicon.ico", "image/x-icon");
        types.forEach((path, type) -> {
            APIGatewayV2HTTPResponse file = get(handler, path);
            assertEquals(200, file.getStatusCode(), path);
            assertEquals(type, file.getHeaders().get("Content-Type"), path);
            assertEquals("nosniff", file.getHeaders().get("X-Content-Type-Options"), path);
        });
        assertTrue(get(handler, DemoPage.OPENAPI_PATH).getBody().startsWith("openapi: 3"));
        APIGatewayV2HTTPResponse icon = get(handler, "/favicon.ico");
        assertTrue(icon.getIsBase64Encoded(), "an icon is bytes");
        byte[] ico = Base64.getDecoder().decode(icon.getBody());
        assertArrayEquals(new byte[] {0, 0, 1, 0}, Arrays.copyOf(ico, 4), "an ICO file's header");
    }

    @Test
    void anUnchangedFileIsNotSentAgain() {
        APIGatewayV2HTTPResponse first = get(handler, "/app.js");
        String etag = first.getHeaders().get("ETag");
        assertTrue(etag.matches("\"[0-9a-f]{32}\""), etag);
        APIGatewayV2HTTPResponse again = handler.handleRequest(HttpApiEvents.get("/app.js",
                Map.of("if-none-match", "\"0000\", " + etag)), null);
        assertEquals(304, again.getStatusCode());
        assertEquals("", again.getBody());
        assertEquals(etag, again.getHeaders().get("ETag"));
        APIGatewayV2HTTPResponse changed = handler.handleRequest(HttpApiEvents.get("/app.js",
                Map.of("if-none-match", "\"0000\"")), null);
        assertEquals(200, changed.getStatusCode());
        assertEquals(first.getBody(), changed.getBody());
        assertFalse(get(handler, "/style.css").getHeaders().get("ETag").equals(etag), "one validator per file");
    }

    /** No CDN, no web font, no analytics: the page names no other host (the browser test checks what it loads). */
    @Test
    void thePageNamesNoOtherHost() {
        Pattern remote = Pattern.compile("(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}", Pattern.CASE_INSENSITIVE);
        for (String path : List.of("/", "/app.js", "/style.css")) {
            String body = get(handler, path).getBody();
            assertFalse(remote.matcher(body).find(), path + " names another host: " + remote.matcher(body).results()
                    .map(m -> m.group()).toList());
        }
        String style = get(handler, "/style.css").getBody();
        for (String load : List.of("url(", "@import", "@font-face")) {
            assertFalse(style.contains(load), "style.css loads something: " + load);
        }
    }

    @Test
    void handsOutTheDemoCredentialsOnly() throws IOException {
        APIGatewayV2HTTPResponse answer = get(handler, DemoPage.CREDENTIALS_PATH);
        assertEquals(200, answer.getStatusCode());
        assertEquals("no-store", answer.getHeaders().get("Cache-Control"));
        JsonNode credentials = JSON.readTree(answer.getBody());
        assertEquals(DEMO.clientId(), credentials.path("clientId").asText());
        assertEquals(DEMO.clientSecret(), credentials.path("clientSecret").asText());
        assertEquals(2, credentials.size());
    }

    /** The page checks a photo against the API's own limits, as the service states them, never restated. */
    @Test
    void statesThePhotoLimits() throws IOException {
        APIGatewayV2HTTPResponse answer = get(handler, DemoPage.LIMITS_PATH);
        assertEquals(200, answer.getStatusCode());
        JsonNode limits = JSON.readTree(answer.getBody());
        PhotoLimits api = services.scoring().scorer().limits();
        assertEquals(api.minBytesExclusive(), limits.path("minBytesExclusive").asLong());
        assertEquals(api.maxBytesExclusive(), limits.path("maxBytesExclusive").asLong());
        assertEquals("20 KB", limits.path("min").asText());
        assertEquals("10 MB", limits.path("max").asText());
    }

    /** What the page does: its credentials, a sample, then the API with both; the photo is scored and billed. */
    @Test
    void thePagesOwnCallsScoreASample() throws IOException {
        JsonNode listing = JSON.readTree(get(handler, "/samples/").getBody());
        assertEquals("beach house.jpg", listing.path("samples").path(0).path("name").asText());
        assertEquals(sample.length, listing.path("samples").path(0).path("bytes").asInt());
        // The browser asks for encodeURIComponent(name); API Gateway hands the function the path decoded.
        APIGatewayV2HTTPResponse photo = get(handler, "/samples/beach house.jpg");
        assertEquals(200, photo.getStatusCode());
        assertEquals("image/jpeg", photo.getHeaders().get("Content-Type"));
        assertTrue(photo.getIsBase64Encoded(), "a photo goes base64, as API Gateway wants binary bodies");
        byte[] bytes = Base64.getDecoder().decode(photo.getBody());
        assertArrayEquals(sample, bytes);

        JsonNode credentials = JSON.readTree(get(handler, DemoPage.CREDENTIALS_PATH).getBody());
        ClientCredentials demo = new ClientCredentials(credentials.path("clientId").asText(),
                credentials.path("clientSecret").asText());
        APIGatewayV2HTTPResponse scored = handler.handleRequest(HttpApiEvents.upload(demo, "details=true", bytes),
                null);
        assertEquals(200, scored.getStatusCode(), scored.getBody());
        JsonNode answer = JSON.readTree(scored.getBody());
        assertEquals("ok", answer.path("status").asText());
        assertTrue(answer.path("quality").path("class").asInt() >= 1);
        assertTrue(answer.path("details").has("aesthetic"), scored.getBody());
        assertTrue(Long.parseLong(scored.getHeaders().get(QualityApi.MONTH_COUNT_HEADER)) >= 1);
    }

    @Test
    void theSamplesKeepToTheirFolder() throws IOException {
        Files.writeString(tmp.resolve("secret.jpg"), "outside the folder");
        for (String path : List.of("/samples/../secret.jpg", "/samples/..%2Fsecret.jpg", "/samples/%2e%2e/secret.jpg",
                "/samples//etc/passwd", "/samples/nothing.jpg")) {
            APIGatewayV2HTTPResponse answer = get(handler, path);
            assertEquals(404, answer.getStatusCode(), path);
            assertEquals("error", JSON.readTree(answer.getBody()).path("status").asText(), path);
        }
    }

    /** The demo is off unless a demo tenant is set up: the page still loads and says so when it asks. */
    @Test
    void withoutADemoTenantThePageLoadsButGetsNoCredentials() throws IOException {
        QualityApi api = QualityApi.builder().scorer(services.scoring().scorer())
                .authenticator(Authenticator.builder(services.scoring().tenants()).build())
                .meter(services.scoring().meter()).fetcher(services.fetcher())
                .routes(new DemoPage(null, null, services.scoring().scorer().limits())).build();
        ApiGatewayHandler off = new ApiGatewayHandler(api);
        assertEquals(200, get(off, "/").getStatusCode());
        APIGatewayV2HTTPResponse credentials = get(off, DemoPage.CREDENTIALS_PATH);
        assertEquals(404, credentials.getStatusCode());
        JsonNode refusal = JSON.readTree(credentials.getBody());
        assertEquals("error", refusal.path("status").asText());
        assertEquals(DemoPage.NOT_SET_UP, refusal.path("message").asText());
        assertFalse(credentials.getBody().contains(DEMO.clientSecret()));
        assertEquals(404, get(off, "/samples/").getStatusCode());
    }

    @Test
    void unknownPathsAndOtherMethodsAreRefused() throws IOException {
        for (String path : List.of("/app.jsx", "/demo/credentials/x", "/web/index.html", "/samples")) {
            APIGatewayV2HTTPResponse answer = get(handler, path);
            assertEquals(404, answer.getStatusCode(), path);
            assertEquals("error", JSON.readTree(answer.getBody()).path("status").asText(), path);
        }
        for (String path : DemoPage.PATHS) {
            APIGatewayV2HTTPResponse post = handler.handleRequest(HttpApiEvents.request("POST", path, "", Map.of(),
                    "x".getBytes(StandardCharsets.UTF_8)), null);
            assertEquals(405, post.getStatusCode(), path);
            assertEquals("GET", post.getHeaders().get("Allow"), path);
        }
    }
}
