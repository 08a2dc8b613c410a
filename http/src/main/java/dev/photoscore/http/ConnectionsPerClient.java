package dev.photoscore.http;

import dev.photoscore.api.ApiException;
import dev.photoscore.api.ApiResponse;
import dev.photoscore.api.QualityApi;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * HTTP/1.1 connections, at most {@code limit} open at once from one client (its IP address), so that one client
 * cannot hold every connection, file descriptor and share of the bodies' budget. Jetty 12.1 limits connections only
 * for the whole server ({@code ConnectionLimit}, {@code NetworkConnectionLimit}: past the limit it stops accepting,
 * from everyone) and threads or request rates per client ({@code ThreadLimitHandler}, {@code DoSHandler}), not
 * connections per client, so the count is kept here, where Jetty makes each accepted connection.
 *
 * <p>A connection past its client's limit never becomes an HTTP connection: it is answered 503 with
 * {@code Retry-After}, a request id and the API's JSON error at once, whatever the client sends, then closed. Its
 * output is shut first and what the client sends is read and dropped for up to {@link #LINGER} (so the client reads
 * the answer rather than a reset); it holds no more than that.
 */
final class ConnectionsPerClient extends HttpConnectionFactory {

    /** How long a refused connection is kept for the client to read its answer. */
    static final Duration LINGER = Duration.ofSeconds(2);

    private final int limit;
    private final QualityApi api;
    /** Open connections by client, none kept at 0; guarded by this. */
    private final Map<InetAddress, Integer> open = new HashMap<>();

    /**
     * @param limit connections one client may have open at once; 0 for no limit
     */
    ConnectionsPerClient(HttpConfiguration http, int limit, QualityApi api) {
        super(http);
        this.limit = limit;
        this.api = api;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        if (limit == 0 || !(endPoint.getRemoteSocketAddress() instanceof InetSocketAddress remote)) {
            return super.newConnection(connector, endPoint);
        }
        InetAddress client = remote.getAddress();
        if (!take(client)) {
            return new Refused(endPoint, connector, refusal());
        }
        try {
            Connection connection = super.newConnection(connector, endPoint);
            connection.addEventListener(new Connection.Listener() {
                @Override
                public void onClosed(Connection closed) {
                    giveBack(client);
                }
            });
            return connection;
        } catch (RuntimeException | Error e) {
            giveBack(client);
            throw e;
        }
    }

    private synchronized boolean take(InetAddress client) {
        int count = open.getOrDefault(client, 0);
        if (count >= limit) {
            return false;
        }
        open.put(client, count + 1);
        return true;
    }

    private synchronized void giveBack(InetAddress client) {
        open.computeIfPresent(client, (address, count) -> count == 1 ? null : count - 1);
    }

    /** The whole answer to a refused connection, status line to body: the API's refusal (logged as it logs them). */
    private ByteBuffer refusal() {
        ApiResponse answer = api.refuse(UUID.randomUUID().toString(), new ApiException(
                HttpStatus.SERVICE_UNAVAILABLE_503, "this client has " + limit + " connections open to the service, the"
                + " most it may; send on one of them, or retry once one is closed",
                Map.of("Retry-After", JsonErrors.RETRY_AFTER_SECONDS)));
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(answer.status()).append(' ')
                .append(HttpStatus.getMessage(answer.status())).append("\r\n");
        answer.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(answer.body().length).append("\r\nConnection: close\r\n\r\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        bytes.writeBytes(answer.body());
        return ByteBuffer.wrap(bytes.toByteArray());
    }

    /** A connection past its client's limit: its answer, then what arrives dropped until the client or LINGER ends. */
    private static final class Refused extends AbstractConnection {
        private final Connector connector;
        private final ByteBuffer answer;
        private final ByteBuffer dropped = BufferUtil.allocate(1024);

        Refused(EndPoint endPoint, Connector connector, ByteBuffer answer) {
            super(endPoint, connector.getExecutor());
            this.connector = connector;
            this.answer = answer;
        }

        @Override
        public void onOpen() {
            super.onOpen();
            connector.getScheduler().schedule(getEndPoint()::close, LINGER.toMillis(), TimeUnit.MILLISECONDS);
            getEndPoint().write(Callback.from(() -> {
                getEndPoint().shutdownOutput();
                fillInterested();
            }, getEndPoint()::close), answer);
        }

        /** Reads and drops what the client sends, until it closes its side. */
        @Override
        public void onFillable() {
            try {
                while (true) {
                    BufferUtil.clear(dropped);
                    int read = getEndPoint().fill(dropped);
                    if (read < 0) {
                        getEndPoint().close();
                        return;
                    }
                    if (read == 0) {
                        fillInterested();
                        return;
                    }
                }
            } catch (IOException e) {
                getEndPoint().close(e);
            }
        }
    }
}
