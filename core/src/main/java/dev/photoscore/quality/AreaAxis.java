package dev.photoscore.quality;

/**
 * Exact area averaging along one axis, from {@code source} pixels down to {@code target}: target pixel {@code t}
 * covers the source interval {@code [t s, (t + 1) s)} with {@code s = source / target}, and each source pixel
 * weighs by the length of it inside that interval (1 for the pixels fully inside, less for the two at the ends).
 * Enlarging ({@code target > source}) is allowed: a target pixel then covers a fraction of one or two source pixels.
 *
 * <p>A target pixel is {@code (w_first v_first + (inner + w_last v_last)) norm} in float arithmetic, {@code inner}
 * the sum of the whole pixels between the first and the last (0 and no last term when it covers one source pixel).
 * Both {@link #reduce} (float rows) and {@link #reduceSums} (rows of integer samples, by their running sums) keep
 * that order of operations, so the two give the same floats for the same integer samples.
 */
final class AreaAxis {

    private final int[] first;
    private final int[] last;
    /** One past the last whole inner pixel: {@code max(last, first + 1)}, so no inner pixel when {@code last == first}. */
    private final int[] innerEnd;
    private final float[] firstWeight;
    private final float[] lastWeight;
    /** {@link #lastWeight}, but 0 where the target pixel covers one source pixel (whose weight is the first). */
    private final float[] lastTermWeight;
    private final float norm;

    AreaAxis(int source, int target) {
        if (target <= 0 || source <= 0) {
            throw new IllegalArgumentException("cannot area-average " + source + " pixels to " + target);
        }
        double step = (double) source / target;
        first = new int[target];
        last = new int[target];
        innerEnd = new int[target];
        firstWeight = new float[target];
        lastWeight = new float[target];
        lastTermWeight = new float[target];
        norm = (float) (1.0 / step);
        for (int t = 0; t < target; t++) {
            double start = t * step;
            double end = Math.min(source, (t + 1) * step);
            first[t] = (int) Math.floor(start);
            last[t] = Math.min(source - 1, (int) Math.ceil(end) - 1);
            if (first[t] == last[t]) {
                firstWeight[t] = (float) (end - start);
                lastWeight[t] = firstWeight[t];
            } else {
                firstWeight[t] = (float) (first[t] + 1 - start);
                lastWeight[t] = (float) (end - last[t]);
                lastTermWeight[t] = lastWeight[t];
            }
            innerEnd[t] = Math.max(last[t], first[t] + 1);
        }
    }

    int targetSize() {
        return first.length;
    }

    /** First source pixel target pixel {@code t} covers. */
    int first(int t) {
        return first[t];
    }

    /** Last source pixel target pixel {@code t} covers. */
    int last(int t) {
        return last[t];
    }

    /** Target pixels per source pixel: turns a sum of covered lengths into a mean. */
    float norm() {
        return norm;
    }

    /** The length of source pixel {@code s} inside target pixel {@code t}. */
    float weight(int t, int s) {
        return s == first[t] ? firstWeight[t] : (s == last[t] ? lastWeight[t] : 1f);
    }

    /** Area-averages a source row into a target row. */
    void reduce(float[] source, float[] target) {
        for (int t = 0; t < target.length; t++) {
            int a = first[t];
            int b = last[t];
            float sum = firstWeight[t] * source[a];
            if (b > a) {
                float inner = 0;
                for (int s = a + 1; s < b; s++) {
                    inner += source[s];
                }
                sum += inner + lastWeight[t] * source[b];
            }
            target[t] = sum * norm;
        }
    }

    /**
     * Area-averages a row of integer samples given by its running sums ({@code sums[x]}: the sum of samples
     * {@code 0..x-1}) into a target row: the same floats as {@link #reduce} of the samples (the inner sums are
     * exact either way), without a branch or a loop per target pixel, whose varying run lengths cost more than the
     * arithmetic.
     */
    void reduceSums(int[] sums, float[] target) {
        for (int t = 0; t < target.length; t++) {
            int a = first[t];
            int z = last[t];
            int afterFirst = sums[a + 1];
            float sum = firstWeight[t] * (afterFirst - sums[a]);
            // With one covered pixel: + (0 + 0 v), which leaves the sum as it is.
            sum += (sums[innerEnd[t]] - afterFirst) + lastTermWeight[t] * (sums[z + 1] - sums[z]);
            target[t] = sum * norm;
        }
    }
}
