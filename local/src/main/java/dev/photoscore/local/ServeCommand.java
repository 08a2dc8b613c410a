package dev.photoscore.local;

import dev.photoscore.dynamodblocal.DynamoDbLocal;
import dev.photoscore.lambda.Services;
import dev.photoscore.local.service.LocalService;
import dev.photoscore.metering.UsageLedger;
import dev.photoscore.store.DynamoDbSettings;
import dev.photoscore.tenants.ClientCredentials;
import dev.photoscore.tenants.Plan;
import dev.photoscore.tenants.TenantAdmin;
import dev.photoscore.tenants.TenantStore;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code serve}: the API on this machine, with DynamoDB Local in-process and a demo tenant. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Runs the quality_ugc API locally: the Lambda's handler behind a local HTTP server,",
                "DynamoDB Local in-process (in memory unless --dynamodb-dir), and a demo tenant."})
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to listen on (default 127.0.0.1).")
    String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on (default 8080; 0: any free port).")
    int port = 8080;

    @Option(names = "--model-dir", paramLabel = "DIR",
            description = "Model pack folder (default: $MODEL_DIR, else the pack the build made, else /opt/models).")
    Path modelDir;

    @Option(names = "--dynamodb-dir", paramLabel = "DIR",
            description = "Keep tenants and usage in DynamoDB Local files under DIR (default: in memory).")
    Path dynamoDbDir;

    @Option(names = "--demo-tenant", paramLabel = "ID:SECRET",
            description = "Fix the demo tenant's credentials (for scripts); default: new ones at each start.")
    String demoTenant;

    @Option(names = "--threads", paramLabel = "N", description = "Photos scored at once (default: CPU count).")
    Integer threads;

    @Option(names = "--allow-loopback-urls",
            description = "Development only: let photo URLs point at this machine (127.0.0.0/8, ::1).")
    boolean allowLoopbackUrls;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        try (DynamoDbLocal dynamoDb = DynamoDbLocal.start(dynamoDbDir)) {
            Services.Builder builder = Services.builder()
                    .modelDir(modelDir != null ? modelDir : ModelDirs.defaultModelDir())
                    .dynamoDb(DynamoDbSettings.builder().localEndpoint(dynamoDb.endpoint()).build())
                    .maxDirectUploadBytes(10L * 1024 * 1024)
                    .allowLoopbackUrls(allowLoopbackUrls);
            if (threads != null) {
                builder.scorerThreads(threads);
            }
            try (Services services = builder.build()) {
                TenantStore.createTable(services.dynamoDb(), TenantStore.DEFAULT_TABLE);
                UsageLedger.createTable(services.dynamoDb(), UsageLedger.DEFAULT_TABLE);
                ClientCredentials demo = demoTenant(new TenantAdmin(services.tenants()), services.tenants());
                int workers = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
                try (LocalService service = LocalService.start(new InetSocketAddress(host, port),
                        services.qualityApi(), workers)) {
                    String base = "http://" + host + ":" + service.address().getPort();
                    err.println("photoscore: " + services.scorer().describe());
                    err.println("photoscore: serving " + base + "/v1/quality_ugc (DynamoDB Local "
                            + (dynamoDbDir == null ? "in memory" : "in " + dynamoDbDir) + ")");
                    err.println("photoscore: demo tenant client id " + demo.clientId() + ", secret "
                            + demo.clientSecret());
                    err.println("photoscore: try  curl --user " + demo.clientId() + ":" + demo.clientSecret()
                            + " -F data=@photo.jpg " + base + "/v1/quality_ugc");
                    err.flush();
                    CountDownLatch stopped = new CountDownLatch(1);
                    Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
                    stopped.await();
                }
            }
        }
        return 0;
    }

    /** The fixed demo tenant when asked for (kept if a file database has it already), else a new one. */
    private ClientCredentials demoTenant(TenantAdmin admin, TenantStore store) {
        if (demoTenant == null) {
            return admin.create("demo");
        }
        int colon = demoTenant.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--demo-tenant takes ID:SECRET");
        }
        ClientCredentials fixed = new ClientCredentials(demoTenant.substring(0, colon), demoTenant.substring(colon + 1));
        if (store.find(fixed.clientId()).isEmpty()) {
            admin.create("demo", Plan.DEFAULT, fixed);
        }
        return fixed;
    }
}
