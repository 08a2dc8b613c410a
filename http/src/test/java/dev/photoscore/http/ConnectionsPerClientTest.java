package dev.photoscore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connections per client on real loopback sockets: with a limit of 3, a client's fourth connection is answered 503
 * with {@code Retry-After} and closed, whether it sends a request or nothing; its three others keep working, another
 * client (127.0.0.2, also loopback) is served meanwhile, and once one of the three closes the client gets a
 * connection again.
 */
class ConnectionsPerClientTest {

    static final int LIMIT = 3;
    static final String PROBE = "GET /v1/quality_ugc HTTP/1.1\r\nHost: photoscore\r\n\r\n";

    @RegisterExtension
    static final ServedApis SERVED = ServedApis.onSmallPack();
    static ServedApi api;

    @BeforeAll
    static void start() {
        api = SERVED.start(ServerSettings.builder().connectionsPerClient(LIMIT));
    }

    @Test
    void aClientsConnectionsPastTheLimitAreAnswered503AndClosed() throws Exception {
        List<RawHttp> held = new ArrayList<>();
        try {
            for (int i = 0; i < LIMIT; i++) {
                // Answered, so counted, before the next opens; kept alive (HTTP/1.1).
                RawHttp connection = new RawHttp(api.port());
                held.add(connection);
                assertEquals(401, connection.send(PROBE).answer().status());
            }
            try (RawHttp asking = new RawHttp(api.port()).send(PROBE);
                 RawHttp silent = new RawHttp(api.port())) {
                for (RawHttp refused : List.of(asking, silent)) {
                    RawHttp.Answer answer = refused.answer();
                    assertEquals(503, answer.status(), answer.body());
                    assertEquals("1", answer.header("Retry-After"));
                    assertEquals("close", answer.header("Connection"));
                    assertNotNull(answer.header("X-Request-Id"));
                    assertTrue(answer.body().contains("\"status\":\"error\"")
                            && answer.body().contains("3 connections open"), answer.body());
                    assertTrue(refused.closedWithin(Duration.ofSeconds(10)), "the refused connection stays open");
                }
            }
            for (RawHttp connection : held) {
                assertEquals(401, connection.send(PROBE).answer().status(), "the client's own connections work on");
            }
            try (RawHttp other = new RawHttp(api.port(), InetAddress.getByName("127.0.0.2"))) {
                assertEquals(401, other.send(PROBE).answer().status(), "another client is served meanwhile");
            }

            held.remove(0).close();
            int status;
            int tries = 0;
            do { // until the server has seen the connection close (its read ends, its count comes back)
                try (RawHttp again = new RawHttp(api.port())) {
                    status = again.send(PROBE).answer().status();
                }
            } while (status == 503 && ++tries < 100);
            assertEquals(401, status, "a connection again once one of the three closed");
        } finally {
            for (RawHttp connection : held) {
                connection.close();
            }
        }
    }
}
