package dev.photoscore.service;

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
import dev.photoscore.tenants.Tenant;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * The one use case: score a tenant's photo and bill it exactly once. Every entry point goes through it (the API,
 * the S3 upload flow): the tenant is checked (active, its monthly cap not reached), the photo read within the
 * size limits, scored, metered, and only then its score returned. A photo whose metering fails has no score to
 * show (docs/metering.md).
 *
 * <p>Who the tenant is stays with the entry point (the API's credentials, the S3 key's folder); so does how the
 * photo arrives ({@link PhotoReader}) and how the result is shown.
 */
public final class ScorePhoto {

    private final PhotoScorer scorer;
    private final UsageMeter meter;
    private final ServiceMetrics metrics;

    public ScorePhoto(PhotoScorer scorer, UsageMeter meter, ServiceMetrics metrics) {
        this.scorer = Objects.requireNonNull(scorer, "scorer");
        this.meter = Objects.requireNonNull(meter, "meter");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /**
     * Whose photo, and the request that makes its metering happen once.
     *
     * @param requestId   the same for every retry of the request (see {@link ScoredPhoto})
     * @param requestTime when the request was received or the photo uploaded
     */
    public record Request(Tenant tenant, String requestId, Instant requestTime) {
        public Request {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(requestTime, "requestTime");
        }
    }

    /** The photo's bytes and where they came in (for the usage record). */
    public record Photo(byte[] bytes, UsageSource source) {
        public Photo {
            Objects.requireNonNull(bytes, "bytes");
            Objects.requireNonNull(source, "source");
        }
    }

    /** Reads the photo, called once the tenant may have it scored; it refuses what is outside the limits. */
    @FunctionalInterface
    public interface PhotoReader {
        Photo read(PhotoLimits limits) throws PhotoRejectedException;
    }

    /** A photo scored and metered: its score may now be shown. */
    public record Result(PhotoScore score, MeteringResult metering) {
    }

    /**
     * Scores and meters one photo.
     *
     * @throws AuthenticationException         {@code TENANT_DISABLED}: the tenant is disabled
     * @throws MonthlyCapReachedException      the tenant's monthly cap is reached (nothing metered)
     * @throws PhotoRejectedException          the photo is not one the service scores
     * @throws DecodeCapacityException         no memory to decode it now (or ever, past the whole budget)
     * @throws UsageStoreUnavailableException  the usage store could not meter it: no score to show
     */
    public Result score(Request request, PhotoReader reader) throws PhotoRejectedException {
        Tenant tenant = request.tenant();
        if (!tenant.isActive()) {
            throw new AuthenticationException(AuthenticationException.Reason.TENANT_DISABLED);
        }
        refuseWhenCapReached(request);
        long start = System.nanoTime();
        Photo photo = reader.read(scorer.limits());
        long read = System.nanoTime();
        PhotoScorer.TimedScore timed = scorer.scoreTimed(photo.bytes());
        long scored = System.nanoTime();
        MeteringResult metering = meter.meter(new ScoredPhoto(tenant.clientId(), request.requestId(),
                request.requestTime(), photo.source()));
        metrics.photoScored(timed.score(), new StageTimes(read - start, timed.decodeNanos(), timed.scoreNanos(),
                System.nanoTime() - scored));
        return new Result(timed.score(), metering);
    }

    /**
     * A cheap early refusal from the tenant as read (possibly a little stale), before the photo is read or scored;
     * metering enforces the cap exactly. A request metered before (a retry, a redelivered S3 event) is not refused:
     * metering answers it as it did the first time.
     */
    private void refuseWhenCapReached(Request request) {
        Tenant tenant = request.tenant();
        YearMonth month = YearMonth.from(request.requestTime().atZone(ZoneOffset.UTC));
        long cap = tenant.plan().monthlyCap().orElse(Long.MAX_VALUE);
        if (tenant.photosIn(month) >= cap
                && !meter.isMetered(tenant, request.requestId(), request.requestTime())) {
            throw new MonthlyCapReachedException(tenant.clientId(), month, cap);
        }
    }
}
