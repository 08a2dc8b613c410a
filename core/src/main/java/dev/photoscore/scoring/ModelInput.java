package dev.photoscore.scoring;

import dev.photoscore.quality.WorkingImage;
import java.awt.image.BufferedImage;
import java.util.Map;

/**
 * What the models are given for one photo: the decoded pixels (NIMA resizes them, the quality graph takes them at its
 * working size), the working copy the quality flags are computed on, and the named outputs of the models run so far
 * (filled in run order, so a model that takes another's outputs finds them).
 */
record ModelInput(BufferedImage image, WorkingImage working, Map<String, Double> outputs) {
}
