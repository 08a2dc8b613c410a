package dev.photoscore.image;

import java.awt.image.BufferedImage;

/**
 * A photo ready for the models: upright (EXIF orientation applied), sRGB 8-bit ({@code TYPE_INT_RGB}), transparency
 * composited on white; reduced when the decoder's {@link DecodeSize} allowed it (then it has fewer pixels than the
 * header's {@code originalWidth x originalHeight}).
 *
 * @param image          the pixels
 * @param nativeCrop     the {@link NativeCrop} at the photo's own resolution, upright, however reduced the image is
 * @param format         what the bytes were
 * @param byteSize       how many bytes they were
 * @param originalWidth  width in the file's header, before orientation
 * @param originalHeight height in the file's header, before orientation
 */
public record DecodedPhoto(BufferedImage image, BufferedImage nativeCrop, PhotoFormat format, long byteSize,
                           int originalWidth, int originalHeight) {

    public int width() {
        return image.getWidth();
    }

    public int height() {
        return image.getHeight();
    }
}
