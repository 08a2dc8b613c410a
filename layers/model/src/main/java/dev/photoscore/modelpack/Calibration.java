package dev.photoscore.modelpack;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The versioned mapping from model outputs to the 0..1 {@code score}; kept as data in the model pack
 * ({@code calibration.json}) so that refitting it never touches code. See docs/scoring.md.
 *
 * <p>A calibration has variants, in order of preference; the scorer uses the first whose inputs the pack provides
 * (so a pack without the NIMA heads still scores with the project's own model). A variant computes
 * {@code z = bias + sum(weights[i] * inputs[i])} and maps {@code z} through a monotone piecewise-linear curve given
 * by its knots, clamped to the first and last knot.
 *
 * <p>{@code flaggedMaxScore}, when present, is the highest score a photo with a quality flag (blurred, screenshot,
 * collage...) may get: the product calls such photos "very bad", class 1, so the bundled calibration's cap is 0.1999,
 * the top of class 1 (classes are fifths of the score: class 1 is below 0.2). Absent, flags are reported but do not
 * cap the score.
 */
public record Calibration(String version, String description, List<Variant> variants, Double flaggedMaxScore) {

    public static final String FILE_NAME = "calibration.json";

    public Calibration {
        variants = List.copyOf(variants);
        if (variants.isEmpty()) {
            throw new InvalidModelPackException("calibration " + version + " has no variants");
        }
        if (flaggedMaxScore != null && !(flaggedMaxScore >= 0 && flaggedMaxScore <= 1)) {
            throw new InvalidModelPackException("calibration " + version + ": flaggedMaxScore " + flaggedMaxScore
                    + " is outside 0..1");
        }
    }

    /** A calibration whose flags do not cap the score. */
    public Calibration(String version, String description, List<Variant> variants) {
        this(version, description, variants, null);
    }

    public static Calibration read(Path file) {
        try {
            return ModelManifest.json().readValue(Files.readAllBytes(file), Calibration.class);
        } catch (IOException e) {
            throw new InvalidModelPackException("cannot read calibration " + file + ": " + e.getMessage(), e);
        }
    }

    /** The first variant whose inputs are all among {@code available}. */
    public Optional<Variant> variantFor(Collection<String> available) {
        return variants.stream().filter(v -> available.containsAll(v.inputs())).findFirst();
    }

    /**
     * One way of combining outputs into a score.
     *
     * @param name    short name, reported with each score
     * @param inputs  model outputs by name, e.g. {@code nima.aesthetic} (a mean on 1..10)
     * @param weights one weight per input
     * @param bias    added to the weighted sum
     * @param knotsX  increasing x of the curve's knots
     * @param knotsY  non-decreasing y in 0..1 of the curve's knots
     */
    public record Variant(String name, List<String> inputs, double[] weights, double bias, double[] knotsX,
                          double[] knotsY) {

        public Variant {
            inputs = List.copyOf(inputs);
            if (weights.length != inputs.size()) {
                throw new InvalidModelPackException("calibration variant " + name + ": "
                        + inputs.size() + " inputs but " + weights.length + " weights");
            }
            if (knotsX.length < 2 || knotsX.length != knotsY.length) {
                throw new InvalidModelPackException("calibration variant " + name
                        + ": needs at least two knots with as many x as y");
            }
            for (int i = 0; i < knotsX.length; i++) {
                if (knotsY[i] < 0 || knotsY[i] > 1) {
                    throw new InvalidModelPackException("calibration variant " + name + ": knot y outside 0..1");
                }
                if (i > 0 && (knotsX[i] <= knotsX[i - 1] || knotsY[i] < knotsY[i - 1])) {
                    throw new InvalidModelPackException("calibration variant " + name + ": knots are not monotone");
                }
            }
            weights = weights.clone();
            knotsX = knotsX.clone();
            knotsY = knotsY.clone();
        }

        /** The score in 0..1 for the given outputs, which must hold every input of this variant. */
        public double score(Map<String, Double> outputs) {
            double z = bias;
            for (int i = 0; i < inputs.size(); i++) {
                Double value = outputs.get(inputs.get(i));
                if (value == null) {
                    throw new IllegalArgumentException("calibration variant " + name + " needs " + inputs.get(i));
                }
                z += weights[i] * value;
            }
            return curve(z);
        }

        @JsonIgnore
        double curve(double z) {
            if (z <= knotsX[0]) {
                return knotsY[0];
            }
            int last = knotsX.length - 1;
            if (z >= knotsX[last]) {
                return knotsY[last];
            }
            int upper = Arrays.binarySearch(knotsX, z);
            if (upper >= 0) {
                return knotsY[upper];
            }
            upper = -upper - 1;
            int lower = upper - 1;
            double t = (z - knotsX[lower]) / (knotsX[upper] - knotsX[lower]);
            return knotsY[lower] + t * (knotsY[upper] - knotsY[lower]);
        }
    }
}
