package dev.photoscore.scoring;

import dev.photoscore.quality.Plane;
import dev.photoscore.quality.WorkingImage;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Locale;

/**
 * How a photo is brought to the models' input size, without keeping the aspect ratio (as NIMA was trained).
 * The output is packed RGB, row-major.
 */
public enum ResizeMethod {

    /**
     * Nearest neighbour with PIL's sampling positions (pixel centres: source x = floor((x + 0.5) * srcW / dstW)),
     * which is what Keras' {@code load_img(target_size=...)} used when idealo trained NIMA.
     */
    NEAREST {
        @Override
        int[] resize(BufferedImage rgb, int width, int height) {
            int[] src = pixels(rgb);
            int sw = rgb.getWidth();
            int sh = rgb.getHeight();
            int[] dst = new int[width * height];
            int[] sourceX = new int[width];
            for (int x = 0; x < width; x++) {
                sourceX[x] = Math.min(sw - 1, (int) ((x + 0.5) * sw / width));
            }
            for (int y = 0; y < height; y++) {
                int sy = Math.min(sh - 1, (int) ((y + 0.5) * sh / height));
                for (int x = 0; x < width; x++) {
                    dst[y * width + x] = src[sy * sw + sourceX[x]];
                }
            }
            return dst;
        }
    },

    /**
     * Area averaging: each output pixel is the mean of the source area it covers, weighted by overlap (like OpenCV's
     * INTER_AREA). Anti-aliased, so a photo's fine texture does not alias into the small input.
     */
    AREA {
        @Override
        int[] resize(BufferedImage rgb, int width, int height) {
            // The features' exact area averaging, so the two resizes of a photo cannot drift apart.
            Plane[] planes = WorkingImage.areaAverage(rgb, width, height);
            int[] dst = new int[width * height];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    dst[y * width + x] = clamp(planes[0].at(x, y)) << 16 | clamp(planes[1].at(x, y)) << 8
                            | clamp(planes[2].at(x, y));
                }
            }
            return dst;
        }
    };

    /** The image resized to {@code width x height}, as packed 0xRRGGBB ints. */
    abstract int[] resize(BufferedImage rgb, int width, int height);

    public static ResizeMethod parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown resize method '" + name + "' (nearest or area)");
        }
    }

    static int[] pixels(BufferedImage rgb) {
        if (rgb.getType() != BufferedImage.TYPE_INT_RGB) {
            throw new IllegalArgumentException("expected a TYPE_INT_RGB image");
        }
        return ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
    }

    private static int clamp(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }
}
