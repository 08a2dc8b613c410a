package dev.photoscore.lambda;

import static dev.photoscore.testing.TestPhotos.jpeg;
import static dev.photoscore.testing.TestPhotos.texturedRgb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.photoscore.modelpack.testing.TestModelPacks;
import dev.photoscore.wiring.ApiServices;
import dev.photoscore.wiring.ScoringServices;
import dev.photoscore.store.DynamoDbLocalExtension;
import dev.photoscore.tenants.ClientCredentials;
import dev.photoscore.tenants.TenantAdmin;
import dev.photoscore.testing.HttpApiEvents;
import dev.photoscore.wiring.UsageStoreTables;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The logs of a run with real secrets and photos, under the production logging configuration (logback.xml, the
 * service's own lines down to DEBUG): every line is one JSON object with the documented fields, every answer has its
 * line, and neither a secret, an Authorization header, a URL's token nor any fragment of a photo appears anywhere.
 */
class LogSecrecyTest {

    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    @Test
    void logsAreJsonLinesWithoutSecretsOrPhotoBytes() throws Exception {
        byte[] photo = jpeg(texturedRgb(400, 300, 42));
        String urlToken = "tok" + UUID.randomUUID().toString().replace("-", "");
        HttpServer origin = photoServer(photo);
        UsageStoreTables.createIfMissing(DYNAMODB.client());
        Map<String, Integer> answers = new LinkedHashMap<>();
        List<ClientCredentials> tenants = new ArrayList<>();
        String logs;
        try (ApiServices services = ApiServices.builder(ScoringServices.builder().modelDir(TestModelPacks
                .smallNima(tmp)).dynamoDb(DYNAMODB.settings()).scorerThreads(1)).allowLoopbackUrls(true).build()) {
            TenantAdmin admin = new TenantAdmin(services.scoring().tenants());
            ClientCredentials tenant = admin.create("logged");
            ClientCredentials disabled = admin.create("disabled");
            admin.disable(disabled.clientId());
            tenants.add(tenant);
            tenants.add(disabled);
            ApiGatewayHandler handler = new ApiGatewayHandler(services.qualityApi());
            String photoUrl = "http://127.0.0.1:" + origin.getAddress().getPort() + "/photo.jpg?token=" + urlToken;

            logs = capturingProductionLogs(() -> {
                run(handler, answers, upload(tenant, photo));
                run(handler, answers, urlRequest(tenant, photoUrl));
                run(handler, answers, upload(new ClientCredentials(tenant.clientId(), "wrong-" + tenant.clientSecret()),
                        photo));
                // A client that swapped its id and secret sends the secret where the id goes.
                run(handler, answers, upload(new ClientCredentials(tenant.clientSecret(), tenant.clientId()), photo));
                run(handler, answers, upload(disabled, photo));
                run(handler, answers, upload(tenant, "not a photo at all".repeat(2000).getBytes(StandardCharsets.UTF_8)));
                APIGatewayV2HTTPEvent garbage = upload(tenant, photo);
                garbage.setBody(garbage.getBody() + "#not base64#");
                run(handler, answers, garbage);
                DYNAMODB.stop();
                run(handler, answers, upload(tenant, photo)); // 503: the store is down, its error is logged
                services.fetcher().close();
                run(handler, answers, urlRequest(tenant, photoUrl)); // 500: an unexpected failure with its stack trace
            });
        } finally {
            origin.stop(0);
        }

        assertEquals(List.of(200, 200, 401, 401, 403, 415, 400, 503, 500), List.copyOf(answers.values()));
        List<JsonNode> lines = new ArrayList<>();
        for (String line : logs.split("\n")) {
            if (!line.isBlank()) {
                JsonNode json = JSON.readTree(line); // fails on any line that is not one JSON object
                assertTrue(json.isObject(), line);
                for (String field : List.of("level", "time", "logger", "message")) {
                    assertTrue(json.hasNonNull(field), field + " in " + line);
                }
                lines.add(json);
            }
        }
        answers.forEach((requestId, status) -> {
            List<JsonNode> access = lines.stream().filter(l -> requestId.equals(l.path("requestId").asText()))
                    .filter(l -> l.has("status")).toList();
            assertEquals(1, access.size(), "one line per answer: " + requestId);
            assertEquals(status, access.get(0).path("status").asInt());
            assertTrue(access.get(0).path("latencyMs").isNumber());
            assertEquals(status == 200 || status == 415 || status >= 500, access.get(0).has("clientId"),
                    "the client id once authenticated, never before: " + access.get(0));
        });
        assertTrue(lines.stream().anyMatch(l -> l.path("level").asText().equals("ERROR") && l.has("stackTrace")),
                "the 500's stack trace is a field of its line");

        for (ClientCredentials who : tenants) {
            assertNotLogged(logs, who.clientSecret(), "a secret");
            assertNotLogged(logs, Base64.getEncoder().encodeToString((who.clientId() + ":" + who.clientSecret())
                    .getBytes(StandardCharsets.UTF_8)), "an Authorization header");
        }
        assertNotLogged(logs, urlToken, "a photo URL's token");
        for (int offset = 0; offset < 3; offset++) { // base64 of the photo, whatever its alignment
            String encoded = Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(photo, offset + 600,
                    photo.length));
            for (int at = 0; at + 16 <= 4000; at += 400) {
                assertNotLogged(logs, encoded.substring(at, at + 16), "base64 of the photo");
            }
        }
        String hex = HexFormat.of().formatHex(photo, 600, 2600);
        for (int at = 0; at + 16 <= hex.length(); at += 400) {
            assertNotLogged(logs, hex.substring(at, at + 16), "hex of the photo");
            assertNotLogged(logs, hex.substring(at, at + 16).toUpperCase(java.util.Locale.ROOT), "hex of the photo");
        }
    }

    static void assertNotLogged(String logs, String needle, String what) {
        assertFalse(logs.contains(needle), what + " is in the logs: " + needle);
    }

    static void run(ApiGatewayHandler handler, Map<String, Integer> answers, APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        answers.put(event.getRequestContext().getRequestId(), response.getStatusCode());
    }

    /** What the service logs while {@code work} runs, under src/main/resources/logback.xml at DEBUG. */
    static String capturingProductionLogs(ThrowingRunnable work) throws Exception {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setProperty("PHOTOSCORE_LOG_LEVEL", "DEBUG");
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            configure(logging, () -> {
                JoranConfigurator production = new JoranConfigurator();
                production.setContext(logging);
                production.doConfigure(ApiGatewayHandler.class.getResource("/logback.xml"));
            });
            work.run();
        } finally {
            System.setErr(stderr);
            System.clearProperty("PHOTOSCORE_LOG_LEVEL");
            configure(logging, () -> new ContextInitializer(logging).autoConfig());
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        System.out.println("captured " + logs.lines().count() + " log lines, e.g. " + logs.lines()
                .filter(l -> l.contains("\"status\"")).findFirst().orElse("(none)"));
        return logs;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    interface Configuration {
        void apply() throws JoranException;
    }

    private static void configure(LoggerContext logging, Configuration configuration) throws JoranException {
        logging.reset();
        configuration.apply();
    }

    static APIGatewayV2HTTPEvent upload(ClientCredentials who, byte[] photo) {
        return HttpApiEvents.upload(who, "", photo);
    }

    static APIGatewayV2HTTPEvent urlRequest(ClientCredentials who, String url) {
        return HttpApiEvents.quality("GET", "url=" + java.net.URLEncoder.encode(url, StandardCharsets.UTF_8), who,
                Map.of(), new byte[0]);
    }

    static HttpServer photoServer(byte[] photo) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/photo.jpg", exchange -> {
            exchange.sendResponseHeaders(200, photo.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(photo);
            }
        });
        server.start();
        return server;
    }
}
