package dev.photoscore.local.service;

import static dev.photoscore.local.service.HostileRequestsTest.basic;
import static dev.photoscore.local.service.HostileRequestsTest.form;
import static dev.photoscore.local.service.HostileRequestsTest.part;
import static dev.photoscore.testing.TestPhotos.jpeg;
import static dev.photoscore.testing.TestPhotos.texturedRgb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.photoscore.local.PhotoscoreCommand;
import dev.photoscore.modelpack.testing.TestModelPacks;
import dev.photoscore.tenants.ClientCredentials;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a newcomer does on one machine: {@code serve} in one process, then {@code tenants} and {@code billing report}
 * in others against its DynamoDB Local, by the address {@code serve} prints ({@code --endpoint}) and by its note
 * ({@code --local}). Every process runs with an environment of PATH alone (no AWS variables), a home folder without an
 * AWS profile, and the EC2 metadata service pointed at a server here that counts the calls it gets: none may come.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CommandsBesideServeTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Pattern SERVING = Pattern.compile("serving (\\S+)/v1/quality_ugc");
    static final Pattern DYNAMODB = Pattern.compile("DynamoDB Local at (\\S+) ");

    @TempDir
    static Path tmp;

    static Path home;
    static HttpServer metadata;
    static final AtomicInteger metadataCalls = new AtomicInteger();
    static Process serve;
    static final List<String> serveOutput = new CopyOnWriteArrayList<>();
    static URI api;
    static URI dynamoDb;

    @BeforeAll
    static void startServe() throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        metadata = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        metadata.createContext("/", exchange -> {
            metadataCalls.incrementAndGet();
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        metadata.start();

        serve = java("serve", "--port", "0", "--model-dir", TestModelPacks.smallNima(tmp).toString())
                .redirectErrorStream(true).start();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    serveOutput.add(line);
                    Matcher serving = SERVING.matcher(line);
                    Matcher local = DYNAMODB.matcher(line);
                    if (serving.find()) {
                        api = URI.create(serving.group(1));
                    }
                    if (local.find()) {
                        dynamoDb = URI.create(local.group(1));
                    }
                    if (api != null && dynamoDb != null) {
                        ready.complete(null);
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new AssertionError("serve stopped: " + serveOutput));
        });
        reader.setDaemon(true);
        reader.start();
        ready.get(120, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (serve != null && serve.isAlive()) {
            serve.destroy();
            serve.waitFor(30, TimeUnit.SECONDS);
        }
        if (metadata != null) {
            metadata.stop(0);
        }
    }

    /** A JVM running the command line, as a user starts it, with nothing of this process's environment but PATH. */
    static ProcessBuilder java(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Duser.home=" + home,
                "-Daws.ec2MetadataServiceEndpoint=http://127.0.0.1:" + metadata.getAddress().getPort(),
                PhotoscoreCommand.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(tmp.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv("PATH"));
        return builder;
    }

    record Run(int exit, String out, String err) {
        JsonNode json() throws IOException {
            assertEquals(0, exit, err);
            return JSON.readTree(out);
        }
    }

    static Run run(String... args) throws Exception {
        Path err = Files.createTempFile(tmp, "stderr", ".txt");
        Process process = java(args).redirectError(err.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "timed out: " + List.of(args));
        return new Run(process.exitValue(), out, Files.readString(err));
    }

    static ClientCredentials create(String name, String... where) throws Exception {
        List<String> args = new ArrayList<>(List.of("tenants", "create", "--name", name));
        args.addAll(List.of(where));
        JsonNode created = run(args.toArray(String[]::new)).json();
        return new ClientCredentials(created.path("clientId").asText(), created.path("clientSecret").asText());
    }

    static int upload(ClientCredentials who) throws Exception {
        String boundary = "commands-beside-serve";
        return HTTP.send(HttpRequest.newBuilder(URI.create(api + "/v1/quality_ugc"))
                .header("Authorization", basic(who))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(
                        form(boundary, part(boundary, "data", jpeg(texturedRgb(400, 300, 7))))))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static String thisMonth() {
        return YearMonth.now(ZoneOffset.UTC).toString();
    }

    @Test
    @Order(1)
    void tenantsAndBillingReportAtTheAddressServePrints() throws Exception {
        String endpoint = dynamoDb.toString();
        ClientCredentials acme = create("Acme", "--endpoint", endpoint);
        assertEquals(200, upload(acme));

        JsonNode report = run("billing", "report", "--month", thisMonth(), "--tenant", acme.clientId(),
                "--format", "json", "--endpoint", endpoint).json();
        assertEquals(1, report.path("statements").size(), report.toString());
        assertEquals(1, report.path("statements").get(0).path("scoredPhotos").asLong(), report.toString());
        assertEquals(0, metadataCalls.get(), "the commands asked the EC2 metadata service");
    }

    @Test
    @Order(2)
    void withLocalTheCommandsFindTheRunningServe() throws Exception {
        JsonNode note = JSON.readTree(home.resolve(".photoscore").resolve(RunningService.FILE_NAME).toFile());
        assertEquals(serve.pid(), note.path("pid").asLong());
        assertEquals(dynamoDb.toString(), note.path("dynamoDb").asText());

        ClientCredentials local = create("found with --local", "--local");
        boolean listed = false;
        for (JsonNode tenant : run("tenants", "list", "--local").json()) {
            listed |= tenant.path("clientId").asText().equals(local.clientId());
        }
        assertTrue(listed, "tenants list --local lists the tenant it created");
        JsonNode report = run("billing", "report", "--month", thisMonth(), "--format", "json", "--local").json();
        assertNotNull(report.get("totals"), report.toString());
        assertEquals(0, metadataCalls.get(), "the commands asked the EC2 metadata service");
    }

    @Test
    @Order(3)
    void serveSeesATenantChangeAtOnceAndTheCommandSaysWhenItTakesEffect() throws Exception {
        ClientCredentials tenant = create("changes", "--local");
        assertEquals(200, upload(tenant));

        JsonNode rotated = run("tenants", "rotate-secret", tenant.clientId(), "--local").json();
        assertTrue(rotated.path("takesEffect").asText().startsWith("at once on serve; on AWS Lambda within 60 s"),
                rotated.toString());
        assertEquals(401, upload(tenant), "the old secret stops working at once");
        ClientCredentials renewed = new ClientCredentials(tenant.clientId(), rotated.path("clientSecret").asText());
        assertEquals(200, upload(renewed));

        JsonNode disabled = run("tenants", "disable", tenant.clientId(), "--local").json();
        assertEquals("disabled", disabled.path("status").asText());
        assertFalse(disabled.path("takesEffect").asText().isEmpty(), disabled.toString());
        assertEquals(403, upload(renewed), "a disabled tenant is refused at the next request");
    }

    @Test
    @Order(4)
    void whenServeStopsItsNoteGoesAndLocalSaysSo() throws Exception {
        serve.destroy();
        assertTrue(serve.waitFor(60, TimeUnit.SECONDS), "serve stops on SIGTERM");
        assertFalse(Files.exists(home.resolve(".photoscore").resolve(RunningService.FILE_NAME)),
                "serve removes its note when it stops");

        Run list = run("tenants", "list", "--local");
        assertEquals(2, list.exit());
        assertTrue(list.err().startsWith("photoscore: no local service is running"), list.err());
        assertEquals(0, metadataCalls.get(), "the commands asked the EC2 metadata service");
    }
}
