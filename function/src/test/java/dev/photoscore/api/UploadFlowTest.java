package dev.photoscore.api;

import static dev.photoscore.testing.TestPhotos.jpeg;
import static dev.photoscore.testing.TestPhotos.paddedTo;
import static dev.photoscore.testing.TestPhotos.texturedRgb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.lambda.LambdaEnvironment;
import dev.photoscore.modelpack.testing.TestModelPacks;
import dev.photoscore.wiring.ApiServices;
import dev.photoscore.wiring.ScoringServices;
import dev.photoscore.store.DynamoDbLocalExtension;
import dev.photoscore.tenants.ClientCredentials;
import dev.photoscore.tenants.TenantAdmin;
import dev.photoscore.testing.LocalS3;
import dev.photoscore.uploads.PhotoUploads;
import dev.photoscore.wiring.UsageStoreTables;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The upload flow for large photos, against an S3-compatible server in-process: POST /v1/uploads, PUT to the
 * presigned URL, GET /v1/quality_ugc?upload_id=.
 */
class UploadFlowTest {

    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();

    @TempDir
    static Path tmp;

    static LocalS3 s3;
    static S3Client s3Client;
    static ApiServices services;
    static QualityApi api;
    static ClientCredentials tenant;
    static ClientCredentials other;

    @BeforeAll
    static void start() {
        s3 = LocalS3.start("uploads");
        s3Client = s3.newClient();
        S3Presigner presigner = S3Presigner.builder()
                .endpointOverride(s3.endpoint())
                .region(Region.US_EAST_1)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
        UsageStoreTables.createIfMissing(DYNAMODB.client());
        services = ApiServices.builder(ScoringServices.builder().modelDir(TestModelPacks.smallNima(tmp))
                .dynamoDb(DYNAMODB.settings()).scorerThreads(1))
                .maxDirectUploadBytes(LambdaEnvironment.MAX_DIRECT_UPLOAD_BYTES)
                .uploads(new PhotoUploads(s3Client, presigner, "uploads", PhotoLimits.api(),
                        Duration.ofMinutes(15), Clock.systemUTC()))
                .build();
        api = services.qualityApi();
        TenantAdmin admin = new TenantAdmin(services.scoring().tenants());
        tenant = admin.create("big photos");
        other = admin.create("someone else");
    }

    @AfterAll
    static void stop() {
        services.close();
        s3Client.close();
        s3.close();
    }

    static ApiRequest newUpload(ClientCredentials who, String query) {
        return QualityApiTest.request("POST", QualityApi.UPLOADS_PATH, who, query, Map.of(), new byte[0],
                "up-" + System.nanoTime());
    }

    @Test
    void aPhotoTooLargeForLambdaIsScoredThroughAnUpload() throws Exception {
        byte[] large = paddedTo(jpeg(texturedRgb(640, 480, 7)), 5_000_000);
        ApiResponse direct = api.handle(QualityApiTest.post(tenant, "", large, "data"));
        QualityApiTest.assertError(direct, 413, "POST /v1/uploads");

        ApiResponse ticket = api.handle(newUpload(tenant, "size=" + large.length));
        JsonNode body = QualityApiTest.json(ticket);
        assertEquals(200, ticket.status(), body.toString());
        String uploadId = body.path("upload_id").asText();
        URI url = URI.create(body.path("upload_url").asText());
        assertTrue(URLDecoder.decode(url.getQuery(), StandardCharsets.UTF_8).contains("content-length"),
                "the size is signed, so S3 refuses any other: " + url);
        assertEquals(Long.toString(large.length), body.path("headers").path("Content-Length").asText());
        assertTrue(Instant.parse(body.path("expires_at").asText()).isAfter(Instant.now()));

        HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url)
                .header("Content-Type", body.path("headers").path("Content-Type").asText())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(large)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());

        ApiResponse scored = api.handle(QualityApiTest.get(tenant, "upload_id=" + uploadId));
        assertEquals(200, scored.status(), scored.bodyText());
        assertEquals("ok", QualityApiTest.json(scored).path("status").asText());

        // Another client cannot score it: uploads are kept per client.
        QualityApiTest.assertError(api.handle(QualityApiTest.get(other, "upload_id=" + uploadId)), 404, "no upload");
    }

    /**
     * An upload the bucket no longer has (the lifecycle rule expires uploads after a day) is a 404, as for an unknown
     * id: S3 answers NoSuchKey to a caller that may list the prefix, which the template grants the scoring function
     * (s3:ListBucket on uploads/*); without it S3 would answer 403 and this would be a 500.
     */
    @Test
    void anExpiredUploadIsNotFound() throws Exception {
        byte[] photo = paddedTo(jpeg(texturedRgb(640, 480, 11)), 300_000);
        JsonNode ticket = QualityApiTest.json(api.handle(newUpload(tenant, "size=" + photo.length)));
        HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(ticket.path("upload_url").asText()))
                .header("Content-Type", ticket.path("headers").path("Content-Type").asText())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(photo)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());
        String uploadId = ticket.path("upload_id").asText();
        s3Client.deleteObject(b -> b.bucket("uploads").key(PhotoUploads.PREFIX + tenant.clientId() + "/" + uploadId));

        QualityApiTest.assertError(api.handle(QualityApiTest.get(tenant, "upload_id=" + uploadId)), 404,
                "uploads expire after a day");
    }

    @Test
    void badUploadRequests() throws IOException {
        QualityApiTest.assertError(api.handle(newUpload(tenant, "")), 400, "size");
        QualityApiTest.assertError(api.handle(newUpload(tenant, "size=12")), 400, "more than 20 KB");
        QualityApiTest.assertError(api.handle(newUpload(tenant, "size=10485760")), 413, "less than 10 MB");
        QualityApiTest.assertError(api.handle(QualityApiTest.get(tenant, "upload_id=../../etc/passwd")), 400,
                "upload id");
        QualityApiTest.assertError(api.handle(QualityApiTest.get(tenant,
                "upload_id=123e4567-e89b-12d3-a456-426614174000")), 404, "PUT the photo");
        QualityApiTest.assertError(api.handle(QualityApiTest.request("GET", QualityApi.UPLOADS_PATH, tenant, "",
                Map.of(), new byte[0], "x")), 405, "");
    }
}
