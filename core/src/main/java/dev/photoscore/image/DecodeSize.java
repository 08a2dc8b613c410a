package dev.photoscore.image;

import dev.photoscore.image.jpeg.BaselineJpeg;

/**
 * How many pixels the decoder keeps: every pixel ({@link #full()}), or a reduced image that is still at least
 * {@code minWidth x minHeight} once upright ({@link #atLeast}).
 *
 * <p>A photo is reduced when it is at least twice the minimum on both sides ({@link #step} above 1), so a
 * 12-megapixel photo is never held, nor converted, at full size when the models see a fraction of its pixels.
 * A baseline JPEG is reduced in the DCT domain to {@code n/8} of its size, {@code n} as small as the minimum allows
 * ({@link #eighths}: every 8x8 block gives n x n samples of its lowest frequencies, an area-like reduction); any
 * other photo keeps every {@code step}-th pixel of every {@code step}-th row (the photo's own pixels, no
 * filtering).
 *
 * @param minWidth  the reduced image is at least this wide (after EXIF orientation)
 * @param minHeight the reduced image is at least this high (after EXIF orientation)
 */
public record DecodeSize(int minWidth, int minHeight) {

    private static final DecodeSize FULL = new DecodeSize(Integer.MAX_VALUE, Integer.MAX_VALUE);

    public DecodeSize {
        if (minWidth < 1 || minHeight < 1) {
            throw new IllegalArgumentException("a decode size needs a minimum of at least 1x1 pixels");
        }
    }

    /** Every pixel: no reduction, whatever the photo's size. */
    public static DecodeSize full() {
        return FULL;
    }

    /** The smallest reduction that keeps the upright image at least {@code width x height}. */
    public static DecodeSize atLeast(int width, int height) {
        return new DecodeSize(width, height);
    }

    public boolean isFull() {
        return equals(FULL);
    }

    /**
     * The subsampling step for an upright photo of {@code width x height}: the result, {@code ceil(width / step)} by
     * {@code ceil(height / step)}, is at least the minimum on both sides (or the photo itself when it is smaller).
     */
    public int step(int width, int height) {
        return Math.max(1, Math.min(width / minWidth, height / minHeight));
    }

    /**
     * The DCT-domain reduction of a JPEG to {@code n/8} for an upright photo of {@code width x height} that
     * {@link #step} reduces: the smallest {@code n} whose {@link BaselineJpeg#scaledSide scaled} sides are at least the
     * minimum. At most 4, since such a photo is at least twice the minimum on both sides.
     */
    public int eighths(int width, int height) {
        for (int n = 1; n < 8; n++) {
            if (BaselineJpeg.scaledSide(width, n) >= minWidth && BaselineJpeg.scaledSide(height, n) >= minHeight) {
                return n;
            }
        }
        return 8;
    }

    @Override
    public String toString() {
        return isFull() ? "full" : "at least " + minWidth + "x" + minHeight;
    }
}
