package dev.photoscore.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.photoscore.dynamodblocal.DynamoDbLocal;
import dev.photoscore.wiring.ApiServices;
import dev.photoscore.wiring.ScoringServices;
import dev.photoscore.store.DynamoDbSettings;
import dev.photoscore.tenants.ClientCredentials;
import dev.photoscore.tenants.Plan;
import dev.photoscore.tenants.TenantAdmin;
import dev.photoscore.tenants.TenantStore;
import dev.photoscore.testing.HttpApiEvents;
import dev.photoscore.wiring.UsageStoreTables;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The first request after a SnapStart restore, with and without priming: what the Lambda's cold start costs once the
 * snapshot is taken. A benchmark, not a test: one JVM measures one first request, so run it several times per mode.
 *
 * <pre>
 * mvn -q -pl function -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * CP="$(cat function/target/cp.txt):function/target/classes:function/target/test-classes"
 * java -cp "$CP" dev.photoscore.lambda.FirstRequestBenchmark store &amp;          # DynamoDB Local in its own JVM; prints its endpoint
 * java -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx1740m -XX:TieredStopAtLevel=4 -cp "$CP" \
 *     dev.photoscore.lambda.FirstRequestBenchmark primed|unprimed ENDPOINT MODEL_DIR PHOTO...
 * </pre>
 *
 * The flags are the java21 runtime's, then the scoring functions' {@code JAVA_TOOL_OPTIONS} (template.yaml: C2
 * allowed); drop the last one to see the runtime's C1-only default.
 *
 * The store runs in another JVM so that its own warming up does not favour either mode. The measuring JVM builds the
 * services as the Lambda's init does; "primed" then calls the SnapStart hooks (before the checkpoint, after the
 * restore) as Lambda would around the snapshot; then it times one request per photo (the first request, then the
 * first of each other photo) through the handler, with the photo uploaded as multipart, then the warm median of ten
 * more rounds. It prints one line of milliseconds, and the peak heap and resident memory.
 */
public final class FirstRequestBenchmark {

    private static final ClientCredentials TENANT = new ClientCredentials("bench-client", "bench-secret-0123456789");

    private FirstRequestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("store")) {
            serveStore();
            return;
        }
        if (args.length < 4 || !List.of("primed", "unprimed").contains(args[0])) {
            System.err.println("usage: store | (primed|unprimed) ENDPOINT MODEL_DIR PHOTO...");
            System.exit(2);
        }
        boolean primed = args[0].equals("primed");
        List<byte[]> photos = new ArrayList<>();
        for (String file : Arrays.copyOfRange(args, 3, args.length)) {
            photos.add(Files.readAllBytes(Path.of(file)));
        }
        long start = System.nanoTime();
        try (ApiServices services = ApiServices.builder(ScoringServices.builder().modelDir(Path.of(args[2]))
                .dynamoDb(DynamoDbSettings.builder().localEndpoint(URI.create(args[1])).build()))
                .maxDirectUploadBytes(LambdaEnvironment.MAX_DIRECT_UPLOAD_BYTES).build()) {
            ApiGatewayHandler handler = new ApiGatewayHandler(services.qualityApi());
            SnapStartPriming priming = ApiGatewayHandler.priming(services, handler);
            double init = millis(start);
            double primingMillis = 0;
            if (primed) {
                long before = System.nanoTime();
                priming.beforeCheckpoint(null);
                priming.afterRestore(null);
                primingMillis = millis(before);
            }
            List<Double> firsts = new ArrayList<>();
            for (byte[] photo : photos) {
                firsts.add(request(handler, photo));
            }
            List<Double> warm = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
                warm.add(request(handler, photos.get(0)));
            }
            warm.sort(null);
            System.out.printf(Locale.ROOT, "%-8s init %6.0f  priming %6.0f  first %s  warm-median %6.1f  "
                            + "peak-heap-MB %4d  peak-rss-MB %4d  jvm-flags %s%n",
                    args[0], init, primingMillis, firsts.stream().map(v -> String.format(Locale.ROOT, "%.1f", v))
                            .toList(), warm.get(warm.size() / 2), peakHeapMegabytes(), peakRssMegabytes(),
                    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                            .filter(a -> a.startsWith("-XX") || a.startsWith("-Xmx")).toList());
        }
    }

    /** One multipart upload of the photo through the handler, as API Gateway would send it; milliseconds. */
    private static double request(ApiGatewayHandler handler, byte[] photo) {
        long start = System.nanoTime();
        APIGatewayV2HTTPResponse response = handler.handleRequest(HttpApiEvents.upload(TENANT, "", photo), null);
        double took = millis(start);
        if (response.getStatusCode() != 200) {
            throw new IllegalStateException("status " + response.getStatusCode() + ": " + response.getBody());
        }
        return took;
    }

    /** DynamoDB Local with the tables and a tenant that never runs out (no cap, large allowance), until killed. */
    private static void serveStore() throws InterruptedException {
        DynamoDbLocal store = DynamoDbLocal.start();
        try (var client = DynamoDbSettings.builder().localEndpoint(store.endpoint()).build().newClient()) {
            UsageStoreTables.createIfMissing(client);
            new TenantAdmin(new TenantStore(client, TenantStore.DEFAULT_TABLE)).create("bench",
                    new Plan(1_000_000, Plan.DEFAULT_PRICE_PER_THOUSAND, OptionalLong.empty()), TENANT);
        }
        System.out.println(store.endpoint());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static double millis(long since) {
        return (System.nanoTime() - since) / 1e6;
    }

    private static long peakHeapMegabytes() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak / (1024 * 1024);
    }

    /** VmHWM of /proc/self/status (Linux): the most resident memory the process has had. */
    private static long peakRssMegabytes() throws java.io.IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }
}
