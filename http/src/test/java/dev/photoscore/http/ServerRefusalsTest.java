package dev.photoscore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the server refuses before the API sees it (issue 19, point 5), each in the API's JSON shape with an
 * {@code X-Request-Id} of its own, and the service serving on after each: a 1 MB header and 199 header fields (431,
 * where the JDK's server reset or closed the connection), a request line that is no HTTP (400), a body over the
 * limit, declared or sent (413, which had no request id).
 */
class ServerRefusalsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int MB = 1024 * 1024;

    @RegisterExtension
    static final ServedApis SERVED = ServedApis.onSmallPack();
    static ServedApi api;
    static final Set<String> requestIds = new HashSet<>();

    @BeforeAll
    static void start() {
        api = SERVED.start(ServerSettings.builder());
    }

    @Test
    void aOneMegabyteHeaderIs431() throws Exception {
        assertRefused(431, "larger than 16 KB",
                "GET /v1/quality_ugc HTTP/1.1\r\nHost: photoscore\r\nX-Big: " + "a".repeat(MB) + "\r\n\r\n");
    }

    @Test
    void oneHundredAndNinetyNineHeaderFieldsAre431() throws Exception {
        StringBuilder request = new StringBuilder("GET /v1/quality_ugc HTTP/1.1\r\nHost: photoscore\r\n");
        for (int i = 1; i < 199; i++) {
            request.append("X-Field-").append(i).append(": ").append(i).append("\r\n");
        }
        assertRefused(431, "more than 100 header fields", request.append("\r\n").toString());
    }

    @Test
    void aRequestLineThatIsNoHttpIs400() throws Exception {
        assertRefused(400, "malformed", "THIS IS NOT HTTP\r\n\r\n");
    }

    @Test
    void aBodyDeclaredFarOverTheLimitIs413WithoutReadingIt() throws Exception {
        assertRefused(413, "larger than 10 MB", "POST /v1/quality_ugc HTTP/1.1\r\nHost: photoscore\r\n"
                + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: " + 200 * MB + "\r\n\r\n");
    }

    @Test
    void aBodySentOverTheLimitIs413OnceRead() throws Exception {
        int size = 11 * MB;
        assertRefused(413, "larger than 10 MB", "POST /v1/quality_ugc HTTP/1.1\r\nHost: photoscore\r\n"
                + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: " + size + "\r\n\r\n"
                + "-".repeat(size));
    }

    /**
     * Sends the request (from another thread: the server may answer before it has read it all) and checks the
     * answer: the status, the JSON error with the message, a request id no other answer had; then a probe is served.
     */
    private static void assertRefused(int status, String message, String request) throws Exception {
        try (RawHttp connection = new RawHttp(api.port())) {
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    connection.send(request);
                } catch (IOException e) {
                    // the server stopped reading: its answer is what counts
                }
            });
            RawHttp.Answer answer = connection.answer();
            assertEquals(status, answer.status(), answer.body());
            JsonNode body = JSON.readTree(answer.body());
            assertEquals("error", body.path("status").asText(), answer.body());
            assertTrue(body.path("message").asText().contains(message), answer.body());
            assertEquals("application/json", answer.header("Content-Type"));
            String id = answer.header("X-Request-Id");
            assertNotNull(id, answer.headers().toString());
            assertTrue(requestIds.add(id), "a request id given twice: " + id);
            sent.cancel(true);
        }
        assertNotEquals(0, SlowClientsTest.probe(api).headers().firstValue("X-Request-Id").orElse("").length());
    }
}
