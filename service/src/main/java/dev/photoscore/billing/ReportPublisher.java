package dev.photoscore.billing;

import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Writes a month's report to an S3 bucket as CSV and JSON, under keys that depend on the month alone:
 * {@code reports/2026/10/billing-2026-10.csv} and {@code .json}. Reports hold no time of making, so publishing
 * the same usage again writes the same bytes to the same keys.
 */
public final class ReportPublisher {

    /** The formats published, in this order. */
    public static final List<ReportFormat> FORMATS = List.of(ReportFormat.CSV, ReportFormat.JSON);

    private final S3Client s3;
    private final String bucket;

    public ReportPublisher(S3Client s3, String bucket) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
    }

    /** The key of a month's report in a format, e.g. {@code reports/2026/10/billing-2026-10.csv}. */
    public static String key(YearMonth month, ReportFormat format) {
        return String.format(Locale.ROOT, "reports/%04d/%02d/billing-%s.%s", month.getYear(),
                month.getMonthValue(), month, format.fileExtension());
    }

    public String bucket() {
        return bucket;
    }

    /**
     * Writes the report in every {@linkplain #FORMATS format}, replacing what a run before wrote.
     *
     * @return the keys written
     * @throws ReportPublishingException when S3 refuses or cannot be reached
     */
    public List<String> publish(BillingReport report) {
        List<String> keys = new ArrayList<>();
        for (ReportFormat format : FORMATS) {
            String key = key(report.month(), format);
            byte[] content = format.render(report).getBytes(StandardCharsets.UTF_8);
            try {
                s3.putObject(b -> b.bucket(bucket).key(key).contentType(format.mediaType()),
                        RequestBody.fromBytes(content));
            } catch (SdkException e) {
                throw new ReportPublishingException("cannot write s3://" + bucket + "/" + key, e);
            }
            keys.add(key);
        }
        return keys;
    }
}
