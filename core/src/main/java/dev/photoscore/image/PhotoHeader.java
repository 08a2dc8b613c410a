package dev.photoscore.image;

/**
 * What a photo's bytes say before any pixel is decoded; {@link PhotoDecoder#inspect} has checked it against the
 * limits.
 *
 * @param format      what the bytes are
 * @param byteSize    how many bytes they are
 * @param width       width in the header, before orientation
 * @param height      height in the header, before orientation
 * @param orientation EXIF orientation 1..8 (1 when absent)
 */
public record PhotoHeader(PhotoFormat format, long byteSize, int width, int height, int orientation) {

    /** Whether the photo is turned a quarter (EXIF orientations 5 to 8): its upright width is the header's height. */
    public boolean quarterTurned() {
        return orientation >= 5;
    }

    public int uprightWidth() {
        return quarterTurned() ? height : width;
    }

    public int uprightHeight() {
        return quarterTurned() ? width : height;
    }
}
