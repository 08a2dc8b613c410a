package dev.photoscore.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.photoscore.metering.UsageLedger;
import dev.photoscore.modelpack.testing.TestModelPacks;
import dev.photoscore.store.DynamoDbLocalExtension;
import dev.photoscore.tenants.ClientCredentials;
import dev.photoscore.tenants.Plan;
import dev.photoscore.tenants.TenantAdmin;
import dev.photoscore.tenants.TenantStore;
import dev.photoscore.testing.LocalS3;
import dev.photoscore.wiring.UsageStoreTables;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code invoke} runs each function of template.yaml on the very files of events/, in a JVM of its own as
 * {@code sam local invoke} does in a container, against DynamoDB Local and an in-process S3 (S3Mock).
 */
class InvokeCommandTest {

    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();

    /** The tenant whose credentials the API events carry (events/README.md). */
    static final ClientCredentials EVENTS_TENANT = new ClientCredentials("demo-client", "demo-secret-0123456789");
    static final String UPLOADS_BUCKET = "photoscore-uploads-example";
    static final String REPORTS_BUCKET = "photoscore-reports-example";

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path models;
    static Path root;

    @BeforeAll
    static void tablesTenantAndPack() throws IOException {
        UsageStoreTables.createIfMissing(DYNAMODB.client());
        new TenantAdmin(new TenantStore(DYNAMODB.client(), TenantStore.DEFAULT_TABLE))
                .create("events", Plan.DEFAULT, EVENTS_TENANT);
        models = TestModelPacks.smallNima(tmp.resolve("models"));
        root = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(root.resolve("template.yaml"))) {
            root = root.getParent();
        }
    }

    @Test
    void theApiFunctionAnswersTheMultipartEventAndMetersIt() throws IOException {
        Invocation invocation = invoke("ScoringFunction", "quality-post-multipart.json",
                "--env-vars", root.resolve("events/sam-local-env.json").toString());
        assertEquals(0, invocation.exit(), invocation.err());
        JsonNode response = JSON.readTree(invocation.out());
        assertEquals(200, response.path("statusCode").asInt(), invocation.out() + invocation.err());
        JsonNode body = JSON.readTree(response.path("body").asText());
        assertEquals("ok", body.path("status").asText());
        assertTrue(body.path("quality").path("class").asInt() >= 1, body.toString());
        UsageLedger ledger = new UsageLedger(DYNAMODB.client(), UsageLedger.DEFAULT_TABLE);
        assertTrue(ledger.records("demo-client", java.time.YearMonth.now(java.time.ZoneOffset.UTC)).stream()
                .anyMatch(r -> r.requestId().equals("Cx1bGhHhoAMEVfB=")), "metered in the table invoke was given");
    }

    @Test
    void theUploadFunctionScoresTheObjectTheEventAnnounces() throws IOException {
        try (LocalS3 s3 = LocalS3.start(UPLOADS_BUCKET); S3Client client = s3.newClient()) {
            // The object of events/s3-object-created.json: the JPEG of the multipart event (the ETag is its MD5).
            client.putObject(b -> b.bucket(UPLOADS_BUCKET).key("incoming/demo-client/2026/11/beach house.jpg"),
                    RequestBody.fromBytes(multipartEventPhoto()));
            Invocation invocation = invoke("UploadFunction", "s3-object-created.json",
                    "--env-vars", root.resolve("events/sam-local-env.json").toString(),
                    "--s3-endpoint", s3.endpoint().toString());
            assertEquals(0, invocation.exit(), invocation.err());
            assertEquals("\"{SCORED=1}\"", invocation.out().strip());
            JsonNode result = JSON.readTree(client.getObjectAsBytes(b -> b.bucket(UPLOADS_BUCKET)
                    .key("results/demo-client/2026/11/beach house.jpg.json")).asByteArray());
            assertEquals("ok", result.path("status").asText(), result.toString());
        }
    }

    @Test
    void theBillingFunctionWritesTheReportOfTheScheduledEventsMonth() throws IOException {
        Path envVars = tmp.resolve("billing-env.json");
        Files.writeString(envVars, "{\"MonthlyBillingFunction\": {\"REPORTS_BUCKET\": \"" + REPORTS_BUCKET + "\"}}");
        try (LocalS3 s3 = LocalS3.start(REPORTS_BUCKET); S3Client client = s3.newClient()) {
            Invocation invocation = invoke("MonthlyBillingFunction", "monthly-billing-scheduled.json",
                    "--env-vars", envVars.toString(), "--s3-endpoint", s3.endpoint().toString());
            assertEquals(0, invocation.exit(), invocation.err());
            JsonNode answer = JSON.readTree(invocation.out());
            assertEquals("2026-11", answer.path("month").asText(), "the month before the event's time");
            assertEquals(REPORTS_BUCKET, answer.path("bucket").asText());
            List<String> keys = new ArrayList<>();
            answer.path("keys").forEach(key -> keys.add(key.asText()));
            assertEquals(2, keys.size(), "CSV and JSON: " + invocation.out());
            String json = keys.stream().filter(key -> key.endsWith(".json")).findFirst().orElseThrow();
            JsonNode report = JSON.readTree(client.getObjectAsBytes(b -> b.bucket(REPORTS_BUCKET).key(json))
                    .asByteArray());
            assertEquals("2026-11", report.path("month").asText(), "the report in the bucket is the month's");
        }
    }

    @Test
    void aFunctionTheTemplateLacksIsRefusedWithTheOnesItHas() throws IOException {
        Invocation invocation = invoke("ScoreFunction", "quality-get-url.json");
        assertEquals(2, invocation.exit());
        assertTrue(invocation.err().contains("has no function ScoreFunction; its functions: ScoringFunction,"
                + " UploadFunction, MonthlyBillingFunction"), invocation.err());
    }

    @Test
    void aHandlerThatThrowsAnswersTheRuntimesErrorDocument() throws IOException {
        // Without REPORTS_BUCKET the billing function refuses to start, as it would in Lambda.
        Invocation invocation = invoke("MonthlyBillingFunction", "monthly-billing-scheduled.json");
        assertEquals(1, invocation.exit(), invocation.err());
        JsonNode error = JSON.readTree(invocation.out());
        assertEquals(IllegalStateException.class.getName(), error.path("errorType").asText());
        assertTrue(error.path("errorMessage").asText().contains("REPORTS_BUCKET"), invocation.out());
    }

    record Invocation(int exit, String out, String err) {
    }

    private static Invocation invoke(String function, String event, String... options) {
        List<String> args = new ArrayList<>(List.of("invoke", function,
                "-e", root.resolve("events").resolve(event).toString(),
                "-t", root.resolve("template.yaml").toString(),
                "--model-dir", models.toString(),
                "--dynamodb-endpoint", DYNAMODB.endpoint().toString()));
        args.addAll(List.of(options));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = PhotoscoreCommand.run(new PrintWriter(out, true), new PrintWriter(err, true),
                args.toArray(String[]::new));
        return new Invocation(exit, out.toString(), err.toString());
    }

    /** The photo field of events/quality-post-multipart.json's body: the bytes between its headers and boundary. */
    private static byte[] multipartEventPhoto() throws IOException {
        JsonNode event = JSON.readTree(root.resolve("events/quality-post-multipart.json").toFile());
        byte[] body = Base64.getDecoder().decode(event.path("body").asText());
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String boundary = text.substring(0, text.indexOf("\r\n"));
        int start = text.indexOf("\r\n\r\n") + 4;
        int end = text.indexOf("\r\n" + boundary, start);
        return java.util.Arrays.copyOfRange(body, start, end);
    }
}
