package dev.photoscore.scoring;

import dev.photoscore.quality.WorkingImage;
import java.awt.image.BufferedImage;
import java.util.Map;

/**
 * What the models are given for one photo: the decoded pixels (NIMA resizes them), the working copy the quality
 * features are computed on, shared with the quality flags so nothing is computed twice, and the named outputs of the
 * models run so far (filled in run order, so a quality model trained on the NIMA means finds them).
 */
record ModelInput(BufferedImage image, WorkingImage working, Map<String, Double> outputs) {
}
