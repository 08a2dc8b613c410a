package dev.photoscore.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.photoscore.dynamodblocal.DynamoDbLocal;
import dev.photoscore.metering.UsageLedger;
import dev.photoscore.modelpack.testing.TestModelPacks;
import dev.photoscore.scoring.PhotoScore;
import dev.photoscore.scoring.PhotoScorer;
import dev.photoscore.store.DynamoDbSettings;
import dev.photoscore.tenants.ClientCredentials;
import dev.photoscore.tenants.Plan;
import dev.photoscore.tenants.TenantAdmin;
import dev.photoscore.tenants.TenantStore;
import dev.photoscore.wiring.UsageStoreTables;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The GPU service started on the CPU, the same code with ONNX Runtime's CPU build: it serves the Lambda's API with the
 * same tenants and metering, and batches concurrent requests into shared model calls without changing a score.
 */
class GpuServiceTest {

    private static final ClientCredentials TENANT = new ClientCredentials("heavy-client", "heavy-secret-0123456789");
    private static final String BOUNDARY = "----photoscoreGpuTestBoundary";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static DynamoDbLocal store;
    static DynamoDbClient dynamoDb;
    static Path models;
    static GpuService service;
    static HttpClient http;

    @BeforeAll
    static void start() {
        store = DynamoDbLocal.start();
        dynamoDb = DynamoDbSettings.builder().localEndpoint(store.endpoint()).build().newClient();
        UsageStoreTables.createIfMissing(dynamoDb);
        new TenantAdmin(new TenantStore(dynamoDb, TenantStore.DEFAULT_TABLE)).create("heavy", Plan.DEFAULT, TENANT);
        models = TestModelPacks.smallNima(tmp);
        service = GpuService.start(GpuServiceConfig.fromEnvironment(Map.of(
                GpuServiceConfig.HOST, "127.0.0.1",
                GpuServiceConfig.PORT, "0",
                GpuServiceConfig.MODEL_DIR, models.toString(),
                GpuServiceConfig.DYNAMODB_ENDPOINT, store.endpoint().toString(),
                GpuServiceConfig.SCORER_DEVICE, "cpu",
                GpuServiceConfig.BATCH_SIZE, "8",
                GpuServiceConfig.BATCH_WAIT_MILLIS, "1000",
                GpuServiceConfig.BATCH_WORKERS, "1")));
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        service.close();
        dynamoDb.close();
        store.close();
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + service.address().getPort() + path);
    }

    static HttpResponse<String> post(byte[] photo, ClientCredentials credentials) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"data\"; filename=\"p.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(photo);
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/v1/quality_ugc"))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (credentials != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (credentials.clientId() + ":" + credentials.clientSecret()).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void concurrentRequestsShareModelCallsScoreAsAloneAndAreMeteredEachOnce() throws Exception {
        List<byte[]> photos = new ArrayList<>();
        for (int seed = 0; seed < 16; seed++) {
            photos.add(jpeg(400 + 8 * seed, 300, seed));
        }
        List<PhotoScore> alone = new ArrayList<>();
        try (PhotoScorer scorer = PhotoScorer.builder().modelDir(models).threads(1).build()) {
            for (byte[] photo : photos) {
                alone.add(scorer.score(photo));
            }
        }
        long batchesBefore = health().path("batches").asLong();

        ExecutorService clients = Executors.newFixedThreadPool(photos.size());
        List<HttpResponse<String>> responses = new ArrayList<>();
        try {
            CyclicBarrier start = new CyclicBarrier(photos.size());
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (byte[] photo : photos) {
                futures.add(clients.submit(() -> {
                    start.await();
                    return post(photo, TENANT);
                }));
            }
            for (Future<HttpResponse<String>> future : futures) {
                responses.add(future.get());
            }
        } finally {
            clients.shutdownNow();
        }

        HashSet<String> requestIds = new HashSet<>();
        for (int i = 0; i < photos.size(); i++) {
            HttpResponse<String> response = responses.get(i);
            assertEquals(200, response.statusCode(), response.body());
            JsonNode body = JSON.readTree(response.body());
            assertEquals(alone.get(i).score(), body.path("quality").path("score").asDouble(), 1e-6, "photo " + i);
            assertEquals(alone.get(i).qualityClass(), body.path("quality").path("class").asInt());
            requestIds.add(response.headers().firstValue("X-Request-Id").orElseThrow());
        }
        assertEquals(photos.size(), requestIds.size());
        long batches = health().path("batches").asLong() - batchesBefore;
        assertTrue(batches <= 4, "16 concurrent photos in batches of up to 8 took " + batches + " model calls");
        assertEquals(photos.size(), new UsageLedger(dynamoDb, UsageLedger.DEFAULT_TABLE)
                .records(TENANT.clientId(), YearMonth.now(ZoneOffset.UTC)).size());
    }

    @Test
    void itIsTheLambdasApiWithItsRefusals() throws Exception {
        HttpResponse<String> anonymous = post(new byte[30_000], null);
        assertEquals(401, anonymous.statusCode());
        assertEquals("error", JSON.readTree(anonymous.body()).path("status").asText());
        HttpResponse<String> elsewhere = http.send(HttpRequest.newBuilder(uri("/v2/nothing")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, elsewhere.statusCode());
        JsonNode health = health();
        assertEquals("ok", health.path("status").asText());
        assertEquals("cpu()", health.path("device").asText());
    }

    /** A textured photo (gradients and seeded noise), well above the API's 20 KB minimum as a JPEG. */
    static byte[] jpeg(int width, int height, long seed) throws Exception {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = Math.min(255, 255 * x / width + random.nextInt(40));
                int g = Math.min(255, 255 * y / height + random.nextInt(40));
                image.setRGB(x, y, r << 16 | g << 8 | random.nextInt(256));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", bytes);
        return bytes.toByteArray();
    }

    static JsonNode health() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(GpuService.HEALTH_PATH)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return JSON.readTree(response.body());
    }
}
