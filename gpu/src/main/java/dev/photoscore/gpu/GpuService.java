package dev.photoscore.gpu;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.photoscore.api.ApiResponse;
import dev.photoscore.api.Routes;
import dev.photoscore.http.ApiServer;
import dev.photoscore.scoring.DjlDefaults;
import dev.photoscore.scoring.MicroBatching;
import dev.photoscore.wiring.ApiServices;
import dev.photoscore.wiring.ScoringServices;
import dev.photoscore.store.DynamoDbSettings;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GPU variant for heavy tenants: the same API, tenants and metering as the Lambda, as a long-running HTTP service
 * whose models run on a GPU (ONNX Runtime's CUDA build) and score concurrent requests in micro-batches. It is the
 * Lambda's code throughout: {@link ApiServices} wires the scorer, DynamoDB, tenants, metering and the API, and the HTTP server
 * adapter ({@link ApiServer}, the local service's) hands each request to the API. Beside the API, {@value #HEALTH_PATH}
 * answers the load balancer with the device and what batching has done.
 *
 * <p>Photos are decoded on the HTTP threads, in parallel; the models run on the batch workers.
 */
public final class GpuService implements AutoCloseable {

    public static final String HEALTH_PATH = "/health";

    static {
        // The bundled logging settings are the command line's (warnings only); a service reports what it does.
        if (System.getProperty("org.slf4j.simpleLogger.log.dev.photoscore") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.dev.photoscore", "info");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(GpuService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GpuServiceConfig config;
    private final ApiServices services;
    private final ApiServer http;

    private GpuService(GpuServiceConfig config, ApiServices services, ApiServer http) {
        this.config = config;
        this.services = services;
        this.http = http;
    }

    /** Loads the models onto the device and serves the API until {@link #close()}. */
    public static GpuService start(GpuServiceConfig config) {
        Objects.requireNonNull(config, "config");
        DynamoDbSettings.Builder dynamoDb = DynamoDbSettings.builder();
        config.dynamoDbEndpoint().ifPresent(dynamoDb::localEndpoint);
        ApiServices services = ApiServices.builder(ScoringServices.builder()
                .modelDir(config.modelDir())
                .dynamoDb(dynamoDb.build())
                .tenantsTable(config.tenantsTable())
                .usageTable(config.usageTable())
                .scorerDevice(config.device())
                .scorerThreads(config.batchWorkers())
                .microBatching(config.batching()))
                .build();
        try {
            Routes health = request -> HEALTH_PATH.equals(request.path()) ? Optional.of(health(config, services))
                    : Optional.empty();
            return new GpuService(config, services, ApiServer.start(config.server(), services.qualityApi(), health));
        } catch (RuntimeException e) {
            services.close();
            throw e;
        }
    }

    public static void main(String[] args) {
        DjlDefaults.apply();
        GpuServiceConfig config = GpuServiceConfig.fromEnvironment(System.getenv());
        GpuService service = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "photoscore-shutdown"));
        LOG.info("photoscore GPU service on port {}: {} on {}, batches of up to {} photos waiting up to {} ms, {} in "
                        + "flight", service.address().getPort(), service.services.scoring().scorer().describe(), config.device(),
                config.batching().maxBatchSize(), config.batching().maxWait().toMillis(), config.batchWorkers());
    }

    public InetSocketAddress address() {
        return http.address();
    }

    public ApiServices services() {
        return services;
    }

    /** {@code {"status": "ok", "device": ..., "batches": ..., "photos": ..., "meanBatchSize": ...}}. */
    private static ApiResponse health(GpuServiceConfig config, ApiServices services) {
        MicroBatching.Stats stats = services.scoring().scorer().batchingStats().orElse(new MicroBatching.Stats(0, 0));
        ObjectNode body = JSON.createObjectNode().put("status", "ok").put("device", config.device().toString())
                .put("batches", stats.batches()).put("photos", stats.photos())
                .put("meanBatchSize", stats.meanBatchSize());
        try {
            return new ApiResponse(200, Map.of("Content-Type", "application/json"), JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try (services) {
            http.close();
        }
    }
}
