package dev.photoscore.scoring;

import dev.photoscore.quality.flags.PhotoFlag;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the scorer says of one photo.
 *
 * @param score        0..1, calibrated so that the five bands of 20 % mean what the product promises
 * @param qualityClass 1..5, the band of {@code score}
 * @param outputs      each model output the score was computed from, by name (e.g. {@code nima.aesthetic}: a mean
 *                     opinion score on 1..10)
 * @param calibration  the calibration version and variant used, e.g. {@code prior-2/nima-prior}
 * @param flags        what makes the photo very bad, in {@link PhotoFlag} order; a flagged photo's score is capped
 *                     as the calibration says (the bundled one: at most 0.1999, the top of class 1)
 */
public record PhotoScore(double score, int qualityClass, Map<String, Double> outputs, String calibration,
                         List<PhotoFlag> flags) {

    public PhotoScore {
        outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        flags = List.copyOf(flags);
    }

    /** The class of a score: bands 0-20, 20-40, 40-60, 60-80, 80-100 %, i.e. {@code min(5, 1 + floor(5 * score))}. */
    public static int classOf(double score) {
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("score " + score + " is outside 0..1");
        }
        return Math.min(5, 1 + (int) Math.floor(5 * score));
    }
}
