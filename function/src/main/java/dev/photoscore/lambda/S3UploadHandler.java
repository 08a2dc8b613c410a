package dev.photoscore.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3ObjectEntity;
import dev.photoscore.uploads.UploadKeys;
import dev.photoscore.uploads.UploadOutcome;
import dev.photoscore.uploads.UploadScorer;
import dev.photoscore.uploads.UploadedObject;
import dev.photoscore.wiring.ScoringServices;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The Lambda entry point for the uploads bucket's ObjectCreated events (prefix {@code incoming/}): each object goes to
 * {@link UploadScorer}. Configured by the environment of {@link LambdaEnvironment#scoring} and
 * {@value #DEFAULT_TENANT} (the client id billed for photos directly under incoming/; default none) and
 * {@value #REJECT_BELOW_CLASS} (1..5: photos of a lower class move to rejected/; default 0, none), and
 * {@value LambdaEnvironment#UPLOADS_BUCKET} for SnapStart's priming only (the events name each object's bucket). It answers a count
 * of the outcomes, e.g. {@code {SCORED=1}}, for the logs and {@code sam local invoke}.
 */
public final class S3UploadHandler implements RequestHandler<S3Event, String> {

    static final String DEFAULT_TENANT = "UPLOADS_DEFAULT_TENANT";
    /** No tenant has this client id, and no photo this key. */
    static final String PRIMING_TENANT = "snapstart-priming";
    static final String PRIMING_KEY = UploadKeys.INCOMING + PRIMING_TENANT + "/.snapstart-priming";
    static final String REJECT_BELOW_CLASS = "REJECT_BELOW_CLASS";

    private static final Logger LOG = LoggerFactory.getLogger(S3UploadHandler.class);

    private final UploadScorer uploads;
    /** SnapStart's hooks, held as long as the handler: the CRaC context may reference them weakly. */
    private final SnapStartPriming priming;

    /**
     * Lambda's constructor: everything is built once per execution environment, from its environment variables, and
     * SnapStart's hooks are registered (see {@link #priming}).
     */
    public S3UploadHandler() {
        ScoringServices services = LambdaEnvironment.scoring(System.getenv()).build();
        S3Client s3 = LambdaEnvironment.s3Client();
        this.uploads = uploadScorer(services, s3, System.getenv());
        this.priming = priming(services, s3, System.getenv(LambdaEnvironment.UPLOADS_BUCKET)).register();
    }

    public S3UploadHandler(UploadScorer uploads) {
        this.uploads = Objects.requireNonNull(uploads, "uploads");
        this.priming = null;
    }

    /**
     * The function's SnapStart priming: the scoring path on the bundled photos, a tenant lookup in DynamoDB, and the
     * head of an object under incoming/ that need not exist, which loads and exercises the S3 client (signing, XML,
     * its errors).
     */
    static SnapStartPriming priming(ScoringServices services, S3Client s3, String bucket) {
        SnapStartPriming.Builder priming = SnapStartPriming.builder(services.scorer())
                .warmUp("DynamoDB, by an unknown tenant's lookup", () -> services.tenants().find(PRIMING_TENANT));
        if (bucket != null && !bucket.isBlank()) {
            priming.warmUp("S3, by the head of " + PRIMING_KEY, () -> {
                try {
                    s3.headObject(b -> b.bucket(bucket).key(PRIMING_KEY));
                } catch (NoSuchKeyException expected) {
                    // The usual answer: what mattered was the round trip.
                }
            });
        }
        return priming.build();
    }

    static UploadScorer uploadScorer(ScoringServices services, S3Client s3, Map<String, String> environment) {
        String rejectBelow = environment.getOrDefault(REJECT_BELOW_CLASS, "").trim();
        int rejectBelowClass;
        try {
            rejectBelowClass = rejectBelow.isEmpty() ? 0 : Integer.parseInt(rejectBelow);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(REJECT_BELOW_CLASS + " must be a class 1..5 or 0, was " + rejectBelow, e);
        }
        return UploadScorer.builder()
                .s3(s3)
                .scorer(services.scorer())
                .tenants(services.tenants())
                .meter(services.meter())
                .defaultTenant(environment.get(DEFAULT_TENANT))
                .rejectBelowClass(rejectBelowClass)
                .metrics(services.metrics())
                .build();
    }

    @Override
    public String handleRequest(S3Event event, Context context) {
        Map<UploadOutcome.Status, Integer> outcomes = new EnumMap<>(UploadOutcome.Status.class);
        for (S3EventNotificationRecord record : event.getRecords()) {
            if (record.getEventName() == null || !record.getEventName().startsWith("ObjectCreated")) {
                LOG.warn("ignored a {} event for {}", record.getEventName(), record.getS3().getObject().getKey());
                outcomes.merge(UploadOutcome.Status.SKIPPED, 1, Integer::sum);
                continue;
            }
            outcomes.merge(uploads.process(uploadedObject(record)).status(), 1, Integer::sum);
        }
        return outcomes.toString();
    }

    /** The object an event record announces. */
    static UploadedObject uploadedObject(S3EventNotificationRecord record) {
        S3ObjectEntity object = record.getS3().getObject();
        Long size = object.getSizeAsLong();
        String versionId = object.getVersionId();
        return new UploadedObject(record.getS3().getBucket().getName(), object.getUrlDecodedKey(),
                versionId == null || versionId.isEmpty() ? null : versionId, object.geteTag(),
                size == null || size == 0 ? OptionalLong.empty() : OptionalLong.of(size),
                Instant.ofEpochMilli(record.getEventTime().getMillis()));
    }
}
