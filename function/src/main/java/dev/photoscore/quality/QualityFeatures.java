package dev.photoscore.quality;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Handcrafted technical-quality features of a decoded photo: sharpness and blur, exposure and contrast, noise,
 * colourfulness, JPEG blockiness, resolution, and BRISQUE natural-scene statistics at two scales. Each group
 * documents its features and their sources: {@link SharpnessFeatures}, {@link ToneFeatures}, {@link NoiseFeatures},
 * {@link ColourFeatures}, {@link BlockinessFeatures}, {@link ResolutionFeatures}, {@link MscnFeatures}.
 *
 * <p>Everything but the resolution and the blockiness is computed on a working copy of at most 2^17 pixels (362x362
 * for a square photo), area-averaged down from larger photos; see {@link WorkingImage}. Extraction is
 * deterministic and thread-safe.
 */
public final class QualityFeatures {

    /** Changes whenever a feature's name, order, definition or working size changes; models record it. */
    public static final String VERSION = "photoscore-quality-features/1";

    private static final List<FeatureGroup> GROUPS = List.of(
            new SharpnessFeatures(),
            new ToneFeatures(),
            new NoiseFeatures(),
            new ColourFeatures(),
            new BlockinessFeatures(),
            new ResolutionFeatures(),
            new MscnFeatures());

    private static final List<String> NAMES = GROUPS.stream().flatMap(g -> g.names().stream()).toList();

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
        WorkingImage image = WorkingImage.of(photo);
        float[] values = new float[NAMES.size()];
        int i = 0;
        for (FeatureGroup group : GROUPS) {
            double[] groupValues = group.compute(image);
            for (int k = 0; k < groupValues.length; k++) {
                if (!Double.isFinite(groupValues[k])) {
                    throw new IllegalStateException("feature " + group.names().get(k) + " is " + groupValues[k]);
                }
                values[i++] = (float) groupValues[k];
            }
        }
        return new FeatureVector(VERSION, NAMES, values);
    }
}
