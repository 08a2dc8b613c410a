package dev.photoscore.training;

import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Seeded splits stratified by score: the samples are ordered by score and cut into consecutive runs of similar
 * score, and each run is spread at random over the parts, so every part covers the whole score range.
 */
public final class StratifiedSplits {

    private StratifiedSplits() {
    }

    /**
     * Marks about {@code fraction} of the samples as held out: one at random from each run of
     * {@code round(1 / fraction)} samples of neighbouring score (a final short run gives one with the matching
     * probability).
     *
     * @return {@code heldOut[i]} is true for the held-out samples
     */
    public static boolean[] heldOut(double[] scores, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("held-out fraction must be in (0, 1), got " + fraction);
        }
        int run = (int) Math.round(1 / fraction);
        int[] order = byScore(scores);
        SplittableRandom random = new SplittableRandom(seed);
        boolean[] heldOut = new boolean[scores.length];
        for (int start = 0; start < order.length; start += run) {
            int length = Math.min(run, order.length - start);
            int pick = random.nextInt(run);
            if (pick < length) {
                heldOut[order[start + pick]] = true;
            }
        }
        return heldOut;
    }

    /**
     * Assigns each sample to one of {@code k} folds: each run of {@code k} samples of neighbouring score is dealt
     * over the folds in a random order, so fold sizes differ by at most one.
     *
     * @return {@code fold[i]} in {@code 0..k-1}
     */
    public static int[] folds(double[] scores, int k, long seed) {
        if (k < 2 || k > scores.length) {
            throw new IllegalArgumentException("need 2 <= k <= " + scores.length + " folds, got " + k);
        }
        int[] order = byScore(scores);
        SplittableRandom random = new SplittableRandom(seed);
        int[] fold = new int[scores.length];
        int[] deal = IntStream.range(0, k).toArray();
        for (int start = 0; start < order.length; start += k) {
            shuffle(deal, random);
            for (int j = 0; j < k && start + j < order.length; j++) {
                fold[order[start + j]] = deal[j];
            }
        }
        return fold;
    }

    /** Indices sorted by score; ties keep their input order. */
    private static int[] byScore(double[] scores) {
        for (double s : scores) {
            if (!Double.isFinite(s)) {
                throw new IllegalArgumentException("scores must be finite, got " + s);
            }
        }
        return IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.comparingDouble(i -> scores[i]))
                .mapToInt(Integer::intValue).toArray();
    }

    private static void shuffle(int[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }
}
