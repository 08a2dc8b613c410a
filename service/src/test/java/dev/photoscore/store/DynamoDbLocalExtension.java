package dev.photoscore.store;

import dev.photoscore.dynamodblocal.DynamoDbLocal;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One in-memory {@link DynamoDbLocal} per test class, with a client that does not retry and gives up connecting
 * quickly, so that a test of an unreachable store fails fast. (Calls themselves get generous time: the first ones
 * in a cold JVM on a busy machine take seconds.) Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();
 * }</pre>
 *
 * DynamoDB Local starts before the class's {@code @BeforeAll} methods and stops after its {@code @AfterAll}.
 */
public final class DynamoDbLocalExtension implements BeforeAllCallback, AfterAllCallback {

    private DynamoDbLocal server;
    private DynamoDbClient client;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = DynamoDbLocal.start();
        client = settings().newClient();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            client.close();
        } finally {
            stop();
        }
    }

    /** Settings for this DynamoDB Local: a short connection timeout, one attempt per call. */
    public DynamoDbSettings settings() {
        return DynamoDbSettings.builder()
                .localEndpoint(server.endpoint())
                .connectionTimeout(Duration.ofMillis(500))
                .attemptTimeout(Duration.ofSeconds(20))
                .callTimeout(Duration.ofSeconds(20))
                .maxAttempts(1)
                .build();
    }

    /** Where DynamoDB Local listens, for tests that build their own client. */
    public URI endpoint() {
        return server.endpoint();
    }

    /** The shared client of the test class (closed after it). */
    public DynamoDbClient client() {
        return client;
    }

    /** Stops DynamoDB Local now, to test an unreachable store; stopping twice is harmless. */
    public void stop() {
        if (server != null) {
            DynamoDbLocal stopping = server;
            server = null;
            stopping.close();
        }
    }
}
