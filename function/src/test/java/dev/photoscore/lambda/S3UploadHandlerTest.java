package dev.photoscore.lambda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.photoscore.image.DecodeBudget;
import dev.photoscore.image.DecodeCapacityException;
import dev.photoscore.metering.UsageLedger;
import dev.photoscore.metering.UsageMeter;
import dev.photoscore.metering.UsageRecord;
import dev.photoscore.metering.UsageSource;
import dev.photoscore.modelpack.testing.TestModelPacks;
import dev.photoscore.scoring.PhotoScore;
import dev.photoscore.scoring.PhotoScorer;
import dev.photoscore.service.ScoreJson;
import dev.photoscore.store.DynamoDbLocalExtension;
import dev.photoscore.tenants.ClientCredentials;
import dev.photoscore.tenants.Plan;
import dev.photoscore.tenants.TenantAdmin;
import dev.photoscore.testing.EmfLines;
import dev.photoscore.testing.LocalS3;
import dev.photoscore.testing.TestPhotos;
import dev.photoscore.uploads.UploadKeys;
import dev.photoscore.uploads.UploadScorer;
import dev.photoscore.uploads.UploadedObject;
import dev.photoscore.wiring.ScoringServices;
import dev.photoscore.wiring.UsageStoreTables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;

/** The upload trigger against S3 served in-process (S3Mock) and DynamoDB Local, fed with events/ files. */
class S3UploadHandlerTest {

    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();

    private static final String BUCKET = "photoscore-uploads-test";
    /** The month of the sample event's eventTime, 2026-11-26T09:30:00Z, and of its metering a minute later. */
    private static final YearMonth EVENT_MONTH = YearMonth.of(2026, 11);
    private static final Clock METERING_CLOCK = Clock.fixed(Instant.parse("2026-11-26T09:31:00Z"), ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static LocalS3 localS3;
    static S3Client s3;
    static ScoringServices services;
    static UsageLedger ledger;
    static S3UploadHandler handler;

    @BeforeAll
    static void start() {
        UsageStoreTables.createIfMissing(DYNAMODB.client());
        services = ScoringServices.builder().modelDir(TestModelPacks.smallNima(tmp))
                .dynamoDb(DYNAMODB.settings()).scorerThreads(1).build();
        ledger = new UsageLedger(DYNAMODB.client(), UsageLedger.DEFAULT_TABLE);
        TenantAdmin admin = new TenantAdmin(services.tenants());
        admin.create("demo", Plan.DEFAULT, credentials("demo-client"));
        admin.create("capped", new Plan(500, Plan.DEFAULT_PRICE_PER_THOUSAND, OptionalLong.of(1)),
                credentials("capped-client"));
        admin.create("paused", Plan.DEFAULT, credentials("paused-client"));
        admin.disable("paused-client");
        admin.create("fallback", Plan.DEFAULT, credentials("fallback-client"));
        localS3 = LocalS3.start(BUCKET);
        s3 = localS3.newClient();
        handler = handler(null, 0);
    }

    @AfterAll
    static void stop() {
        s3.close();
        localS3.close();
        services.close();
    }

    static ClientCredentials credentials(String clientId) {
        return new ClientCredentials(clientId, "secret-of-" + clientId + "-0123456789");
    }

    static S3UploadHandler handler(String defaultTenant, int rejectBelowClass) {
        return new S3UploadHandler(UploadScorer.builder().s3(s3).scorer(services.scorer())
                .tenants(services.tenants())
                .meter(meter()).defaultTenant(defaultTenant)
                .rejectBelowClass(rejectBelowClass).build());
    }

    /**
     * A meter on the sample event's clock: every test meters in {@link #EVENT_MONTH} (a photo metered later would
     * move its tenant's later photos to that later month, the month rule).
     */
    static UsageMeter meter() {
        return UsageMeter.builder(DYNAMODB.client(), services.tenants()).clock(METERING_CLOCK).build();
    }

    static byte[] photo(long seed) {
        return TestPhotos.jpeg(TestPhotos.texturedRgb(480, 320, seed));
    }

    /** Puts the object and returns the event S3 would send for it (unversioned: identified by its ETag). */
    static S3Event put(String key, byte[] bytes, String tagging) {
        String eTag = s3.putObject(b -> b.bucket(BUCKET).key(key).tagging(tagging), RequestBody.fromBytes(bytes))
                .eTag().replace("\"", "");
        return S3Events.objectCreated(BUCKET, key, (long) bytes.length, eTag, null);
    }

    static JsonNode result(String key) throws Exception {
        return JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray());
    }

    static Map<String, String> tags(String key) {
        return s3.getObjectTagging(b -> b.bucket(BUCKET).key(key)).tagSet().stream()
                .collect(Collectors.toMap(Tag::key, Tag::value));
    }

    static boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket(BUCKET).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    static List<UsageRecord> records(String tenant, String requestId) {
        return ledger.records(tenant, EVENT_MONTH).stream().filter(r -> r.requestId().equals(requestId)).toList();
    }

    static String requestId(S3Event event) {
        return S3UploadHandler.uploadedObject(event.getRecords().get(0)).requestId();
    }

    @Test
    void theSampleEventReadsAsTheRuntimeDeliversIt() {
        UploadedObject object = S3UploadHandler.uploadedObject(S3Events.objectCreated("photoscore-uploads-example",
                "incoming/demo-client/2026/11/beach house.jpg", 34_715L, "7192ffafaffc506022e57b1f15e3ceed", null)
                .getRecords().get(0));
        assertEquals("incoming/demo-client/2026/11/beach house.jpg", object.key(), "decoded: '+' is a space");
        assertEquals(OptionalLong.of(34_715), object.size());
        assertEquals(Instant.parse("2026-11-26T09:30:00Z"), object.eventTime());
        assertEquals(null, object.versionId());
    }

    @Test
    void aPhotoUnderItsTenantsFolderIsScoredTaggedMeteredAndGetsAResult() throws Exception {
        String key = "incoming/demo-client/2026/11/beach house.jpg";
        byte[] bytes = photo(1);
        S3Event event = put(key, bytes, "owner=alice");

        assertEquals("{SCORED=1}", handler.handleRequest(event, null));

        PhotoScore expected = services.scorer().score(bytes);
        JsonNode result = result("results/demo-client/2026/11/beach house.jpg.json");
        assertEquals("ok", result.path("status").asText());
        assertEquals(expected.score(), result.path("quality").path("score").asDouble());
        assertEquals(expected.qualityClass(), result.path("quality").path("class").asInt());
        // The API's view of the score, details and all: the same JSON wherever a score is shown.
        assertEquals(ScoreJson.score(expected, true).path("details"), result.path("details"));
        assertTrue(result.path("details").has("aesthetic"), result.toString());
        assertEquals(key, result.path("object").path("key").asText());
        assertEquals("demo-client", result.path("tenant").asText());
        assertEquals(requestId(event), result.path("requestId").asText());
        assertEquals(Map.of("owner", "alice",
                UploadScorer.SCORE_TAG, String.format(Locale.ROOT, "%.4f", expected.score()),
                UploadScorer.CLASS_TAG, Integer.toString(expected.qualityClass())), tags(key));

        List<UsageRecord> metered = records("demo-client", requestId(event));
        assertEquals(1, metered.size(), "metered in the month of the event's time");
        assertEquals(UsageSource.S3, metered.get(0).source());
        assertEquals(metered.get(0).monthCount(), result.path("usage").path("monthCount").asLong());
    }

    @Test
    void aDuplicateEventIsChargedOnceAndAnswersTheSame() throws Exception {
        String key = "incoming/demo-client/duplicate.jpg";
        S3Event event = put(key, photo(2), "");
        long before = services.tenants().find("demo-client").orElseThrow().lifetimePhotos();

        handler.handleRequest(event, null);
        byte[] first = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("results/demo-client/duplicate.jpg.json"))
                .asByteArray();
        handler.handleRequest(event, null);
        handler.handleRequest(S3Events.objectCreated(BUCKET, key, null, event.getRecords().get(0).getS3().getObject()
                .geteTag(), null), null);
        byte[] again = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("results/demo-client/duplicate.jpg.json"))
                .asByteArray();

        assertEquals(1, records("demo-client", requestId(event)).size());
        assertEquals(before + 1, services.tenants().find("demo-client").orElseThrow().lifetimePhotos());
        assertArrayEquals(first, again, "a redelivered event writes the same result");

        // Other content under the same key is another photo: charged again, under another request id.
        S3Event replaced = put(key, photo(3), "");
        handler.handleRequest(replaced, null);
        assertFalse(requestId(event).equals(requestId(replaced)));
        assertEquals(1, records("demo-client", requestId(replaced)).size());
        assertEquals(before + 2, services.tenants().find("demo-client").orElseThrow().lifetimePhotos());
        // The first version's event, delivered late, finds its content gone (the ETag no longer matches).
        assertEquals("{SKIPPED=1}", handler.handleRequest(event, null));
    }

    @Test
    void badObjectsGetAnErrorResultAndNoCharge() throws Exception {
        byte[] text = "not a photo ".repeat(3000).getBytes(StandardCharsets.US_ASCII);
        byte[] tiny = TestPhotos.jpeg(TestPhotos.texturedRgb(40, 40, 4));
        byte[] tooLarge = TestPhotos.paddedTo(photo(5), 11 * 1024 * 1024);
        Map<String, S3Event> events = Map.of(
                "incoming/demo-client/notes.jpg", put("incoming/demo-client/notes.jpg", text, ""),
                "incoming/demo-client/tiny.jpg", put("incoming/demo-client/tiny.jpg", tiny, ""),
                "incoming/demo-client/huge.jpg", put("incoming/demo-client/huge.jpg", tooLarge, ""));
        // The same large object announced without a size: refused from GetObject's headers, the body unread.
        S3Event huge = events.get("incoming/demo-client/huge.jpg");
        S3Event hugeWithoutSize = S3Events.objectCreated(BUCKET, "incoming/demo-client/huge.jpg", null,
                huge.getRecords().get(0).getS3().getObject().geteTag(), null);
        Map<String, String> messages = Map.of(
                "incoming/demo-client/notes.jpg", "not a JPEG or PNG",
                "incoming/demo-client/tiny.jpg", "must be larger than 20 KB",
                "incoming/demo-client/huge.jpg", "must be smaller than 10 MB");
        for (Map.Entry<String, S3Event> entry : events.entrySet()) {
            for (S3Event event : entry.getKey().endsWith("huge.jpg") ? List.of(entry.getValue(), hugeWithoutSize)
                    : List.of(entry.getValue())) {
                assertEquals("{REFUSED=1}", handler.handleRequest(event, null), entry.getKey());
                JsonNode result = result(UploadKeys.resultKey(entry.getKey()));
                assertEquals("error", result.path("status").asText());
                assertTrue(result.path("message").asText().contains(messages.get(entry.getKey())),
                        result.path("message").asText());
                assertTrue(records("demo-client", requestId(event)).isEmpty(), entry.getKey() + " was charged");
                assertFalse(tags(entry.getKey()).containsKey(UploadScorer.SCORE_TAG));
            }
        }
    }

    @Test
    void theTenantComesFromTheKeyOrTheDefaultAndMustBeActive() throws Exception {
        Map<String, String> refusals = Map.of(
                "incoming/nobody/a.jpg", "no tenant has client id nobody",
                "incoming/paused-client/a.jpg", "the tenant paused-client is disabled",
                "incoming/a.jpg", "no tenant: put photos under incoming/<client id>/");
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            S3Event event = put(refusal.getKey(), photo(6), "");
            assertEquals("{REFUSED=1}", handler.handleRequest(event, null), refusal.getKey());
            assertEquals(refusal.getValue(), result(UploadKeys.resultKey(refusal.getKey())).path("message").asText());
        }
        S3Event direct = put("incoming/direct.jpg", photo(7), "");
        assertEquals("{SCORED=1}", handler("fallback-client", 0).handleRequest(direct, null));
        assertEquals(1, records("fallback-client", requestId(direct)).size());
        assertEquals("fallback-client", result("results/direct.jpg.json").path("tenant").asText());
    }

    @Test
    void aTenantsMonthlyCapRefusesFurtherPhotos() throws Exception {
        S3Event first = put("incoming/capped-client/1.jpg", photo(8), "");
        S3Event second = put("incoming/capped-client/2.jpg", photo(9), "");
        assertEquals("{SCORED=1}", handler.handleRequest(first, null));
        assertEquals("{REFUSED=1}", handler.handleRequest(second, null));
        assertEquals("the monthly cap of 1 photos is reached for 2026-11",
                result("results/capped-client/2.jpg.json").path("message").asText());
        assertEquals(1, ledger.records("capped-client", EVENT_MONTH).size());
        // The photo within the cap, delivered again, is still answered: it was metered before the cap was reached.
        assertEquals("{SCORED=1}", handler.handleRequest(first, null));
    }

    @Test
    void photosBelowTheModerationClassMoveToRejected() throws Exception {
        byte[] bytes = photo(10);
        int quality = services.scorer().score(bytes).qualityClass();
        String key = "incoming/demo-client/moderated.jpg";
        S3Event event = put(key, bytes, "owner=bob");

        assertEquals("{REJECTED=1}", handler(null, Math.min(5, quality + 1)).handleRequest(event, null));

        assertFalse(exists(key));
        assertTrue(exists("rejected/demo-client/moderated.jpg"));
        assertEquals(Integer.toString(quality), tags("rejected/demo-client/moderated.jpg").get(UploadScorer.CLASS_TAG));
        assertEquals("bob", tags("rejected/demo-client/moderated.jpg").get("owner"));
        JsonNode result = result("results/demo-client/moderated.jpg.json");
        assertEquals("rejected/demo-client/moderated.jpg", result.path("movedTo").asText());
        // Delivered again: the photo has moved on; the result stays, the charge stays single.
        assertEquals("{SKIPPED=1}", handler(null, Math.min(5, quality + 1)).handleRequest(event, null));
        assertEquals(result, result("results/demo-client/moderated.jpg.json"));
        assertEquals(1, records("demo-client", requestId(event)).size());
    }

    @Test
    void snapStartPrimingReadsTheBucketAndWritesNothing() {
        List<String> before = s3.listObjectsV2(b -> b.bucket(BUCKET)).contents().stream().map(o -> o.key()).toList();
        SnapStartPriming priming = S3UploadHandler.priming(services, s3, BUCKET);
        priming.beforeCheckpoint(null);
        priming.afterRestore(null);
        assertEquals(before, s3.listObjectsV2(b -> b.bucket(BUCKET)).contents().stream().map(o -> o.key()).toList());
        assertTrue(services.tenants().find(S3UploadHandler.PRIMING_TENANT).isEmpty());
    }

    @Test
    void whatIsNotANewPhotoUnderIncomingIsLeftAlone() {
        S3Event outside = put("results/demo-client/a.jpg.json", "{}".getBytes(StandardCharsets.UTF_8), "");
        assertEquals("{SKIPPED=1}", handler.handleRequest(outside, null));
        S3Event gone = S3Events.objectCreated(BUCKET, "incoming/demo-client/never-there.jpg", 50_000L,
                "0123456789abcdef0123456789abcdef", null);
        assertEquals("{SKIPPED=1}", handler.handleRequest(gone, null));
        assertFalse(exists("results/demo-client/never-there.jpg.json"));
        S3Event removed = S3Events.event("ObjectRemoved:Delete", BUCKET, "incoming/demo-client/x.jpg", null,
                "0123456789abcdef0123456789abcdef", null);
        assertEquals("{SKIPPED=1}", handler.handleRequest(removed, null));
    }

    /** The trigger's metrics, as the Lambda writes them: a scored upload and a refused one, by service "uploads". */
    @Test
    void scoredAndRefusedUploadsAreCountedInTheMetrics() throws Exception {
        S3UploadHandler counted = new S3UploadHandler(UploadScorer.builder().s3(s3).scorer(services.scorer())
                .tenants(services.tenants()).meter(meter())
                .metrics(new EmfMetrics("photoscore/test", "uploads")).build());
        S3Event scored = put("incoming/demo-client/metrics/scored.jpg", photo(41), "");
        S3Event refused = put("incoming/no-such-client/metrics/refused.jpg", photo(42), "");
        List<EmfLines.Document> documents = new ArrayList<>();
        EmfLines.capture(documents, () -> List.of(counted.handleRequest(scored, null),
                counted.handleRequest(refused, null)));

        assertEquals(3, documents.size(), documents.toString());
        Map<String, String> uploads = Map.of(EmfMetrics.SERVICE_DIMENSION, "uploads");
        assertEquals(List.of(uploads), documents.get(0).dimensions());
        assertTrue(documents.get(0).values().get(EmfMetrics.MODEL_LATENCY) > 0, documents.get(0).toString());
        assertEquals(Map.of(EmfMetrics.PHOTOS_SCORED, 1.0), documents.get(1).values());
        assertEquals(Map.of(EmfMetrics.PHOTOS_REFUSED, 1.0), documents.get(2).values());
        assertEquals(List.of(uploads, Map.of(EmfMetrics.SERVICE_DIMENSION, "uploads", EmfMetrics.REASON_DIMENSION,
                "UNKNOWN_TENANT")), documents.get(2).dimensions());
    }

    @Test
    void noMemoryForAPhotoNowIsRetriedByLambdaAndNeverIsAnErrorResult() throws Exception {
        String key = "incoming/demo-client/busy.jpg";
        S3Event event = put(key, photo(9), "");
        DecodeBudget budget = services.scorer().decodeBudget();
        try (DecodeBudget.Lease taken = budget.admit(budget.capacity())) {
            DecodeCapacityException busy = assertThrows(DecodeCapacityException.class,
                    () -> handler.handleRequest(event, null));
            assertTrue(busy.retryAfterSeconds().isPresent());
        }
        assertFalse(exists(UploadKeys.resultKey(key)), "no result while Lambda retries");
        assertTrue(records("demo-client", requestId(event)).isEmpty());
        assertEquals("{SCORED=1}", handler.handleRequest(event, null), "Lambda's retry");

        try (PhotoScorer tiny = PhotoScorer.builder().modelDir(TestModelPacks.smallNima(tmp.resolve("tiny")))
                .threads(1).decodeBudget(DecodeBudget.of(1000, Duration.ZERO)).build()) {
            String never = "incoming/demo-client/never.jpg";
            S3Event neverEvent = put(never, photo(10), "");
            S3UploadHandler tinyHandler = new S3UploadHandler(UploadScorer.builder().s3(s3).scorer(tiny)
                    .tenants(services.tenants()).meter(meter()).build());
            assertEquals("{REFUSED=1}", tinyHandler.handleRequest(neverEvent, null));
            assertTrue(result(UploadKeys.resultKey(never)).path("message").asText().contains("whole budget"));
            assertTrue(records("demo-client", requestId(neverEvent)).isEmpty());
        }
    }
}
