package dev.photoscore.fetch;

import dev.photoscore.image.PhotoFormat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.fetch.FetchException.Reason;
import dev.photoscore.testing.MisbehavingOrigin;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fetcher against a real, misbehaving HTTP server on loopback; nothing here contacts another address. */
class ImageFetcherTest {

    private static MisbehavingOrigin origin;

    /** Allows loopback, the only way to reach the test server; everything else stays refused. */
    private static ImageFetcher fetcher;

    @BeforeAll
    static void start() throws IOException {
        origin = new MisbehavingOrigin();
        fetcher = development().build();
    }

    @AfterAll
    static void stop() {
        fetcher.close();
        origin.close();
    }

    private static ImageFetcher.Builder development() {
        return ImageFetcher.builder()
                .allowLoopback(true)
                .connectTimeout(Duration.ofSeconds(1))
                .totalTimeout(Duration.ofSeconds(3));
    }

    @Test
    void fetchesJpeg() throws FetchException {
        FetchedImage image = fetcher.fetch(origin.url("/photo.jpg"));
        assertEquals(PhotoFormat.JPEG, image.type());
        assertArrayEquals(origin.jpeg, image.bytes());
    }

    @Test
    void recognisesPngByItsBytesNotItsContentType() throws FetchException {
        FetchedImage image = fetcher.fetch(origin.url("/photo.png"));
        assertEquals(PhotoFormat.PNG, image.type());
        assertArrayEquals(origin.png, image.bytes());
    }

    @Test
    void sendsTheConfiguredUserAgentAndAsksForImages() throws FetchException {
        try (ImageFetcher custom = development().userAgent("photoscore-test/1.0").build()) {
            custom.fetch(origin.url("/photo.jpg"));
        }
        assertEquals("photoscore-test/1.0", origin.lastUserAgent());
        assertTrue(origin.lastAccept().startsWith("image/jpeg"), origin.lastAccept());
    }

    @ParameterizedTest(name = "default refuses {0}")
    @ValueSource(
            strings = {
                "127.0.0.1",
                "localhost",
                "2130706433",
                "0x7f.1",
                "[::ffff:127.0.0.1]",
                "[::ffff:7f00:1]"
            })
    void defaultRefusesLoopbackWithoutConnecting(String host) {
        int before = origin.requests();
        try (ImageFetcher production = ImageFetcher.builder().build()) {
            FetchException e =
                    assertFails(
                            Reason.ADDRESS_REFUSED,
                            () ->
                                    production.fetch(
                                            "http://" + host + ":" + origin.port() + "/photo.jpg"));
            assertTrue(
                    e.getMessage().contains("not a public address")
                            || e.getMessage().contains("does not resolve to a public address"),
                    e.getMessage());
        }
        assertEquals(before, origin.requests(), "the refused fetch must not reach the server");
    }

    @ParameterizedTest(name = "allowLoopback reaches the server as {0}")
    @ValueSource(
            strings = {
                "127.0.0.1",
                "localhost",
                "2130706433",
                "0x7f.1",
                "0177.0.0.1",
                "[::ffff:127.0.0.1]"
            })
    void allowLoopbackReachesLoopbackInAnySpelling(String host) throws FetchException {
        FetchedImage image = fetcher.fetch("http://" + host + ":" + origin.port() + "/photo.jpg");
        assertArrayEquals(origin.jpeg, image.bytes());
    }

    @ParameterizedTest(name = "redirect {0} is refused")
    @ValueSource(strings = {"/to/metadata", "/to/metadata-hex", "/to/metadata-ipv6", "/to/private"})
    void refusesRedirectsToInternalAddressesEvenWithLoopbackAllowed(String path) {
        FetchException e =
                assertFails(Reason.ADDRESS_REFUSED, () -> fetcher.fetch(origin.url(path)));
        assertFalse(
                e.getMessage().contains("169.254") || e.getMessage().contains("10.0.0.1"),
                "the message must not name the internal address: " + e.getMessage());
    }

    @Test
    void followsRedirectsToOtherLoopbackPaths() throws FetchException {
        assertArrayEquals(origin.png, fetcher.fetch(origin.url("/to/loopback-png")).bytes());
        assertArrayEquals(origin.jpeg, fetcher.fetch(origin.url("/to/localhost-jpeg")).bytes());
    }

    @Test
    void followsThreeRelativeRedirects() throws FetchException {
        assertArrayEquals(origin.jpeg, fetcher.fetch(origin.url("/chain/3")).bytes());
    }

    @Test
    void refusesAFourthRedirect() {
        int before = origin.requests();
        FetchException e =
                assertFails(Reason.TOO_MANY_REDIRECTS, () -> fetcher.fetch(origin.url("/chain/4")));
        assertEquals(
                before + 4, origin.requests(), "the first request and three redirects, no more");
    }

    @Test
    void maxRedirectsIsConfigurable() throws FetchException {
        try (ImageFetcher noRedirects = development().maxRedirects(0).build()) {
            assertFails(Reason.TOO_MANY_REDIRECTS, () -> noRedirects.fetch(origin.url("/chain/1")));
            assertArrayEquals(origin.jpeg, noRedirects.fetch(origin.url("/chain/0")).bytes());
        }
    }

    @ParameterizedTest(name = "bad redirect {0}")
    @ValueSource(strings = {"/to/file", "/to/nowhere"})
    void refusesUnusableRedirects(String path) {
        assertFails(Reason.BAD_REDIRECT, () -> fetcher.fetch(origin.url(path)));
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {403, 404, 500, 503})
    void reportsTheOriginStatus(int status) {
        FetchException e =
                assertFails(
                        Reason.ORIGIN_STATUS, () -> fetcher.fetch(origin.url("/status/" + status)));
        assertEquals(OptionalInt.of(status), e.originStatus());
        assertEquals("the URL answered HTTP " + status, e.getMessage());
    }

    @ParameterizedTest(name = "not an image: {0}")
    @ValueSource(strings = {"/page.html", "/empty", "/status/204"})
    void refusesWhatIsNotAnImage(String path) {
        FetchException e = assertFails(Reason.NOT_AN_IMAGE, () -> fetcher.fetch(origin.url(path)));
    }

    @Test
    void judgesTheTypeFromTheFirstBytesWithoutWaitingForTheRest() {
        // The page never ends: only judging its first bytes answers before the total timeout.
        assertFails(Reason.NOT_AN_IMAGE, () -> fetcher.fetch(origin.url("/endless-html")));
    }

    @Test
    void totalTimeoutEndsATricklingBody() {
        try (ImageFetcher impatient = development().totalTimeout(Duration.ofMillis(400)).build()) {
            long start = System.nanoTime();
            FetchException e =
                    assertFails(Reason.TIMEOUT, () -> impatient.fetch(origin.url("/slow")));
            long millis = (System.nanoTime() - start) / 1_000_000;
            // Every byte comes well within any read timeout and the whole body takes tens of
            // seconds: only the
            // deadline over the whole fetch ends it this soon (the bound leaves room for a busy
            // machine).
            assertTrue(millis < 2_000, "took " + millis + " ms");
        }
    }

    @Test
    void stopsReadingAnEndlessBodyAtTheLimit() {
        try (ImageFetcher small = development().maxBytes(64 * 1024).build()) {
            FetchException e =
                    assertFails(Reason.TOO_LARGE, () -> small.fetch(origin.url("/endless")));
        }
    }

    @Test
    void refusesADeclaredOversizeBodyWithoutReadingIt() {
        // The server never sends the gigabyte it declares: reading would time out, so TOO_LARGE
        // proves the header check.
        assertFails(Reason.TOO_LARGE, () -> fetcher.fetch(origin.url("/declared-huge")));
    }

    @Test
    void acceptsABodyOfExactlyTheLimitAndRefusesOneByteMore() throws FetchException {
        int limit = 100_000;
        try (ImageFetcher limited = development().maxBytes(limit).build()) {
            assertEquals(limit, limited.fetch(origin.url("/sized/" + limit)).bytes().length);
            assertFails(Reason.TOO_LARGE, () -> limited.fetch(origin.url("/sized/" + (limit + 1))));
        }
    }

    @Test
    void reportsANameThatDoesNotResolve() {
        FetchException e =
                assertFails(
                        Reason.DNS_FAILURE,
                        () -> fetcher.fetch("http://no-such-host.invalid/photo.jpg"));
    }

    @Test
    void reportsARefusedConnection() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        FetchException e =
                assertFails(
                        Reason.CONNECTION_FAILED,
                        () -> fetcher.fetch("http://127.0.0.1:" + closedPort + "/photo.jpg"));
    }

    @ParameterizedTest(name = "invalid URL {0}")
    @ValueSource(
            strings = {
                "ftp://127.0.0.1/photo.jpg",
                "file:///etc/passwd",
                "127.0.0.1/photo.jpg",
                "http://[::1/"
            })
    void refusesInvalidUrls(String url) {
        FetchException e = assertFails(Reason.INVALID_URL, () -> fetcher.fetch(url));
    }

    @Test
    void oneInstanceServesManyThreads() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<FetchedImage>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String path = i % 2 == 0 ? "/photo.jpg" : "/chain/2";
                results.add(callers.submit(() -> fetcher.fetch(origin.url(path))));
            }
            for (Future<FetchedImage> result : results) {
                assertArrayEquals(origin.jpeg, result.get().bytes());
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void fetchesAgainAfterThePoolIsRenewed() throws FetchException {
        fetcher.fetch(origin.url("/photo.jpg"));
        fetcher.closePooledConnections();
        assertArrayEquals(origin.jpeg, fetcher.fetch(origin.url("/photo.jpg")).bytes());
    }

    @Test
    void aClosedFetcherRefusesToFetch() {
        ImageFetcher closed = development().build();
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.fetch(origin.url("/photo.jpg")));
    }

    @Test
    void builderRefusesNonsense() {
        ImageFetcher.Builder builder = ImageFetcher.builder();
        assertThrows(IllegalArgumentException.class, () -> builder.maxBytes(0));
        assertThrows(IllegalArgumentException.class, () -> builder.connectTimeout(Duration.ZERO));
        assertThrows(
                IllegalArgumentException.class, () -> builder.totalTimeout(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> builder.maxRedirects(-1));
        assertThrows(IllegalArgumentException.class, () -> builder.userAgent(" "));
    }

    private static FetchException assertFails(Reason reason, Callable<FetchedImage> fetch) {
        FetchException e = assertThrows(FetchException.class, fetch::call);
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }
}
