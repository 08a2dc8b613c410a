package dev.photoscore.gpu;

import ai.djl.Device;
import dev.photoscore.http.ServerSettings;
import dev.photoscore.metering.UsageLedger;
import dev.photoscore.scoring.MicroBatching;
import dev.photoscore.scoring.PhotoScorer;
import dev.photoscore.tenants.TenantStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The GPU service's settings, from its environment (the task definition in template.yaml sets them):
 *
 * <table>
 *   <caption>Environment</caption>
 *   <tr><th>variable</th><th>default</th><th>what</th></tr>
 *   <tr><td>HOST</td><td>0.0.0.0</td><td>the address to listen on (all interfaces: the container's)</td></tr>
 *   <tr><td>PORT</td><td>8080</td><td>the port to listen on</td></tr>
 *   <tr><td>MODEL_DIR</td><td>/opt/models</td><td>the model pack (the image holds it)</td></tr>
 *   <tr><td>TENANTS_TABLE, USAGE_TABLE</td><td>photoscore-tenants, photoscore-usage</td><td>the Lambda's tables</td></tr>
 *   <tr><td>DYNAMODB_ENDPOINT</td><td>none</td><td>only to point at DynamoDB Local</td></tr>
 *   <tr><td>SCORER_DEVICE</td><td>gpu</td><td>gpu (CUDA device 0) or cpu</td></tr>
 *   <tr><td>BATCH_SIZE</td><td>16</td><td>most photos in one model call</td></tr>
 *   <tr><td>BATCH_WAIT_MILLIS</td><td>5</td><td>longest a photo waits for others to share its call</td></tr>
 *   <tr><td>BATCH_WORKERS</td><td>2</td><td>batches in flight: one runs while the next is gathered</td></tr>
 *   <tr><td>HTTP_THREADS</td><td>4 per core, at least 16</td><td>requests handled at once (they decode photos)</td></tr>
 *   <tr><td>HTTP_CONNECTIONS_PER_CLIENT</td><td>0 (no limit)</td><td>connections one IP address may have open;
 *       behind the load balancer every connection comes from one of its few nodes</td></tr>
 * </table>
 */
public record GpuServiceConfig(String host, int port, Path modelDir, String tenantsTable, String usageTable,
                               Optional<URI> dynamoDbEndpoint, Device device, MicroBatching batching,
                               int batchWorkers, int httpThreads, int connectionsPerClient) {

    public static final String HOST = "HOST";
    public static final String PORT = "PORT";
    public static final String MODEL_DIR = PhotoScorer.Builder.MODEL_DIR_VARIABLE;
    public static final String TENANTS_TABLE = "TENANTS_TABLE";
    public static final String USAGE_TABLE = "USAGE_TABLE";
    public static final String DYNAMODB_ENDPOINT = "DYNAMODB_ENDPOINT";
    public static final String SCORER_DEVICE = "SCORER_DEVICE";
    public static final String BATCH_SIZE = "BATCH_SIZE";
    public static final String BATCH_WAIT_MILLIS = "BATCH_WAIT_MILLIS";
    public static final String BATCH_WORKERS = "BATCH_WORKERS";
    public static final String HTTP_THREADS = "HTTP_THREADS";
    public static final String HTTP_CONNECTIONS_PER_CLIENT = "HTTP_CONNECTIONS_PER_CLIENT";

    public GpuServiceConfig {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (batchWorkers < 1 || httpThreads < 1) {
            throw new IllegalArgumentException("batch workers and HTTP threads must be at least 1");
        }
        if (connectionsPerClient < 0) {
            throw new IllegalArgumentException(HTTP_CONNECTIONS_PER_CLIENT + " must be at least 0 (0: no limit)");
        }
    }

    /** The HTTP server's settings: these four, the rest its defaults (timeouts and limits, README). */
    public ServerSettings server() {
        return ServerSettings.builder().host(host).port(port).workers(httpThreads)
                .connectionsPerClient(connectionsPerClient).build();
    }

    /** The settings an environment gives; a malformed value is refused with the variable's name. */
    public static GpuServiceConfig fromEnvironment(Map<String, String> env) {
        return new GpuServiceConfig(
                text(env, HOST, "0.0.0.0"),
                integer(env, PORT, 8080),
                PhotoScorer.Builder.modelDirFrom(env::get),
                text(env, TENANTS_TABLE, TenantStore.DEFAULT_TABLE),
                text(env, USAGE_TABLE, UsageLedger.DEFAULT_TABLE),
                Optional.ofNullable(env.get(DYNAMODB_ENDPOINT)).filter(v -> !v.isBlank()).map(URI::create),
                device(text(env, SCORER_DEVICE, "gpu")),
                new MicroBatching(integer(env, BATCH_SIZE, 16), Duration.ofMillis(integer(env, BATCH_WAIT_MILLIS, 5))),
                integer(env, BATCH_WORKERS, 2),
                integer(env, HTTP_THREADS, ServerSettings.DEFAULT_WORKERS),
                integer(env, HTTP_CONNECTIONS_PER_CLIENT, 0));
    }

    private static Device device(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "gpu" -> Device.gpu();
            case "cpu" -> Device.cpu();
            default -> throw new IllegalArgumentException(SCORER_DEVICE + " must be gpu or cpu, was " + name);
        };
    }

    private static String text(Map<String, String> env, String name, String otherwise) {
        String value = env.get(name);
        return value == null || value.isBlank() ? otherwise : value.trim();
    }

    private static int integer(Map<String, String> env, String name, int otherwise) {
        String value = text(env, name, null);
        if (value == null) {
            return otherwise;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was " + value, e);
        }
    }
}
