package dev.photoscore.scoring;

import dev.photoscore.quality.WorkingImage;
import java.awt.image.BufferedImage;

/**
 * What the models are given for one photo: the decoded pixels (NIMA resizes them) and the working copy the quality
 * features are computed on, shared with the quality flags so nothing is computed twice.
 */
record ModelInput(BufferedImage image, WorkingImage working) {
}
