package dev.photoscore.http;

import dev.photoscore.api.Routes;
import dev.photoscore.dynamodblocal.DynamoDbLocal;
import dev.photoscore.store.DynamoDbSettings;
import dev.photoscore.tenants.ClientCredentials;
import dev.photoscore.tenants.Plan;
import dev.photoscore.tenants.TenantAdmin;
import dev.photoscore.wiring.ApiServices;
import dev.photoscore.wiring.ScoringServices;
import dev.photoscore.wiring.UsageStoreTables;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The API as the services serve it, for the server's tests: DynamoDB Local in memory with the tables and one tenant,
 * the services on a model pack, and an {@link ApiServer} on loopback in front of them. Tests get theirs from
 * {@link ServedApis}, which stops it after the class if the test does not close it first.
 */
final class ServedApi implements AutoCloseable {

    static final ClientCredentials TENANT = new ClientCredentials("http-client", "http-secret-0123456789");

    /** The model pack the services score with. */
    final Path models;
    final DynamoDbLocal store;
    final ApiServices services;
    final ApiServer server;
    private final AtomicBoolean closed = new AtomicBoolean();

    ServedApi(Path models, ServerSettings.Builder settings, Routes pages) {
        this.models = models;
        store = DynamoDbLocal.start();
        ApiServices built = null;
        try {
            built = ApiServices.builder(ScoringServices.builder().modelDir(models).scorerThreads(2)
                    .dynamoDb(DynamoDbSettings.builder().localEndpoint(store.endpoint()).build())).build();
            UsageStoreTables.createIfMissing(built.scoring().dynamoDb());
            new TenantAdmin(built.scoring().tenants()).create("http", Plan.DEFAULT, TENANT);
            services = built;
            server = ApiServer.start(settings.host("127.0.0.1").port(0).build(), built.qualityApi(), pages);
        } catch (RuntimeException e) {
            if (built != null) {
                built.close();
            }
            store.close();
            throw e;
        }
    }

    int port() {
        return server.address().getPort();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    /**
     * A multipart upload of {@code photo} as the API's field {@code data}, boundary {@code b} (the request's
     * {@code Content-Type: multipart/form-data; boundary=b}).
     */
    static byte[] uploadForm(String filename, String contentType, byte[] photo) {
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        form.writeBytes(("--b\r\nContent-Disposition: form-data; name=\"data\"; filename=\"" + filename + "\"\r\n"
                + "Content-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        form.writeBytes(photo);
        form.writeBytes("\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII));
        return form.toByteArray();
    }

    static String basic(ClientCredentials who) {
        return "Basic " + Base64.getEncoder().encodeToString((who.clientId() + ":" + who.clientSecret())
                .getBytes(StandardCharsets.UTF_8));
    }

    /** Stops the server, then the services and the store; once, however often it is called. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        try (services; store) {
            server.close();
        }
    }
}
