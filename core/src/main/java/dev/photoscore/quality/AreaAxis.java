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

    float firstWeight(int t) {
        return firstWeight[t];
    }

    float lastWeight(int t) {
        return lastWeight[t];
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
                // Summed apart, as PixelRows sums whole 8-bit pixels in integers: the same result either way.
                float inner = 0;
                for (int s = a + 1; s < b; s++) {
                    inner += source[s];
                }
                sum += inner + lastWeight[t] * source[b];
            }
            target[t] = sum * norm;
        }
    }
}
