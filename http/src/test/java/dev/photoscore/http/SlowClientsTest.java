package dev.photoscore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slow clients against the real server on loopback (issue 19, point 1: four of them froze the JDK's server): eight
 * connections each that trickle their headers, send only a request line, or trickle a body without credentials hold
 * no worker, so a probe is answered at once while they are held; and the server cuts each of them once its header
 * timeout or body rate says so.
 */
class SlowClientsTest {

    static final int EACH = 8;
    /** The bar for a probe's answer while slow clients are held. */
    static final Duration PROBE_BAR = Duration.ofSeconds(1);
    static final String BODY_HEADERS = "POST /v1/quality_ugc HTTP/1.1\r\nHost: photoscore\r\n"
            + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n";

    @RegisterExtension
    static final ServedApis SERVED = ServedApis.onSmallPack();
    static ServedApi defaults;
    static ServedApi strict;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static ScheduledExecutorService trickler;

    @BeforeAll
    static void start() {
        defaults = SERVED.start(ServerSettings.builder());
        strict = SERVED.start(ServerSettings.builder().headerTimeout(Duration.ofSeconds(1))
                .idleTimeout(Duration.ofSeconds(3)).minBodyRate(16 * 1024, Duration.ofSeconds(1)));
        trickler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stop() {
        trickler.shutdownNow();
    }

    @Test
    void slowClientsDoNotDelayAProbe() throws Exception {
        probe(defaults); // the first request of a JVM loads classes: not what is measured
        List<RawHttp> slow = new ArrayList<>();
        try {
            // Three slow clients (each kind from its own loopback address, within the connections per client).
            InetAddress headers = InetAddress.getByName("127.0.0.2");
            InetAddress lines = InetAddress.getByName("127.0.0.3");
            InetAddress bodies = InetAddress.getByName("127.0.0.4");
            for (int i = 0; i < EACH; i++) {
                slow.add(trickle(new RawHttp(defaults.port(), headers)
                        .send("GET /v1/quality_ugc HTTP/1.1\r\nX-Slow: "), "a"));
                slow.add(new RawHttp(defaults.port(), lines).send("GET /v1/quality_ugc HTTP/1.1\r\n"));
                slow.add(trickle(new RawHttp(defaults.port(), bodies).send(BODY_HEADERS), "-"));
            }
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                HttpResponse<String> answer = probe(defaults);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                System.out.println("probe " + i + " beside " + slow.size() + " slow connections: " + took.toMillis()
                        + " ms");
                assertEquals(401, answer.statusCode(), answer.body());
                assertTrue(took.compareTo(PROBE_BAR) < 0, "the probe took " + took.toMillis() + " ms");
            }
            for (RawHttp connection : slow) {
                assertTrue(connection.heldOpen(), "a slow connection was answered or closed before the probes ended");
            }
        } finally {
            for (RawHttp connection : slow) {
                connection.close();
            }
        }
    }

    @Test
    void headersThatTrickleOrStopAreCutAtTheHeaderTimeout() throws Exception {
        try (RawHttp trickling = trickle(new RawHttp(strict.port()).send("GET / HTTP/1.1\r\nX-Slow: "), "a");
             RawHttp lineOnly = new RawHttp(strict.port()).send("GET /v1/quality_ugc HTTP/1.1\r\n")) {
            assertTrue(trickling.closedWithin(Duration.ofSeconds(20)), "trickled headers still held");
            assertTrue(lineOnly.closedWithin(Duration.ofSeconds(20)), "a lone request line still held");
        }
        assertEquals(401, probe(strict).statusCode());
    }

    @Test
    void aBodyBelowTheMinimumRateIsAnswered408() throws Exception {
        try (RawHttp body = trickle(new RawHttp(strict.port()).send(BODY_HEADERS), "-")) {
            RawHttp.Answer answer = body.answer();
            assertEquals(408, answer.status(), answer.body());
            assertTrue(answer.body().contains("slower than 16 KB a second"), answer.body());
            assertNotNull(answer.header("X-Request-Id"), answer.headers().toString());
        }
    }

    @Test
    void aBodyThatStopsIsAnswered408AtTheIdleTimeout() throws Exception {
        try (RawHttp body = new RawHttp(strict.port()).send(BODY_HEADERS + "--b\r\n")) {
            RawHttp.Answer answer = body.answer();
            assertEquals(408, answer.status(), answer.body());
            assertTrue(answer.body().contains("stopped arriving"), answer.body());
            assertNotNull(answer.header("X-Request-Id"), answer.headers().toString());
        }
    }

    /**
     * Uploads held at once are bounded by the bodies' budget: with room for one declared body of 600 KB, a second
     * one while the first trickles is answered 503 with {@code Retry-After} (its body read and dropped), and the
     * budget is whole again once the first is answered.
     */
    @Test
    void uploadsBeyondTheBodiesBudgetAre503() throws Exception {
        try (ServedApi small = SERVED.start(ServerSettings.builder().bodiesInFlight(1024 * 1024))) {
            String headers = "POST /v1/quality_ugc HTTP/1.1\r\nHost: photoscore\r\n"
                    + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 600000\r\n\r\n";
            try (RawHttp first = new RawHttp(small.port());
                 RawHttp second = new RawHttp(small.port())) {
                // The server says "100 Continue" once it reads the first body: its share is taken by then.
                first.send(headers.replace("\r\n\r\n", "\r\nExpect: 100-continue\r\n\r\n"));
                assertEquals(100, first.answer().status(), "the first body is read");
                trickle(first, "-");
                second.send(headers + "-".repeat(600_000));
                RawHttp.Answer refused = second.answer();
                assertEquals(503, refused.status(), refused.body());
                assertEquals("1", refused.header("Retry-After"));
                assertNotNull(refused.header("X-Request-Id"));
                assertTrue(refused.body().contains("as many uploads as it takes at once"), refused.body());
                assertTrue(first.heldOpen(), "the first upload was cut");
            }
            RawHttp.Answer answer;
            int tries = 0;
            do { // until the server has seen the first connection end (its read fails, its share comes back)
                try (RawHttp again = new RawHttp(small.port())) {
                    answer = again.send(headers + "-".repeat(600_000)).answer();
                }
            } while (answer.status() == 503 && ++tries < 100);
            assertEquals(401, answer.status(), "room again once the first was answered: " + answer.body());
        }
    }

    /** Sends {@code piece} on the connection every 100 ms until the server ends it. */
    private static RawHttp trickle(RawHttp connection, String piece) {
        trickler.scheduleAtFixedRate(() -> {
            try {
                connection.send(piece);
            } catch (IOException e) {
                throw new IllegalStateException("closed"); // ends this connection's trickle
            }
        }, 100, 100, TimeUnit.MILLISECONDS);
        return connection;
    }

    static HttpResponse<String> probe(ServedApi api) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(api.uri("/v1/quality_ugc")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
