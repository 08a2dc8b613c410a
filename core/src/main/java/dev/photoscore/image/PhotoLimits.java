package dev.photoscore.image;

import dev.photoscore.image.PhotoRejectedException.Reason;

/**
 * What the decoder accepts. The API takes JPEG and PNG of more than 20 KB and less than 10 MB (Everypixel's rule:
 * 20 KB = 20,480 bytes and 10 MB = 10,485,760 bytes, both bounds excluded), and no more than 100 megapixels, read from
 * the header before any pixel is decoded. This is the one place the size rule is written: every check, message and
 * page reads it from here.
 *
 * @param minBytesExclusive a photo must be larger than this; 0 lifts the limit
 * @param maxBytesExclusive a photo must be smaller than this; {@link Long#MAX_VALUE} lifts the limit
 * @param maxPixels         width x height must not exceed this
 */
public record PhotoLimits(long minBytesExclusive, long maxBytesExclusive, long maxPixels) {

    private static final long KB = 1024;
    private static final long MB = 1024 * KB;

    public static final long API_MIN_BYTES = 20 * KB;
    public static final long API_MAX_BYTES = 10 * MB;
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

    /** Whether a photo of {@code size} bytes is within the size limits (both bounds excluded). */
    public boolean allowsSize(long size) {
        return size > minBytesExclusive && size < maxBytesExclusive;
    }

    /** Refuses a photo of {@code size} bytes outside the size limits, before any of it is read or decoded. */
    public void checkSize(long size) throws PhotoRejectedException {
        if (size == 0) {
            throw new PhotoRejectedException(Reason.FILE_TOO_SMALL, "the file is empty");
        }
        if (size <= minBytesExclusive) {
            throw new PhotoRejectedException(Reason.FILE_TOO_SMALL, "the photo is " + size
                    + " bytes; it must be larger than " + inWords(minBytesExclusive));
        }
        if (size >= maxBytesExclusive) {
            throw new PhotoRejectedException(Reason.FILE_TOO_LARGE, "the photo is " + size
                    + " bytes; it must be smaller than " + inWords(maxBytesExclusive));
        }
    }

    /** The size rule in words: {@code more than <min> and less than <max>}, each bound {@link #inWords}. */
    public String describeSizes() {
        return "more than " + inWords(minBytesExclusive) + " and less than " + inWords(maxBytesExclusive);
    }

    /**
     * A byte count as people read it: whole megabytes or kilobytes ({@code N MB}, {@code N KB}), else the exact
     * figure ({@code 4,400,000 bytes}), never a rounded figure that seems to allow more, or less, than it does.
     */
    public static String inWords(long bytes) {
        if (bytes >= MB && bytes % MB == 0) {
            return bytes / MB + " MB";
        }
        if (bytes >= KB && bytes % KB == 0) {
            return bytes / KB + " KB";
        }
        return String.format(java.util.Locale.ROOT, "%,d bytes", bytes);
    }
}
