package dev.photoscore.training;

import dev.photoscore.modelpack.convert.BackboneSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The candidates the train command cross-validates on each working size: sets of MobileNet layers, each with its
 * spatial mean or mean and standard deviation, weighed plainly or per group, with a linear kernel. Every candidate
 * is a product of layers and statistics, so the one chosen is a {@link BackboneSpec} the pack builder can convert.
 */
final class DeepSearchGrid {

    /** Every layer a candidate may use, in the network's order: the pointwise outputs of blocks 1..13. */
    static final BackboneSpec EXTRACTED = new BackboneSpec(
            java.util.stream.IntStream.rangeClosed(1, 13).mapToObj(BackboneSpec::pointwise).toList(),
            List.of(BackboneSpec.Statistic.MEAN, BackboneSpec.Statistic.STD));

    /** The searched sets of pointwise blocks. */
    private static final int[][] LAYER_SETS = {
            {13}, {11, 13}, {5, 11, 13}, {3, 5, 7, 9, 11, 13}, {7, 9, 11, 12, 13},
            {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13},
    };

    private DeepSearchGrid() {
    }

    /** The layer sets whose mean and deviation are also tried with Gaussian kernels. */
    private static final int[][] GAUSSIAN_LAYER_SETS = {{5, 11, 13}, {3, 5, 7, 9, 11, 13}, {7, 9, 11, 12, 13}};
    /** Gaussian kernel widths, relative to the median squared distance between training photos. */
    private static final double[] GAUSSIAN_WIDTHS = {1, 3, 10};

    /** Linear candidates over every layer set and statistic set; then the Gaussian ones. */
    static List<DeepModelSearch.Candidate> candidates() {
        List<BackboneSpec.Statistic> meanAndDeviation = List.of(BackboneSpec.Statistic.MEAN,
                BackboneSpec.Statistic.STD);
        List<DeepModelSearch.Candidate> candidates = new ArrayList<>();
        for (int[] blocks : LAYER_SETS) {
            for (List<BackboneSpec.Statistic> statistics : List.of(List.of(BackboneSpec.Statistic.MEAN),
                    meanAndDeviation)) {
                candidates.add(new DeepModelSearch.Candidate(groups(blocks, statistics), 0));
            }
        }
        for (int[] blocks : GAUSSIAN_LAYER_SETS) {
            for (double width : GAUSSIAN_WIDTHS) {
                candidates.add(new DeepModelSearch.Candidate(groups(blocks, meanAndDeviation), width));
            }
        }
        return candidates;
    }

    /** The backbone spec whose features are exactly {@code groups} (as {@link #groups} names them), in that order. */
    static BackboneSpec spec(List<String> groups) {
        Set<String> layers = new LinkedHashSet<>();
        Set<BackboneSpec.Statistic> statistics = new LinkedHashSet<>();
        for (String group : groups) {
            int dot = group.lastIndexOf('.');
            layers.add(group.substring(0, dot));
            statistics.add(BackboneSpec.Statistic.of(group.substring(dot + 1)));
        }
        BackboneSpec spec = new BackboneSpec(List.copyOf(layers), List.copyOf(statistics));
        List<String> product = new ArrayList<>();
        for (String layer : spec.layers()) {
            for (BackboneSpec.Statistic statistic : spec.statistics()) {
                product.add(layer + "." + statistic.label());
            }
        }
        if (!product.equals(groups)) {
            throw new IllegalArgumentException(groups + " is not every statistic of every layer in the backbone's"
                    + " order, so no backbone spec computes exactly these features");
        }
        return spec;
    }

    /** The group names of {@code blocks}' pointwise layers and {@code statistics}, in the backbone's feature order. */
    static List<String> groups(int[] blocks, List<BackboneSpec.Statistic> statistics) {
        List<String> groups = new ArrayList<>();
        for (int block : blocks) {
            for (BackboneSpec.Statistic statistic : statistics) {
                groups.add(BackboneSpec.pointwise(block) + "." + statistic.label());
            }
        }
        return groups;
    }

    /** The feature groups of the extracted features, from the backbone's feature names {@code layer.stat.channel}. */
    static List<DeepFeatureTable.Group> groupsOf(List<String> featureNames) {
        List<DeepFeatureTable.Group> groups = new ArrayList<>();
        int from = 0;
        for (int i = 1; i <= featureNames.size(); i++) {
            String name = groupName(featureNames.get(i - 1));
            if (i == featureNames.size() || !groupName(featureNames.get(i)).equals(name)) {
                groups.add(new DeepFeatureTable.Group(name, from, i));
                from = i;
            }
        }
        return groups;
    }

    private static String groupName(String featureName) {
        return featureName.substring(0, featureName.lastIndexOf('.'));
    }
}
