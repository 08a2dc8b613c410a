package dev.photoscore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.api.ApiRequest;
import dev.photoscore.api.ApiResponse;
import dev.photoscore.api.Routes;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server's queue and its stop, with a page that holds its worker until the test lets it go: past the workers and
 * the queue a request is answered 503 with {@code Retry-After} and a request id; stopping answers the request in
 * flight before it closes.
 */
class QueueAndShutdownTest {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @RegisterExtension
    static final ServedApis SERVED = ServedApis.onSmallPack();

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
        try (ServedApi api = SERVED.start(ServerSettings.builder().workers(1).queue(1, Duration.ofSeconds(30)),
                page)) {
            CompletableFuture<HttpResponse<String>> first = heldOnAWorker(api, page);
            List<CompletableFuture<HttpResponse<String>>> more = List.of(hold(api), hold(api));
            // One of the two waits in the queue, the other finds it full.
            HttpResponse<String> refused = (HttpResponse<String>) CompletableFuture.anyOf(more.toArray(
                    CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertRetryLater(refused);
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
        try (ServedApi api = SERVED.start(ServerSettings.builder().workers(1).queue(4, Duration.ofSeconds(1)),
                page)) {
            CompletableFuture<HttpResponse<String>> first = heldOnAWorker(api, page);
            HttpResponse<String> waited = hold(api).get(30, TimeUnit.SECONDS);
            assertRetryLater(waited);
            assertFalse(first.isDone(), "the held request was answered before its release");
            page.release.countDown();
            assertEquals(200, first.get(30, TimeUnit.SECONDS).statusCode());
        }
    }

    @Test
    void stoppingAnswersTheRequestInFlightFirst() throws Exception {
        HeldPage page = new HeldPage();
        ServedApi api = SERVED.start(ServerSettings.builder(), page);
        CompletableFuture<HttpResponse<String>> inFlight = heldOnAWorker(api, page);
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(api::close);
        assertFalse(stopped.isDone(), "stopped with a request in flight");
        page.release.countDown();
        HttpResponse<String> answer = inFlight.get(30, TimeUnit.SECONDS);
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("released", answer.body());
        assertNotNull(answer.headers().firstValue("X-Request-Id").orElse(null));
        stopped.get(60, TimeUnit.SECONDS);
    }

    /** The server's own 503: the API's JSON error, {@code Retry-After} and a request id. */
    private static void assertRetryLater(HttpResponse<String> answer) {
        assertEquals(503, answer.statusCode(), answer.body());
        assertEquals("1", answer.headers().firstValue("Retry-After").orElse(null));
        assertNotNull(answer.headers().firstValue("X-Request-Id").orElse(null));
        assertTrue(answer.body().contains("busy"), answer.body());
    }

    /** A request to {@code /hold}, once it is on a worker. */
    private static CompletableFuture<HttpResponse<String>> heldOnAWorker(ServedApi api, HeldPage page)
            throws InterruptedException {
        CompletableFuture<HttpResponse<String>> held = hold(api);
        assertTrue(page.entered.tryAcquire(30, TimeUnit.SECONDS), "the request never reached a worker");
        return held;
    }

    private static CompletableFuture<HttpResponse<String>> hold(ServedApi api) {
        return HTTP.sendAsync(HttpRequest.newBuilder(api.uri("/hold")).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
