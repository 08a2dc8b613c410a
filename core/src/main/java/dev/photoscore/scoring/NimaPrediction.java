package dev.photoscore.scoring;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The NIMA heads' answer for one photo: per head (aesthetic, technical), the probabilities of the scores 1..10.
 */
public record NimaPrediction(Map<String, float[]> distributions) {

    public NimaPrediction {
        distributions = new LinkedHashMap<>(distributions);
    }

    /** A head's mean opinion score, 1..10: the sum of i * p_i. */
    public double mean(String head) {
        float[] p = distributions.get(head);
        if (p == null) {
            throw new IllegalArgumentException("no NIMA head " + head);
        }
        double mean = 0;
        for (int i = 0; i < p.length; i++) {
            mean += (i + 1) * (double) p[i];
        }
        return mean;
    }
}
