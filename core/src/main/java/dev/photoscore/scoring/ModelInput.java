package dev.photoscore.scoring;

import dev.photoscore.quality.WorkingImage;
import java.awt.image.BufferedImage;
import java.util.Map;

/**
 * What the models are given for one photo: the decoded pixels (NIMA resizes them), the working copy the quality flags
 * are computed on, the quality graph's input at its working size (made in the same pass over the photo as the working
 * copy; null for a pack without the graph), and the named outputs of the models run so far (filled in run order, so a
 * model that takes another's outputs finds them).
 */
record ModelInput(BufferedImage image, WorkingImage working, WorkingSize.PhotoTensor tensor,
                  Map<String, Double> outputs) {
}
