package dev.photoscore.lambda;

import dev.photoscore.image.PhotoLimits;
import dev.photoscore.metering.UsageLedger;
import dev.photoscore.scoring.DjlDefaults;
import dev.photoscore.scoring.PhotoScorer;
import dev.photoscore.wiring.ApiServices;
import dev.photoscore.wiring.ScoringServices;
import dev.photoscore.store.DynamoDbSettings;
import dev.photoscore.tenants.ClientCredentials;
import dev.photoscore.tenants.TenantStore;
import dev.photoscore.uploads.PhotoUploads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The Lambda functions' composition roots: each function's parts from the environment template.yaml gives it, and
 * only the parts that function uses. Every function scores with {@link #scoring}: {@code MODEL_DIR} (default
 * /opt/models), {@code TENANTS_TABLE}, {@code USAGE_TABLE}, {@value DynamoDbSettings#ENDPOINT_VARIABLE} (only to
 * point at DynamoDB Local), {@value #SCORER_THREADS}, and metrics to stdout in CloudWatch's embedded metric format
 * ({@link EmfMetrics}: {@value EmfMetrics#NAMESPACE_VARIABLE}, {@value EmfMetrics#SERVICE_VARIABLE}). The API
 * function adds {@link #api}; the S3 function its S3 client ({@link #s3Client}).
 */
public final class LambdaEnvironment {

    /** Environment variable: how many photos are scored at once (default one per processor). */
    public static final String SCORER_THREADS = "SCORER_THREADS";
    /** Environment variable: the uploads bucket (the API's upload flow for large photos; the S3 function's). */
    public static final String UPLOADS_BUCKET = "UPLOADS_BUCKET";
    /** Environment variables of the demo page: its tenant's client id and secret (both or neither: off). */
    public static final String DEMO_CLIENT_ID = "DEMO_CLIENT_ID";
    public static final String DEMO_CLIENT_SECRET = "DEMO_CLIENT_SECRET";
    /** Environment variable: the folder of the demo page's sample photos, used when it exists. */
    public static final String SAMPLES_DIR = "SAMPLES_DIR";

    /**
     * The largest photo a request to the API function carries: Lambda's synchronous payload limit is 6 MB, and
     * after base64 and multipart framing about 4.4 MB of photo fit. Larger photos take the upload flow.
     */
    public static final long MAX_DIRECT_UPLOAD_BYTES = 4_400_000L;
    /** How long a presigned upload URL works. */
    static final Duration UPLOAD_URL_VALIDITY = Duration.ofMinutes(15);

    private static final Logger LOG = LoggerFactory.getLogger(LambdaEnvironment.class);

    private LambdaEnvironment() {
    }

    /** What every function that scores needs, from its environment. */
    public static ScoringServices.Builder scoring(Map<String, String> env) {
        DjlDefaults.apply();
        int jit = JitLevel.current();
        if (JitLevel.hasC2(jit)) {
            LOG.info("JIT compilers: {}", JitLevel.describe(jit));
        } else {
            LOG.warn("JIT compilers: {}", JitLevel.describe(jit));
        }
        ScoringServices.Builder builder = ScoringServices.builder()
                .modelDir(PhotoScorer.Builder.modelDirFrom(env::get))
                .tenantsTable(env.getOrDefault("TENANTS_TABLE", TenantStore.DEFAULT_TABLE))
                .usageTable(env.getOrDefault("USAGE_TABLE", UsageLedger.DEFAULT_TABLE))
                .dynamoDb(DynamoDbSettings.builder().endpointFrom(env::get).build())
                .metrics(EmfMetrics.fromEnvironment(env));
        String threads = env.get(SCORER_THREADS);
        if (threads != null && !threads.isBlank()) {
            builder.scorerThreads(Integer.parseInt(threads.trim()));
        }
        return builder;
    }

    /**
     * The API function's parts: the scoring, the API on it with requests up to {@link #MAX_DIRECT_UPLOAD_BYTES}, the
     * upload flow when {@value #UPLOADS_BUCKET} names a bucket, and the demo page ({@value #DEMO_CLIENT_ID} with
     * {@value #DEMO_CLIENT_SECRET}, empty: the demo is off; {@value #SAMPLES_DIR}).
     */
    public static ApiServices api(Map<String, String> env) {
        ApiServices.Builder builder = ApiServices.builder(scoring(env))
                .maxDirectUploadBytes(MAX_DIRECT_UPLOAD_BYTES)
                .demoTenant(demoTenant(env));
        String uploadsBucket = env.get(UPLOADS_BUCKET);
        if (uploadsBucket != null && !uploadsBucket.isBlank()) {
            builder.uploads(new PhotoUploads(s3Client(), S3Presigner.create(), uploadsBucket,
                    PhotoLimits.api(), UPLOAD_URL_VALIDITY, Clock.systemUTC()));
        }
        String samples = env.get(SAMPLES_DIR);
        if (samples != null && !samples.isBlank()) {
            if (Files.isDirectory(Path.of(samples))) {
                builder.samples(Path.of(samples));
            } else {
                LOG.info("the demo page has no samples: {} {} is not a folder", SAMPLES_DIR, samples);
            }
        }
        return builder.build();
    }

    /** The S3 client of a function: one per function, over the JDK's HTTP client (the lightest to start). */
    public static S3Client s3Client() {
        return S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /** The demo tenant the environment names, or null when it names none. */
    private static ClientCredentials demoTenant(Map<String, String> env) {
        String clientId = env.getOrDefault(DEMO_CLIENT_ID, "").strip();
        String secret = env.getOrDefault(DEMO_CLIENT_SECRET, "").strip();
        if (clientId.isEmpty() != secret.isEmpty()) {
            throw new IllegalStateException(DEMO_CLIENT_ID + " and " + DEMO_CLIENT_SECRET
                    + " go together: set both for the demo page, or neither");
        }
        return clientId.isEmpty() ? null : new ClientCredentials(clientId, secret);
    }
}
