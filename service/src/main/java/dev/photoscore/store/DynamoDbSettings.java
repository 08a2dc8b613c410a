package dev.photoscore.store;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * How to reach the usage store's DynamoDB: endpoint, region, credentials, timeouts and retries. Builds
 * synchronous clients on the JDK's URL connection HTTP client, the smallest and fastest to start in a Lambda.
 *
 * <p>In AWS leave endpoint, region and credentials unset: the SDK takes them from the Lambda environment. Against
 * DynamoDB Local use {@link Builder#localEndpoint(URI)}. The timeouts bound how long a request waits before the API
 * answers 503 ({@link UsageStoreUnavailableException}); the defaults suit an API call.
 */
public final class DynamoDbSettings {

    /** The functions' environment variable that points them at another DynamoDB (DynamoDB Local). */
    public static final String ENDPOINT_VARIABLE = "DYNAMODB_ENDPOINT";

    /** Region and credentials for DynamoDB Local, which accepts any but still needs the request signed. */
    private static final Region LOCAL_REGION = Region.US_EAST_1;
    private static final AwsCredentialsProvider LOCAL_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

    private final URI endpointOverride;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final Duration connectionTimeout;
    private final Duration attemptTimeout;
    private final Duration callTimeout;
    private final int maxAttempts;

    private DynamoDbSettings(Builder builder) {
        this.endpointOverride = builder.endpointOverride;
        this.region = builder.region;
        this.credentials = builder.credentials;
        this.connectionTimeout = builder.connectionTimeout;
        this.attemptTimeout = builder.attemptTimeout;
        this.callTimeout = builder.callTimeout;
        this.maxAttempts = builder.maxAttempts;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A new client; the caller owns it and closes it. */
    public DynamoDbClient newClient() {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(connectionTimeout)
                        .socketTimeout(attemptTimeout))
                .overrideConfiguration(c -> c
                        .apiCallAttemptTimeout(attemptTimeout)
                        .apiCallTimeout(callTimeout)
                        .retryStrategy(r -> r.maxAttempts(maxAttempts)));
        if (endpointOverride != null) {
            builder.endpointOverride(endpointOverride);
        }
        if (region != null) {
            builder.region(region);
        }
        if (credentials != null) {
            builder.credentialsProvider(credentials);
        }
        return builder.build();
    }

    public static final class Builder {

        private URI endpointOverride;
        private Region region;
        private AwsCredentialsProvider credentials;
        private Duration connectionTimeout = Duration.ofSeconds(1);
        private Duration attemptTimeout = Duration.ofSeconds(2);
        private Duration callTimeout = Duration.ofSeconds(5);
        private int maxAttempts = 3;

        private Builder() {
        }

        /**
         * The endpoint an environment names in {@value DynamoDbSettings#ENDPOINT_VARIABLE} (DynamoDB Local under
         * {@code sam local}); unset or empty: the region's DynamoDB.
         */
        public Builder endpointFrom(Function<String, String> environment) {
            String endpoint = environment.apply(ENDPOINT_VARIABLE);
            return endpoint == null || endpoint.isBlank() ? this : endpointOverride(URI.create(endpoint.strip()));
        }

        /** Talks to this endpoint instead of the region's DynamoDB. */
        public Builder endpointOverride(URI endpoint) {
            this.endpointOverride = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /** DynamoDB Local at this endpoint, with the fixed region and dummy credentials it accepts. */
        public Builder localEndpoint(URI endpoint) {
            return endpointOverride(endpoint).region(LOCAL_REGION).credentials(LOCAL_CREDENTIALS);
        }

        /** Default: the SDK's region chain ({@code AWS_REGION} in a Lambda). */
        public Builder region(Region region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /** Default: the SDK's credentials chain (the function's role in a Lambda). */
        public Builder credentials(AwsCredentialsProvider credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /** How long opening a connection may take. Default 1 s. */
        public Builder connectionTimeout(Duration timeout) {
            this.connectionTimeout = positive(timeout, "connectionTimeout");
            return this;
        }

        /** How long one attempt of a call may take. Default 2 s. */
        public Builder attemptTimeout(Duration timeout) {
            this.attemptTimeout = positive(timeout, "attemptTimeout");
            return this;
        }

        /** How long a call may take, all its attempts and back-offs together. Default 5 s. */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = positive(timeout, "callTimeout");
            return this;
        }

        /** Attempts per call, the first included, for errors the SDK retries (throttling, 5xx, I/O). Default 3. */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        public DynamoDbSettings build() {
            return new DynamoDbSettings(this);
        }

        private static Duration positive(Duration timeout, String name) {
            Objects.requireNonNull(timeout, name);
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + timeout);
            }
            return timeout;
        }
    }
}
