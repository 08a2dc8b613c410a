package dev.photoscore.local.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.photoscore.demo.DemoPage;
import dev.photoscore.modelpack.testing.TestModelPacks;
import dev.photoscore.tenants.ClientCredentials;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local service end to end over real HTTP on loopback, with the seed clients' own calls: curl with
 * {@code --user id:secret}, and Python's requests with {@code auth=(id, secret)}; every answer is checked against
 * docs/openapi.yaml.
 */
class LocalServiceTest {

    static final ClientCredentials DEMO = new ClientCredentials("demo-client", "demo-secret-0123456789");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static LocalDeployment deployment;
    static HttpServer photos;
    static Path photoFile;
    static OpenApiInteractionValidator validator;

    @BeforeAll
    static void start() throws Exception {
        deployment = LocalDeployment.builder().port(0).modelDir(TestModelPacks.smallNima(tmp)).demoTenant(DEMO)
                .scorerThreads(2).allowLoopbackUrls(true).start();
        photoFile = tmp.resolve("photo.png");
        Files.write(photoFile, photoPng());
        photos = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        photos.createContext("/photo.png", exchange -> {
            byte[] body = Files.readAllBytes(photoFile);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        photos.start();
        String openApi = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(deployment.baseUrl().resolve(DemoPage.OPENAPI_PATH)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        validator = OpenApiInteractionValidator.createForInlineApiSpecification(openApi).build();
    }

    @AfterAll
    static void stop() {
        if (photos != null) {
            photos.stop(0);
        }
        if (deployment != null) {
            deployment.close();
        }
    }

    static byte[] photoPng() throws IOException {
        Random random = new Random(3);
        BufferedImage image = new BufferedImage(200, 150, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 150; y++) {
            for (int x = 0; x < 200; x++) {
                image.setRGB(x, y, (x + random.nextInt(40)) << 16 | (y + random.nextInt(40)) << 8 | random.nextInt(256));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }

    static String photoUrl() {
        return "http://127.0.0.1:" + photos.getAddress().getPort() + "/photo.png";
    }

    static String api() {
        return deployment.baseUrl() + "/v1/quality_ugc";
    }

    record Answer(int status, String body) {
    }

    /** Runs a command; its stdout is the answer body. */
    static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "command timed out: " + command);
        assertEquals(0, process.exitValue(), "command failed: " + command);
        return out;
    }

    /** curl prints the body, then the status on the last line. */
    static Answer curl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-w", "\n%{http_code}"));
        command.addAll(List.of(args));
        String out = run(command);
        int newline = out.lastIndexOf('\n');
        return new Answer(Integer.parseInt(out.substring(newline + 1).trim()), out.substring(0, newline));
    }

    static void assertScored(Answer answer, String method) throws IOException {
        assertEquals(200, answer.status(), answer.body());
        JsonNode body = JSON.readTree(answer.body());
        assertEquals("ok", body.path("status").asText());
        double score = body.path("quality").path("score").asDouble();
        assertTrue(score >= 0 && score <= 1, answer.body());
        assertConforms(method, "/v1/quality_ugc", answer);
    }

    static void assertConforms(String method, String path, Answer answer) {
        SimpleResponse response = SimpleResponse.Builder.status(answer.status())
                .withContentType("application/json").withBody(answer.body()).build();
        ValidationReport report = validator.validateResponse(path, Request.Method.valueOf(method), response);
        assertTrue(!report.hasErrors(), "answer does not match docs/openapi.yaml: " + report);
    }

    @Test
    void curlUploadAndUrl() throws Exception {
        assertScored(curl("--user", DEMO.clientId() + ":" + DEMO.clientSecret(), "-F", "data=@" + photoFile,
                api()), "POST");
        assertScored(curl("--user", DEMO.clientId() + ":" + DEMO.clientSecret(), "-G", "--data-urlencode",
                "url=" + photoUrl(), api()), "GET");
        Answer details = curl("--user", DEMO.clientId() + ":" + DEMO.clientSecret(), "-G", "--data-urlencode",
                "url=" + photoUrl(), "--data-urlencode", "details=true", api());
        assertScored(details, "GET");
        assertTrue(JSON.readTree(details.body()).path("details").path("flags").isArray(), details.body());
    }

    @Test
    void errorsMatchTheDescription() throws Exception {
        Answer unauthenticated = curl(api() + "?url=" + photoUrl());
        assertEquals(401, unauthenticated.status());
        assertConforms("GET", "/v1/quality_ugc", unauthenticated);
        Answer wrongType = curl("--user", DEMO.clientId() + ":" + DEMO.clientSecret(), "-F",
                "data=@" + Files.writeString(tmp.resolve("notes.jpg"), "not a photo\n".repeat(3000)), api());
        assertEquals(415, wrongType.status(), wrongType.body());
        assertConforms("POST", "/v1/quality_ugc", wrongType);
        Answer neither = curl("--user", DEMO.clientId() + ":" + DEMO.clientSecret(), api());
        assertEquals(400, neither.status());
        assertConforms("GET", "/v1/quality_ugc", neither);
    }

    @Test
    void pythonRequestsClient() throws Exception {
        String python = pythonWithRequests();
        String script = String.join("\n",
                "import json, sys, requests",
                "api, photo_url, photo_file, client_id, secret = sys.argv[1:6]",
                "r = requests.get(api, params={'url': photo_url}, auth=(client_id, secret))",
                "print(json.dumps({'status': r.status_code, 'body': r.json()}))",
                "with open(photo_file, 'rb') as f:",
                "    r = requests.post(api, files={'data': f}, auth=(client_id, secret))",
                "print(json.dumps({'status': r.status_code, 'body': r.json()}))");
        String out = run(List.of(python, "-c", script, api(), photoUrl(), photoFile.toString(), DEMO.clientId(),
                DEMO.clientSecret()));
        String[] lines = out.strip().split("\n");
        assertEquals(2, lines.length, out);
        JsonNode get = JSON.readTree(lines[0]);
        JsonNode post = JSON.readTree(lines[1]);
        assertScored(new Answer(get.path("status").asInt(), get.path("body").toString()), "GET");
        assertScored(new Answer(post.path("status").asInt(), post.path("body").toString()), "POST");
        assertEquals(get.path("body").path("quality"), post.path("body").path("quality"), "same photo, same score");
    }

    /** A Python that has requests (.ci/run installs Debian's python3-requests when none has); else skip. */
    static String pythonWithRequests() throws InterruptedException {
        for (String candidate : List.of("python3", "/usr/bin/python3")) {
            try {
                Process probe = new ProcessBuilder(candidate, "-c", "import requests").start();
                if (probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException e) {
                // not installed: try the next
            }
        }
        Assumptions.abort("skipped: no python3 with the requests package on this machine");
        return null;
    }

    @Test
    void servesTheDemoPageBesideTheApi() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(deployment.baseUrl().resolve("/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().startsWith("<!doctype html>"));
        HttpResponse<String> credentials = client.send(HttpRequest.newBuilder(
                deployment.baseUrl().resolve(DemoPage.CREDENTIALS_PATH)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(DEMO.clientSecret(), JSON.readTree(credentials.body()).path("clientSecret").asText());
        for (String path : List.of("/nope", "/samples/", "/v1")) {
            Answer other = curl(deployment.baseUrl() + path);
            assertEquals(404, other.status(), path + " (no samples folder given)");
            assertEquals("error", JSON.readTree(other.body()).path("status").asText(), path);
        }
    }

    @Test
    void servesItsDescription() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(deployment.baseUrl() + DemoPage.OPENAPI_PATH)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.body().startsWith("openapi: 3"));
    }
}
