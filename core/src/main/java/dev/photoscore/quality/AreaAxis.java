package dev.photoscore.quality;

/**
 * Exact area averaging along one axis, from {@code source} pixels down to {@code target}: target pixel {@code t}
 * covers the source interval {@code [t s, (t + 1) s)} with {@code s = source / target}, and each source pixel
 * weighs by the length of it inside that interval (1 for the pixels fully inside, less for the two at the ends).
 * Enlarging ({@code target > source}) is allowed: a target pixel then covers a fraction of one or two source pixels.

 */
final class AreaAxis {

    private final int[] first;
    private final int[] last;
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

    /**
     * Area-averages a source row into a target row: what {@link #combine} takes, gathered into {@code scratch}
     * (first pixels, inner sums, last pixels, each at least as long as the target row), then combined.
     */
    void reduce(float[] source, float[] target, float[][] scratch) {
        for (int t = 0; t < target.length; t++) {
            int a = first[t];
            int b = last[t];
            float inner = 0;
            for (int s = a + 1; s < b; s++) {
                inner += source[s];
            }
            scratch[0][t] = source[a];
            scratch[1][t] = inner;
            scratch[2][t] = source[b];
        }
        combine(scratch[0], scratch[1], scratch[2], target);
    }

    /**
     * Target pixels from what each covers: {@code firsts[t]} the value of its first source pixel, {@code inners[t]}
     * the sum of the whole pixels between its first and its last (0 when there are none), {@code lasts[t]} the value
     * of its last source pixel (any value when it covers one source pixel: its term is then 0). A target pixel is
     * {@code (w_first first + (inner + w_last last)) norm} in float arithmetic. The sums are gathered first
     * (loads at varying offsets, in the layout's own loop) and combined here in a loop of its own, without a branch,
     * which the JIT can vectorise: most of the time of a large photo was this arithmetic done pixel by pixel.
     */
    void combine(float[] firsts, float[] inners, float[] lasts, float[] target) {
        for (int t = 0; t < target.length; t++) {
            target[t] = (firstWeight[t] * firsts[t] + (inners[t] + lastTermWeight[t] * lasts[t])) * norm;
        }
    }
}
