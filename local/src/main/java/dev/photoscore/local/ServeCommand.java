package dev.photoscore.local;

import dev.photoscore.local.service.LocalDeployment;
import dev.photoscore.local.service.RunningService;
import dev.photoscore.demo.DemoPage;
import dev.photoscore.tenants.ClientCredentials;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code serve}: the API on this machine, with DynamoDB Local in-process and a demo tenant. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Runs the quality_ugc API locally: the Lambda's API behind an HTTP server (Jetty), DynamoDB Local"
                + " in-process (in memory unless --dynamodb-dir), and a demo tenant. While it runs, tenants --local"
                + " and billing report --local find its DynamoDB Local.")
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to listen on (default 127.0.0.1).")
    String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on (default 8080; 0: any free port).")
    int port = 8080;

    @Option(names = "--connections-per-client", paramLabel = "N",
            description = "Connections one client (IP address) may have open at once; past it 503 (default 16; 0: no"
                    + " limit, for a proxy in front that every connection comes from).")
    Integer connectionsPerClient;

    @Mixin
    ScorerOptions scoring;

    @Option(names = "--dynamodb-dir", paramLabel = "DIR",
            description = "Keep tenants and usage in DynamoDB Local files under DIR (default: in memory); each write is"
                    + " committed to them before its answer leaves.")
    Path dynamoDbDir;

    @Option(names = "--demo-tenant", paramLabel = "ID:SECRET",
            description = "Fix the demo tenant's credentials (for scripts); default: new ones at each start.")
    String demoTenant;

    @Option(names = "--allow-loopback-urls",
            description = "Development only: let photo URLs point at this machine (127.0.0.0/8, ::1).")
    boolean allowLoopbackUrls;

    @Option(names = "--samples", paramLabel = "DIR",
            description = "Offer the .jpg, .jpeg and .png photos in DIR as samples on the demo page.")
    Path samples;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        LocalDeployment.Builder builder = LocalDeployment.builder();
        if (connectionsPerClient != null) {
            builder.connectionsPerClient(connectionsPerClient);
        }
        try (LocalDeployment deployment = builder
                .host(host).port(port)
                .modelDir(scoring.modelDir())
                .dynamoDbDir(dynamoDbDir)
                .demoTenant(parseDemoTenant())
                .scorerThreads(scoring.threads)
                .allowLoopbackUrls(allowLoopbackUrls)
                .samples(samples)
                .start()) {
            ClientCredentials demo = deployment.demoTenant();
            String api = deployment.baseUrl() + "/v1/quality_ugc";
            err.println("photoscore: " + deployment.services().scoring().scorer().describe());
            err.println("photoscore: serving " + api + " (API description at " + deployment.baseUrl()
                    + DemoPage.OPENAPI_PATH + ")");
            err.println("photoscore: DynamoDB Local at " + deployment.dynamoDbEndpoint() + " ("
                    + (dynamoDbDir == null ? "in memory" : "in " + dynamoDbDir) + "): tenants and billing report take"
                    + " --local (or --endpoint " + deployment.dynamoDbEndpoint() + ")");
            err.println("photoscore: demo page at " + deployment.baseUrl() + "/"
                    + (samples == null ? "" : " (samples from " + samples + ")"));
            err.println("photoscore: demo tenant client id " + demo.clientId() + ", secret " + demo.clientSecret());
            err.println("photoscore: try  curl --user " + demo.clientId() + ":" + demo.clientSecret()
                    + " -F data=@photo.jpg " + api);
            err.flush();
            RunningService note = RunningService.of(deployment);
            Path noteFile = RunningService.defaultFile();
            note.write(noteFile);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                // Here rather than after the wait: the JVM may halt once its shutdown hooks are done. Closing
                // answers the requests in flight first (the HTTP server's graceful stop).
                note.removeFrom(noteFile);
                deployment.close();
                stopped.countDown();
            }));
            stopped.await();
        }
        return 0;
    }

    private ClientCredentials parseDemoTenant() {
        if (demoTenant == null) {
            return null;
        }
        int colon = demoTenant.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--demo-tenant takes ID:SECRET");
        }
        return new ClientCredentials(demoTenant.substring(0, colon), demoTenant.substring(colon + 1));
    }
}
