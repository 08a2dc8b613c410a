package dev.photoscore.gpu;

import dev.photoscore.dynamodblocal.DynamoDbLocal;
import dev.photoscore.scoring.MicroBatching;
import dev.photoscore.store.DynamoDbSettings;
import dev.photoscore.tenants.ClientCredentials;
import dev.photoscore.tenants.Plan;
import dev.photoscore.tenants.TenantAdmin;
import dev.photoscore.tenants.TenantStore;
import dev.photoscore.wiring.UsageStoreTables;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Throughput of the GPU service under concurrent load: clients post photos through HTTP for a while, with the
 * service's batching as configured. A benchmark, not a test; run it on the GPU host (SCORER_DEVICE=gpu, the jar built
 * with -Pcuda) and on a CPU to compare, for example:
 *
 * <pre>
 * mvn -q -pl gpu -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp "$(cat gpu/target/cp.txt):gpu/target/classes:gpu/target/test-classes" \
 *     dev.photoscore.gpu.GpuServiceLoadBenchmark MODEL_DIR cpu|gpu BATCH_SIZE CLIENTS SECONDS PHOTO...
 * </pre>
 *
 * DynamoDB Local runs in the same process (metering is part of every request, as in production). It prints photos
 * per second, the latency median and 90th percentile, the mean batch size, and any answer other than 200.
 */
public final class GpuServiceLoadBenchmark {

    private static final ClientCredentials TENANT = new ClientCredentials("load-client", "load-secret-0123456789");
    private static final String BOUNDARY = "----photoscoreLoadBoundary";

    private GpuServiceLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            System.err.println("usage: MODEL_DIR cpu|gpu BATCH_SIZE CLIENTS SECONDS PHOTO...");
            System.exit(2);
        }
        int clients = Integer.parseInt(args[3]);
        long seconds = Long.parseLong(args[4]);
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 5; i < args.length; i++) {
            bodies.add(multipart(Files.readAllBytes(Path.of(args[i]))));
        }
        try (DynamoDbLocal store = DynamoDbLocal.start();
             DynamoDbClient dynamoDb = DynamoDbSettings.builder().localEndpoint(store.endpoint()).build().newClient()) {
            UsageStoreTables.createIfMissing(dynamoDb);
            new TenantAdmin(new TenantStore(dynamoDb, TenantStore.DEFAULT_TABLE)).create("load",
                    new Plan(1_000_000_000L, Plan.DEFAULT_PRICE_PER_THOUSAND, OptionalLong.empty()), TENANT);
            GpuServiceConfig config = GpuServiceConfig.fromEnvironment(Map.of(
                    GpuServiceConfig.HOST, "127.0.0.1", GpuServiceConfig.PORT, "0",
                    GpuServiceConfig.MODEL_DIR, args[0], GpuServiceConfig.SCORER_DEVICE, args[1],
                    GpuServiceConfig.BATCH_SIZE, args[2], GpuServiceConfig.DYNAMODB_ENDPOINT, store.endpoint().toString(),
                    GpuServiceConfig.HTTP_THREADS, Integer.toString(Math.max(16, clients))));
            try (GpuService service = GpuService.start(config)) {
                URI uri = URI.create("http://127.0.0.1:" + service.address().getPort() + "/v1/quality_ugc");
                HttpClient http = HttpClient.newHttpClient();
                run(http, uri, bodies, clients, 3);  // warm-up: the JIT, the pools, the first batches
                MicroBatching.Stats before = service.services().scoring().scorer().batchingStats().orElseThrow();
                List<Double> latencies = run(http, uri, bodies, clients, seconds);
                MicroBatching.Stats after = service.services().scoring().scorer().batchingStats().orElseThrow();
                Collections.sort(latencies);
                long batches = after.batches() - before.batches();
                long photos = after.photos() - before.photos();
                System.out.printf(Locale.ROOT, "%s batch %s clients %d: %.1f photos/s, latency p50 %.0f ms p90 %.0f ms, "
                                + "mean batch %.2f (%d photos in %d batches)%n", args[1], args[2], clients,
                        latencies.size() / (double) seconds, latencies.get(latencies.size() / 2),
                        latencies.get(latencies.size() * 9 / 10), batches == 0 ? 0 : (double) photos / batches,
                        photos, batches);
            }
        }
        // DynamoDB Local leaves a non-daemon job thread behind after it is closed.
        System.exit(0);
    }

    /** Each client posts photos back to back for the given time. Latencies of the 200 answers in ms. */
    private static List<Double> run(HttpClient http, URI uri, List<byte[]> bodies, int clients, long seconds)
            throws Exception {
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<List<Double>>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                futures.add(pool.submit(() -> {
                    List<Double> latencies = new ArrayList<>();
                    for (int i = client; System.nanoTime() < end; i++) {
                        long start = System.nanoTime();
                        HttpResponse<String> response = http.send(request(uri, bodies.get(i % bodies.size())),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) {
                            failures.merge(response.statusCode() + " " + response.body(), 1, Integer::sum);
                            continue;
                        }
                        latencies.add((System.nanoTime() - start) / 1e6);
                    }
                    return latencies;
                }));
            }
            List<Double> all = new ArrayList<>();
            for (Future<List<Double>> future : futures) {
                all.addAll(future.get());
            }
            failures.forEach((answer, count) -> System.out.println(count + " answers " + answer));
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    private static HttpRequest request(URI uri, byte[] body) {
        return HttpRequest.newBuilder(uri)
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (TENANT.clientId() + ":" + TENANT.clientSecret()).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    private static byte[] multipart(byte[] photo) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"data\"; filename=\"p.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(photo);
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }
}
