package dev.photoscore.lambda;

import dev.photoscore.metrics.ServiceMetrics;
import dev.photoscore.metrics.StageTimes;
import dev.photoscore.scoring.PhotoScore;
import java.util.Map;
import java.util.Objects;
import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;
import software.amazon.cloudwatchlogs.emf.environment.Environments;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;
import software.amazon.lambda.powertools.metrics.provider.EmfMetricsProvider;

/**
 * The Lambda's {@link ServiceMetrics}: CloudWatch's embedded metric format, one JSON document per line on stdout,
 * which CloudWatch Logs turns into metrics in namespace {@code namespace} with the dimension
 * {@value #SERVICE_DIMENSION} (the function: {@code api}, {@code uploads}). No API call, no agent: the
 * function's log group is the only sink, so a metric costs no latency and needs no permission. Written with
 * Powertools for AWS Lambda (Java) v2's functional API, without AspectJ.
 *
 * <p>The documents, each written when its event happens:
 * <ul>
 *   <li>a scored photo: {@value #SCORE} (None: its distribution by percentiles) and the latency of each stage,
 *       {@value #INPUT_LATENCY}, {@value #DECODE_LATENCY}, {@value #MODEL_LATENCY}, {@value #METERING_LATENCY}
 *       (Milliseconds), by {@value #SERVICE_DIMENSION};</li>
 *   <li>the same photo: {@value #PHOTOS_SCORED} (Count), by {@value #SERVICE_DIMENSION} (all photos) and by
 *       {@value #SERVICE_DIMENSION} and {@value #CLASS_DIMENSION} (1..5: the distribution by class);</li>
 *   <li>a refusal: {@value #PHOTOS_REFUSED} (Count), by {@value #SERVICE_DIMENSION} (all refusals) and by
 *       {@value #SERVICE_DIMENSION} and {@value #REASON_DIMENSION};</li>
 *   <li>a server error: {@value #REQUESTS_FAILED} (Count), likewise by {@value #SERVICE_DIMENSION} and by
 *       {@value #SERVICE_DIMENSION} and {@value #REASON_DIMENSION}.</li>
 * </ul>
 * The names are what template.yaml's alarms and dashboard read.
 */
public final class EmfMetrics implements ServiceMetrics {

    /** Environment variables: the namespace (default {@value #DEFAULT_NAMESPACE}) and the service dimension. */
    public static final String NAMESPACE_VARIABLE = "METRICS_NAMESPACE";
    public static final String SERVICE_VARIABLE = "METRICS_SERVICE";
    static final String DEFAULT_NAMESPACE = "photoscore";
    static final String DEFAULT_SERVICE = "api";

    public static final String SERVICE_DIMENSION = "Service";
    public static final String CLASS_DIMENSION = "QualityClass";
    public static final String REASON_DIMENSION = "Reason";
    public static final String PHOTOS_SCORED = "PhotosScored";
    public static final String PHOTOS_REFUSED = "PhotosRefused";
    public static final String REQUESTS_FAILED = "RequestsFailed";
    public static final String SCORE = "Score";
    public static final String INPUT_LATENCY = "InputLatency";
    public static final String DECODE_LATENCY = "DecodeLatency";
    public static final String MODEL_LATENCY = "ModelLatency";
    public static final String METERING_LATENCY = "MeteringLatency";

    static {
        // The embedded-metrics library would otherwise probe for its environment (EC2's metadata service, a
        // CloudWatch agent's socket) where Lambda's variables are missing: the Lambda's sink is stdout, always.
        EnvironmentConfigurationProvider.getConfig().setEnvironmentOverride(Environments.Lambda);
    }

    private final Metrics metrics;
    private final String service;
    private final ThreadLocal<Boolean> muted = ThreadLocal.withInitial(() -> false);

    public EmfMetrics(String namespace, String service) {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(service, "service");
        // Not Powertools' process-wide instance (MetricsFactory): that one keeps a logger per X-Ray trace id until
        // its flush(), which flushMetrics() never calls. This one writes each document and keeps nothing.
        this.service = service;
        this.metrics = new EmfMetricsProvider().getMetricsInstance();
        metrics.setNamespace(namespace);
        metrics.setDefaultDimensions(DimensionSet.of(SERVICE_DIMENSION, service));
    }

    /** From {@value #NAMESPACE_VARIABLE} and {@value #SERVICE_VARIABLE}, each with its default. */
    static EmfMetrics fromEnvironment(Map<String, String> env) {
        return new EmfMetrics(nonBlank(env.get(NAMESPACE_VARIABLE), DEFAULT_NAMESPACE),
                nonBlank(env.get(SERVICE_VARIABLE), DEFAULT_SERVICE));
    }

    private static String nonBlank(String value, String otherwise) {
        return value == null || value.isBlank() ? otherwise : value.strip();
    }

    @Override
    public void photoScored(PhotoScore score, StageTimes times) {
        if (muted.get()) {
            return;
        }
        metrics.flushMetrics(document -> {
            document.addMetric(SCORE, score.score(), MetricUnit.NONE);
            document.addMetric(INPUT_LATENCY, StageTimes.millis(times.inputNanos()), MetricUnit.MILLISECONDS);
            document.addMetric(DECODE_LATENCY, StageTimes.millis(times.decodeNanos()), MetricUnit.MILLISECONDS);
            document.addMetric(MODEL_LATENCY, StageTimes.millis(times.modelNanos()), MetricUnit.MILLISECONDS);
            document.addMetric(METERING_LATENCY, StageTimes.millis(times.meteringNanos()), MetricUnit.MILLISECONDS);
        });
        metrics.flushMetrics(document -> {
            // A second dimension set beside the default one: the count by service, and by service and class.
            document.addDimension(DimensionSet.of(SERVICE_DIMENSION, service, CLASS_DIMENSION,
                    Integer.toString(score.qualityClass())));
            document.addMetric(PHOTOS_SCORED, 1, MetricUnit.COUNT);
        });
    }

    @Override
    public void photoRefused(String reason) {
        countByReason(PHOTOS_REFUSED, reason);
    }

    @Override
    public void requestFailed(String reason) {
        countByReason(REQUESTS_FAILED, reason);
    }

    /** One document: {@code metric} 1, by service (the total) and by service and reason. */
    private void countByReason(String metric, String reason) {
        if (muted.get()) {
            return;
        }
        metrics.flushMetrics(document -> {
            document.addDimension(DimensionSet.of(SERVICE_DIMENSION, service, REASON_DIMENSION, reason));
            document.addMetric(metric, 1, MetricUnit.COUNT);
        });
    }

    @Override
    public void unpublished(Runnable action) {
        boolean before = muted.get();
        muted.set(true);
        try {
            action.run();
        } finally {
            muted.set(before);
        }
    }
}
