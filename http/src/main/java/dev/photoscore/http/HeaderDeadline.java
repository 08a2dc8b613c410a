package dev.photoscore.http;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * Closes a connection whose request line and headers, once begun, have not all arrived within the header timeout
 * (slowloris: a byte every few seconds keeps the idle timeout from ever firing). Jetty has no such limit of its
 * own; this looks at each connection's HTTP/1.1 parser a few times a timeout. A connection waiting between two
 * requests (parser at the start) is the idle timeout's, not this one's. Runs on one thread, the sweeper's.
 *
 * <p>The parser is reached through Jetty's internal {@code HttpConnection}: Jetty 12.1 has no header timeout
 * ({@code HttpConfiguration} has the idle timeout only) and no public view of a connection's parser, and its
 * handlers (and {@code EventsHandler}'s events) see a request only once its headers are complete. A Jetty upgrade
 * that moves the class fails the build here; one that changes what the parser's states mean fails
 * {@code SlowClientsTest.headersThatTrickleOrStopAreCutAtTheHeaderTimeout}.
 */
final class HeaderDeadline implements Runnable {

    private final ServerConnector connector;
    private final long timeoutNanos;
    /** Connections in a request's headers: when this sweeper first saw that request (by its number) begun. */
    private final Map<HttpConnection, Begun> begun = new HashMap<>();

    private record Begun(long request, long nanos) {
    }

    HeaderDeadline(ServerConnector connector, Duration timeout) {
        this.connector = connector;
        this.timeoutNanos = timeout.toNanos();
    }

    /** How often to look: a fifth of the timeout, between 50 ms and 1 s. */
    static Duration period(Duration timeout) {
        long millis = Math.max(50, Math.min(1000, timeout.toMillis() / 5));
        return Duration.ofMillis(millis);
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        Set<HttpConnection> inHeaders = new HashSet<>();
        for (EndPoint endPoint : connector.getConnectedEndPoints()) {
            if (!(endPoint.getConnection() instanceof HttpConnection connection)) {
                continue;
            }
            HttpParser parser = connection.getParser();
            if (!parser.inHeaderState() || parser.isStart()) {
                continue;
            }
            inHeaders.add(connection);
            long request = connection.getMessagesIn();
            Begun seen = begun.get(connection);
            if (seen == null || seen.request() != request) {
                begun.put(connection, new Begun(request, now));
            } else if (now - seen.nanos() > timeoutNanos) {
                endPoint.close(new TimeoutException("request headers not complete within "
                        + Duration.ofNanos(timeoutNanos)));
            }
        }
        begun.keySet().retainAll(inHeaders);
    }
}
