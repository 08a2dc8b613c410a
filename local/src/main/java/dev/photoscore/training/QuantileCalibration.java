package dev.photoscore.training;

import dev.photoscore.modelpack.Calibration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

    /** {@code calibration} with its {@value #VARIANT} variant replaced (or put first), under a new version. */
    static Calibration withVariant(Calibration calibration, Calibration.Variant fitted, String version) {
        List<Calibration.Variant> variants = new ArrayList<>(calibration.variants());
        int existing = -1;
        for (int i = 0; i < variants.size(); i++) {
            if (variants.get(i).name().equals(fitted.name())) {
                existing = i;
            }
        }
        if (existing >= 0) {
            variants.set(existing, fitted);
        } else {
            variants.add(0, fitted);
        }
        return new Calibration(version, calibration.description(), variants, calibration.flaggedMaxScore());
    }
}
