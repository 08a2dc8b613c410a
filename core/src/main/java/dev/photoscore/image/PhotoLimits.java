package dev.photoscore.image;

/**
 * What the decoder accepts. The API takes JPEG and PNG of more than 20 KB and less than 10 MB (Everypixel's rule:
 * 20 KB = 20,480 bytes and 10 MB = 10,485,760 bytes, both bounds excluded), and no more than 100 megapixels, read from
 * the header before any pixel is decoded.
 *
 * @param minBytesExclusive a photo must be larger than this; 0 lifts the limit
 * @param maxBytesExclusive a photo must be smaller than this; {@link Long#MAX_VALUE} lifts the limit
 * @param maxPixels         width x height must not exceed this
 */
public record PhotoLimits(long minBytesExclusive, long maxBytesExclusive, long maxPixels) {

    public static final long API_MIN_BYTES = 20L * 1024;
    public static final long API_MAX_BYTES = 10L * 1024 * 1024;
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

    public PhotoLimits {
        if (minBytesExclusive < 0 || maxBytesExclusive <= minBytesExclusive || maxPixels < 1) {
            throw new IllegalArgumentException("inconsistent photo limits");
        }
    }

    /** The API's upload limits. */
    public static PhotoLimits api() {
        return new PhotoLimits(API_MIN_BYTES, API_MAX_BYTES, DEFAULT_MAX_PIXELS);
    }

    /** No size limits (offline evaluation, the command line's {@code --no-size-limits}); the pixel limit stays. */
    public PhotoLimits withoutSizeLimits() {
        return new PhotoLimits(0, Long.MAX_VALUE, maxPixels);
    }

    public PhotoLimits withMaxPixels(long pixels) {
        return new PhotoLimits(minBytesExclusive, maxBytesExclusive, pixels);
    }
}
