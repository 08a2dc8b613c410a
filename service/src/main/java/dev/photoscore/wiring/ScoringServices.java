package dev.photoscore.wiring;

import ai.djl.Device;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.metering.UsageLedger;
import dev.photoscore.metering.UsageMeter;
import dev.photoscore.metrics.ServiceMetrics;
import dev.photoscore.scoring.MicroBatching;
import dev.photoscore.scoring.PhotoScorer;
import dev.photoscore.service.ScorePhoto;
import dev.photoscore.store.DynamoDbSettings;
import dev.photoscore.tenants.TenantStore;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What every runtime that scores a tenant's photo needs, built once and wired together: the scorer on the model
 * pack, DynamoDB, the tenants, the meter, the metrics, and the use case {@link ScorePhoto} on them. The S3 function
 * wires these alone; the API's runtimes (the Lambda, the local and the GPU service) add theirs in
 * {@link ApiServices}.
 */
public final class ScoringServices implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScoringServices.class);

    private final PhotoScorer scorer;
    private final DynamoDbClient dynamoDb;
    private final TenantStore tenants;
    private final UsageMeter meter;
    private final ServiceMetrics metrics;
    private final ScorePhoto scorePhoto;

    private ScoringServices(Builder builder) {
        this.scorer = PhotoScorer.builder().modelDir(builder.modelDir).threads(builder.scorerThreads)
                .limits(PhotoLimits.api()).device(builder.scorerDevice).microBatching(builder.microBatching).build();
        LOG.info("decode budget for photos in flight: {} (a photo needing more decoded is refused until it frees)",
                scorer.decodeBudget());
        this.dynamoDb = builder.dynamoDb.newClient();
        this.tenants = new TenantStore(dynamoDb, builder.tenantsTable);
        this.meter = UsageMeter.builder(dynamoDb, tenants).usageTable(builder.usageTable).build();
        this.metrics = builder.metrics;
        this.scorePhoto = new ScorePhoto(scorer, meter, metrics);
    }

    public static Builder builder() {
        return new Builder();
    }

    public ScorePhoto scorePhoto() {
        return scorePhoto;
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

    public ServiceMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        dynamoDb.close();
        scorer.close();
    }

    public static final class Builder {
        private Path modelDir = PhotoScorer.Builder.defaultModelDir();
        private DynamoDbSettings dynamoDb = DynamoDbSettings.builder().build();
        private String tenantsTable = TenantStore.DEFAULT_TABLE;
        private String usageTable = UsageLedger.DEFAULT_TABLE;
        private int scorerThreads = PhotoScorer.Builder.defaultThreads();
        private Device scorerDevice = Device.cpu();
        private MicroBatching microBatching;
        private ServiceMetrics metrics = ServiceMetrics.NONE;

        private Builder() {
        }

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

        /** Where photos scored and refused are counted; default nowhere. */
        public Builder metrics(ServiceMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics);
            return this;
        }

        public ScoringServices build() {
            return new ScoringServices(this);
        }
    }
}
