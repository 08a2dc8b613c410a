package dev.photoscore.api;

import dev.photoscore.fetch.FetchException;
import dev.photoscore.fetch.ImageFetcher;
import dev.photoscore.image.DecodeCapacityException;
import dev.photoscore.image.PhotoRejectedException;
import dev.photoscore.metering.MonthlyCapReachedException;
import dev.photoscore.metering.UsageMeter;
import dev.photoscore.metrics.ServiceMetrics;
import dev.photoscore.scoring.PhotoScorer;
import dev.photoscore.service.ScoreJson;
import dev.photoscore.service.ScorePhoto;
import dev.photoscore.store.UsageStoreUnavailableException;
import dev.photoscore.tenants.AuthenticationException;
import dev.photoscore.tenants.Authenticator;
import dev.photoscore.tenants.Tenant;
import dev.photoscore.uploads.PhotoUploads;
import dev.photoscore.uploads.UploadException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The Everypixel-compatible {@code quality_ugc} API, HTTP-neutral: routes a request (the quality endpoint, new
 * uploads, and the {@link Routes} it is given beside them, the demo page) and maps what happened to an answer. It is
 * the one place where a reason becomes an HTTP status. The work is elsewhere: who may ask in
 * {@link ClientAdmission}, the photo a request names in {@link RequestedPhoto}, scoring and metering in the use case
 * {@link ScorePhoto}, the JSON in {@link ScoreJson}. It knows HTTP requests and answers, nothing of API Gateway or of
 * a server; the adapters (the Lambda handler, the HTTP server) turn their requests into an {@link ApiRequest}.
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
    /** Log fields (MDC) of every line logged while a request is answered. */
    static final String REQUEST_ID_FIELD = "requestId";
    static final String CLIENT_ID_FIELD = "clientId";

    private static final Logger LOG = LoggerFactory.getLogger(QualityApi.class);

    private final ScorePhoto scorePhoto;
    private final ClientAdmission admission;
    private final RequestedPhoto photos;
    private final NewUpload newUpload;
    private final Routes routes;
    private final ServiceMetrics metrics;

    private QualityApi(Builder builder) {
        this.metrics = builder.metrics;
        this.scorePhoto = new ScorePhoto(builder.scorer, builder.meter, metrics);
        this.admission = new ClientAdmission(Objects.requireNonNull(builder.authenticator, "authenticator"),
                builder.requestsPerSecond, builder.burst, builder.authFailuresPerSecond, builder.authFailureBurst,
                builder.clock);
        this.photos = new RequestedPhoto(Objects.requireNonNull(builder.fetcher, "fetcher"), builder.uploads,
                builder.maxDirectUploadBytes);
        this.newUpload = new NewUpload(builder.uploads);
        this.routes = builder.routes;
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

    private ApiResponse route(ApiRequest request) throws PhotoRejectedException {
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
            throw new ApiException(405, "POST " + UPLOADS_PATH + "?size=BYTES asks for an upload URL",
                    Map.of("Allow", "POST"));
        }
        if (quality && !request.method().equals("GET") && !request.method().equals("POST")) {
            throw new ApiException(405, "use GET with url=... or POST with a multipart 'data' part",
                    Map.of("Allow", "GET, POST"));
        }
        Tenant tenant = admission.admit(request);
        if (uploadsPath) {
            return newUpload.answer(request, tenant);
        }
        ScorePhoto.Result result = scorePhoto.score(
                new ScorePhoto.Request(tenant, request.requestId(), request.requestTime()),
                photos.of(request, tenant));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put(MONTH_COUNT_HEADER, Long.toString(result.metering().record().monthCount()));
        headers.put(FREE_LEFT_HEADER, Long.toString(result.metering().record().freePhotosLeft()));
        return new ApiResponse(200, headers, ScoreJson.bytes(ScoreJson.score(result.score(), details(request))));
    }

    /** Every reason a request fails, mapped to its status, headers and metric: the one place that knows them. */
    private ApiResponse answer(ApiRequest request) {
        try {
            return route(request);
        } catch (ApiException e) {
            return refusal(e.reason(), error(e.status(), e.getMessage(), e.headers()));
        } catch (AuthenticationException e) {
            return switch (e.reason()) {
                case INVALID_CREDENTIALS -> refusal(e.reason().name(), error(401, e.getMessage(),
                        Map.of("WWW-Authenticate", ClientAdmission.REALM)));
                case TENANT_DISABLED -> refusal(e.reason().name(), error(403, e.getMessage(), Map.of()));
            };
        } catch (PhotoRejectedException e) {
            return refusal(e.reason().name(), error(status(e.reason()), e.getMessage(), Map.of()));
        } catch (FetchException e) {
            return refusal("FETCH_" + e.reason().name(), error(status(e.reason()), e.getMessage(), Map.of()));
        } catch (UploadException e) {
            return refusal("UPLOAD_" + e.reason().name(), error(status(e.reason()), e.getMessage(), Map.of()));
        } catch (MonthlyCapReachedException e) {
            return refusal(ServiceMetrics.MONTHLY_CAP, error(429, "the monthly cap of " + e.cap()
                    + " photos is reached for " + e.month(),
                    Map.of("Retry-After", Long.toString(secondsUntilNextMonth(request.requestTime())))));
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
            return error(503, e.getMessage(), e.retryAfterSeconds().isPresent()
                    ? Map.of("Retry-After", Long.toString(e.retryAfterSeconds().getAsLong())) : Map.of());
        } catch (OutOfMemoryError e) {
            // Whatever ran out (decoding is already mapped above), it is the service's failure: a retry may pass.
            metrics.requestFailed(ServiceMetrics.NO_MEMORY);
            LOG.error("answered 503: out of memory", e);
            return error(503, "the service ran out of memory; retry shortly", Map.of("Retry-After", "2"));
        } catch (RuntimeException e) {
            metrics.requestFailed(ServiceMetrics.INTERNAL);
            LOG.error("unexpected failure", e);
            return error(500, "internal error; quote request id " + request.requestId() + " to support", Map.of());
        }
    }

    private static int status(PhotoRejectedException.Reason reason) {
        return switch (reason) {
            case UNSUPPORTED_FORMAT -> 415;
            case FILE_TOO_LARGE -> 413;
            case FILE_TOO_SMALL, TOO_MANY_PIXELS, TOO_FEW_PIXELS, CORRUPT -> 422;
        };
    }

    /** A photo URL that cannot be fetched is the origin's failure as this service met it: 502, or 504 for time. */
    private static int status(FetchException.Reason reason) {
        return switch (reason) {
            case INVALID_URL -> 400;
            case NOT_AN_IMAGE -> 415;
            case TIMEOUT -> 504;
            case DNS_FAILURE, ADDRESS_REFUSED, ORIGIN_STATUS, BAD_REDIRECT, TOO_MANY_REDIRECTS, TOO_LARGE,
                 CONNECTION_FAILED -> 502;
        };
    }

    private static int status(UploadException.Reason reason) {
        return switch (reason) {
            case SIZE_TOO_SMALL, MALFORMED_UPLOAD_ID -> 400;
            case SIZE_TOO_LARGE -> 413;
            case NO_SUCH_UPLOAD -> 404;
        };
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

    private static boolean details(ApiRequest request) {
        return request.queryValues("details").stream().anyMatch(v -> v.equalsIgnoreCase("true") || v.equals("1"));
    }

    /** Every failure: {@link ScoreJson#error}. */
    static ApiResponse error(int status, String message, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.putAll(extraHeaders);
        return new ApiResponse(status, headers, ScoreJson.bytes(ScoreJson.error(message)));
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
        private long maxDirectUploadBytes = Long.MAX_VALUE;
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
         * The largest photo a request body may carry, where the transport carries less than the photo limits allow
         * (the Lambda's synchronous payload); default none beyond the photo limits.
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
