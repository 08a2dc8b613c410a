package dev.photoscore.local.service;

import dev.photoscore.api.Routes;
import dev.photoscore.dynamodblocal.DynamoDbLocal;
import dev.photoscore.http.ApiServer;
import dev.photoscore.http.ServerSettings;
import dev.photoscore.metering.UsageLedger;
import dev.photoscore.wiring.ApiServices;
import dev.photoscore.wiring.ScoringServices;
import dev.photoscore.store.DynamoDbSettings;
import dev.photoscore.tenants.ClientCredentials;
import dev.photoscore.tenants.Plan;
import dev.photoscore.tenants.TenantAdmin;
import dev.photoscore.tenants.TenantStore;
import dev.photoscore.wiring.UsageStoreTables;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Everything the service needs on one machine: DynamoDB Local in-process (in memory, or files under a folder), the
 * tables, a demo tenant, the services the Lambda builds (the API and the demo page beside it, with the demo tenant's
 * credentials and the samples folder) and the HTTP server ({@link ApiServer}) in front of them. The {@code serve}
 * command and the tests start it the same way.
 */
public final class LocalDeployment implements AutoCloseable {

    private final Path dynamoDbDir;
    private final URI dynamoDbEndpoint;
    private final ApiServices services;
    private final ApiServer http;
    private final ClientCredentials demoTenant;
    /** Null while stopped. */
    private DynamoDbLocal dynamoDb;
    private boolean closed;

    private LocalDeployment(DynamoDbLocal dynamoDb, Path dynamoDbDir, ApiServices services, ApiServer http,
                            ClientCredentials demoTenant) {
        this.dynamoDb = dynamoDb;
        this.dynamoDbDir = dynamoDbDir;
        this.dynamoDbEndpoint = dynamoDb.endpoint();
        this.services = services;
        this.http = http;
        this.demoTenant = demoTenant;
    }

    public static Builder builder() {
        return new Builder();
    }

    public URI baseUrl() {
        InetSocketAddress address = http.address();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort());
    }

    /** Where DynamoDB Local listens, for the {@code tenants} and {@code billing} commands; the same after a restart. */
    public URI dynamoDbEndpoint() {
        return dynamoDbEndpoint;
    }

    public ClientCredentials demoTenant() {
        return demoTenant;
    }

    public ApiServices services() {
        return services;
    }

    /**
     * Stops DynamoDB Local, as if the usage store went down: the service keeps running and answers 503 wherever it
     * needs the store. For fault tests and demonstrations.
     */
    public synchronized void stopDynamoDb() {
        if (dynamoDb != null) {
            dynamoDb.close();
            dynamoDb = null;
        }
    }

    /**
     * Starts DynamoDB Local again where it was: the same port, the same files (so only a deployment with
     * {@link Builder#dynamoDbDir} has its tables back; an in-memory one would come back empty).
     */
    public synchronized void restartDynamoDb() {
        if (dynamoDbDir == null) {
            throw new IllegalStateException("DynamoDB Local keeps its tables in memory here: they would not come back");
        }
        if (dynamoDb == null) {
            dynamoDb = DynamoDbLocal.start(dynamoDbDir, dynamoDbEndpoint.getPort());
        }
    }

    /**
     * Stops the HTTP server gracefully (the requests in flight are answered), then the services and DynamoDB Local.
     * Once: a second call (a shutdown hook, then the code that started it) does nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (services) {
            http.close();
        } finally {
            stopDynamoDb();
        }
    }

    public static final class Builder {
        private final ServerSettings.Builder server = ServerSettings.builder();
        private Path modelDir;
        private Path dynamoDbDir;
        private ClientCredentials demoTenant;
        private Integer scorerThreads;
        private boolean allowLoopbackUrls;
        private Path samples;
        /**
         * The tenants command changes the tables beside the service: with no cache it sees a disabled tenant or a
         * rotated secret at the next request (the Lambda caches tenants for a minute). One read of DynamoDB Local
         * in this process per request is small beside the scoring.
         */
        private Duration tenantCacheTtl = Duration.ZERO;

        /** Default 127.0.0.1. */
        public Builder host(String host) {
            server.host(host);
            return this;
        }

        /** Default 8080; 0: any free port. */
        public Builder port(int port) {
            server.port(port);
            return this;
        }

        /** Default 16 (ServerSettings); 0: no limit, for a proxy in front that every connection comes from. */
        public Builder connectionsPerClient(int connections) {
            server.connectionsPerClient(connections);
            return this;
        }

        public Builder modelDir(Path modelDir) {
            this.modelDir = Objects.requireNonNull(modelDir);
            return this;
        }

        /** Keep DynamoDB Local's tables in files under this folder; default in memory. */
        public Builder dynamoDbDir(Path dynamoDbDir) {
            this.dynamoDbDir = dynamoDbDir;
            return this;
        }

        /** Fixed demo tenant credentials (kept if the tables have that tenant); default new ones. */
        public Builder demoTenant(ClientCredentials demoTenant) {
            this.demoTenant = demoTenant;
            return this;
        }

        public Builder scorerThreads(Integer scorerThreads) {
            this.scorerThreads = scorerThreads;
            return this;
        }

        /** Development only: let photo URLs point at this machine. */
        public Builder allowLoopbackUrls(boolean allow) {
            this.allowLoopbackUrls = allow;
            return this;
        }

        /** The folder of sample photos the demo page offers (its .jpg, .jpeg and .png files); default none. */
        public Builder samples(Path samples) {
            this.samples = samples;
            return this;
        }

        /**
         * How long a tenant read for authentication is kept; default zero, every request reads it. The Lambda's
         * minute, for tests of what the Lambda does while the store is down (it still knows its recent tenants).
         */
        public Builder tenantCacheTtl(Duration ttl) {
            this.tenantCacheTtl = Objects.requireNonNull(ttl);
            return this;
        }

        public LocalDeployment start() {
            Objects.requireNonNull(modelDir, "modelDir");
            ClientCredentials demo = demoTenant == null ? ClientCredentials.generate() : demoTenant;
            DynamoDbLocal dynamoDb = DynamoDbLocal.start(dynamoDbDir);
            ApiServices services = null;
            try {
                ScoringServices.Builder scoring = ScoringServices.builder()
                        .modelDir(modelDir)
                        .dynamoDb(DynamoDbSettings.builder().localEndpoint(dynamoDb.endpoint()).build());
                if (scorerThreads != null) {
                    scoring.scorerThreads(scorerThreads);
                }
                services = ApiServices.builder(scoring)
                        .tenantCacheTtl(tenantCacheTtl)
                        .allowLoopbackUrls(allowLoopbackUrls)
                        .demoTenant(demo)
                        .samples(samples)
                        .build();
                DynamoDbClient client = services.scoring().dynamoDb();
                UsageStoreTables.createIfMissing(client);
                UsageLedger.expireRecords(client, UsageLedger.DEFAULT_TABLE);
                createDemoTenant(services.scoring().tenants(), demo);
                ApiServer http = ApiServer.start(server.build(), services.qualityApi(), Routes.NONE);
                return new LocalDeployment(dynamoDb, dynamoDbDir, services, http, demo);
            } catch (RuntimeException | Error e) {
                // An Error too (a library failing to initialise): DynamoDB Local's threads would keep the JVM alive.
                closeQuietly(services, dynamoDb);
                throw e;
            }
        }

        /** The demo tenant, unless the tables (kept in files) have it from an earlier start. */
        private static void createDemoTenant(TenantStore tenants, ClientCredentials demo) {
            if (tenants.find(demo.clientId()).isEmpty()) {
                new TenantAdmin(tenants).create("demo", Plan.DEFAULT, demo);
            }
        }

        private static void closeQuietly(ApiServices services, DynamoDbLocal dynamoDb) {
            if (services != null) {
                services.close();
            }
            dynamoDb.close();
        }
    }
}
