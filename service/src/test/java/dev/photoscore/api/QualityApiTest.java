package dev.photoscore.api;

import static dev.photoscore.testing.TestPhotos.jpeg;
import static dev.photoscore.testing.TestPhotos.paddedTo;
import static dev.photoscore.testing.TestPhotos.texturedRgb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.photoscore.metering.UsageLedger;
import dev.photoscore.quality.flags.FlagFixtures;
import dev.photoscore.quality.flags.PhotoFlag;
import dev.photoscore.wiring.ApiServices;
import dev.photoscore.wiring.ScoringServices;
import dev.photoscore.store.DynamoDbLocalExtension;
import dev.photoscore.tenants.ClientCredentials;
import dev.photoscore.tenants.Plan;
import dev.photoscore.tenants.TenantAdmin;
import dev.photoscore.modelpack.testing.TestModelPacks;
import dev.photoscore.wiring.UsageStoreTables;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API's contract, on the real parts: DynamoDB Local, a model pack built by the real builder, and a photo server
 * on loopback.
 */
class QualityApiTest {

    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();

    @TempDir
    static Path tmp;

    static ApiServices services;
    static QualityApi api;
    static TenantAdmin admin;
    static ClientCredentials tenant;
    static HttpServer photos;
    static byte[] photo;
    static final AtomicInteger ids = new AtomicInteger();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws IOException {
        UsageStoreTables.createIfMissing(DYNAMODB.client());
        services = ApiServices.builder(ScoringServices.builder().modelDir(TestModelPacks.smallNima(tmp))
                .dynamoDb(DYNAMODB.settings()).scorerThreads(2)).allowLoopbackUrls(true).build();
        api = services.qualityApi();
        admin = new TenantAdmin(services.scoring().tenants());
        tenant = admin.create("test");
        photo = jpeg(texturedRgb(400, 300, 1));
        photos = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        photos.createContext("/photo.jpg", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "image/jpeg");
            exchange.sendResponseHeaders(200, photo.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(photo);
            }
        });
        photos.start();
    }

    @AfterAll
    static void stop() {
        photos.stop(0);
        services.close();
    }

    static String photoUrl() {
        return "http://127.0.0.1:" + photos.getAddress().getPort() + "/photo.jpg";
    }

    static ApiRequest get(ClientCredentials who, String query) {
        return request("GET", who, query, Map.of(), new byte[0], "req-" + ids.incrementAndGet());
    }

    static ApiRequest post(ClientCredentials who, String query, byte[] photoBytes, String field) {
        String boundary = "----photoscore-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field
                + "\"; filename=\"p.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(photoBytes);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return request("POST", who, query, Map.of("Content-Type", "multipart/form-data; boundary=" + boundary),
                body.toByteArray(), "req-" + ids.incrementAndGet());
    }

    static ApiRequest request(String method, ClientCredentials who, String query, Map<String, String> headers,
                              byte[] body, String requestId) {
        return request(method, QualityApi.QUALITY_PATH, who, query, headers, body, requestId);
    }

    static ApiRequest request(String method, String path, ClientCredentials who, String query,
                              Map<String, String> headers, byte[] body, String requestId) {
        Map<String, String> all = new HashMap<>(headers);
        if (who != null) {
            all.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (who.clientId() + ":" + who.clientSecret()).getBytes(StandardCharsets.UTF_8)));
        }
        Map<String, List<String>> params = new HashMap<>();
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                params.computeIfAbsent(pair.substring(0, eq), k -> new ArrayList<>()).add(pair.substring(eq + 1));
            }
        }
        return new ApiRequest(method, path, params, all, body, requestId, Instant.now(), "192.0.2.1");
    }

    static JsonNode json(ApiResponse response) throws IOException {
        assertEquals("application/json", response.headers().get("Content-Type"));
        return JSON.readTree(response.body());
    }

    static void assertError(ApiResponse response, int status, String messagePart) throws IOException {
        JsonNode body = json(response);
        assertEquals(status, response.status(), body.toString());
        assertEquals("error", body.path("status").asText());
        assertTrue(body.path("message").asText().contains(messagePart), body.toString());
        assertEquals(2, body.size(), "only status and message: " + body);
        assertTrue(response.headers().containsKey(QualityApi.REQUEST_ID_HEADER));
    }

    @Test
    void scoresAnUpload() throws IOException {
        ApiResponse response = api.handle(post(tenant, "", photo, "data"));
        JsonNode body = json(response);
        assertEquals(200, response.status(), body.toString());
        assertEquals("ok", body.path("status").asText());
        double score = body.path("quality").path("score").asDouble();
        assertTrue(score >= 0 && score <= 1);
        assertEquals(Math.min(5, 1 + (int) Math.floor(5 * score)), body.path("quality").path("class").asInt());
        assertFalse(body.has("details"));
        assertTrue(Long.parseLong(response.headers().get(QualityApi.MONTH_COUNT_HEADER)) >= 1);
        assertTrue(response.headers().containsKey(QualityApi.FREE_LEFT_HEADER));
    }

    @Test
    void scoresAUrlWithDetails() throws IOException {
        ApiResponse response = api.handle(get(tenant, "url=" + photoUrl() + "&details=true"));
        JsonNode body = json(response);
        assertEquals(200, response.status(), body.toString());
        assertTrue(body.path("details").path("aesthetic").asDouble() >= 1);
        assertTrue(body.path("details").path("technical").asDouble() >= 1);
        ApiResponse upload = api.handle(post(tenant, "details=true", photo, "data"));
        assertEquals(json(response).path("quality"), json(upload).path("quality"), "same photo, same score");
    }

    /** Sharp-edged coloured rectangles, blurred: a photo with nothing in focus. */
    static BufferedImage blurredShapes() {
        BufferedImage shapes = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = shapes.createGraphics();
        Random random = new Random(5);
        for (int i = 0; i < 40; i++) {
            g.setColor(new Color(random.nextInt(1 << 24)));
            g.fillRect(random.nextInt(400) - 50, random.nextInt(300) - 50, 20 + random.nextInt(150),
                    20 + random.nextInt(150));
        }
        g.dispose();
        return FlagFixtures.blurred(shapes, 5);
    }

    @Test
    void detailsNameTheFlagsWithAHintEach() throws IOException {
        byte[] blurred = paddedTo(jpeg(blurredShapes()), 30_000);
        JsonNode body = json(api.handle(post(tenant, "details=true", blurred, "data")));
        List<String> flags = new ArrayList<>();
        body.path("details").path("flags").forEach(flag -> flags.add(flag.asText()));
        List<String> hints = new ArrayList<>();
        body.path("details").path("hints").forEach(hint -> hints.add(hint.asText()));
        assertTrue(flags.contains("blurred"), body.toString());
        assertEquals(flags.stream().map(name -> PhotoFlag.valueOf(name.toUpperCase(Locale.ROOT)).hint()).toList(),
                hints);
        assertTrue(body.path("quality").path("class").asInt() <= 2, body.toString());

        JsonNode plain = json(api.handle(post(tenant, "", blurred, "data")));
        assertFalse(plain.has("details"), "no details unless asked: " + plain);
        assertEquals(body.path("quality"), plain.path("quality"));

        JsonNode unflagged = json(api.handle(get(tenant, "url=" + photoUrl() + "&details=true")));
        assertTrue(unflagged.path("details").path("flags").isArray(), unflagged.toString());
        assertEquals(unflagged.path("details").path("flags").size(), unflagged.path("details").path("hints").size());
    }

    @Test
    void credentials() throws IOException {
        ApiResponse missing = api.handle(get(null, "url=" + photoUrl()));
        assertError(missing, 401, "credentials");
        assertEquals("Basic realm=\"photoscore\"", missing.headers().get("WWW-Authenticate"));
        ApiResponse wrong = api.handle(get(new ClientCredentials(tenant.clientId(), "not-the-secret-at-all"),
                "url=" + photoUrl()));
        assertError(wrong, 401, "");
        assertEquals("Basic realm=\"photoscore\"", wrong.headers().get("WWW-Authenticate"));

        ClientCredentials disabled = admin.create("disabled");
        admin.disable(disabled.clientId());
        assertError(api.handle(get(disabled, "url=" + photoUrl())), 403, "");
    }

    @Test
    void badParameters() throws IOException {
        assertError(api.handle(get(tenant, "")), 400, "url");
        assertError(api.handle(post(tenant, "url=" + photoUrl(), photo, "data")), 400, "not several");
        assertError(api.handle(get(tenant, "url=not%20a%20url")), 400, "");
        assertError(api.handle(get(tenant, "url=ftp://example.com/a.jpg")), 400, "");
        assertError(api.handle(post(tenant, "", photo, "photo")), 400, "'data'");
    }

    @Test
    void photosThatCannotBeScored() throws IOException {
        assertError(api.handle(post(tenant, "", "not an image at all".repeat(2000).getBytes(), "data")), 415,
                "JPEG or PNG");
        assertError(api.handle(post(tenant, "", jpeg(texturedRgb(80, 60, 2)), "data")), 422, "larger than 20 KB");
        byte[] huge = java.util.Arrays.copyOf(photo, 10 * 1024 * 1024 + 10);
        assertError(api.handle(post(tenant, "", huge, "data")), 413, "");
    }

    @Test
    void theDefaultFetcherRefusesLoopback() throws IOException {
        try (ApiServices production = ApiServices.builder(ScoringServices.builder().modelDir(TestModelPacks
                .smallNima(tmp.resolve("p"))).dynamoDb(DYNAMODB.settings()).scorerThreads(1)).build()) {
            ApiResponse response = production.qualityApi().handle(get(tenant, "url=" + photoUrl()));
            assertEquals(502, response.status(), response.bodyText());
        }
    }

    @Test
    void onlyScoredPhotosAreMeteredAndRetriesBillOnce() throws IOException {
        ClientCredentials counted = admin.create("counted");
        api.handle(post(counted, "", "nope".repeat(10000).getBytes(), "data"));
        api.handle(get(counted, ""));
        ApiRequest first = post(counted, "", photo, "data");
        assertEquals(200, api.handle(first).status());
        ApiResponse retry = api.handle(first);
        assertEquals(200, retry.status());
        YearMonth month = YearMonth.now(ZoneOffset.UTC);
        assertEquals(1, new UsageLedger(DYNAMODB.client(), UsageLedger.DEFAULT_TABLE).records(counted.clientId(), month)
                .size(), "failures are free; a retried request is billed once");
    }

    @Test
    void concurrentRequestsWithRepeatedIdsBillExactlyTheDistinctOnes() throws Exception {
        ClientCredentials busy = admin.create("busy");
        List<ApiRequest> distinct = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            distinct.add(post(busy, "", photo, "data"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ApiResponse>> answers = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (ApiRequest request : distinct) {
                    answers.add(pool.submit(() -> api.handle(request)));
                }
            }
            for (Future<ApiResponse> answer : answers) {
                assertEquals(200, answer.get().status(), answer.get().bodyText());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(12, new UsageLedger(DYNAMODB.client(), UsageLedger.DEFAULT_TABLE)
                .records(busy.clientId(), YearMonth.now(ZoneOffset.UTC)).size());
    }

    @Test
    void monthlyCapGives429WithRetryAfter() throws IOException {
        ClientCredentials capped = admin.create("capped", new Plan(500, new BigDecimal("0.60"), OptionalLong.of(1)));
        assertEquals(200, api.handle(post(capped, "", photo, "data")).status());
        ApiResponse over = api.handle(post(capped, "", photo, "data"));
        assertError(over, 429, "cap");
        assertTrue(Long.parseLong(over.headers().get("Retry-After")) > 0);
    }

    @Test
    void rateLimitGives429WithRetryAfter() throws IOException {
        ClientCredentials eager = admin.create("eager");
        QualityApi strict = QualityApi.builder().scorer(services.scoring().scorer())
                .authenticator(dev.photoscore.tenants.Authenticator.builder(services.scoring().tenants()).build())
                .meter(dev.photoscore.metering.UsageMeter.builder(DYNAMODB.client(), services.scoring().tenants()).build())
                .fetcher(services.fetcher()).rateLimit(0.01, 2).build();
        assertEquals(200, strict.handle(post(eager, "", photo, "data")).status());
        assertEquals(200, strict.handle(post(eager, "", photo, "data")).status());
        ApiResponse limited = strict.handle(post(eager, "", photo, "data"));
        assertError(limited, 429, "too many requests");
        assertTrue(Long.parseLong(limited.headers().get("Retry-After")) >= 1);
    }

    @Test
    void withoutS3TheUploadFlowSaysSo() throws IOException {
        assertError(api.handle(request("POST", QualityApi.UPLOADS_PATH, tenant, "size=30000", Map.of(), new byte[0],
                "u1")), 501, "upload flow");
        assertError(api.handle(get(tenant, "upload_id=123e4567-e89b-12d3-a456-426614174000")), 501, "upload flow");
    }

    @Test
    void repeatedAuthenticationFailuresAreThrottledPerClientIdAndAddress() throws IOException {
        ClientCredentials target = admin.create("target");
        ClientCredentials wrong = new ClientCredentials(target.clientId(), "a-guess-that-is-not-the-secret");
        RateLimiterTest.ManualClock clock = new RateLimiterTest.ManualClock();
        QualityApi guarded = QualityApi.builder().scorer(services.scoring().scorer())
                .authenticator(dev.photoscore.tenants.Authenticator.builder(services.scoring().tenants()).build())
                .meter(dev.photoscore.metering.UsageMeter.builder(DYNAMODB.client(), services.scoring().tenants()).build())
                .fetcher(services.fetcher()).authFailureLimit(0.1, 3).clock(clock).build();
        String attacker = "198.51.100.66";
        for (int i = 0; i < 3; i++) {
            assertError(guarded.handle(from(get(wrong, "url=" + photoUrl()), attacker)), 401, "");
        }
        ApiResponse throttled = guarded.handle(from(post(target, "", photo, "data"), attacker));
        assertError(throttled, 429, "too many failed authentications");
        assertEquals("10", throttled.headers().get("Retry-After"), "one more failure allowed every 10 s");
        assertEquals(200, guarded.handle(from(post(target, "", photo, "data"), "198.51.100.7")).status(),
                "the tenant's own requests from elsewhere are untouched");
        // Another client id from that address is counted apart.
        assertError(guarded.handle(from(get(new ClientCredentials(tenant.clientId(), "wrong-secret-value"),
                "url=" + photoUrl()), attacker)), 401, "invalid credentials");
        // Malformed ids are refused without a look-up, and never fill a bucket.
        for (int i = 0; i < 20; i++) {
            assertError(guarded.handle(from(get(new ClientCredentials("not a client id!", "x"), ""), attacker)), 401,
                    "invalid credentials");
        }

        clock.now = clock.now.plusSeconds(10);
        assertEquals(200, guarded.handle(from(post(target, "", photo, "data"), attacker)).status(),
                "after the wait, the right secret works again and costs no token");
        assertEquals(200, guarded.handle(from(post(target, "", photo, "data"), attacker)).status());
        assertError(guarded.handle(from(get(wrong, "url=" + photoUrl()), attacker)), 401, "");
        assertError(guarded.handle(from(get(wrong, "url=" + photoUrl()), attacker)), 429, "");
    }

    /** The request as if it came from {@code sourceIp}. */
    static ApiRequest from(ApiRequest request, String sourceIp) {
        return new ApiRequest(request.method(), request.path(), request.query(), request.headers(), request.body(),
                request.requestId(), request.requestTime(), sourceIp);
    }

    @Test
    void unknownPathsAndMethods() throws IOException {
        ApiRequest other = new ApiRequest("GET", "/v2/other", Map.of(), Map.of(), new byte[0], "x", Instant.now(),
                "192.0.2.1");
        assertError(api.handle(other), 404, "");
        ApiRequest delete = new ApiRequest("DELETE", QualityApi.QUALITY_PATH, Map.of(), Map.of(), new byte[0], "y",
                Instant.now(), "192.0.2.1");
        assertError(api.handle(delete), 405, "");
    }
}
