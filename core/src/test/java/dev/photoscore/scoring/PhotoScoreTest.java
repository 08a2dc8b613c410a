package dev.photoscore.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PhotoScoreTest {

    @ParameterizedTest
    @CsvSource({"0.0,1", "0.1999,1", "0.2,2", "0.3999,2", "0.4,3", "0.5948,3", "0.6,4", "0.7999,4", "0.8,5",
            "0.99,5", "1.0,5"})
    void classesAreTheBandsOfTwentyPercent(double score, int expectedClass) {
        assertEquals(expectedClass, PhotoScore.classOf(score));
    }

    @Test
    void scoresOutsideTheRangeAreABug() {
        assertThrows(IllegalArgumentException.class, () -> PhotoScore.classOf(1.01));
        assertThrows(IllegalArgumentException.class, () -> PhotoScore.classOf(Double.NaN));
    }
}
