package dev.photoscore.training;

import dev.photoscore.modelpack.Calibration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fits the quality model's calibration: a monotone piecewise-linear map from the predicted opinion score to 0..1
 * that gives the predictions the distribution of the human scores (quantile mapping). The model's predictions are
 * squeezed towards the middle (regression to the mean); mapping their quantiles onto the labels' quantiles spreads
 * them back over the scale the people used. LIVE's raters scored on a slider marked bad, poor, fair, good, excellent
 * in five equal parts, the product's five bands, so a label / 100 reads directly as the product's score.
 *
 * <p>Fit on out-of-fold predictions (what the model says of photos it was not trained on), never in-sample ones.
 */
final class QuantileCalibration {

    static final String VARIANT = "quality";
    static final String INPUT = "quality.mos";
    /** The variant for packs whose NIMA heads the quality model does not take as inputs: a prior that adds them. */
    static final String WITH_NIMA_PRIOR = "quality+nima-prior";
    /** The weight of the quality model's opinion score in {@value #WITH_NIMA_PRIOR}; the NIMA heads have the rest. */
    static final double QUALITY_SHARE = 2.0 / 3;
    private static final Pattern VERSION = Pattern.compile("quantile-[0-9a-f]{12}(.*)");

    private QuantileCalibration() {
    }

    /** The variant mapping the {@code q}-quantile of {@code predictions} to that of {@code labels} / 100. */
    static Calibration.Variant fit(double[] predictions, double[] labels, int steps) {
        double[] p = predictions.clone();
        double[] l = labels.clone();
        Arrays.sort(p);
        Arrays.sort(l);
        List<double[]> knots = new ArrayList<>();
        for (int k = 0; k <= steps; k++) {
            double q = (double) k / steps;
            double x = quantile(p, q);
            double y = Math.max(0, Math.min(1, quantile(l, q) / 100));
            if (knots.isEmpty() || x > knots.get(knots.size() - 1)[0]) {
                knots.add(new double[] {x, y});
            }
        }
        return new Calibration.Variant(VARIANT, List.of(INPUT), new double[] {1}, 0,
                knots.stream().mapToDouble(knot -> knot[0]).toArray(),
                knots.stream().mapToDouble(knot -> knot[1]).toArray());
    }

    /** Linear interpolation between order statistics (type 7, as R's and NumPy's default). */
    static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int lower = (int) Math.floor(position);
        int upper = Math.min(sorted.length - 1, lower + 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }

    /**
     * The version of a calibration refitted for the model with this SHA-256: {@code quantile-} and the hash's first 12
     * digits, followed by what followed the hash in the previous version (e.g. {@code -flags-2}, a revision of the
     * file's other fields made by hand), so a retrain keeps it.
     */
    static String version(String modelSha256, String previousVersion) {
        Matcher previous = VERSION.matcher(previousVersion);
        return "quantile-" + modelSha256.substring(0, 12) + (previous.matches() ? previous.group(1) : "");
    }

    /**
     * The prior that lets a pack's NIMA heads count: on the
     * labels' 0-100 scale, {@code z = 2/3 quality.mos + 1/3 * 20 * (mean of the two NIMA means - 2.5)} (the NIMA part
     * puts the {@code nima-prior} variant's band edges 3.5, 4.5, 5.5 and 6.5 at 20, 40, 60 and 80), mapped through
     * the quality variant's knots. Two thirds for the project's model, one third for NIMA (about 0.51 on the same
     * database as published); not fitted: idealo's weights are not where the model is trained.
     */
    static Calibration.Variant withNimaPrior(Calibration.Variant quality) {
        double nimaWeight = (1 - QUALITY_SHARE) * 20 / 2;
        return new Calibration.Variant(WITH_NIMA_PRIOR, List.of(INPUT, "nima.aesthetic", "nima.technical"),
                new double[] {QUALITY_SHARE, nimaWeight, nimaWeight}, -(1 - QUALITY_SHARE) * 20 * 2.5,
                quality.knotsX(), quality.knotsY());
    }

    /**
     * {@code calibration} with its {@value #VARIANT} variant replaced (or put first) and, before it, the
     * {@value #WITH_NIMA_PRIOR} prior on the new knots; under a new version.
     */
    static Calibration withVariant(Calibration calibration, Calibration.Variant fitted, String version) {
        List<Calibration.Variant> variants = new ArrayList<>(calibration.variants());
        variants.removeIf(v -> v.name().equals(fitted.name()) || v.name().equals(WITH_NIMA_PRIOR));
        variants.add(0, fitted);
        variants.add(0, withNimaPrior(fitted));
        return new Calibration(version, calibration.description(), variants, calibration.flaggedMaxScore());
    }
}
