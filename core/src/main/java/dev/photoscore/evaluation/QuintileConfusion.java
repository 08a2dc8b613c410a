package dev.photoscore.evaluation;

import dev.photoscore.scoring.PhotoScore;
import java.util.Locale;

/**
 * A 5x5 confusion matrix of quality classes 1..5: the class of a photo's score by fixed bands of its 0-100 scale
 * (0-20 is 1, 20-40 is 2, ..., 80-100 is 5; a boundary value belongs to the upper band, 100 to class 5) against the
 * class of its human label by the labels' quintiles (the lowest-ranked fifth of the labels is 1, ..., the highest
 * fifth 5; by average rank, so tied labels share a class).
 *
 * <p>It shows whether a score's bands match how people spread the same photos, which correlation alone does not.
 */
public final class QuintileConfusion {

    public static final int CLASSES = 5;

    /** {@code counts[label class - 1][score class - 1]}. */
    private final int[][] counts;
    private final int total;

    private QuintileConfusion(int[][] counts, int total) {
        this.counts = counts;
        this.total = total;
    }

    /**
     * @param scores scores on the 0-100 scale, one per photo
     * @param labels human labels of the same photos, any scale
     * @throws IllegalArgumentException when the arrays differ in length or are empty, or a score is outside 0-100
     *                                  or a label not finite
     */
    public static QuintileConfusion of(double[] scores, double[] labels) {
        if (scores.length != labels.length || scores.length == 0) {
            throw new IllegalArgumentException(
                    "need one label per score, got " + scores.length + " scores and " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (!Double.isFinite(labels[i])) {
                throw new IllegalArgumentException("label " + i + " is not finite: " + labels[i]);
            }
        }
        double[] ranks = Correlation.averageRanks(labels);
        int[][] counts = new int[CLASSES][CLASSES];
        for (int i = 0; i < scores.length; i++) {
            counts[labelClass(ranks[i], labels.length) - 1][scoreClass(scores[i]) - 1]++;
        }
        return new QuintileConfusion(counts, scores.length);
    }

    /** The band class 1..5 of a score on the 0-100 scale: the product's classes ({@link PhotoScore#classOf}). */
    public static int scoreClass(double score) {
        if (!(score >= 0 && score <= 100)) {
            throw new IllegalArgumentException("score must be within 0-100, got " + score);
        }
        return PhotoScore.classOf(score / 100);
    }

    /** The quintile class 1..5 of a label of average rank {@code rank} (1..n) among {@code n}. */
    static int labelClass(double rank, int n) {
        return Math.min(CLASSES, 1 + (int) Math.floor(CLASSES * (rank - 1) / n));
    }

    /** Photos whose label is in class {@code labelClass} and whose score is in class {@code scoreClass}. */
    public int count(int labelClass, int scoreClass) {
        return counts[labelClass - 1][scoreClass - 1];
    }

    public int total() {
        return total;
    }

    /** Share of photos whose score class equals their label class. */
    public double accuracy() {
        return withinDistance(0);
    }

    /** Share of photos whose score class is at most one away from their label class. */
    public double withinOneAccuracy() {
        return withinDistance(1);
    }

    private double withinDistance(int distance) {
        int hits = 0;
        for (int label = 0; label < CLASSES; label++) {
            for (int score = 0; score < CLASSES; score++) {
                if (Math.abs(label - score) <= distance) {
                    hits += counts[label][score];
                }
            }
        }
        return (double) hits / total;
    }

    /** {@code rows[label class - 1][score class - 1]}, a copy. */
    public int[][] counts() {
        int[][] copy = new int[CLASSES][];
        for (int i = 0; i < CLASSES; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    /** The matrix as text, a row per label quintile, a column per score band. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("label quintile \\ score band      1     2     3     4     5\n");
        for (int label = 0; label < CLASSES; label++) {
            text.append(String.format(Locale.ROOT, "%-29d", label + 1));
            for (int score = 0; score < CLASSES; score++) {
                text.append(String.format(Locale.ROOT, " %5d", counts[label][score]));
            }
            text.append('\n');
        }
        return text.append(String.format(Locale.ROOT, "exact %.3f, within one class %.3f", accuracy(), withinOneAccuracy()))
                .toString();
    }
}
