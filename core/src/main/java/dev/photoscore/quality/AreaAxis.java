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
    /** One past the last source pixel of {@link #combine}'s inner sum of each target pixel: see the constructor. */
    private final int[] innerEnd;
    private final float[] firstWeight;
    private final float[] lastWeight;
    /**
     * What {@link #combine} weighs a target pixel's {@link #lastOrNextFirst} source pixel by: {@link #lastWeight}
     * where that is its last, 0 where its last is in its inner sum or is its first.
     */
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
            }
        }
        for (int t = 0; t < target; t++) {
            // The next target pixel starts at floor(end), this one's last is ceil(end) - 1: the same pixel unless
            // end is a whole number, where the last pixel lies wholly inside (weight exactly 1) and the next starts
            // after it. Then the last joins the inner sum, the same float additions in the same order (adding
            // 1 x last is adding last), and the next first pixel's term is 0.
            boolean lastIsNextFirst = t == target - 1 || last[t] == first[t + 1];
            if (first[t] == last[t]) {
                innerEnd[t] = last[t];
            } else if (lastIsNextFirst) {
                innerEnd[t] = last[t];
                lastTermWeight[t] = lastWeight[t];
            } else {
                innerEnd[t] = last[t] + 1;
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

    /** One past the last source pixel of target pixel {@code t}'s inner sum (its whole pixels after its first). */
    int innerEnd(int t) {
        return innerEnd[t];
    }

    /**
     * The source pixel whose value {@link #combine} takes at {@code lasts[t]}: the next target pixel's first, which
     * is target pixel {@code t}'s last unless its term is 0 (see the constructor); the last target pixel's last.
     */
    int lastOrNextFirst(int t) {
        return t + 1 < first.length ? first[t + 1] : last[t];
    }

    /** The most target pixels one source pixel lies in: 2 when reducing, more when enlarging. */
    int mostCovering() {
        int[] starting = new int[last[last.length - 1] + 2];
        for (int t = 0; t < first.length; t++) {
            starting[first[t]]++;
            starting[last[t] + 1]--;
        }
        int most = 0;
        int covering = 0;
        for (int count : starting) {
            covering += count;
            most = Math.max(most, covering);
        }
        return most;
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
        int targets = target.length;
        for (int t = 0; t < targets; t++) {
            int a = first[t];
            int b = innerEnd[t];
            float inner = 0;
            for (int s = a + 1; s < b; s++) {
                inner += source[s];
            }
            scratch[0][t] = source[a];
            scratch[1][t] = inner;
            scratch[2][t] = source[lastOrNextFirst(t)];
        }
        combine(scratch[0], scratch[1], scratch[2], target);
    }

    /**
     * Target pixels from what each covers: {@code firsts[t]} the value of its first source pixel, {@code inners[t]}
     * the sum of the source pixels after it up to {@link #innerEnd} (0 when there are none), {@code lasts[t]} the
     * value of {@link #lastOrNextFirst source pixel} {@code lastOrNextFirst(t)}. A target pixel is
     * {@code (w_first first + (inner + w_last last)) norm} in float arithmetic, its last's term 0 where its last is
     * its first or in the inner sum. The sums are gathered first (loads at varying offsets, in the layout's own loop)
     * and combined here in a loop of its own, without a branch, which the JIT vectorises: most of the time of a large
     * photo was this arithmetic done pixel by pixel. A target pixel's last is mostly the next one's first, so a
     * gather can copy {@code lasts} from {@code firsts} ({@code firsts[t + 1]} read here instead would keep the JIT
     * from vectorising the loop: it vectorises accesses at one offset from the loop's index only).
     */
    void combine(float[] firsts, float[] inners, float[] lasts, float[] target) {
        for (int t = 0; t < target.length; t++) {
            target[t] = (firstWeight[t] * firsts[t] + (inners[t] + lastTermWeight[t] * lasts[t])) * norm;
        }
    }
}
