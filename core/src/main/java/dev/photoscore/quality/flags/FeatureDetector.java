package dev.photoscore.quality.flags;

import dev.photoscore.quality.QualityFeatures;
import dev.photoscore.quality.WorkingImage;
import java.util.List;

/**
 * A detector whose measurements are quality features ({@link QualityFeatures}): read from the working image, which
 * computes each feature group once, so the scorer's quality model and the flags share the work.
 */
abstract class FeatureDetector implements FlagDetector {

    private final PhotoFlag flag;
    private final List<String> features;

    FeatureDetector(PhotoFlag flag, String... features) {
        this.flag = flag;
        this.features = List.of(features);
    }

    @Override
    public final PhotoFlag flag() {
        return flag;
    }

    @Override
    public final List<String> measureNames() {
        return features;
    }

    @Override
    public final double[] measure(WorkingImage image) {
        double[] values = new double[features.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = QualityFeatures.value(image, features.get(i));
        }
        return values;
    }
}
