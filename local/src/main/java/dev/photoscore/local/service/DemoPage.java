package dev.photoscore.local.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.photoscore.tenants.ClientCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The demo page (the repository's {@code web/} folder: plain HTML, CSS and JavaScript, bundled as resources) and,
 * for it, the demo tenant's credentials at {@value #CREDENTIALS_PATH}. That route exists only in the local service,
 * never in the Lambda: it hands out the demo tenant's secret, and no other.
 */
final class DemoPage implements HttpHandler {

    static final String CREDENTIALS_PATH = "/demo/credentials";

    /** Each path of the page and its bundled file; nothing else is served from the resources. */
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/app.js", "app.js",
            "/style.css", "style.css");
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8");
    /** Everything the page loads comes from this server; the photo preview is a blob: URL. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' blob:; "
            + "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final byte[] credentials;

    DemoPage(ClientCredentials demoTenant) {
        for (String file : TYPES.keySet()) {
            files.put(file, resource(file));
        }
        try {
            credentials = new ObjectMapper().writeValueAsBytes(Map.of(
                    "clientId", demoTenant.clientId(), "clientSecret", demoTenant.clientSecret()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The context paths this handler answers. */
    static Set<String> paths() {
        Set<String> paths = new TreeSet<>(FILES.keySet());
        paths.add(CREDENTIALS_PATH);
        return paths;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String file = FILES.get(path);
            if (file == null && !path.equals(CREDENTIALS_PATH)) {
                LocalService.respondError(exchange, 404, "no such page: " + path);
            } else if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                LocalService.respondError(exchange, 405, "use GET");
            } else if (file == null) {
                LocalService.respond(exchange, 200, Map.of("Content-Type", "application/json",
                        "Cache-Control", "no-store"), credentials);
            } else {
                LocalService.respond(exchange, 200, Map.of("Content-Type", TYPES.get(file),
                        "Cache-Control", "no-cache",
                        "Content-Security-Policy", CONTENT_SECURITY_POLICY,
                        "X-Content-Type-Options", "nosniff",
                        "Referrer-Policy", "no-referrer"), files.get(file));
            }
        }
    }

    private static byte[] resource(String file) {
        try (InputStream in = DemoPage.class.getResourceAsStream("web/" + file)) {
            if (in == null) {
                throw new IllegalStateException("the demo page's " + file + " is not bundled (web/ in the build)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
