package dev.photoscore.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StratifiedSplitsTest {

    /** Scores 0..n-1 in a shuffled order. */
    private static double[] shuffledScores(int n) {
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = i;
        }
        Random random = new Random(1);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            double t = scores[i];
            scores[i] = scores[j];
            scores[j] = t;
        }
        return scores;
    }

    @Test
    void heldOutTakesOneOfEveryFiveNeighbouringScores() {
        double[] scores = shuffledScores(100);
        boolean[] heldOut = StratifiedSplits.heldOut(scores, 0.2, 42);
        int[] perRun = new int[20];
        for (int i = 0; i < scores.length; i++) {
            if (heldOut[i]) {
                perRun[(int) scores[i] / 5]++;
            }
        }
        int[] ones = new int[20];
        Arrays.fill(ones, 1);
        assertArrayEquals(ones, perRun);
    }

    @Test
    void heldOutDependsOnTheSeedOnly() {
        double[] scores = shuffledScores(60);
        assertArrayEquals(StratifiedSplits.heldOut(scores, 0.2, 7), StratifiedSplits.heldOut(scores, 0.2, 7));
        assertFalse(Arrays.equals(StratifiedSplits.heldOut(scores, 0.2, 7), StratifiedSplits.heldOut(scores, 0.2, 8)));
    }

    @Test
    void foldsAreBalancedInSizeAndScore() {
        double[] scores = shuffledScores(23);
        int[] folds = StratifiedSplits.folds(scores, 5, 3);
        int[] sizes = new int[5];
        for (int f : folds) {
            sizes[f]++;
        }
        assertEquals(5, Arrays.stream(sizes).max().orElseThrow());
        assertEquals(4, Arrays.stream(sizes).min().orElseThrow());
        // Each run of five neighbouring scores is dealt over all five folds.
        for (int run = 0; run < 4; run++) {
            boolean[] seen = new boolean[5];
            for (int i = 0; i < scores.length; i++) {
                if ((int) scores[i] / 5 == run) {
                    seen[folds[i]] = true;
                }
            }
            assertArrayEquals(new boolean[] {true, true, true, true, true}, seen, "run " + run);
        }
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> StratifiedSplits.heldOut(new double[] {1, 2}, 1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> StratifiedSplits.folds(new double[] {1, 2}, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> StratifiedSplits.folds(new double[] {1, Double.NaN}, 2, 1));
    }
}
