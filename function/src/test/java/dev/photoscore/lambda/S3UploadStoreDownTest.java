package dev.photoscore.lambda;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import dev.photoscore.modelpack.testing.TestModelPacks;
import dev.photoscore.store.DynamoDbLocalExtension;
import dev.photoscore.store.UsageStoreUnavailableException;
import dev.photoscore.tenants.Plan;
import dev.photoscore.tenants.TenantAdmin;
import dev.photoscore.testing.LocalS3;
import dev.photoscore.testing.TestPhotos;
import dev.photoscore.uploads.UploadKeys;
import dev.photoscore.uploads.UploadScorer;
import dev.photoscore.wiring.ScoringServices;
import dev.photoscore.wiring.UsageStoreTables;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** A transient failure is thrown, for Lambda to retry the event, and leaves no result behind. */
class S3UploadStoreDownTest {

    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();

    @TempDir
    Path tmp;

    @Test
    void anUnavailableUsageStoreIsThrownAndNothingIsWritten() {
        UsageStoreTables.createIfMissing(DYNAMODB.client());
        String bucket = "photoscore-uploads-down";
        try (ScoringServices services = ScoringServices.builder().modelDir(TestModelPacks.smallNima(tmp))
                .dynamoDb(DYNAMODB.settings()).scorerThreads(1).build();
             LocalS3 localS3 = LocalS3.start(bucket);
             S3Client s3 = localS3.newClient()) {
            new TenantAdmin(services.tenants()).create("demo", Plan.DEFAULT,
                    S3UploadHandlerTest.credentials("demo-client"));
            S3UploadHandler handler = new S3UploadHandler(UploadScorer.builder().s3(s3).scorer(services.scorer())
                    .tenants(services.tenants()).meter(services.meter()).build());
            byte[] photo = TestPhotos.jpeg(TestPhotos.texturedRgb(480, 320, 11));
            String key = "incoming/demo-client/a.jpg";
            String eTag = s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(photo)).eTag()
                    .replace("\"", "");
            S3Event event = S3Events.objectCreated(bucket, key, (long) photo.length, eTag, null);

            DYNAMODB.stop();

            assertThrows(UsageStoreUnavailableException.class, () -> handler.handleRequest(event, null));
            assertTrue(s3.listObjectsV2(b -> b.bucket(bucket).prefix(UploadKeys.RESULTS)).contents().isEmpty(),
                    "no result for a photo that could not be metered");
        }
    }
}
