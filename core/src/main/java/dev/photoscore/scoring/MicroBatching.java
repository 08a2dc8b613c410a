package dev.photoscore.scoring;

import java.time.Duration;
import java.util.Objects;

/**
 * Dynamic micro-batching: photos scored concurrently are gathered into one call of each model, which is what makes a
 * GPU pay (one call of N photos costs little more than one of a single photo). A batch closes when it holds
 * {@code maxBatchSize} photos or when its first photo has waited {@code maxWait} for others; under low load a photo
 * waits at most that long, under high load batches fill at once.
 *
 * @param maxBatchSize most photos in one model call, at least 1
 * @param maxWait      longest a photo waits for others to share its call, zero or more
 */
public record MicroBatching(int maxBatchSize, Duration maxWait) {

    public MicroBatching {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be at least 1, was " + maxBatchSize);
        }
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative, was " + maxWait);
        }
    }

    /**
     * What batching has done so far.
     *
     * @param batches model calls made, one per batch
     * @param photos  photos scored in them
     */
    public record Stats(long batches, long photos) {

        /** Photos per batch on average; 0 before the first batch. */
        public double meanBatchSize() {
            return batches == 0 ? 0 : (double) photos / batches;
        }
    }
}
