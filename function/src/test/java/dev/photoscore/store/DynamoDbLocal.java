package dev.photoscore.store;

import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;

/**
 * DynamoDB Local running inside this JVM: in memory, on a free port of the loopback interface only.
 *
 * <p>{@code ServerRunner} (the documented way in) binds every interface on a port the caller must pick, which
 * races with other processes and exposes an unauthenticated database to the network. This class wires the same
 * request handler DynamoDB Local's {@code ServerRunner} builds into a Jetty connector on {@code 127.0.0.1:0}
 * instead, and reads the port the kernel chose. Telemetry is never configured, so nothing leaves the machine.
 *
 * <p>DynamoDB Local keeps its tables in SQLite through sqlite4java, whose native library must be on disk: the
 * system property {@value #NATIVE_LIBRARY_PATH_PROPERTY} names its folder (the Maven build copies the natives to
 * {@code target/sqlite4java-natives} and sets the property for the tests).
 *
 * <p>Independent of JUnit so that the local service can start one the same way.
 */
public final class DynamoDbLocal implements AutoCloseable {

    public static final String NATIVE_LIBRARY_PATH_PROPERTY = "sqlite4java.library.path";
    private static final String LOOPBACK = "127.0.0.1";

    private final Server server;
    private final LocalDynamoDBServerHandler handler;
    private final URI endpoint;

    private DynamoDbLocal(Server server, LocalDynamoDBServerHandler handler, URI endpoint) {
        this.server = server;
        this.handler = handler;
        this.endpoint = endpoint;
    }

    /** Starts an empty in-memory DynamoDB Local; {@link #close()} stops it and drops its tables. */
    public static DynamoDbLocal start() {
        String natives = System.getProperty(NATIVE_LIBRARY_PATH_PROPERTY);
        if (natives == null || !Files.isDirectory(Path.of(natives))) {
            throw new IllegalStateException("DynamoDB Local needs the sqlite4java native libraries: set the system"
                    + " property " + NATIVE_LIBRARY_PATH_PROPERTY + " to their folder (was " + natives + ")");
        }
        LocalDynamoDBServerHandler handler;
        try {
            // The arguments ServerRunner passes for "-inMemory -sharedDb": (0, inMemory, dbPath, sharedDb,
            // delayTransientStatuses). sharedDb: one database whatever region and credentials a client uses.
            handler = new LocalDynamoDBServerHandler(new LocalDynamoDBRequestHandler(0, true, null, true, false), null);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local could not create its in-memory database", e);
        }
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(LOOPBACK);
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new ContextHandler(handler));
        try {
            server.start();
        } catch (Exception e) {
            handler.close();
            throw new IllegalStateException("DynamoDB Local could not start", e);
        }
        return new DynamoDbLocal(server, handler, URI.create("http://" + LOOPBACK + ":" + connector.getLocalPort()));
    }

    /** Where clients connect: {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return endpoint;
    }

    /** Stops serving and drops the in-memory tables; later requests to {@link #endpoint()} are refused. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop cleanly", e);
        } finally {
            handler.close();
        }
    }
}
