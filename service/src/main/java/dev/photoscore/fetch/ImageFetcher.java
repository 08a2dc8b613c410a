package dev.photoscore.fetch;

import dev.photoscore.fetch.FetchException.Reason;
import dev.photoscore.image.PhotoFormat;
import dev.photoscore.image.PhotoLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpStatus;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Fetches a JPEG or PNG image by http(s) URL for scoring, refusing to reach anything but public addresses.
 *
 * <p>Every hop, the first request and each redirect (followed here, never by the client), is checked: an IP
 * literal against the address policy (public addresses only, plus loopback with {@link Builder#allowLoopback}),
 * a host name by the client's only DNS resolver, which looks it up once and hands the connect exactly the
 * addresses it checked. The whole fetch, a server that trickles its body included, ends by the total timeout
 * (a host name lookup cannot be interrupted: one under way then may take up to the connect timeout more). The
 * body is read up to the byte limit and no further; its type comes from the magic bytes, not Content-Type.
 *
 * <p>One instance is meant to be shared by all threads; {@link #close()} it when done. After a SnapStart (CRaC)
 * restore, call {@link #closePooledConnections()}: pooled sockets from the snapshot are dead.
 */
public final class ImageFetcher implements AutoCloseable {

    /** Start small when the length is unknown; the buffer grows as the body arrives, up to the limit. */
    private static final int INITIAL_BUFFER = 64 * 1024;

    private static final int READ_CHUNK = 16 * 1024;

    /** Ask for what we score; content negotiation (image CDNs) would otherwise send WebP or AVIF. */
    private static final String ACCEPT = "image/jpeg, image/png;q=0.9";

    private final long maxBytes;
    private final long totalTimeoutNanos;
    private final int maxRedirects;
    private final AddressPolicy policy;
    private final ScheduledExecutorService deadlines;
    private final ExecutorService lookups;
    private final PoolingHttpClientConnectionManager connections;
    private final CloseableHttpClient client;
    private volatile boolean closed;

    private ImageFetcher(Builder builder) {
        this.maxBytes = builder.maxBytes;
        this.totalTimeoutNanos = builder.totalTimeout.toNanos();
        this.maxRedirects = builder.maxRedirects;
        this.policy =
                builder.allowLoopback
                        ? AddressPolicy.PUBLIC_AND_LOOPBACK
                        : AddressPolicy.PUBLIC_ONLY;

        ScheduledThreadPoolExecutor timer =
                new ScheduledThreadPoolExecutor(1, daemon("photoscore-fetch-deadline"));
        timer.setRemoveOnCancelPolicy(true);
        this.deadlines = timer;
        this.lookups = Executors.newCachedThreadPool(daemon("photoscore-fetch-dns"));

        Timeout connectTimeout = Timeout.of(builder.connectTimeout);
        Timeout totalTimeout = Timeout.of(builder.totalTimeout);
        this.connections =
                PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(
                                new VettingDnsResolver(policy, lookups, builder.connectTimeout))
                        .setDefaultConnectionConfig(
                                ConnectionConfig.custom()
                                        .setConnectTimeout(connectTimeout)
                                        .setSocketTimeout(totalTimeout)
                                        .build())
                        .setDefaultTlsConfig(
                                TlsConfig.custom().setHandshakeTimeout(connectTimeout).build())
                        .build();
        // No proxy (none is set), cookies or retries: each fetch is one caller's; redirects are
        // ours to vet.
        this.client =
                HttpClients.custom()
                        .setConnectionManager(connections)
                        .setDefaultRequestConfig(
                                RequestConfig.custom()
                                        .setConnectionRequestTimeout(totalTimeout)
                                        .setResponseTimeout(totalTimeout)
                                        .build())
                        .setUserAgent(builder.userAgent)
                        .disableRedirectHandling()
                        .disableCookieManagement()
                        .disableAutomaticRetries()
                        .disableContentCompression()
                        .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Fetches the image at {@code url}, following up to the configured number of redirects.
     *
     * @throws FetchException with the {@link Reason} and a message fit for the API caller
     * @throws IllegalStateException when this fetcher is closed
     */
    public FetchedImage fetch(String url) throws FetchException {
        Objects.requireNonNull(url, "url");
        if (closed) {
            throw new IllegalStateException("the image fetcher is closed");
        }
        long deadline = System.nanoTime() + totalTimeoutNanos;
        TargetUrl target = TargetUrl.parse(url);
        for (int redirects = 0; ; redirects++) {
            Hop hop = exchange(target, deadline);
            if (hop.image() != null) {
                return hop.image();
            }
            if (redirects == maxRedirects) {
                throw new FetchException(
                        Reason.TOO_MANY_REDIRECTS,
                        "the URL redirected more than " + maxRedirects + " times");
            }
            target = hop.redirect();
        }
    }

    /**
     * Closes every idle pooled connection. Call it after a SnapStart (CRaC) restore, whose pooled sockets
     * belong to a process that no longer exists; the pool opens fresh ones on demand.
     */
    public void closePooledConnections() {
        connections.closeIdle(TimeValue.ZERO_MILLISECONDS);
    }

    /** Closes the connections and stops the helper threads; fetches in progress fail. */
    @Override
    public void close() {
        closed = true;
        client.close(CloseMode.IMMEDIATE);
        deadlines.shutdownNow();
        lookups.shutdownNow();
    }

    /** One request of a fetch: it ended in the image or in a redirect to follow. */
    private record Hop(FetchedImage image, TargetUrl redirect) {}

    private Hop exchange(TargetUrl target, long deadline) throws FetchException {
        Optional<InetAddress> literal = target.literal();
        if (literal.isPresent() && !policy.permits(literal.get())) {
            throw new FetchException(
                    Reason.ADDRESS_REFUSED, "the URL's host is not a public address");
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw timeout();
        }
        HttpGet request = new HttpGet(target.uri());
        request.setHeader(HttpHeaders.ACCEPT, ACCEPT);
        // Cancelling aborts the request wherever it is: waiting for a pooled connection,
        // connecting, or reading.
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> alarm =
                deadlines.schedule(
                        () -> {
                            expired.set(true);
                            request.cancel();
                        },
                        remaining,
                        TimeUnit.NANOSECONDS);
        try (ClassicHttpResponse response = client.executeOpen(null, request, null)) {
            boolean bodyRead = false;
            try {
                Hop hop = answer(target, response);
                bodyRead = hop.image() != null;
                return hop;
            } finally {
                // Closing a response drains its body to keep the connection; an endless body never
                // drains.
                if (!bodyRead) {
                    request.cancel();
                }
            }
        } catch (IOException e) {
            throw failure(e, expired.get());
        } finally {
            alarm.cancel(false);
        }
    }

    /** Reads the response of one hop; a redirect is answered without reading its body. */
    private Hop answer(TargetUrl target, ClassicHttpResponse response)
            throws FetchException, IOException {
        int status = response.getCode();
        if (isFollowedRedirect(status)) {
            Header location = response.getFirstHeader(HttpHeaders.LOCATION);
            if (location == null) {
                throw new FetchException(
                        Reason.BAD_REDIRECT,
                        "the URL answered HTTP " + status + " without a Location");
            }
            return new Hop(null, target.redirect(location.getValue()));
        }
        if (status < 200 || status > 299) {
            throw FetchException.forOriginStatus(status);
        }
        return new Hop(readImage(response.getEntity()), null);
    }

    private static boolean isFollowedRedirect(int status) {
        return status == HttpStatus.SC_MOVED_PERMANENTLY
                || status == HttpStatus.SC_MOVED_TEMPORARILY
                || status == HttpStatus.SC_SEE_OTHER
                || status == HttpStatus.SC_TEMPORARY_REDIRECT
                || status == HttpStatus.SC_PERMANENT_REDIRECT;
    }

    /**
     * Reads the body up to the byte limit and not one byte past it (the limit plus one proves "too large"),
     * failing as soon as the first bytes show it is no image rather than after downloading it.
     */
    private FetchedImage readImage(HttpEntity entity) throws FetchException, IOException {
        if (entity == null) {
            throw notAnImage();
        }
        long declared = entity.getContentLength();
        if (declared > maxBytes) {
            throw tooLarge();
        }
        ByteArrayOutputStream body =
                new ByteArrayOutputStream(
                        (int) Math.min(declared >= 0 ? declared : INITIAL_BUFFER, maxBytes));
        byte[] chunk = new byte[READ_CHUNK];
        PhotoFormat type = null;
        InputStream in = entity.getContent();
        int read;
        while ((read = in.read(chunk, 0, (int) Math.min(chunk.length, maxBytes + 1 - body.size())))
                != -1) {
            body.write(chunk, 0, read);
            if (body.size() > maxBytes) {
                throw tooLarge();
            }
            if (type == null && body.size() >= PhotoFormat.MAGIC_LENGTH) {
                type = sniff(body);
            }
        }
        // At the end of the stream the connection went back to the pool; closing the stream only
        // tidies up.
        in.close();
        byte[] bytes = body.toByteArray();
        return new FetchedImage(bytes, type != null ? type : sniff(body));
    }

    private static PhotoFormat sniff(ByteArrayOutputStream body) throws FetchException {
        return PhotoFormat.detect(body.toByteArray()).orElseThrow(ImageFetcher::notAnImage);
    }

    private FetchException tooLarge() {
        return new FetchException(
                Reason.TOO_LARGE, "the image at the URL is larger than " + maxBytes + " bytes");
    }

    private static FetchException notAnImage() {
        return new FetchException(
                Reason.NOT_AN_IMAGE, "the URL did not answer with a JPEG or PNG image");
    }

    private static FetchException timeout() {
        return new FetchException(Reason.TIMEOUT, "the URL did not answer in time");
    }

    /** Names what failed without repeating the exception's text, which may name internal addresses. */
    private static FetchException failure(IOException e, boolean expired) {
        if (expired || e instanceof InterruptedIOException) {
            return new FetchException(Reason.TIMEOUT, "the URL did not answer in time", e);
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof VettingDnsResolver.Refusal refusal) {
                return new FetchException(refusal.reason(), refusal.getMessage(), e);
            }
            if (cause instanceof UnknownHostException) {
                return new FetchException(
                        Reason.DNS_FAILURE, "the URL's host name does not resolve", e);
            }
            if (cause instanceof SSLException) {
                return new FetchException(
                        Reason.CONNECTION_FAILED,
                        "the TLS handshake with the URL's server failed",
                        e);
            }
        }
        return new FetchException(
                Reason.CONNECTION_FAILED, "the connection to the URL's server failed", e);
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Configures an {@link ImageFetcher}; every setting has a production default. */
    public static final class Builder {

        private long maxBytes = PhotoLimits.API_MAX_BYTES;
        private Duration connectTimeout = Duration.ofSeconds(3);
        private Duration totalTimeout = Duration.ofSeconds(10);
        private int maxRedirects = 3;
        private String userAgent = "photoscore";
        private boolean allowLoopback;

        private Builder() {}

        /** The largest body accepted, in bytes; default the API's largest photo ({@link PhotoLimits}). */
        public Builder maxBytes(long maxBytes) {
            if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(
                        "maxBytes must be from 1 to about 2 GiB: " + maxBytes);
            }
            this.maxBytes = maxBytes;
            return this;
        }

        /** The limit for each host name lookup, TCP connect and TLS handshake; default 3 s. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /** The limit for the whole fetch, every redirect and the whole body included; default 10 s. */
        public Builder totalTimeout(Duration totalTimeout) {
            this.totalTimeout = positive(totalTimeout, "totalTimeout");
            return this;
        }

        /** How many redirects are followed; one more fails with {@link Reason#TOO_MANY_REDIRECTS}; default 3. */
        public Builder maxRedirects(int maxRedirects) {
            if (maxRedirects < 0) {
                throw new IllegalArgumentException(
                        "maxRedirects must not be negative: " + maxRedirects);
            }
            this.maxRedirects = maxRedirects;
            return this;
        }

        /** The User-Agent header sent to origins; default "photoscore". */
        public Builder userAgent(String userAgent) {
            if (userAgent == null || userAgent.isBlank()) {
                throw new IllegalArgumentException("userAgent must not be blank");
            }
            this.userAgent = userAgent;
            return this;
        }

        /**
         * For development and tests only: also permit loopback addresses (127.0.0.0/8 and ::1), and still refuse
         * every other address that is not public. Default false.
         */
        public Builder allowLoopback(boolean allowLoopback) {
            this.allowLoopback = allowLoopback;
            return this;
        }

        public ImageFetcher build() {
            return new ImageFetcher(this);
        }

        private static Duration positive(Duration duration, String name) {
            if (duration == null || duration.isZero() || duration.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive: " + duration);
            }
            return duration;
        }
    }
}
