package dev.photoscore.metrics;

import java.util.concurrent.TimeUnit;

/**
 * How long each stage of scoring one photo took, in nanoseconds: getting its bytes (the URL's download, the S3
 * upload's read, the multipart body's parse), decoding them, running the models, and metering the photo in DynamoDB.
 */
public record StageTimes(long inputNanos, long decodeNanos, long modelNanos, long meteringNanos) {

    public StageTimes {
        if (inputNanos < 0 || decodeNanos < 0 || modelNanos < 0 || meteringNanos < 0) {
            throw new IllegalArgumentException("a stage took a negative time: " + inputNanos + ", " + decodeNanos
                    + ", " + modelNanos + ", " + meteringNanos);
        }
    }

    /** Milliseconds, with the fraction: CloudWatch keeps doubles. */
    public static double millis(long nanos) {
        return nanos / (double) TimeUnit.MILLISECONDS.toNanos(1);
    }
}
