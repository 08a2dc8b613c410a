package dev.photoscore.local.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.photoscore.tenants.ClientCredentials;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo page's files and the demo credentials, over real HTTP. */
class DemoPageTest {

    static final ClientCredentials DEMO = new ClientCredentials("demo-client", "demo-secret-0123456789");
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    static HttpServer server;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        DemoPage page = new DemoPage(DEMO);
        DemoPage.paths().forEach(path -> server.createContext(path, page));
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    static HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageFilesWithTheirTypes() throws Exception {
        for (String path : List.of("/", "/index.html")) {
            HttpResponse<String> page = send("GET", path);
            assertEquals(200, page.statusCode());
            assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElseThrow());
            assertTrue(page.body().contains("<script src=\"app.js\" defer></script>"), page.body());
            assertTrue(page.headers().firstValue("Content-Security-Policy").orElseThrow()
                    .startsWith("default-src 'self';"));
        }
        assertEquals("text/javascript; charset=utf-8",
                send("GET", "/app.js").headers().firstValue("Content-Type").orElseThrow());
        assertEquals("text/css; charset=utf-8",
                send("GET", "/style.css").headers().firstValue("Content-Type").orElseThrow());
    }

    /** No CDN, no web font, no analytics: the page names no other host (the browser test checks what it loads). */
    @Test
    void thePageNamesNoOtherHost() throws Exception {
        Pattern remote = Pattern.compile("(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}", Pattern.CASE_INSENSITIVE);
        for (String path : List.of("/", "/app.js", "/style.css")) {
            String body = send("GET", path).body();
            assertFalse(remote.matcher(body).find(), path + " names another host: " + remote.matcher(body).results()
                    .map(m -> m.group()).toList());
        }
        String style = send("GET", "/style.css").body();
        for (String load : List.of("url(", "@import", "@font-face")) {
            assertFalse(style.contains(load), "style.css loads something: " + load);
        }
    }

    @Test
    void handsOutTheDemoCredentialsOnly() throws Exception {
        HttpResponse<String> answer = send("GET", DemoPage.CREDENTIALS_PATH);
        assertEquals(200, answer.statusCode());
        assertEquals("no-store", answer.headers().firstValue("Cache-Control").orElseThrow());
        JsonNode credentials = new ObjectMapper().readTree(answer.body());
        assertEquals(DEMO.clientId(), credentials.path("clientId").asText());
        assertEquals(DEMO.clientSecret(), credentials.path("clientSecret").asText());
        assertEquals(2, credentials.size());
    }

    @Test
    void unknownPathsAndOtherMethodsAreRefused() throws Exception {
        assertEquals(404, send("GET", "/app.jsx").statusCode());
        assertEquals(404, send("GET", "/demo/credentials/x").statusCode());
        assertEquals(404, send("GET", "/web/index.html").statusCode());
        HttpResponse<String> post = send("POST", "/");
        assertEquals(405, post.statusCode());
        assertEquals("GET", post.headers().firstValue("Allow").orElseThrow());
    }
}
