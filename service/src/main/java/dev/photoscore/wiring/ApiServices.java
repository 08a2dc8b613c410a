package dev.photoscore.wiring;

import dev.photoscore.api.QualityApi;
import dev.photoscore.demo.DemoPage;
import dev.photoscore.demo.SampleGallery;
import dev.photoscore.fetch.ImageFetcher;
import dev.photoscore.tenants.Authenticator;
import dev.photoscore.tenants.ClientCredentials;
import dev.photoscore.uploads.PhotoUploads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The API's runtimes' parts (the API Lambda, the local service, the GPU service): the {@link ScoringServices}, the
 * URL fetcher, and the {@link QualityApi} on them with the demo page beside it. Each runtime builds it from its own
 * settings (the Lambda from its environment, the local service from its flags).
 */
public final class ApiServices implements AutoCloseable {

    private final ScoringServices scoring;
    private final ImageFetcher fetcher;
    private final QualityApi qualityApi;

    private ApiServices(Builder builder) {
        // The samples folder first: a wrong one fails before the models load.
        Path samples = builder.samples;
        if (samples != null && !java.nio.file.Files.isDirectory(samples)) {
            throw new IllegalArgumentException("the samples folder " + samples + " is not a folder");
        }
        this.scoring = builder.scoring.build();
        try {
            SampleGallery gallery = samples == null ? null
                    : new SampleGallery(samples, scoring.scorer().limits(), builder.maxDirectUploadBytes);
            this.fetcher = ImageFetcher.builder().allowLoopback(builder.allowLoopbackUrls)
                    .maxBytes(scoring.scorer().limits().maxBytesExclusive()).build();
            this.qualityApi = QualityApi.builder()
                    .scorer(scoring.scorer())
                    .authenticator(Authenticator.builder(scoring.tenants()).cacheTtl(builder.tenantCacheTtl).build())
                    .meter(scoring.meter())
                    .fetcher(fetcher)
                    .maxDirectUploadBytes(builder.maxDirectUploadBytes)
                    .uploads(builder.uploads)
                    .routes(new DemoPage(builder.demoTenant, gallery, scoring.scorer().limits()))
                    .metrics(scoring.metrics())
                    .build();
        } catch (RuntimeException e) {
            scoring.close();
            throw e;
        }
    }

    /** The API on these scoring services, built with them. */
    public static Builder builder(ScoringServices.Builder scoring) {
        return new Builder(scoring);
    }

    public QualityApi qualityApi() {
        return qualityApi;
    }

    public ScoringServices scoring() {
        return scoring;
    }

    public ImageFetcher fetcher() {
        return fetcher;
    }

    @Override
    public void close() {
        try (scoring) {
            fetcher.close();
        }
    }

    public static final class Builder {
        private final ScoringServices.Builder scoring;
        private long maxDirectUploadBytes = Long.MAX_VALUE;
        private boolean allowLoopbackUrls;
        private PhotoUploads uploads;
        private ClientCredentials demoTenant;
        private Path samples;
        private Duration tenantCacheTtl = Duration.ofSeconds(Authenticator.Builder.DEFAULT_TTL_SECONDS);

        private Builder(ScoringServices.Builder scoring) {
            this.scoring = Objects.requireNonNull(scoring);
        }

        /**
         * How long a tenant record read for authentication is kept (default a minute): a disabled tenant or a
         * rotated-out secret stops working within it. Zero: read at every request.
         */
        public Builder tenantCacheTtl(Duration ttl) {
            this.tenantCacheTtl = Objects.requireNonNull(ttl);
            return this;
        }

        /** The largest photo a request body may carry; default none beyond the photo limits. */
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

        /** The folder of sample photos the demo page offers (those the API takes directly); default none. */
        public Builder samples(Path samples) {
            this.samples = samples;
            return this;
        }

        public ApiServices build() {
            return new ApiServices(this);
        }
    }
}
