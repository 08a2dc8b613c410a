package dev.photoscore.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpServer;
import dev.photoscore.modelpack.testing.TestModelPacks;
import dev.photoscore.scoring.PhotoScorer;
import dev.photoscore.wiring.ApiServices;
import dev.photoscore.wiring.ScoringServices;
import dev.photoscore.store.DynamoDbLocalExtension;
import dev.photoscore.store.DynamoDbSettings;
import dev.photoscore.testing.TestPhotos;
import dev.photoscore.wiring.UsageStoreTables;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** SnapStart's hooks called directly, as Lambda calls them around a snapshot. */
class SnapStartPrimingTest {

    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();

    @TempDir
    static Path tmp;

    static Path models;

    @BeforeAll
    static void tables() {
        UsageStoreTables.createIfMissing(DYNAMODB.client());
        models = TestModelPacks.smallNima(tmp);
    }

    @Test
    void warmUpsRunOnceBeforeTheSnapshotAFailureNotStoppingTheRestAndRestoreActionsRunOnBothSides() {
        List<String> calls = new ArrayList<>();
        try (PhotoScorer scorer = PhotoScorer.builder().modelDir(models).threads(1).build()) {
            SnapStartPriming priming = SnapStartPriming.builder(scorer).rounds(2)
                    .warmUp("failing", () -> {
                        calls.add("failing");
                        throw new IllegalStateException("the store is down");
                    })
                    .warmUp("second", () -> calls.add("second"))
                    .onRestore("pool", () -> calls.add("pool"))
                    .build();

            priming.beforeCheckpoint(null);
            assertEquals(List.of("failing", "second", "pool"), calls);

            priming.afterRestore(null);
            assertEquals(List.of("failing", "second", "pool", "pool"), calls);
        }
    }

    @Test
    void theApiFunctionsWarmUpIsAnUnknownClientsRequestThatDynamoDbAnswers401() {
        try (ApiServices services = ApiServices.builder(ScoringServices.builder().modelDir(models).dynamoDb(DYNAMODB
                .settings()).scorerThreads(1)).build()) {
            ApiGatewayHandler handler = new ApiGatewayHandler(services.qualityApi());
            APIGatewayV2HTTPResponse answer = handler.handleRequest(ApiGatewayHandler.primingRequest(), null);
            assertEquals(401, answer.getStatusCode(), answer.getBody());
            ApiGatewayHandler.priming(services, handler).beforeCheckpoint(null);
        }
    }

    @Test
    void anUnreachableStoreDoesNotStopTheSnapshot() {
        DynamoDbSettings nowhere = DynamoDbSettings.builder().localEndpoint(URI.create("http://127.0.0.1:9"))
                .connectionTimeout(Duration.ofMillis(200)).maxAttempts(1).build();
        try (ApiServices services = ApiServices.builder(ScoringServices.builder().modelDir(models).dynamoDb(nowhere)
                .scorerThreads(1)).build()) {
            ApiGatewayHandler handler = new ApiGatewayHandler(services.qualityApi());
            assertEquals(503, handler.handleRequest(ApiGatewayHandler.primingRequest(), null).getStatusCode());
            SnapStartPriming priming = ApiGatewayHandler.priming(services, handler);
            priming.beforeCheckpoint(null);
            priming.afterRestore(null);
        }
    }

    @Test
    void afterRestoreTheFetcherOpensFreshConnections() throws Exception {
        byte[] photo = TestPhotos.jpeg(TestPhotos.texturedRgb(480, 320, 3));
        List<Integer> clientPorts = new CopyOnWriteArrayList<>();
        HttpServer origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        origin.createContext("/photo.jpg", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            exchange.getResponseHeaders().add("Content-Type", "image/jpeg");
            exchange.sendResponseHeaders(200, photo.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(photo);
            }
        });
        origin.start();
        String url = "http://127.0.0.1:" + origin.getAddress().getPort() + "/photo.jpg";
        try (ApiServices services = ApiServices.builder(ScoringServices.builder().modelDir(models).dynamoDb(DYNAMODB
                .settings()).scorerThreads(1)).allowLoopbackUrls(true).build()) {
            SnapStartPriming priming = ApiGatewayHandler.priming(services,
                    new ApiGatewayHandler(services.qualityApi()));
            services.fetcher().fetch(url);
            services.fetcher().fetch(url);
            assertEquals(clientPorts.get(0), clientPorts.get(1), "a pooled connection is reused");

            priming.afterRestore(null);
            services.fetcher().fetch(url);
            assertNotEquals(clientPorts.get(1), clientPorts.get(2), "after a restore the pool starts afresh");
        } finally {
            origin.stop(0);
        }
    }

    @Test
    void theReseededSecureRandomIsTheSharedNativePrngOnLinux() {
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"), "NativePRNG is the Unix default");
        assertEquals("NativePRNG", new SecureRandom().getAlgorithm(),
                "reseeding one new SecureRandom reaches the others only while they share NativePRNG's state");
        SnapStartPriming.reseedSecureRandom();
    }
}
