package dev.photoscore.scoring;

import dev.photoscore.quality.Plane;
import dev.photoscore.quality.WorkingImage;
import java.awt.image.BufferedImage;
import java.util.Map;

/**
 * What the models are given for one photo: the decoded pixels (NIMA resizes them), the photo's planes at the quality
 * graph's working size ({@code graphSize}; null without a graph), the working copy the quality features and the
 * quality flags are computed on (made from those planes when there are some), so nothing is computed twice, and the
 * named outputs of the models run so far (filled in run order, so a quality model trained on the NIMA means finds them).
 */
record ModelInput(BufferedImage image, WorkingSize graphSize, Plane[] graphPlanes, WorkingImage working,
                  Map<String, Double> outputs) {

    /** The photo's planes at {@code size}: those made once for the scorer's quality graph, or made now. */
    Plane[] planes(WorkingSize size) {
        return size.equals(graphSize) ? graphPlanes : size.resize(image);
    }
}
