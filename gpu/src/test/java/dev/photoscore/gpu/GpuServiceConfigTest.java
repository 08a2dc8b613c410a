package dev.photoscore.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.photoscore.scoring.MicroBatching;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GpuServiceConfigTest {

    @Test
    void defaultsServeTheLambdasTablesOnTheGpuInBatchesOfSixteen() {
        GpuServiceConfig config = GpuServiceConfig.fromEnvironment(Map.of());
        assertEquals("0.0.0.0", config.host());
        assertEquals(8080, config.port());
        assertEquals(Path.of("/opt/models"), config.modelDir());
        assertEquals("photoscore-tenants", config.tenantsTable());
        assertEquals("photoscore-usage", config.usageTable());
        assertEquals(Optional.empty(), config.dynamoDbEndpoint());
        assertEquals(Device.gpu(), config.device());
        assertEquals(new MicroBatching(16, Duration.ofMillis(5)), config.batching());
        assertEquals(2, config.batchWorkers());
        assertTrue(config.httpThreads() >= 16);
        assertEquals(0, config.server().connectionsPerClient(), "behind the load balancer: no limit");
    }

    @Test
    void theTemplatesVariablesAreRead() {
        GpuServiceConfig config = GpuServiceConfig.fromEnvironment(Map.of(
                "PORT", "9000", "TENANTS_TABLE", "prod-tenants", "USAGE_TABLE", "prod-usage",
                "SCORER_DEVICE", "CPU", "BATCH_SIZE", "32", "BATCH_WAIT_MILLIS", "12",
                "DYNAMODB_ENDPOINT", "http://127.0.0.1:8000", "HTTP_THREADS", "8", "HTTP_CONNECTIONS_PER_CLIENT", "4"));
        assertEquals(9000, config.port());
        assertEquals("prod-tenants", config.tenantsTable());
        assertEquals("prod-usage", config.usageTable());
        assertEquals(Device.cpu(), config.device());
        assertEquals(new MicroBatching(32, Duration.ofMillis(12)), config.batching());
        assertEquals(Optional.of(URI.create("http://127.0.0.1:8000")), config.dynamoDbEndpoint());
        assertEquals(8, config.httpThreads());
        assertEquals(4, config.server().connectionsPerClient());
    }

    @Test
    void malformedValuesAreRefusedByName() {
        assertEquals("BATCH_SIZE must be a whole number, was sixteen", assertThrows(IllegalArgumentException.class,
                () -> GpuServiceConfig.fromEnvironment(Map.of("BATCH_SIZE", "sixteen"))).getMessage());
        assertEquals("SCORER_DEVICE must be gpu or cpu, was tpu", assertThrows(IllegalArgumentException.class,
                () -> GpuServiceConfig.fromEnvironment(Map.of("SCORER_DEVICE", "tpu"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> GpuServiceConfig.fromEnvironment(Map.of("BATCH_SIZE", "0")));
        assertThrows(IllegalArgumentException.class, () -> GpuServiceConfig.fromEnvironment(Map.of("PORT", "70000")));
        assertThrows(IllegalArgumentException.class,
                () -> GpuServiceConfig.fromEnvironment(Map.of("HTTP_CONNECTIONS_PER_CLIENT", "-1")));
    }
}
