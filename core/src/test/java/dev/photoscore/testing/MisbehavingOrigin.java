package dev.photoscore.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * A real HTTP server on the loopback interface that serves generated images and misbehaves on purpose:
 * trickling, endless, oversized and cut-off bodies, lying Content-Type, error statuses and hostile redirects. The
 * fetcher's tests use it, and the service's end-to-end tests of hostile URLs.
 */
public final class MisbehavingOrigin implements AutoCloseable {

    /** Pause between the bytes of {@code /slow}: slow enough that only a total timeout ends it. */
    private static final long TRICKLE_MILLIS = 50;

    public final byte[] jpeg = encode("jpg");
    public final byte[] png = encode("png");

    /** A photo the service scores (more than 20 KB). */
    public final byte[] scorableJpeg = TestPhotos.jpeg(TestPhotos.texturedRgb(400, 300, 7));

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile String lastUserAgent;
    private volatile String lastAccept;

    public MisbehavingOrigin() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(handlers);
        route("/photo.jpg", exchange -> send(exchange, 200, "image/jpeg", jpeg));
        // The type comes from the bytes: a PNG labelled as text and HTML labelled as JPEG.
        route("/photo.png", exchange -> send(exchange, 200, "text/plain", png));
        route(
                "/page.html",
                exchange ->
                        send(
                                exchange,
                                200,
                                "image/jpeg",
                                "<!doctype html><title>not a photo</title>"
                                        .getBytes(StandardCharsets.UTF_8)));
        route("/endless-html", this::htmlThenStall);
        route(
                "/empty",
                exchange -> {
                    exchange.sendResponseHeaders(200, -1);
                    exchange.close();
                });
        route(
                "/status/",
                exchange ->
                        send(
                                exchange,
                                Integer.parseInt(lastSegment(exchange)),
                                "text/plain",
                                "nope".getBytes(StandardCharsets.UTF_8)));
        route("/scorable.jpg", exchange -> send(exchange, 200, "image/jpeg", scorableJpeg));
        route("/dies", this::diesMidTransfer);
        route("/slow", this::trickle);
        route("/endless", this::endless);
        route("/declared-huge", this::declaredHuge);
        route(
                "/sized/",
                exchange -> {
                    // No Content-Length (chunked): only counting while reading can catch an
                    // oversized body.
                    byte[] body = new byte[Integer.parseInt(lastSegment(exchange))];
                    System.arraycopy(jpeg, 0, body, 0, Math.min(jpeg.length, body.length));
                    exchange.getResponseHeaders().set("Content-Type", "image/jpeg");
                    exchange.sendResponseHeaders(200, 0);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                });
        route(
                "/chain/",
                exchange -> {
                    int left = Integer.parseInt(lastSegment(exchange));
                    if (left == 0) {
                        send(exchange, 200, "image/jpeg", jpeg);
                    } else {
                        redirect(
                                exchange,
                                302,
                                String.valueOf(
                                        left - 1)); // relative: resolves to /chain/{left - 1}
                    }
                });
        route(
                "/to/metadata",
                exchange -> redirect(exchange, 302, "http://169.254.169.254/latest/meta-data/"));
        route(
                "/to/metadata-hex",
                exchange -> redirect(exchange, 301, "http://0xa9fea9fe/latest/meta-data/"));
        route(
                "/to/metadata-ipv6",
                exchange -> redirect(exchange, 307, "http://[::ffff:169.254.169.254]/"));
        route("/to/private", exchange -> redirect(exchange, 308, "http://10.0.0.1/photo.jpg"));
        route("/to/loopback-png", exchange -> redirect(exchange, 301, baseUrl() + "/photo.png"));
        route(
                "/to/localhost-jpeg",
                exchange -> redirect(exchange, 303, "http://localhost:" + port() + "/photo.jpg"));
        route("/to/file", exchange -> redirect(exchange, 302, "file:///etc/passwd"));
        route(
                "/to/nowhere",
                exchange -> {
                    exchange.sendResponseHeaders(302, -1);
                    exchange.close();
                });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public String url(String path) {
        return baseUrl() + path;
    }

    public int requests() {
        return requests.get();
    }

    public String lastUserAgent() {
        return lastUserAgent;
    }

    public String lastAccept() {
        return lastAccept;
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }

    private void route(String path, HttpHandler handler) {
        server.createContext(
                path,
                exchange -> {
                    requests.incrementAndGet();
                    lastUserAgent = exchange.getRequestHeaders().getFirst("User-Agent");
                    lastAccept = exchange.getRequestHeaders().getFirst("Accept");
                    try {
                        handler.handle(exchange);
                    } catch (IOException e) {
                        // The client hung up on a body it refused: that is the point of most routes
                        // here.
                    } finally {
                        exchange.close();
                    }
                });
    }

    /** A whole JPEG, one byte every {@link #TRICKLE_MILLIS}: each read succeeds, the whole takes tens of seconds. */
    private void trickle(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(200, jpeg.length);
        OutputStream out = exchange.getResponseBody();
        for (byte b : jpeg) {
            out.write(b);
            out.flush();
            if (!pause(TRICKLE_MILLIS)) {
                return;
            }
        }
    }

    /** Declares the scorable photo's length, sends half of it, and cuts the connection: a host that died. */
    private void diesMidTransfer(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "image/jpeg");
        exchange.sendResponseHeaders(200, scorableJpeg.length);
        OutputStream out = exchange.getResponseBody();
        out.write(scorableJpeg, 0, scorableJpeg.length / 2);
        out.flush();
        exchange.close(); // short of the declared length: the server drops the connection
    }

    /** A JPEG start and then zeros, chunked, until the client hangs up. */
    private void endless(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write(jpeg, 0, 16);
        byte[] zeros = new byte[8192];
        while (!Thread.currentThread().isInterrupted()) {
            out.write(zeros);
        }
    }

    /** Declares a gigabyte and sends nothing: a client that waits for the body times out instead. */
    private void declaredHuge(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "image/jpeg");
        exchange.sendResponseHeaders(200, 1L << 30);
        exchange.getResponseBody().flush();
        pause(10_000);
    }

    /** The start of an HTML page and then nothing: only a client that judges the first bytes answers in time. */
    private void htmlThenStall(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "image/jpeg");
        exchange.sendResponseHeaders(200, 0);
        exchange.getResponseBody().write("<!doctype html><html>".getBytes(StandardCharsets.UTF_8));
        exchange.getResponseBody().flush();
        pause(10_000);
    }

    /** The answer; a 204 or 304 without the body, which those statuses never carry. */
    private static void send(HttpExchange exchange, int status, String contentType, byte[] body)
            throws IOException {
        if (status == 204 || status == 304) {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void redirect(HttpExchange exchange, int status, String location)
            throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(status, -1);
    }

    private static String lastSegment(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Sleeps; false when interrupted because the server is stopping. */
    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static byte[] encode(String format) {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setPaint(new GradientPaint(0, 0, Color.ORANGE, 64, 48, Color.BLUE));
        graphics.fillRect(0, 0, 64, 48);
        graphics.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
