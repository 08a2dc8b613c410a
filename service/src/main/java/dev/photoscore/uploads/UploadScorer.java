package dev.photoscore.uploads;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.photoscore.image.DecodeCapacityException;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.image.PhotoRejectedException;
import dev.photoscore.metering.MeteringResult;
import dev.photoscore.metering.MonthlyCapReachedException;
import dev.photoscore.metering.UsageMeter;
import dev.photoscore.metering.UsageSource;
import dev.photoscore.metrics.ServiceMetrics;
import dev.photoscore.scoring.PhotoScore;
import dev.photoscore.scoring.PhotoScorer;
import dev.photoscore.service.ScoreJson;
import dev.photoscore.service.ScorePhoto;
import dev.photoscore.tenants.AuthenticationException;
import dev.photoscore.tenants.Tenant;
import dev.photoscore.tenants.TenantStore;
import dev.photoscore.tenants.UnknownTenantException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Scores a photo put into the uploads bucket through the use case {@link ScorePhoto}: reads it (checking its size
 * first), scores it, meters it for its tenant once per object version, tags it ({@value #SCORE_TAG}, {@value #CLASS_TAG}) and writes a JSON result under
 * {@code results/}; optionally moves photos below a class to {@code rejected/}.
 *
 * <p>What is wrong with the upload (not a photo, too large, no such tenant, its cap reached), or what this function can
 * never decode (a photo larger than its whole decode budget), gets an error result and a normal return: retrying
 * cannot help. What may pass (the usage store or S3 unavailable, no memory for the photo now) is thrown, so that Lambda
 * retries the event; every step is idempotent, and metering answers a repeated object version as it did the first
 * time, so a retry, like a duplicate delivery, writes the same result and charges nothing more.
 */
public final class UploadScorer {

    public static final String SCORE_TAG = "photoscore-score";
    public static final String CLASS_TAG = "photoscore-class";

    private static final Logger LOG = LoggerFactory.getLogger(UploadScorer.class);
    /** S3 answers 412 when the object under the key is no longer the version the event announced. */
    private static final int PRECONDITION_FAILED = 412;
    /** The refusal's code when no tenant has the upload's client id. */
    private static final String UNKNOWN_TENANT = "UNKNOWN_TENANT";

    private final S3Client s3;
    private final ScorePhoto scorePhoto;
    private final TenantStore tenants;
    private final Optional<String> defaultTenant;
    private final int rejectBelowClass;
    private final ServiceMetrics metrics;

    private UploadScorer(Builder builder) {
        this.s3 = Objects.requireNonNull(builder.s3, "s3");
        this.tenants = Objects.requireNonNull(builder.tenants, "tenants");
        this.defaultTenant = builder.defaultTenant;
        this.rejectBelowClass = builder.rejectBelowClass;
        this.metrics = builder.metrics;
        this.scorePhoto = new ScorePhoto(builder.scorer, builder.meter, metrics);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Handles one ObjectCreated object; throws only what a retry may cure. */
    public UploadOutcome process(UploadedObject object) {
        if (!UploadKeys.isIncomingPhoto(object.key())) {
            LOG.warn("s3://{}/{} is not a photo under {}: ignored", object.bucket(), object.key(), UploadKeys.INCOMING);
            return new UploadOutcome(UploadOutcome.Status.SKIPPED, "not under " + UploadKeys.INCOMING);
        }
        String resultKey = UploadKeys.resultKey(object.key());
        String tenantId = null;
        ScorePhoto.Result result;
        try {
            Tenant tenant = tenantOf(object.key());
            tenantId = tenant.clientId();
            result = scorePhoto.score(new ScorePhoto.Request(tenant, object.requestId(), object.eventTime()),
                    limits -> new ScorePhoto.Photo(download(object, limits), UsageSource.S3));
        } catch (ObjectGoneException e) {
            LOG.info("s3://{}/{} ({}) is gone: deleted, replaced or moved since its event", object.bucket(),
                    object.key(), version(object));
            return new UploadOutcome(UploadOutcome.Status.SKIPPED, "the object version is gone");
        } catch (PhotoRejectedException e) {
            return refuse(object, tenantId, resultKey, e.reason().name(), e.getMessage());
        } catch (RefusedUploadException e) {
            return refuse(object, tenantId, resultKey, e.reason, e.getMessage());
        } catch (AuthenticationException e) {
            return refuse(object, tenantId, resultKey, e.reason().name(), "the tenant " + tenantId + " is disabled");
        } catch (MonthlyCapReachedException e) {
            return refuse(object, tenantId, resultKey, ServiceMetrics.MONTHLY_CAP, "the monthly cap of " + e.cap()
                    + " photos is reached for " + e.month());
        } catch (UnknownTenantException e) {
            return refuse(object, tenantId, resultKey, UNKNOWN_TENANT, "no tenant has client id " + tenantId);
        } catch (DecodeCapacityException e) {
            if (e.retryAfterSeconds().isPresent()) {
                throw e; // busy or out of memory: Lambda's retry of the event may pass
            }
            return refuse(object, tenantId, resultKey, ServiceMetrics.NO_MEMORY, e.getMessage());
        }
        PhotoScore score = result.score();
        MeteringResult metering = result.metering();
        boolean reject = score.qualityClass() < rejectBelowClass;
        String movedTo = reject ? UploadKeys.rejectedKey(object.key()) : null;
        tag(object, score);
        putJson(object.bucket(), resultKey, scored(object, tenantId, score, metering, movedTo));
        if (reject) {
            move(object, movedTo);
        }
        LOG.info("s3://{}/{}: score {} class {}, tenant {}, request {}{}{}", object.bucket(), object.key(),
                score.score(), score.qualityClass(), tenantId, object.requestId(),
                metering.alreadyMetered() ? " (metered before)" : "", reject ? ", moved to " + movedTo : "");
        return new UploadOutcome(reject ? UploadOutcome.Status.REJECTED : UploadOutcome.Status.SCORED, resultKey);
    }

    /** The key's tenant folder, else the default tenant: a tenant that exists (the use case checks it is active). */
    private Tenant tenantOf(String key) throws RefusedUploadException {
        Optional<String> folder = UploadKeys.tenantFolder(key);
        String tenantId = folder.or(() -> defaultTenant).orElseThrow(() -> new RefusedUploadException("NO_TENANT",
                "no tenant: put photos under " + UploadKeys.INCOMING + "<client id>/"));
        if (!TenantStore.isWellFormedClientId(tenantId)) {
            throw new RefusedUploadException(UNKNOWN_TENANT, "no tenant has client id " + tenantId);
        }
        return tenants.find(tenantId)
                .orElseThrow(() -> new RefusedUploadException(UNKNOWN_TENANT, "no tenant has client id " + tenantId));
    }

    /**
     * The object version's bytes. The size is checked before anything is read: from the event, when it states it,
     * then from the response's headers; and no more than the limit is ever read.
     *
     * @throws ObjectGoneException the object version is gone (deleted, replaced or moved since its event)
     */
    private byte[] download(UploadedObject object, PhotoLimits limits) throws PhotoRejectedException {
        if (object.size().isPresent()) {
            limits.checkSize(object.size().getAsLong());
        }
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(object.bucket()).key(object.key());
        if (object.versionId() != null) {
            request.versionId(object.versionId());
        } else {
            request.ifMatch(object.eTag());
        }
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(request.build())) {
            Long length = in.response().contentLength();
            if (length != null) {
                try {
                    limits.checkSize(length);
                } catch (PhotoRejectedException e) {
                    in.abort();
                    throw e;
                }
            }
            return in.readNBytes((int) Math.min(limits.maxBytesExclusive(), Integer.MAX_VALUE - 8));
        } catch (NoSuchKeyException e) {
            throw new ObjectGoneException();
        } catch (S3Exception e) {
            if (e.statusCode() == PRECONDITION_FAILED) {
                throw new ObjectGoneException();
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("reading s3://" + object.bucket() + "/" + object.key(), e);
        }
    }

    /** Adds the score tags to the object's own tags (S3 replaces the whole set, so the others are read first). */
    private void tag(UploadedObject object, PhotoScore score) {
        try {
            List<Tag> tags = new ArrayList<>();
            s3.getObjectTagging(b -> b.bucket(object.bucket()).key(object.key()).versionId(object.versionId()))
                    .tagSet().stream()
                    .filter(tag -> !tag.key().equals(SCORE_TAG) && !tag.key().equals(CLASS_TAG))
                    .forEach(tags::add);
            tags.add(Tag.builder().key(SCORE_TAG).value(String.format(Locale.ROOT, "%.4f", score.score())).build());
            tags.add(Tag.builder().key(CLASS_TAG).value(Integer.toString(score.qualityClass())).build());
            s3.putObjectTagging(b -> b.bucket(object.bucket()).key(object.key()).versionId(object.versionId())
                    .tagging(t -> t.tagSet(tags)));
        } catch (NoSuchKeyException e) {
            LOG.info("s3://{}/{} went away before it was tagged", object.bucket(), object.key());
        } catch (S3Exception e) {
            if (e.statusCode() != 400) {
                throw e;
            }
            // The object's own tags leave no room (S3 allows ten): the result still carries the score.
            LOG.warn("s3://{}/{} cannot be tagged: {}", object.bucket(), object.key(), e.awsErrorDetails()
                    .errorMessage());
        }
    }

    /** Copies the object version to rejected/ (with its tags), then deletes it from incoming/. */
    private void move(UploadedObject object, String target) {
        s3.copyObject(b -> {
            b.sourceBucket(object.bucket()).sourceKey(object.key()).destinationBucket(object.bucket())
                    .destinationKey(target);
            if (object.versionId() != null) {
                b.sourceVersionId(object.versionId());
            } else {
                b.copySourceIfMatch(object.eTag());
            }
        });
        s3.deleteObject(b -> b.bucket(object.bucket()).key(object.key()).versionId(object.versionId()));
    }

    /** Writes the error result, and counts the refusal by {@code reason} (a code from a closed set). */
    private UploadOutcome refuse(UploadedObject object, String tenantId, String resultKey, String reason,
                                 String message) {
        metrics.photoRefused(reason);
        ObjectNode body = ScoreJson.error(message);
        describe(body, object, tenantId);
        putJson(object.bucket(), resultKey, body);
        LOG.info("s3://{}/{} refused: {}", object.bucket(), object.key(), message);
        return new UploadOutcome(UploadOutcome.Status.REFUSED, resultKey);
    }

    /** The result of a scored photo: the API's answer with its details, the object and the metering. */
    private static ObjectNode scored(UploadedObject object, String tenantId, PhotoScore score,
                                     MeteringResult metering, String movedTo) {
        ObjectNode body = ScoreJson.score(score, true);
        describe(body, object, tenantId);
        body.putObject("usage")
                .put("monthCount", metering.record().monthCount())
                .put("freePhotosLeft", metering.record().freePhotosLeft())
                .put("billable", metering.record().billable());
        if (movedTo != null) {
            body.put("movedTo", movedTo);
        }
        return body;
    }

    private static void describe(ObjectNode body, UploadedObject object, String tenantId) {
        ObjectNode described = body.putObject("object").put("bucket", object.bucket()).put("key", object.key());
        if (object.versionId() != null) {
            described.put("versionId", object.versionId());
        }
        if (object.eTag() != null) {
            described.put("eTag", object.eTag());
        }
        if (tenantId != null) {
            body.put("tenant", tenantId);
        }
        body.put("requestId", object.requestId());
    }

    private void putJson(String bucket, String key, ObjectNode body) {
        byte[] bytes = ScoreJson.prettyBytes(body);
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromBytes(bytes));
    }

    private static String version(UploadedObject object) {
        return object.versionId() != null ? "version " + object.versionId() : "ETag " + object.eTag();
    }

    /** The object version an event announced is no longer there: nothing to score, nothing to answer. */
    private static final class ObjectGoneException extends RuntimeException {
        ObjectGoneException() {
            super(null, null, false, false);
        }
    }

    /** Why an upload is not scored, when the photo itself is not the reason: a code for the metrics, a message. */
    private static final class RefusedUploadException extends Exception {
        private final String reason;

        RefusedUploadException(String reason, String message) {
            super(message);
            this.reason = reason;
        }
    }

    public static final class Builder {
        private S3Client s3;
        private PhotoScorer scorer;
        private TenantStore tenants;
        private UsageMeter meter;
        private Optional<String> defaultTenant = Optional.empty();
        private int rejectBelowClass;
        private ServiceMetrics metrics = ServiceMetrics.NONE;

        public Builder s3(S3Client s3) {
            this.s3 = s3;
            return this;
        }

        public Builder scorer(PhotoScorer scorer) {
            this.scorer = scorer;
            return this;
        }

        public Builder tenants(TenantStore tenants) {
            this.tenants = tenants;
            return this;
        }

        public Builder meter(UsageMeter meter) {
            this.meter = meter;
            return this;
        }

        /** Who photos put directly under incoming/ are billed to; default none (they are refused). */
        public Builder defaultTenant(String clientId) {
            this.defaultTenant = Optional.ofNullable(clientId).filter(id -> !id.isBlank());
            return this;
        }

        /** Moves photos of a class below this to rejected/; 0 (the default) moves none. */
        public Builder rejectBelowClass(int qualityClass) {
            if (qualityClass < 0 || qualityClass > 5) {
                throw new IllegalArgumentException("rejectBelowClass must be 0 (none) to 5, was " + qualityClass);
            }
            this.rejectBelowClass = qualityClass;
            return this;
        }

        /** Where photos scored and refused are counted; default nowhere. */
        public Builder metrics(ServiceMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics);
            return this;
        }

        public UploadScorer build() {
            return new UploadScorer(this);
        }
    }
}
