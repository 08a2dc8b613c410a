package dev.photoscore.dynamodblocal;

import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import com.amazonaws.services.dynamodbv2.model.ListTablesRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;

/**
 * DynamoDB Local running inside this JVM: in memory or in files, on a port of the loopback interface only.
 *
 * <p>{@code ServerRunner} (the documented way in) binds every interface on a port the caller must pick, which
 * races with other processes and exposes an unauthenticated database to the network. This class wires the same
 * request handler DynamoDB Local's {@code ServerRunner} builds into a Jetty connector on {@code 127.0.0.1:0}
 * instead, and reads the port the kernel chose. Telemetry is never configured, so nothing leaves the machine.
 *
 * <p>DynamoDB Local keeps its tables in SQLite through sqlite4java, whose native library must be on disk, in the
 * folder the system property {@value #NATIVE_LIBRARY_PATH_PROPERTY} names. The natives of every platform travel in
 * this jar; unless the property is set, the first start extracts them to a temporary folder and sets it.
 *
 * <p>In files, an answer leaves only once the writes before it are committed to the SQLite file: DynamoDB Local
 * itself answers a write as soon as its COMMIT is queued for SQLite's thread, so a process killed right after an
 * answer could lose the write (see {@link CommittedAnswers}).
 *
 * <p>Independent of JUnit: the tests and the local service start it the same way.
 */
public final class DynamoDbLocal implements AutoCloseable {

    public static final String NATIVE_LIBRARY_PATH_PROPERTY = "sqlite4java.library.path";
    private static final String LOOPBACK = "127.0.0.1";
    private static final Logger SQLITE_LOG = Logger.getLogger("com.almworks.sqlite4java");
    private static final long STOP_TIMEOUT_MILLIS = 10_000;
    /** The native libraries bundled under natives/, as sqlite4java names them per platform. */
    private static final List<String> NATIVES = List.of("libsqlite4java-linux-amd64.so", "libsqlite4java-linux-i386.so",
            "libsqlite4java-osx.dylib", "sqlite4java-win32-x64.dll", "sqlite4java-win32-x86.dll");

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
        return start(null);
    }

    /**
     * Starts DynamoDB Local keeping its tables in a file under {@code dataDir} (kept across starts), or in memory
     * when {@code dataDir} is null.
     */
    public static DynamoDbLocal start(Path dataDir) {
        return start(dataDir, 0);
    }

    /**
     * Starts DynamoDB Local on {@code port} of the loopback interface (0: a free port the kernel picks), keeping its
     * tables under {@code dataDir} or in memory when it is null. A fixed port lets a stopped instance come back where
     * its clients look for it, with its tables when they are in files.
     */
    public static DynamoDbLocal start(Path dataDir, int port) {
        ensureNativeLibraries();
        // sqlite4java warns "unknown jar version" on every start: its version comes from a manifest shading drops.
        SQLITE_LOG.setLevel(Level.SEVERE);
        LocalDynamoDBRequestHandler requests;
        LocalDynamoDBServerHandler handler;
        try {
            if (dataDir != null) {
                Files.createDirectories(dataDir);
            }
            // The arguments ServerRunner passes for "-inMemory|-dbPath DIR -sharedDb": (0, inMemory, dbPath,
            // sharedDb, delayTransientStatuses). sharedDb: one database whatever region and credentials a client uses.
            requests = new LocalDynamoDBRequestHandler(0, dataDir == null,
                    dataDir == null ? null : dataDir.toString(), true, false);
            handler = new LocalDynamoDBServerHandler(requests, null);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local could not create its in-memory database", e);
        }
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(LOOPBACK);
        connector.setPort(port);
        server.addConnector(connector);
        // Stopping lets the requests under way finish (and refuses new ones): a write is never cut off between its
        // commit and its answer, which would leave the client unsure whether it happened.
        Handler served = dataDir == null ? handler : new CommittedAnswers(handler, requests);
        server.setHandler(new GracefulHandler(new ContextHandler(served)));
        server.setStopTimeout(STOP_TIMEOUT_MILLIS);
        try {
            server.start();
        } catch (Exception e) {
            handler.close();
            throw new IllegalStateException("DynamoDB Local could not start", e);
        }
        return new DynamoDbLocal(server, handler, URI.create("http://" + LOOPBACK + ":" + connector.getLocalPort()));
    }

    /**
     * Holds each answer back until the SQLite transactions queued before it are committed. DynamoDB Local 2.x commits
     * a write by queueing COMMIT on the database's single SQLite thread and answers without waiting for it
     * ({@code SQLiteDBAccess.commitTransaction}); a {@code kill -9} in between loses an acknowledged write and leaves
     * a hot journal that SQLite rolls back on the next start. Before the first byte of an answer is written, this
     * handler runs a ListTables of one table through the same request handler: its SQLite job queues behind the
     * COMMIT on that thread, and DynamoDB Local waits for its result, so once it returns the write is in the file
     * (SQLite's default {@code synchronous=FULL}, which DynamoDB Local keeps, has synced it).
     */
    private static final class CommittedAnswers extends Handler.Wrapper {

        private static final String ANY_KEY = "local";
        private static final String ANY_REGION = "us-east-1";

        private final LocalDynamoDBRequestHandler requests;

        CommittedAnswers(Handler handler, LocalDynamoDBRequestHandler requests) {
            super(handler);
            this.requests = requests;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            return super.handle(request, new Response.Wrapper(request, response) {
                private boolean committed;

                @Override
                public void write(boolean last, ByteBuffer content, Callback written) {
                    if (!committed) {
                        committed = true;
                        // sharedDb: one database whatever the key and region, so any pair reaches it.
                        requests.listTables(ANY_KEY, ANY_REGION, new ListTablesRequest().withLimit(1));
                    }
                    super.write(last, content, written);
                }
            }, callback);
        }
    }

    private static synchronized void ensureNativeLibraries() {
        String configured = System.getProperty(NATIVE_LIBRARY_PATH_PROPERTY);
        if (configured != null && Files.isDirectory(Path.of(configured))) {
            return;
        }
        try {
            Path folder = Files.createTempDirectory("photoscore-sqlite4java");
            for (String name : NATIVES) {
                try (InputStream in = DynamoDbLocal.class.getResourceAsStream("natives/" + name)) {
                    if (in != null) {
                        Files.copy(in, folder.resolve(name));
                    }
                }
            }
            folder.toFile().deleteOnExit();
            try (var files = Files.list(folder)) {
                files.forEach(f -> f.toFile().deleteOnExit());
            }
            System.setProperty(NATIVE_LIBRARY_PATH_PROPERTY, folder.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the sqlite4java native libraries DynamoDB Local needs", e);
        }
    }

    /** Where clients connect: {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * Stops serving, once the requests under way are answered, and drops the in-memory tables; later requests to
     * {@link #endpoint()} are refused.
     */
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
