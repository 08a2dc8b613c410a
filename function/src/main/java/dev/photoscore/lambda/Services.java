package dev.photoscore.lambda;

import ai.djl.Device;
import dev.photoscore.api.QualityApi;
import dev.photoscore.demo.DemoPage;
import dev.photoscore.demo.SampleGallery;
import dev.photoscore.fetch.ImageFetcher;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.metering.UsageLedger;
import dev.photoscore.metering.UsageMeter;
import dev.photoscore.metrics.ServiceMetrics;
import dev.photoscore.scoring.MicroBatching;
import dev.photoscore.scoring.PhotoScorer;
import dev.photoscore.store.DynamoDbSettings;
import dev.photoscore.tenants.Authenticator;
import dev.photoscore.tenants.ClientCredentials;
import dev.photoscore.tenants.TenantStore;
import dev.photoscore.uploads.PhotoUploads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The service's parts, built once and wired together: the scorer on the model pack, DynamoDB, tenants, metering, the
 * URL fetcher, and the demo page beside the API. The Lambda builds them from its environment; the local service from
 * its flags.
 */
public final class Services implements AutoCloseable {

    /** Environment variables of the demo page: its tenant's client id and secret (both or neither: off). */
    public static final String DEMO_CLIENT_ID = "DEMO_CLIENT_ID";
    public static final String DEMO_CLIENT_SECRET = "DEMO_CLIENT_SECRET";
    /** Environment variable: the folder of the demo page's sample photos, used when it exists. */
    public static final String SAMPLES_DIR = "SAMPLES_DIR";

    /** Lambda's synchronous payload limit is 6 MB; after base64 and multipart framing about 4.4 MB of photo fit. */
    public static final long LAMBDA_MAX_DIRECT_UPLOAD_BYTES = 4_400_000L;
    /** How long a presigned upload URL works. */
    static final Duration UPLOAD_URL_VALIDITY = Duration.ofMinutes(15);

    private static final Logger LOG = LoggerFactory.getLogger(Services.class);

    private final PhotoScorer scorer;
    private final DynamoDbClient dynamoDb;
    private final TenantStore tenants;
    private final UsageMeter meter;
    private final ImageFetcher fetcher;
    private final ServiceMetrics metrics;
    private final QualityApi qualityApi;

    private Services(Builder builder) {
        // The samples folder first: a wrong one fails before the models load.
        SampleGallery gallery = builder.samples == null ? null
                : new SampleGallery(builder.samples, PhotoLimits.API_MIN_BYTES, builder.maxDirectUploadBytes);
        this.scorer = PhotoScorer.builder().modelDir(builder.modelDir).threads(builder.scorerThreads)
                .limits(PhotoLimits.api()).device(builder.scorerDevice).microBatching(builder.microBatching).build();
        LOG.info("decode budget for photos in flight: {} (a photo needing more decoded is answered 503)",
                scorer.decodeBudget());
        this.dynamoDb = builder.dynamoDb.newClient();
        this.tenants = new TenantStore(dynamoDb, builder.tenantsTable);
        this.meter = UsageMeter.builder(dynamoDb, tenants).usageTable(builder.usageTable).build();
        this.fetcher = ImageFetcher.builder().allowLoopback(builder.allowLoopbackUrls).build();
        this.metrics = builder.metrics;
        this.qualityApi = QualityApi.builder()
                .scorer(scorer)
                .authenticator(Authenticator.builder(tenants).cacheTtl(builder.tenantCacheTtl).build())
                .meter(meter)
                .fetcher(fetcher)
                .maxDirectUploadBytes(builder.maxDirectUploadBytes)
                .uploads(builder.uploads)
                .routes(new DemoPage(builder.demoTenant, gallery))
                .metrics(metrics)
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * From the Lambda's environment: {@code MODEL_DIR} (default /opt/models), {@code TENANTS_TABLE},
     * {@code USAGE_TABLE}, {@value DynamoDbSettings#ENDPOINT_VARIABLE} (only to point at DynamoDB Local),
     * {@code SCORER_THREADS}, {@code UPLOADS_BUCKET} (the upload flow for photos larger than a Lambda request
     * carries), and for the demo page {@value #DEMO_CLIENT_ID} with {@value #DEMO_CLIENT_SECRET} (empty: the demo is
     * off) and {@value #SAMPLES_DIR}; the metrics go to stdout in CloudWatch's embedded metric format
     * ({@link EmfMetrics}: {@value EmfMetrics#NAMESPACE_VARIABLE}, {@value EmfMetrics#SERVICE_VARIABLE}).
     */
    public static Services fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static Services fromEnvironment(Map<String, String> env) {
        Builder builder = builder()
                .modelDir(Path.of(env.getOrDefault("MODEL_DIR", "/opt/models")))
                .tenantsTable(env.getOrDefault("TENANTS_TABLE", TenantStore.DEFAULT_TABLE))
                .usageTable(env.getOrDefault("USAGE_TABLE", UsageLedger.DEFAULT_TABLE))
                .maxDirectUploadBytes(LAMBDA_MAX_DIRECT_UPLOAD_BYTES)
                .metrics(EmfMetrics.fromEnvironment(env));
        builder.dynamoDb(DynamoDbSettings.builder().endpointFrom(env::get).build());
        String uploadsBucket = env.get("UPLOADS_BUCKET");
        if (uploadsBucket != null && !uploadsBucket.isBlank()) {
            builder.uploads(new PhotoUploads(
                    S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build(),
                    S3Presigner.create(), uploadsBucket, UPLOAD_URL_VALIDITY, Clock.systemUTC()));
        }
        String threads = env.get("SCORER_THREADS");
        if (threads != null && !threads.isBlank()) {
            builder.scorerThreads(Integer.parseInt(threads.trim()));
        }
        builder.demoTenant(demoTenant(env));
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

    public QualityApi qualityApi() {
        return qualityApi;
    }

    public PhotoScorer scorer() {
        return scorer;
    }

    public TenantStore tenants() {
        return tenants;
    }

    public UsageMeter meter() {
        return meter;
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    public ImageFetcher fetcher() {
        return fetcher;
    }

    public ServiceMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        fetcher.close();
        dynamoDb.close();
        scorer.close();
    }

    public static final class Builder {
        private Path modelDir = PhotoScorer.Builder.defaultModelDir();
        private DynamoDbSettings dynamoDb = DynamoDbSettings.builder().build();
        private String tenantsTable = TenantStore.DEFAULT_TABLE;
        private String usageTable = UsageLedger.DEFAULT_TABLE;
        private int scorerThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private long maxDirectUploadBytes = PhotoLimits.API_MAX_BYTES;
        private boolean allowLoopbackUrls;
        private PhotoUploads uploads;
        private Device scorerDevice = Device.cpu();
        private MicroBatching microBatching;
        private ClientCredentials demoTenant;
        private Path samples;
        private Duration tenantCacheTtl = Duration.ofSeconds(Authenticator.Builder.DEFAULT_TTL_SECONDS);
        private ServiceMetrics metrics = ServiceMetrics.NONE;

        public Builder modelDir(Path modelDir) {
            this.modelDir = Objects.requireNonNull(modelDir);
            return this;
        }

        public Builder dynamoDb(DynamoDbSettings dynamoDb) {
            this.dynamoDb = Objects.requireNonNull(dynamoDb);
            return this;
        }

        public Builder tenantsTable(String table) {
            this.tenantsTable = Objects.requireNonNull(table);
            return this;
        }

        public Builder usageTable(String table) {
            this.usageTable = Objects.requireNonNull(table);
            return this;
        }

        /**
         * How long a tenant record read for authentication is kept (default a minute): a disabled tenant or a
         * rotated-out secret stops working within it. Zero: read at every request.
         */
        public Builder tenantCacheTtl(Duration ttl) {
            this.tenantCacheTtl = Objects.requireNonNull(ttl);
            return this;
        }

        public Builder scorerThreads(int threads) {
            this.scorerThreads = threads;
            return this;
        }

        /** Where the models run (default the CPU); see {@link PhotoScorer.Builder#device}. */
        public Builder scorerDevice(Device device) {
            this.scorerDevice = Objects.requireNonNull(device);
            return this;
        }

        /** Concurrent photos scored in batches (default off); see {@link PhotoScorer.Builder#microBatching}. */
        public Builder microBatching(MicroBatching microBatching) {
            this.microBatching = microBatching;
            return this;
        }

        public Builder maxDirectUploadBytes(long bytes) {
            this.maxDirectUploadBytes = bytes;
            return this;
        }

        /** Development only: let photo URLs point at this machine (127.0.0.0/8, ::1); never in production. */
        public Builder allowLoopbackUrls(boolean allow) {
            this.allowLoopbackUrls = allow;
            return this;
        }

        /** The upload flow for large photos (S3); without it {@code POST /v1/uploads} answers 501. */
        public Builder uploads(PhotoUploads uploads) {
            this.uploads = uploads;
            return this;
        }

        /**
         * The tenant the demo page scores with, whose credentials it hands to every visitor: a tenant of its own with
         * a small monthly cap. Default none: the page loads but says the demo is not set up.
         */
        public Builder demoTenant(ClientCredentials demoTenant) {
            this.demoTenant = demoTenant;
            return this;
        }

        /**
         * The folder of sample photos the demo page offers (its .jpg, .jpeg and .png files up to
         * {@link #maxDirectUploadBytes}); default none.
         */
        public Builder samples(Path samples) {
            this.samples = samples;
            return this;
        }

        /** Where photos scored and refused are counted; default nowhere. */
        public Builder metrics(ServiceMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics);
            return this;
        }

        public Services build() {
            return new Services(this);
        }
    }
}
