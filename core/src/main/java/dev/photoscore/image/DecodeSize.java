package dev.photoscore.image;

/**
 * How many pixels the decoder keeps: every pixel ({@link #full()}), or a reduced image that is still at least
 * {@code minWidth x minHeight} once upright ({@link #atLeast}).
 *
 * <p>A reduced decode keeps every {@code n}-th pixel of every {@code n}-th row, {@code n} as large as the minimum
 * allows, so a 12-megapixel photo is never held, nor converted, at full size when the models see 224x224 pixels.
 * The pixels kept are the photo's own (no filtering), which is what the nearest-neighbour resize to the model input
 * would have picked among anyway.
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

    @Override
    public String toString() {
        return isFull() ? "full" : "at least " + minWidth + "x" + minHeight;
    }
}
