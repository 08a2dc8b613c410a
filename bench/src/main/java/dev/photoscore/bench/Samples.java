package dev.photoscore.bench;

import java.util.Arrays;

/** Measured durations in milliseconds, summarised by nearest-rank percentiles. */
record Samples(double[] millis) {

    Samples {
        if (millis.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        millis = millis.clone();
        Arrays.sort(millis);
    }

    static Samples ofNanos(long[] nanos) {
        return new Samples(Arrays.stream(nanos).mapToDouble(n -> n / 1e6).toArray());
    }

    /** The smallest sample at or above the {@code p}-th percentile (nearest rank). */
    double percentile(double p) {
        int rank = (int) Math.ceil(p / 100 * millis.length);
        return millis[Math.max(0, Math.min(millis.length - 1, rank - 1))];
    }

    double p50() {
        return percentile(50);
    }

    double p99() {
        return percentile(99);
    }

    int count() {
        return millis.length;
    }
}
