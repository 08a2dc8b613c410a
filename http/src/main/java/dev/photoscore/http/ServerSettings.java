package dev.photoscore.http;

import dev.photoscore.image.PhotoLimits;
import java.time.Duration;
import java.util.Objects;

/**
 * How the HTTP server listens and what it takes: every setting with its default here, in the {@link Builder}. The
 * defaults hold against slow and oversized requests (docs/security.md) and suit a machine of a few cores.
 *
 * @param host            the address to listen on
 * @param port            the port (0: any free port)
 * @param workers         requests handled at once (each may decode and score a photo)
 * @param queue           requests that may wait for a worker; past it, 503 with {@code Retry-After}
 * @param queueWait       how long a request may wait for a worker before it is answered 503
 * @param headerTimeout   how long a request's line and headers may take to arrive, from their first byte
 * @param idleTimeout     how long a connection may stay silent (no byte either way), in a request or between two
 * @param minBodyRate     bytes a second a request body must average once {@code bodyGrace} has passed; below, 408
 * @param bodyGrace       how long a body may take before its rate counts (a slow start, a small body)
 * @param maxHeaderBytes  the request line and headers together, at most; past it, 431
 * @param maxHeaderCount  header fields, at most; past it, 431
 * @param maxBodyBytes    the request body, at most; past it, 413
 * @param bodiesInFlight  the request bodies held at once, in bytes; past it, 503 with {@code Retry-After}
 * @param connectionsPerClient connections one client (IP address) may have open at once, 0 for no limit; past it,
 *                        the connection is answered 503 with {@code Retry-After} and closed
 * @param stopTimeout     how long stopping waits for the requests in flight to be answered
 */
public record ServerSettings(String host, int port, int workers, int queue, Duration queueWait,
                             Duration headerTimeout, Duration idleTimeout, long minBodyRate, Duration bodyGrace,
                             int maxHeaderBytes, int maxHeaderCount, long maxBodyBytes, long bodiesInFlight,
                             int connectionsPerClient, Duration stopTimeout) {

    /**
     * Requests handled at once by default: 4 per core, at least 16. More than the cores, so that a probe or a small
     * photo finds a worker while large photos decode (the decode budget, not the workers, bounds their memory).
     */
    public static final int DEFAULT_WORKERS = Math.max(16, 4 * Runtime.getRuntime().availableProcessors());

    public ServerSettings {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (workers < 1 || queue < 0) {
            throw new IllegalArgumentException("workers must be at least 1 and the queue at least 0, were " + workers
                    + " and " + queue);
        }
        if (maxHeaderBytes < 1024 || maxHeaderCount < 1 || maxBodyBytes < 0 || minBodyRate < 0
                || bodiesInFlight < 0 || connectionsPerClient < 0) {
            throw new IllegalArgumentException("header limits of at least 1 KB and 1 field, body and connection"
                    + " limits and rate of at least 0");
        }
        for (Duration duration : new Duration[] {queueWait, headerTimeout, idleTimeout, bodyGrace, stopTimeout}) {
            if (duration.isNegative()) {
                throw new IllegalArgumentException("durations must not be negative, was " + duration);
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8080;
        private int workers = DEFAULT_WORKERS;
        private int queue = 64;
        private Duration queueWait = Duration.ofSeconds(10);
        private Duration headerTimeout = Duration.ofSeconds(5);
        private Duration idleTimeout = Duration.ofSeconds(30);
        /** 16 KB/s: a 10 MB photo in 10 minutes, far below any link a photo is uploaded over. */
        private long minBodyRate = 16 * 1024;
        private Duration bodyGrace = Duration.ofSeconds(5);
        private int maxHeaderBytes = 16 * 1024;
        private int maxHeaderCount = 100;
        /** The largest photo and a little more for the multipart framing around it. */
        private long maxBodyBytes = PhotoLimits.API_MAX_BYTES + 256 * 1024;
        /** An eighth of the heap (the decode budget has three quarters). */
        private long bodiesInFlight = Runtime.getRuntime().maxMemory() / 8;
        /**
         * As many as the fewest workers: one client may keep the workers busy, not the queue as well, and holds at
         * most 16 bodies of 10 MB (164 MB) of the bodies' budget. Browsers open 6 to a host.
         */
        private int connectionsPerClient = 16;
        private Duration stopTimeout = Duration.ofSeconds(30);

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Default {@link #DEFAULT_WORKERS}. */
        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        /** Default 64 requests, each waiting at most 10 s. */
        public Builder queue(int queue, Duration wait) {
            this.queue = queue;
            this.queueWait = Objects.requireNonNull(wait, "wait");
            return this;
        }

        /** Default 5 s. */
        public Builder headerTimeout(Duration timeout) {
            this.headerTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Default 30 s. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Default 16 KB a second after the first 5 s. */
        public Builder minBodyRate(long bytesPerSecond, Duration grace) {
            this.minBodyRate = bytesPerSecond;
            this.bodyGrace = Objects.requireNonNull(grace, "grace");
            return this;
        }

        /** Default 16 KB in at most 100 fields. */
        public Builder headerLimits(int maxBytes, int maxCount) {
            this.maxHeaderBytes = maxBytes;
            this.maxHeaderCount = maxCount;
            return this;
        }

        /** Default 10 MB and 256 KB. */
        public Builder maxBodyBytes(long maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /** Default an eighth of the maximum heap. */
        public Builder bodiesInFlight(long bytes) {
            this.bodiesInFlight = bytes;
            return this;
        }

        /**
         * Default 16; 0 for no limit (behind a load balancer or proxy, whose few addresses every connection comes
         * from).
         */
        public Builder connectionsPerClient(int connections) {
            this.connectionsPerClient = connections;
            return this;
        }

        /** Default 30 s. */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public ServerSettings build() {
            return new ServerSettings(host, port, workers, queue, queueWait, headerTimeout, idleTimeout, minBodyRate,
                    bodyGrace, maxHeaderBytes, maxHeaderCount, maxBodyBytes, bodiesInFlight, connectionsPerClient,
                    stopTimeout);
        }
    }
}
