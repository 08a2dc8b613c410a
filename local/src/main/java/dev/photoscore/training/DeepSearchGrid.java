package dev.photoscore.training;

import dev.photoscore.modelpack.build.BackboneSpec;
import java.util.ArrayList;
import java.util.List;

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

    static List<DeepModelSearch.Candidate> candidates() {
        List<DeepModelSearch.Candidate> candidates = new ArrayList<>();
        for (int[] blocks : LAYER_SETS) {
            for (List<BackboneSpec.Statistic> statistics : List.of(List.of(BackboneSpec.Statistic.MEAN),
                    List.of(BackboneSpec.Statistic.MEAN, BackboneSpec.Statistic.STD))) {
                for (DeepModelSearch.Weighting weighting : DeepModelSearch.Weighting.values()) {
                    candidates.add(new DeepModelSearch.Candidate(groups(blocks, statistics), weighting, 0));
                }
            }
        }
        return candidates;
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
