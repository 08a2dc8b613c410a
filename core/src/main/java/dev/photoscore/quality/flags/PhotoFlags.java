package dev.photoscore.quality.flags;

import dev.photoscore.quality.WorkingImage;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Finds what makes a photo "very bad" (class 1 of the product's promise): strong blur, over- and under-exposure,
 * heavy noise, heavy JPEG compression, enlargement from a small image, screenshots of text or chats, collages. Each
 * flag has its detector, documented with what it measures and where the method comes from; their thresholds were
 * chosen on real photos and their degraded copies (docs/scoring.md, "Flags and hints").
 *
 * <p>Detection works on the features' working image and reads the quality features it needs from it, so on the
 * scoring path nothing is computed twice. Deterministic and thread-safe (a working image is not: one per photo).
 */
public final class PhotoFlags {

    /** In the order flags are reported, {@link PhotoFlag}'s order. */
    static final List<FlagDetector> DETECTORS = List.of(
            new BlurDetector(),
            new OverexposureDetector(),
            new UnderexposureDetector(),
            new NoiseDetector(),
            new CompressionDetector(),
            new UpscaleDetector(),
            new ScreenshotDetector(),
            new CollageDetector());

    private PhotoFlags() {
    }

    /**
     * The flags of a decoded photo, in {@link PhotoFlag} order; empty when none.
     *
     * @throws IllegalArgumentException when the photo is smaller than 32x32 pixels
     */
    public static List<PhotoFlag> detect(BufferedImage photo) {
        return detect(WorkingImage.of(Objects.requireNonNull(photo, "photo")));
    }

    /** The flags of a photo's working image, in {@link PhotoFlag} order; empty when none. */
    public static List<PhotoFlag> detect(WorkingImage image) {
        return detect(image, OptionalDouble.empty());
    }

    /**
     * The flags of a photo's working image, in {@link PhotoFlag} order, with the collage classifier's margin for the
     * photo when the model pack has the classifier (see {@link #confirmed}); empty when none.
     */
    public static List<PhotoFlag> detect(WorkingImage image, OptionalDouble collageMargin) {
        List<PhotoFlag> raised = new ArrayList<>();
        for (FlagDetector detector : DETECTORS) {
            if (detector.raised(detector.measure(image))) {
                raised.add(detector.flag());
            }
        }
        return reported(confirmed(raised, collageMargin));
    }

    /**
     * The raised flags that stand. A collage stands only where the collage classifier agrees (its margin, the output
     * {@code collage} of the pack's quality graph, above 0): the detector's seams and gutters also run along the
     * straight edges of single photos (stairwells, railings, shelves), which the classifier, trained on the backbone's
     * features of rendered collages against real photos, tells apart. Without the classifier (an older pack, or the
     * detectors alone) the detector decides.
     */
    static List<PhotoFlag> confirmed(Collection<PhotoFlag> raised, OptionalDouble collageMargin) {
        return raised.stream().filter(flag -> flag != PhotoFlag.COLLAGE || collageMargin.isEmpty()
                || collageMargin.getAsDouble() > 0).toList();
    }

    /**
     * The flags to report of those the detectors raised. A screenshot is reported alone: it is no photo, and what
     * the photographic detectors say of it (a white page is "overexposed", chat bubbles make a "collage") would
     * only mislead.
     */
    static List<PhotoFlag> reported(Collection<PhotoFlag> raised) {
        return raised.contains(PhotoFlag.SCREENSHOT) ? List.of(PhotoFlag.SCREENSHOT) : List.copyOf(raised);
    }
}
