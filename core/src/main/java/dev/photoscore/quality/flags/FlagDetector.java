package dev.photoscore.quality.flags;

import dev.photoscore.quality.WorkingImage;
import java.util.List;

/** What one flag measures on a photo's working copy, and the rule on those measurements that raises it. */
interface FlagDetector {

    PhotoFlag flag();

    /** Names of the measurements, in the order {@link #measure} gives them. */
    List<String> measureNames();

    double[] measure(WorkingImage image);

    /** Whether the measurements raise the flag. */
    boolean raised(double[] measures);
}
