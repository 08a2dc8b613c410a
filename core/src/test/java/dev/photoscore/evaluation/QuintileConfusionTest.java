package dev.photoscore.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class QuintileConfusionTest {

    private static final double[] SCORES = {5, 15, 25, 35, 45, 55, 65, 75, 85, 95};

    @Test
    void matchingBandsAndQuintilesFillTheDiagonal() {
        QuintileConfusion confusion = QuintileConfusion.of(SCORES, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        for (int c = 1; c <= 5; c++) {
            assertEquals(2, confusion.count(c, c));
        }
        assertEquals(1.0, confusion.accuracy());
        assertEquals(10, confusion.total());
    }

    @Test
    void reversedLabelsFillTheAntiDiagonal() {
        QuintileConfusion confusion = QuintileConfusion.of(SCORES, new double[] {10, 9, 8, 7, 6, 5, 4, 3, 2, 1});
        assertEquals(2, confusion.count(5, 1));
        assertEquals(2, confusion.count(1, 5));
        assertEquals(2, confusion.count(3, 3));
        assertEquals(0.2, confusion.accuracy(), 1e-12);
        assertEquals(0.2, confusion.withinOneAccuracy(), 1e-12);
    }

    @Test
    void labelQuintilesIgnoreTheLabelScale() {
        // Labels crowded at the top still split into fifths by rank; every score sits in band 3.
        double[] scores = {50, 50, 50, 50, 50};
        QuintileConfusion confusion = QuintileConfusion.of(scores, new double[] {90, 91, 92, 93, 94});
        for (int c = 1; c <= 5; c++) {
            assertEquals(1, confusion.count(c, 3));
        }
        assertEquals(0.6, confusion.withinOneAccuracy(), 1e-12);
    }

    @Test
    void tiedLabelsShareTheirAverageRankClass() {
        QuintileConfusion confusion = QuintileConfusion.of(new double[] {10, 30, 50, 70, 90}, new double[] {7, 7, 7, 7, 7});
        int[][] counts = confusion.counts();
        assertEquals(5, counts[2][0] + counts[2][1] + counts[2][2] + counts[2][3] + counts[2][4]);
    }

    @Test
    void bandBoundariesBelongToTheUpperBand() {
        assertEquals(1, QuintileConfusion.scoreClass(0));
        assertEquals(1, QuintileConfusion.scoreClass(19.999));
        assertEquals(2, QuintileConfusion.scoreClass(20));
        assertEquals(5, QuintileConfusion.scoreClass(80));
        assertEquals(5, QuintileConfusion.scoreClass(100));
    }

    @Test
    void scoresOutsideTheScaleAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> QuintileConfusion.scoreClass(-0.1));
        assertThrows(IllegalArgumentException.class, () -> QuintileConfusion.scoreClass(100.1));
        assertThrows(IllegalArgumentException.class, () -> QuintileConfusion.of(new double[] {1}, new double[] {1, 2}));
    }
}
