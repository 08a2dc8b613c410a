package dev.photoscore.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.photoscore.fetch.FetchException;
import dev.photoscore.fetch.ImageFetcher;
import dev.photoscore.image.PhotoRejectedException;
import dev.photoscore.metering.MeteringResult;
import dev.photoscore.metering.MonthlyCapReachedException;
import dev.photoscore.metering.ScoredPhoto;
import dev.photoscore.metering.UsageMeter;
import dev.photoscore.metering.UsageSource;
import dev.photoscore.scoring.PhotoScore;
import dev.photoscore.scoring.PhotoScorer;
import dev.photoscore.store.UsageStoreUnavailableException;
import dev.photoscore.tenants.AuthenticationException;
import dev.photoscore.tenants.Authenticator;
import dev.photoscore.tenants.Tenant;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Everypixel-compatible {@code quality_ugc} API: authenticate, take the photo (URL or multipart upload), score,
 * meter, answer. It knows HTTP requests and answers, nothing of API Gateway; see {@code ApiGatewayHandler}.
 *
 * <p>A photo is metered only after it was scored and before its score is returned; when metering fails the answer
 * is an error and carries no score (docs/metering.md).
 */
public final class QualityApi {

    public static final String QUALITY_PATH = "/v1/quality_ugc";
    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    public static final String MONTH_COUNT_HEADER = "X-Photoscore-Month-Count";
    public static final String FREE_LEFT_HEADER = "X-Photoscore-Free-Left";
    static final String REALM = "Basic realm=\"photoscore\"";

    private static final Logger LOG = LoggerFactory.getLogger(QualityApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PhotoScorer scorer;
    private final Authenticator authenticator;
    private final UsageMeter meter;
    private final ImageFetcher fetcher;
    private final long maxDirectUploadBytes;
    private final RateLimiter rateLimiter;

    private QualityApi(Builder builder) {
        this.scorer = Objects.requireNonNull(builder.scorer, "scorer");
        this.authenticator = Objects.requireNonNull(builder.authenticator, "authenticator");
        this.meter = Objects.requireNonNull(builder.meter, "meter");
        this.fetcher = Objects.requireNonNull(builder.fetcher, "fetcher");
        this.maxDirectUploadBytes = builder.maxDirectUploadBytes;
        this.rateLimiter = new RateLimiter(builder.requestsPerSecond, builder.burst, 10_000, builder.clock);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Answers any request; never throws, never shows a stack trace. */
    public ApiResponse handle(ApiRequest request) {
        ApiResponse response;
        try {
            response = route(request);
        } catch (ApiException e) {
            response = error(e.status(), e.getMessage(), e.headers());
        } catch (AuthenticationException e) {
            response = error(e.httpStatus(), e.getMessage(),
                    e.httpStatus() == 401 ? Map.of("WWW-Authenticate", REALM) : Map.of());
        } catch (UsageStoreUnavailableException e) {
            LOG.warn("usage store unavailable, request {}: {}", request.requestId(), e.getMessage());
            response = error(503, "the service cannot record usage right now; nothing was billed, please retry",
                    Map.of("Retry-After", "5"));
        } catch (MonthlyCapReachedException e) {
            response = error(429, "the monthly cap of " + e.cap() + " photos is reached for " + e.month(),
                    Map.of("Retry-After", Long.toString(secondsUntilNextMonth(request.requestTime()))));
        } catch (RuntimeException e) {
            LOG.error("unexpected failure, request {}", request.requestId(), e);
            response = error(500, "internal error; quote request id " + request.requestId() + " to support",
                    Map.of());
        }
        return response.withHeader(REQUEST_ID_HEADER, request.requestId());
    }

    private ApiResponse route(ApiRequest request) {
        if (!QUALITY_PATH.equals(request.path())) {
            throw new ApiException(404, "no such endpoint: " + request.path());
        }
        if (!request.method().equals("GET") && !request.method().equals("POST")) {
            throw new ApiException(405, "use GET with url=... or POST with a multipart 'data' part",
                    Map.of("Allow", "GET, POST"));
        }
        BasicCredentials credentials = BasicCredentials.parse(request.header("authorization"))
                .orElseThrow(() -> new ApiException(401, "HTTP Basic credentials (client id and secret) are required",
                        Map.of("WWW-Authenticate", REALM)));
        Tenant tenant = authenticator.authenticate(credentials.clientId(), credentials.clientSecret());
        rateLimiter.acquire(tenant.clientId()).ifPresent(wait -> {
            throw new ApiException(429, "too many requests for this client; retry in " + wait + " s",
                    Map.of("Retry-After", Long.toString(wait)));
        });
        refuseWhenCapReached(tenant, request.requestTime());
        Photo photo = photo(request);
        PhotoScore score;
        try {
            score = scorer.score(photo.bytes());
        } catch (PhotoRejectedException e) {
            throw new ApiException(e.reason().httpStatus(), e.getMessage());
        }
        MeteringResult metering = meter.meter(new ScoredPhoto(tenant.clientId(), request.requestId(),
                request.requestTime(), photo.source()));
        return ok(score, details(request), metering);
    }

    private record Photo(byte[] bytes, UsageSource source) {
    }

    private Photo photo(ApiRequest request) {
        List<String> urls = request.queryValues("url");
        boolean multipart = MultipartPhoto.isMultipart(request);
        if (urls.size() > 1) {
            throw new ApiException(400, "give one url parameter, not " + urls.size());
        }
        if (urls.isEmpty() == !multipart) {
            throw new ApiException(400, multipart ? "give either the url parameter or a 'data' upload, not both"
                    : "give the photo's url parameter (GET) or upload it as the multipart field 'data' (POST)");
        }
        if (!urls.isEmpty()) {
            try {
                return new Photo(fetcher.fetch(urls.get(0)).bytes(), UsageSource.API_URL);
            } catch (FetchException e) {
                throw new ApiException(e.httpStatus(), e.getMessage());
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
                + " GET /v1/quality_ugc?upload_id=...");
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
        private Clock clock = Clock.systemUTC();

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

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public QualityApi build() {
            return new QualityApi(this);
        }
    }
}
