package dev.photoscore.local.service;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.photoscore.api.QualityApi;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.lambda.ApiGatewayHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The local service's HTTP front: each request becomes the API Gateway HTTP API event (payload format 2.0) that AWS
 * would send, for the very handler the Lambda runs, which answers the API and the demo page beside it. One code path
 * for Lambda and local.
 */
public final class LocalService implements AutoCloseable {

    /** A little more than the largest photo, for the multipart framing; larger bodies are refused unread. */
    static final long MAX_BODY_BYTES = PhotoLimits.API_MAX_BYTES + 256 * 1024;
    /** How much of a body over the limit is read and dropped before the 413; past it the connection is closed. */
    static final long DRAIN_BYTES = 64L * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final ApiGatewayHandler handler;

    private LocalService(HttpServer server, ExecutorService executor, ApiGatewayHandler handler) {
        this.server = server;
        this.executor = executor;
        this.handler = handler;
    }

    /**
     * Serves {@code api} on {@code address} (port 0: any free port) until {@link #close()}, with {@code pages} beside
     * it: handlers of this machine only, by context path (the GPU service's health check). Every path no page claims
     * goes to the Lambda's handler, which answers 404 for what it does not know.
     */
    public static LocalService start(InetSocketAddress address, QualityApi api, int workers,
                                     Map<String, HttpHandler> pages) throws IOException {
        HttpServer server = HttpServer.create(address, 64);
        ExecutorService executor = Executors.newFixedThreadPool(workers);
        LocalService service = new LocalService(server, executor, new ApiGatewayHandler(api));
        server.createContext("/", service::serve);
        pages.forEach(server::createContext);
        server.setExecutor(executor);
        server.start();
        return service;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = readBody(exchange);
            if (body == null) {
                respondError(exchange, 413, "the request body is larger than "
                        + PhotoLimits.inWords(PhotoLimits.API_MAX_BYTES));
                return;
            }
            APIGatewayV2HTTPResponse response = handler.handleRequest(toEvent(exchange, body), null);
            respond(exchange, response.getStatusCode(), response.getHeaders(), body(response));
        }
    }

    /** The event API Gateway's HTTP API would send: lower-case headers, raw query, base64 body, request context. */
    static APIGatewayV2HTTPEvent toEvent(HttpExchange exchange, byte[] body) {
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        long now = System.currentTimeMillis();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(path)
                .withRawQueryString(query == null ? "" : query)
                .withHeaders(headers)
                .withBody(Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(true)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId(UUID.randomUUID().toString())
                        .withTimeEpoch(now)
                        .withStage("$default")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(exchange.getRequestMethod())
                                .withPath(path)
                                .withProtocol(exchange.getProtocol())
                                .withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress())
                                .withUserAgent(headers.getOrDefault("user-agent", ""))
                                .build())
                        .build())
                .build();
    }

    /**
     * The body, or null when it is larger than {@link #MAX_BODY_BYTES}. The rest of a larger body is then read and
     * dropped, up to {@link #DRAIN_BYTES}: a client still sending when the answer comes would otherwise have its
     * connection reset and never see the 413.
     */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes((int) MAX_BODY_BYTES + 1);
            if (bytes.length <= MAX_BODY_BYTES) {
                return bytes;
            }
            byte[] dropped = new byte[64 * 1024];
            for (long left = DRAIN_BYTES; left > 0; ) {
                int read = in.read(dropped, 0, (int) Math.min(dropped.length, left));
                if (read < 0) {
                    break;
                }
                left -= read;
            }
            return null;
        }
    }

    /** The bytes a Lambda answer carries: its body as text, or decoded when the handler sent base64 (a photo). */
    private static byte[] body(APIGatewayV2HTTPResponse response) {
        String body = response.getBody();
        if (body == null) {
            return new byte[0];
        }
        return response.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
    }

    /** The API's error shape, {@code {"status": "error", "message": "..."}}, for answers outside the API. */
    private static void respondError(HttpExchange exchange, int status, String message) throws IOException {
        respond(exchange, status, Map.of("Content-Type", "application/json"),
                JSON.writeValueAsBytes(JSON.createObjectNode().put("status", "error").put("message", message)));
    }

    private static void respond(HttpExchange exchange, int status, Map<String, String> headers, byte[] bytes)
            throws IOException {
        if (headers != null) {
            headers.forEach((name, value) -> exchange.getResponseHeaders().put(name, List.of(value)));
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
