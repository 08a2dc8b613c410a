package dev.photoscore.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.photoscore.fetch.FetchException;
import dev.photoscore.fetch.ImageFetcher;
import dev.photoscore.image.DecodeCapacityException;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.image.PhotoRejectedException;
import dev.photoscore.metering.MeteringResult;
import dev.photoscore.metering.MonthlyCapReachedException;
import dev.photoscore.metering.ScoredPhoto;
import dev.photoscore.metering.UsageMeter;
import dev.photoscore.metering.UsageSource;
import dev.photoscore.metrics.ServiceMetrics;
import dev.photoscore.metrics.StageTimes;
import dev.photoscore.scoring.PhotoScore;
import dev.photoscore.scoring.PhotoScorer;
import dev.photoscore.store.UsageStoreUnavailableException;
import dev.photoscore.tenants.AuthenticationException;
import dev.photoscore.tenants.Authenticator;
import dev.photoscore.tenants.Tenant;
import dev.photoscore.uploads.PhotoUploads;
import dev.photoscore.uploads.UploadException;
import dev.photoscore.tenants.TenantStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The Everypixel-compatible {@code quality_ugc} API: authenticate, take the photo (URL or multipart upload), score,
 * meter, answer; and, beside it, the {@link Routes} it is given (the demo page). It knows HTTP requests and answers,
 * nothing of API Gateway; see {@code ApiGatewayHandler}.
 *
 * <p>A photo is metered only after it was scored and before its score is returned; when metering fails the answer
 * is an error and carries no score (docs/metering.md).
 */
public final class QualityApi {

    public static final String QUALITY_PATH = "/v1/quality_ugc";
    public static final String UPLOADS_PATH = "/v1/uploads";
    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    public static final String MONTH_COUNT_HEADER = "X-Photoscore-Month-Count";
    public static final String FREE_LEFT_HEADER = "X-Photoscore-Free-Left";
    static final String REALM = "Basic realm=\"photoscore\"";
    /** Log fields (MDC) of every line logged while a request is answered. */
    static final String REQUEST_ID_FIELD = "requestId";
    static final String CLIENT_ID_FIELD = "clientId";

    private static final Logger LOG = LoggerFactory.getLogger(QualityApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PhotoScorer scorer;
    private final Authenticator authenticator;
    private final UsageMeter meter;
    private final ImageFetcher fetcher;
    private final long maxDirectUploadBytes;
    private final RateLimiter rateLimiter;
    private final PhotoUploads uploads;
    private final RateLimiter authFailures;
    private final Routes routes;
    private final ServiceMetrics metrics;

    private QualityApi(Builder builder) {
        this.scorer = Objects.requireNonNull(builder.scorer, "scorer");
        this.authenticator = Objects.requireNonNull(builder.authenticator, "authenticator");
        this.meter = Objects.requireNonNull(builder.meter, "meter");
        this.fetcher = Objects.requireNonNull(builder.fetcher, "fetcher");
        this.maxDirectUploadBytes = builder.maxDirectUploadBytes;
        this.rateLimiter = new RateLimiter(builder.requestsPerSecond, builder.burst, 10_000, builder.clock);
        this.uploads = builder.uploads;
        this.authFailures = new RateLimiter(builder.authFailuresPerSecond, builder.authFailureBurst, 10_000,
                builder.clock);
        this.routes = builder.routes;
        this.metrics = builder.metrics;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Answers any request; never throws, never shows a stack trace. Logs one line for it (method, path, status and
     * latency, with the request id and, once authenticated, the client id): never a secret, a query (a photo URL may
     * carry tokens) or a body.
     */
    public ApiResponse handle(ApiRequest request) {
        long start = System.nanoTime();
        try (MDC.MDCCloseable id = MDC.putCloseable(REQUEST_ID_FIELD, request.requestId())) {
            ApiResponse response = answer(request).withHeader(REQUEST_ID_HEADER, request.requestId());
            logAnswer(request.method() + " " + request.path(), response, start);
            return response;
        } finally {
            MDC.remove(CLIENT_ID_FIELD);
        }
    }

    /**
     * The answer to a request that could not even be read from what arrived (a malformed event): the problem's status
     * and message, with the request id as every answer has it.
     */
    public ApiResponse refuse(String requestId, ApiException problem) {
        try (MDC.MDCCloseable id = MDC.putCloseable(REQUEST_ID_FIELD, requestId)) {
            ApiResponse response = error(problem.status(), problem.getMessage(), problem.headers())
                    .withHeader(REQUEST_ID_HEADER, requestId);
            logAnswer("unreadable request", response, System.nanoTime());
            return response;
        }
    }

    private ApiResponse answer(ApiRequest request) {
        try {
            return route(request);
        } catch (ApiException e) {
            return refusal(e.reason(), error(e.status(), e.getMessage(), e.headers()));
        } catch (AuthenticationException e) {
            return refusal(e.reason().name(), error(e.httpStatus(), e.getMessage(),
                    e.httpStatus() == 401 ? Map.of("WWW-Authenticate", REALM) : Map.of()));
        } catch (UsageStoreUnavailableException e) {
            metrics.requestFailed(ServiceMetrics.USAGE_STORE_UNAVAILABLE);
            LOG.warn("answered 503: {}{}", e.getMessage(), e.getCause() == null ? "" : " (" + e.getCause() + ")");
            return error(503, e.outcomeUnknown()
                    ? "the usage store stopped answering while this photo was being recorded, so it may be billed;"
                            + " quote request id " + request.requestId() + " to support if it is, and retry"
                    : "the service cannot record usage right now; nothing was billed, please retry",
                    Map.of("Retry-After", "5"));
        } catch (DecodeCapacityException e) {
            metrics.requestFailed(ServiceMetrics.NO_MEMORY);
            LOG.warn("answered 503: {}", e.getMessage());
            return error(DecodeCapacityException.HTTP_STATUS, e.getMessage(), e.retryAfterSeconds().isPresent()
                    ? Map.of("Retry-After", Long.toString(e.retryAfterSeconds().getAsLong())) : Map.of());
        } catch (OutOfMemoryError e) {
            // Whatever ran out (decoding is already mapped above), it is the service's failure: a retry may pass.
            metrics.requestFailed(ServiceMetrics.NO_MEMORY);
            LOG.error("answered 503: out of memory", e);
            return error(503, "the service ran out of memory; retry shortly", Map.of("Retry-After", "2"));
        } catch (MonthlyCapReachedException e) {
            return refusal(ServiceMetrics.MONTHLY_CAP, error(429, "the monthly cap of " + e.cap()
                    + " photos is reached for " + e.month(),
                    Map.of("Retry-After", Long.toString(secondsUntilNextMonth(request.requestTime())))));
        } catch (RuntimeException e) {
            metrics.requestFailed(ServiceMetrics.INTERNAL);
            LOG.error("unexpected failure", e);
            return error(500, "internal error; quote request id " + request.requestId() + " to support", Map.of());
        }
    }

    /**
     * Counts a refusal by its reason: an answer about the request (a 4xx, or the 502 and 504 of a photo URL that
     * could not be fetched), not a failure of the service.
     */
    private ApiResponse refusal(String reason, ApiResponse answer) {
        metrics.photoRefused(reason);
        return answer;
    }

    private static void logAnswer(String what, ApiResponse response, long startNanos) {
        LOG.atInfo()
                .addKeyValue("status", response.status())
                .addKeyValue("latencyMs", (System.nanoTime() - startNanos) / 1_000_000)
                .log("{} answered {}", what, response.status());
    }

    private ApiResponse route(ApiRequest request) {
        Optional<ApiResponse> other = routes.answer(request);
        if (other.isPresent()) {
            return other.get();
        }
        boolean quality = QUALITY_PATH.equals(request.path());
        boolean uploadsPath = UPLOADS_PATH.equals(request.path());
        if (!quality && !uploadsPath) {
            throw new ApiException(404, "no such endpoint: " + request.path());
        }
        if (uploadsPath && !request.method().equals("POST")) {
            throw new ApiException(405, "POST /v1/uploads?size=BYTES asks for an upload URL", Map.of("Allow", "POST"));
        }
        if (quality && !request.method().equals("GET") && !request.method().equals("POST")) {
            throw new ApiException(405, "use GET with url=... or POST with a multipart 'data' part",
                    Map.of("Allow", "GET, POST"));
        }
        Tenant tenant = authenticate(request);
        return quality ? score(request, tenant) : newUpload(request, tenant);
    }

    private Tenant authenticate(ApiRequest request) {
        BasicCredentials credentials = BasicCredentials.parse(request.header("authorization"))
                .orElseThrow(() -> new ApiException(401, "HTTP Basic credentials (client id and secret) are required",
                        Map.of("WWW-Authenticate", REALM)));
        Tenant tenant = authenticate(credentials, request.sourceIp());
        rateLimiter.acquire(tenant.clientId()).ifPresent(wait -> {
            throw new ApiException(429, "too many requests for this client; retry in " + wait + " s",
                    Map.of("Retry-After", Long.toString(wait)), "RATE_LIMITED");
        });
        return tenant;
    }

    private ApiResponse score(ApiRequest request, Tenant tenant) {
        refuseWhenCapReached(tenant, request.requestTime());
        long start = System.nanoTime();
        Photo photo = photo(request, tenant);
        long read = System.nanoTime();
        PhotoScorer.TimedScore timed;
        try {
            timed = scorer.scoreTimed(photo.bytes());
        } catch (PhotoRejectedException e) {
            throw new ApiException(e.reason().httpStatus(), e.getMessage(), Map.of(), e.reason().name());
        }
        long scored = System.nanoTime();
        MeteringResult metering = meter.meter(new ScoredPhoto(tenant.clientId(), request.requestId(),
                request.requestTime(), photo.source()));
        metrics.photoScored(timed.score(), new StageTimes(read - start, timed.decodeNanos(), timed.scoreNanos(),
                System.nanoTime() - scored));
        return ok(timed.score(), details(request), metering);
    }

    /** {@code POST /v1/uploads?size=BYTES}: a presigned URL to PUT a photo of that size to, and its upload id. */
    private ApiResponse newUpload(ApiRequest request, Tenant tenant) {
        if (uploads == null) {
            throw new ApiException(501, "the upload flow needs S3 and is not set up here; this service takes photos"
                    + " up to " + maxDirectUploadBytes / 1024 + " KB directly");
        }
        List<String> sizes = request.queryValues("size");
        long size;
        try {
            size = sizes.size() == 1 ? Long.parseLong(sizes.get(0).trim()) : -1;
        } catch (NumberFormatException e) {
            size = -1;
        }
        if (size < 0) {
            throw new ApiException(400, "give the photo's size in bytes: POST /v1/uploads?size=BYTES");
        }
        PhotoUploads.Ticket ticket;
        try {
            ticket = uploads.create(tenant.clientId(), size);
        } catch (UploadException e) {
            throw new ApiException(e.httpStatus(), e.getMessage());
        }
        ObjectNode body = JSON.createObjectNode().put("status", "ok").put("upload_id", ticket.uploadId())
                .put("upload_url", ticket.url().toString()).put("method", "PUT");
        ObjectNode headers = body.putObject("headers");
        ticket.headers().forEach(headers::put);
        body.put("expires_at", ticket.expiresAt().toString());
        body.put("score_url", QUALITY_PATH + "?upload_id=" + ticket.uploadId());
        return new ApiResponse(200, Map.of("Content-Type", "application/json"), bytes(body));
    }

    /**
     * The tenant, unless these credentials are refused, or the same client id failed too often from this address:
     * then the attempt is refused before any check (429), right secret or not. Keyed by client id and address, so an
     * attacker who knows a client id slows down only their own attempts, never the tenant's from elsewhere.
     */
    private Tenant authenticate(BasicCredentials credentials, String sourceIp) {
        if (!TenantStore.isWellFormedClientId(credentials.clientId())) {
            // Refused without a look-up: nothing to protect, and no bucket for whatever an attacker sends.
            return authenticator.authenticate(credentials.clientId(), credentials.clientSecret());
        }
        String key = credentials.clientId() + " " + sourceIp;
        authFailures.waitTime(key).ifPresent(wait -> {
            throw new ApiException(429, "too many failed authentications for this client id from this address;"
                    + " retry in " + wait + " s", Map.of("Retry-After", Long.toString(wait)), "AUTH_FAILURES_LIMITED");
        });
        try {
            Tenant tenant = authenticator.authenticate(credentials.clientId(), credentials.clientSecret());
            MDC.put(CLIENT_ID_FIELD, tenant.clientId());
            return tenant;
        } catch (AuthenticationException e) {
            if (e.reason() == AuthenticationException.Reason.INVALID_CREDENTIALS) {
                authFailures.acquire(key);
            }
            throw e;
        }
    }

    private record Photo(byte[] bytes, UsageSource source) {
    }

    private Photo photo(ApiRequest request, Tenant tenant) {
        List<String> urls = request.queryValues("url");
        List<String> uploadIds = request.queryValues("upload_id");
        boolean multipart = MultipartPhoto.isMultipart(request);
        int given = urls.size() + uploadIds.size() + (multipart ? 1 : 0);
        if (given != 1) {
            throw new ApiException(400, given == 0
                    ? "give the photo's url parameter (GET) or upload it as the multipart field 'data' (POST)"
                    : "give exactly one photo: the url parameter, an upload_id, or a 'data' upload, not several");
        }
        if (!urls.isEmpty()) {
            try {
                return new Photo(fetcher.fetch(urls.get(0)).bytes(), UsageSource.API_URL);
            } catch (FetchException e) {
                throw new ApiException(e.httpStatus(), e.getMessage(), Map.of(), "FETCH_" + e.reason().name());
            }
        }
        if (!uploadIds.isEmpty()) {
            if (uploads == null) {
                throw new ApiException(501, "the upload flow needs S3 and is not set up here");
            }
            try {
                return new Photo(uploads.read(tenant.clientId(), uploadIds.get(0), PhotoLimits.API_MAX_BYTES),
                        UsageSource.API_UPLOAD);
            } catch (UploadException e) {
                throw new ApiException(e.httpStatus(), e.getMessage(), Map.of(), "UPLOAD_" + e.httpStatus());
            }
        }
        if (request.body().length > maxDirectUploadBytes + 64 * 1024) {
            throw tooLargeForDirectUpload();
        }
        byte[] bytes = MultipartPhoto.read(request, maxDirectUploadBytes);
        return new Photo(bytes, UsageSource.API_UPLOAD);
    }

    private ApiException tooLargeForDirectUpload() {
        return new ApiException(413, "direct uploads are limited to " + maxDirectUploadBytes / 1024
                + " KB here; for photos up to 10 MB, POST /v1/uploads for an upload URL, PUT the photo there, then"
                + " GET /v1/quality_ugc?upload_id=...", Map.of(), "DIRECT_UPLOAD_TOO_LARGE");
    }

    /** A cheap early refusal from the (possibly slightly stale) authenticated tenant; metering enforces it exactly. */
    private static void refuseWhenCapReached(Tenant tenant, Instant requestTime) {
        YearMonth month = YearMonth.from(requestTime.atZone(ZoneOffset.UTC));
        tenant.plan().monthlyCap().ifPresent(cap -> {
            if (tenant.photosIn(month) >= cap) {
                throw new MonthlyCapReachedException(tenant.clientId(), month, cap);
            }
        });
    }

    private static boolean details(ApiRequest request) {
        return request.queryValues("details").stream().anyMatch(v -> v.equalsIgnoreCase("true") || v.equals("1"));
    }

    private static ApiResponse ok(PhotoScore score, boolean details, MeteringResult metering) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("quality").put("score", score.score()).put("class", score.qualityClass());
        if (details) {
            ObjectNode detail = body.putObject("details");
            score.outputs().forEach((name, value) -> detail.put(detailName(name), value));
            ArrayNode flags = detail.putArray("flags");
            ArrayNode hints = detail.putArray("hints");
            score.flags().forEach(flag -> {
                flags.add(flag.jsonName());
                hints.add(flag.hint());
            });
        }
        body.put("status", "ok");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put(MONTH_COUNT_HEADER, Long.toString(metering.record().monthCount()));
        headers.put(FREE_LEFT_HEADER, Long.toString(metering.record().freePhotosLeft()));
        return new ApiResponse(200, headers, bytes(body));
    }

    /** {@code nima.aesthetic} is the answer's {@code aesthetic}: the Everypixel-style short names. */
    private static String detailName(String output) {
        int dot = output.indexOf('.');
        return output.startsWith("nima.") ? output.substring(dot + 1) : output.replace('.', '_');
    }

    /** Every failure: {@code {"status": "error", "message": "..."}}. */
    static ApiResponse error(int status, String message, Map<String, String> extraHeaders) {
        ObjectNode body = JSON.createObjectNode().put("status", "error").put("message", message);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.putAll(extraHeaders);
        return new ApiResponse(status, headers, bytes(body));
    }

    private static byte[] bytes(ObjectNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long secondsUntilNextMonth(Instant now) {
        Instant next = YearMonth.from(now.atZone(ZoneOffset.UTC)).plusMonths(1).atDay(1).atStartOfDay()
                .toInstant(ZoneOffset.UTC);
        return Math.max(1, Duration.between(now, next).toSeconds());
    }

    public static final class Builder {
        private PhotoScorer scorer;
        private Authenticator authenticator;
        private UsageMeter meter;
        private ImageFetcher fetcher;
        private long maxDirectUploadBytes = 10L * 1024 * 1024;
        private double requestsPerSecond = 50;
        private int burst = 100;
        private double authFailuresPerSecond = 0.1;
        private int authFailureBurst = 10;
        private Clock clock = Clock.systemUTC();
        private PhotoUploads uploads;
        private Routes routes = Routes.NONE;
        private ServiceMetrics metrics = ServiceMetrics.NONE;

        public Builder scorer(PhotoScorer scorer) {
            this.scorer = scorer;
            return this;
        }

        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = authenticator;
            return this;
        }

        public Builder meter(UsageMeter meter) {
            this.meter = meter;
            return this;
        }

        public Builder fetcher(ImageFetcher fetcher) {
            this.fetcher = fetcher;
            return this;
        }

        /**
         * The largest photo a request body may carry. Lambda's 6 MB synchronous payload limit leaves about 4.4 MB
         * after base64, so the Lambda sets that; the local service takes the full 10 MB.
         */
        public Builder maxDirectUploadBytes(long maxDirectUploadBytes) {
            this.maxDirectUploadBytes = maxDirectUploadBytes;
            return this;
        }

        /** Per client id and process: {@code perSecond} on average, bursts of {@code burst}. Default 50/s, 100. */
        public Builder rateLimit(double perSecond, int burst) {
            this.requestsPerSecond = perSecond;
            this.burst = burst;
            return this;
        }

        /** The S3 upload flow for large photos; without it, {@code /v1/uploads} answers 501. */
        public Builder uploads(PhotoUploads uploads) {
            this.uploads = uploads;
            return this;
        }

        /**
         * Per client id and source address and process: failed authentications allowed, {@code perSecond} on average
         * after a first {@code burst}. Default 10, then one every 10 s. Past it, that client id from that address is
         * answered 429 without a check until the next failure is allowed.
         */
        public Builder authFailureLimit(double perSecond, int burst) {
            this.authFailuresPerSecond = perSecond;
            this.authFailureBurst = burst;
            return this;
        }

        /** Paths answered beside the API (the demo page); default none. */
        public Builder routes(Routes routes) {
            this.routes = Objects.requireNonNull(routes);
            return this;
        }

        /** Where photos scored and refused are counted; default nowhere. */
        public Builder metrics(ServiceMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public QualityApi build() {
            return new QualityApi(this);
        }
    }
}
