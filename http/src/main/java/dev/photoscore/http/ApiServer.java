package dev.photoscore.http;

import dev.photoscore.api.QualityApi;
import dev.photoscore.api.Routes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP server of the local service and the GPU service: Jetty 12 (core handlers, HTTP/1.1) in front of
 * {@link QualityApi}, each real request turned into an {@code ApiRequest} directly. The chain, outermost first:
 *
 * <ol>
 *   <li>{@link GracefulHandler}: stopping waits for the requests in flight (up to the stop timeout) and refuses new
 *       ones with 503;</li>
 *   <li>{@link RequestBodies}: the request id, the header-count limit, the body read without a thread at the minimum
 *       rate and within the size limit;</li>
 *   <li>{@link QoSHandler}: at most {@code workers} requests handled at once, {@code queue} more waiting (without a
 *       thread), the rest 503 with {@code Retry-After};</li>
 *   <li>{@link ApiHandler}: the server's own pages, else the API.</li>
 * </ol>
 *
 * Before any of them, {@link ConnectionsPerClient} refuses a client's connections past its limit (503), Jetty's
 * parser holds the header size limit (431) and {@link HeaderDeadline} the header timeout; {@link JsonErrors} writes
 * every refusal of Jetty's own in the API's shape, with a request id.
 */
public final class ApiServer implements AutoCloseable {

    /** Threads beside the workers: the acceptor, the selector, and a few for Jetty's own short tasks. */
    private static final int SERVER_THREADS = 6;

    private final Server server;
    private final ServerConnector connector;
    private final ScheduledExecutorService sweeper;

    private ApiServer(Server server, ServerConnector connector, ScheduledExecutorService sweeper) {
        this.server = server;
        this.connector = connector;
        this.sweeper = sweeper;
    }

    /**
     * Serves {@code api} as {@code settings} say until {@link #close()}, with {@code pages} answered before it: routes
     * of this machine only (the GPU service's health check), which the API never sees.
     *
     * @throws UncheckedIOException when it cannot listen there
     */
    public static ApiServer start(ServerSettings settings, QualityApi api, Routes pages) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(pages, "pages");
        QueuedThreadPool threads = new QueuedThreadPool(settings.workers() + SERVER_THREADS,
                Math.min(4, settings.workers() + SERVER_THREADS));
        threads.setName("photoscore-http");
        threads.setReservedThreads(0);
        Server server = new Server(threads);

        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(settings.maxHeaderBytes());
        http.setSendServerVersion(false);
        http.setIdleTimeout(settings.idleTimeout().toMillis());
        ServerConnector connector = new ServerConnector(server, 1, 1,
                new ConnectionsPerClient(http, settings.connectionsPerClient(), api));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setIdleTimeout(settings.idleTimeout().toMillis());
        server.addConnector(connector);

        QoSHandler queue = new QoSHandler(new ApiHandler(api, pages));
        queue.setMaxRequestCount(settings.workers());
        queue.setMaxSuspendedRequestCount(settings.queue());
        queue.setMaxSuspend(settings.queueWait());
        queue.setRejectStatusCode(HttpStatus.SERVICE_UNAVAILABLE_503);
        server.setHandler(new GracefulHandler(new RequestBodies(settings, api, queue)));
        server.setErrorHandler(new JsonErrors(api, settings));
        server.setStopTimeout(settings.stopTimeout().toMillis());

        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "photoscore-http-header-deadline");
            thread.setDaemon(true);
            return thread;
        });
        try {
            server.start();
        } catch (Exception e) {
            sweeper.shutdownNow();
            stopQuietly(server);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot listen on " + settings.host() + ":" + settings.port(), io);
            }
            throw new IllegalStateException("the HTTP server did not start", e);
        }
        long period = HeaderDeadline.period(settings.headerTimeout()).toMillis();
        sweeper.scheduleAtFixedRate(new HeaderDeadline(connector, settings.headerTimeout()), period, period,
                TimeUnit.MILLISECONDS);
        return new ApiServer(server, connector, sweeper);
    }

    /** Where it listens (the port chosen when the settings said 0). */
    public InetSocketAddress address() {
        String host = connector.getHost() == null ? "0.0.0.0" : connector.getHost();
        return new InetSocketAddress(host, connector.getLocalPort());
    }

    /**
     * Stops gracefully: no new connection is taken and new requests are refused (503), the requests in flight are
     * answered (up to the stop timeout), then the connections are closed.
     */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the HTTP server did not stop cleanly", e);
        } finally {
            sweeper.shutdownNow();
        }
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            // Already failing to start; the start's failure is the one reported.
        }
    }
}
