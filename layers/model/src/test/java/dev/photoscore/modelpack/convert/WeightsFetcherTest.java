package dev.photoscore.modelpack.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The download path of the build, against a real file server on loopback. */
class WeightsFetcherTest {

    @TempDir
    Path tmp;

    private HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = files.get(exchange.getRequestURI().getPath());
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private WeightsFetcher fetcher() {
        return WeightsFetcher.builder().cacheDir(tmp.resolve("cache")).connectTimeout(Duration.ofSeconds(2))
                .requestTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void downloadsOnceVerifiesAndCaches() throws IOException {
        byte[] content = "pretend weights".getBytes(StandardCharsets.US_ASCII);
        files.put("/models/w.hdf5", content);
        Path reference = Files.write(tmp.resolve("reference"), content);
        String blobId = Checksums.gitBlobId(reference);

        Path first = fetcher().fetch(url("/models/w.hdf5"), blobId);
        assertArrayEquals(content, Files.readAllBytes(first));
        assertEquals("w.hdf5", first.getFileName().toString());
        assertEquals(1, requests.get());

        Path second = fetcher().fetch(url("/models/w.hdf5"), blobId);
        assertEquals(first, second);
        assertEquals(1, requests.get(), "the second build takes the cached file");
    }

    @Test
    void gitBlobIdIsWhatGitComputes() throws IOException {
        // `printf 'hello\n' | git hash-object --stdin`
        Path file = Files.writeString(tmp.resolve("hello"), "hello\n");
        assertEquals("ce013625030ba8dba906f756967f9e9ca394464a", Checksums.gitBlobId(file));
    }

    @Test
    void aDownloadThatIsNotThePublishedFileIsRefusedAndNotCached() throws IOException {
        files.put("/w.hdf5", "tampered".getBytes(StandardCharsets.US_ASCII));
        InvalidWeightsException e = assertThrows(InvalidWeightsException.class,
                () -> fetcher().fetch(url("/w.hdf5"), NimaHead.AESTHETIC.publishedBlobId()));
        assertTrue(e.getMessage().contains("expected " + NimaHead.AESTHETIC.publishedBlobId()), e.getMessage());
        try (Stream<Path> cached = Files.walk(tmp.resolve("cache"))) {
            assertFalse(cached.anyMatch(Files::isRegularFile), "nothing is left in the cache");
        }
    }

    @Test
    void httpErrorsAndClosedPortsAreUnreachable() throws IOException {
        WeightsUnreachableException notFound = assertThrows(WeightsUnreachableException.class,
                () -> fetcher().fetch(url("/missing.hdf5"), null));
        assertTrue(notFound.getMessage().endsWith("answered HTTP 404"), notFound.getMessage());

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort + "/w.hdf5");
        WeightsUnreachableException refused = assertThrows(WeightsUnreachableException.class,
                () -> fetcher().fetch(nowhere, null));
        assertTrue(refused.getMessage().contains("ConnectException"), refused.getMessage());
    }
}
