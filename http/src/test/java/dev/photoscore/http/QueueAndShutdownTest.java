package dev.photoscore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.api.ApiRequest;
import dev.photoscore.api.ApiResponse;
import dev.photoscore.api.Routes;
import dev.photoscore.modelpack.testing.TestModelPacks;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's queue and its stop, with a page that holds its worker until the test lets it go: past the workers and
 * the queue a request is answered 503 with {@code Retry-After} and a request id; stopping answers the request in
 * flight before it closes.
 */
class QueueAndShutdownTest {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    static Path tmp;

    /** {@code /hold}: answered 200 once released; counts the requests that reached a worker. */
    static final class HeldPage implements Routes {
        final Semaphore entered = new Semaphore(0);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public Optional<ApiResponse> answer(ApiRequest request) {
            if (!request.path().equals("/hold")) {
                return Optional.empty();
            }
            entered.release();
            try {
                assertTrue(release.await(60, TimeUnit.SECONDS), "never released");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.of(new ApiResponse(200, Map.of("Content-Type", "text/plain"),
                    "released".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void pastTheWorkersAndTheQueueA503WithRetryAfter() throws Exception {
        HeldPage page = new HeldPage();
        try (ServedApi api = new ServedApi(TestModelPacks.smallNima(tmp),
                ServerSettings.builder().workers(1).queue(1, Duration.ofSeconds(30)), page)) {
            CompletableFuture<HttpResponse<String>> first = hold(api);
            assertTrue(page.entered.tryAcquire(30, TimeUnit.SECONDS), "the first request never reached a worker");
            List<CompletableFuture<HttpResponse<String>>> more = List.of(hold(api), hold(api));
            // One of the two waits in the queue, the other finds it full.
            HttpResponse<String> refused = (HttpResponse<String>) CompletableFuture.anyOf(more.toArray(
                    CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null));
            assertNotNull(refused.headers().firstValue("X-Request-Id").orElse(null));
            assertTrue(refused.body().contains("busy"), refused.body());
            assertFalse(first.isDone(), "the held request was answered before its release");
            page.release.countDown();
            assertEquals(200, first.get(30, TimeUnit.SECONDS).statusCode());
            long served = more.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 200).count();
            assertEquals(1, served, "the queued request is served once a worker is free");
        }
    }

    @Test
    void aRequestWaitingInTheQueuePastItsWaitIs503() throws Exception {
        HeldPage page = new HeldPage();
        try (ServedApi api = new ServedApi(TestModelPacks.smallNima(tmp),
                ServerSettings.builder().workers(1).queue(4, Duration.ofSeconds(1)), page)) {
            CompletableFuture<HttpResponse<String>> first = hold(api);
            assertTrue(page.entered.tryAcquire(30, TimeUnit.SECONDS), "the first request never reached a worker");
            HttpResponse<String> waited = hold(api).get(30, TimeUnit.SECONDS);
            assertEquals(503, waited.statusCode(), waited.body());
            assertEquals("1", waited.headers().firstValue("Retry-After").orElse(null));
            assertNotNull(waited.headers().firstValue("X-Request-Id").orElse(null));
            assertFalse(first.isDone(), "the held request was answered before its release");
            page.release.countDown();
            assertEquals(200, first.get(30, TimeUnit.SECONDS).statusCode());
        }
    }

    @Test
    void stoppingAnswersTheRequestInFlightFirst() throws Exception {
        HeldPage page = new HeldPage();
        ServedApi api = new ServedApi(TestModelPacks.smallNima(tmp), ServerSettings.builder(), page);
        CompletableFuture<HttpResponse<String>> inFlight = hold(api);
        assertTrue(page.entered.tryAcquire(30, TimeUnit.SECONDS), "the request never reached a worker");
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(api::close);
        assertFalse(stopped.isDone(), "stopped with a request in flight");
        page.release.countDown();
        HttpResponse<String> answer = inFlight.get(30, TimeUnit.SECONDS);
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("released", answer.body());
        assertNotNull(answer.headers().firstValue("X-Request-Id").orElse(null));
        stopped.get(60, TimeUnit.SECONDS);
    }

    private static CompletableFuture<HttpResponse<String>> hold(ServedApi api) {
        return HTTP.sendAsync(HttpRequest.newBuilder(api.uri("/hold")).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
