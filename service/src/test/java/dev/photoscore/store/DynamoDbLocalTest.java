package dev.photoscore.store;

import dev.photoscore.dynamodblocal.DynamoDbLocal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

class DynamoDbLocalTest {

    @Test
    void servesOnLoopbackUntilClosed() {
        DynamoDbSettings settings;
        try (DynamoDbLocal local = DynamoDbLocal.start()) {
            assertEquals("127.0.0.1", local.endpoint().getHost());
            settings = DynamoDbSettings.builder().localEndpoint(local.endpoint())
                    .connectionTimeout(Duration.ofMillis(500)).maxAttempts(1).build();
            try (DynamoDbClient client = settings.newClient()) {
                OnDemandTables.createIfMissing(client, "things", "id");
                OnDemandTables.createIfMissing(client, "things", "id");
                assertEquals(List.of("things"), client.listTables().tableNames());
            }
        }
        try (DynamoDbClient client = settings.newClient()) {
            assertThrows(SdkClientException.class, client::listTables);
        }
    }

    @Test
    void eachServerStartsEmpty() {
        try (DynamoDbLocal first = DynamoDbLocal.start(); DynamoDbLocal second = DynamoDbLocal.start()) {
            assertTrue(first.endpoint().getPort() != second.endpoint().getPort());
            try (DynamoDbClient one = DynamoDbSettings.builder().localEndpoint(first.endpoint()).build().newClient();
                    DynamoDbClient two =
                            DynamoDbSettings.builder().localEndpoint(second.endpoint()).build().newClient()) {
                OnDemandTables.createIfMissing(one, "things", "id", "part");
                assertTrue(two.listTables().tableNames().isEmpty());
            }
        }
    }
}
