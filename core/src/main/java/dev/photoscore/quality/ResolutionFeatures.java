package dev.photoscore.quality;

import java.util.List;

/**
 * Resolution of the photo as decoded, before any downscaling.
 * <ul>
 *   <li>{@code resolution.megapixels}: width x height / 10⁶.</li>
 *   <li>{@code resolution.short_side}: the shorter side in pixels.</li>
 * </ul>
 */
final class ResolutionFeatures implements FeatureGroup {

    private static final List<String> NAMES = List.of("resolution.megapixels", "resolution.short_side");

    @Override
    public List<String> names() {
        return NAMES;
    }

    @Override
    public double[] compute(WorkingImage image) {
        return new double[] {
                (double) image.originalWidth * image.originalHeight / 1e6,
                Math.min(image.originalWidth, image.originalHeight)};
    }
}
