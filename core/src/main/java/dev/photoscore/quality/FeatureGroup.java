package dev.photoscore.quality;

import java.util.List;

/** Related features computed together from the working image, always the same names in the same order. */
interface FeatureGroup {

    List<String> names();

    /** The values, in the order of {@link #names()}; all finite. */
    double[] compute(WorkingImage image);
}
