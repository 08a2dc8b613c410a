package dev.photoscore.quality;

import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Handcrafted technical-quality features of a decoded photo: sharpness and blur, exposure and contrast, noise,
 * colourfulness, JPEG blockiness, resolution, BRISQUE natural-scene statistics, and the log-derivative statistics
 * of DESIQUE at two scales. Each group documents its features and their sources: {@link SharpnessFeatures},
 * {@link ToneFeatures}, {@link NoiseFeatures}, {@link ColourFeatures}, {@link BlockinessFeatures},
 * {@link ResolutionFeatures}, {@link MscnFeatures}, {@link LogDerivativeFeatures}.
 *
 * <p>Everything but the resolution and the blockiness is computed on a working copy of at most 2^17 pixels (362x362
 * for a square photo), area-averaged down from larger photos; see {@link WorkingImage}. Extraction is
 * deterministic and thread-safe.
 */
public final class QualityFeatures {

    /** Changes whenever a feature's name, order, definition or working size changes; models record it. */
    public static final String VERSION = "photoscore-quality-features/2";

    private static final List<FeatureGroup> GROUPS = List.of(
            new SharpnessFeatures(),
            new ToneFeatures(),
            new NoiseFeatures(),
            new ColourFeatures(),
            new BlockinessFeatures(),
            new ResolutionFeatures(),
            new MscnFeatures(),
            new LogDerivativeFeatures());

    private static final List<String> NAMES = GROUPS.stream().flatMap(g -> g.names().stream()).toList();
    private static final Map<String, FeatureGroup> GROUP_OF = new HashMap<>();

    static {
        GROUPS.forEach(group -> group.names().forEach(name -> GROUP_OF.put(name, group)));
    }

    private QualityFeatures() {
    }

    /** The feature names, in vector order. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * The features of a decoded photo of any {@link BufferedImage} type.
     *
     * @throws IllegalArgumentException when the photo is smaller than 32x32 pixels
     */
    public static FeatureVector extract(BufferedImage photo) {
        Objects.requireNonNull(photo, "photo");
        return extract(WorkingImage.of(photo));
    }

    /** The features of a photo's working copy; what it already computed is not computed again. */
    public static FeatureVector extract(WorkingImage image) {
        float[] values = new float[NAMES.size()];
        int i = 0;
        for (FeatureGroup group : GROUPS) {
            for (double value : values(image, group)) {
                values[i++] = (float) value;
            }
        }
        return new FeatureVector(VERSION, NAMES, values);
    }

    /**
     * One feature of a photo's working copy, computing only its group (once per working image): for consumers that
     * need a few features, such as the quality flags.
     *
     * @throws IllegalArgumentException for a name that is not a feature
     */
    public static double value(WorkingImage image, String name) {
        FeatureGroup group = GROUP_OF.get(name);
        if (group == null) {
            throw new IllegalArgumentException("no feature named '" + name + "' in feature set " + VERSION);
        }
        return values(image, group)[group.names().indexOf(name)];
    }

    private static double[] values(WorkingImage image, FeatureGroup group) {
        double[] values = image.values(group);
        for (int k = 0; k < values.length; k++) {
            if (!Double.isFinite(values[k])) {
                throw new IllegalStateException("feature " + group.names().get(k) + " is " + values[k]);
            }
        }
        return values;
    }
}
