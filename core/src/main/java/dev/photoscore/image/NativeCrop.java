package dev.photoscore.image;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;

/**
 * The centre of a photo at its own resolution: at most {@link #SIDE} pixels square, its origin on the stored image's
 * 8x8 JPEG block grid. What the JPEG blockiness and the upscaling periodicity are measured on, which a reduced image
 * no longer shows (a photo subsampled by 3 has no 8x8 grid). The {@link PhotoDecoder} reads it at full resolution
 * whatever its {@link DecodeSize}.
 */
public final class NativeCrop {

    /** Width and height of the crop (when the photo is at least that large). */
    public static final int SIDE = 512;

    private NativeCrop() {
    }

    /**
     * The crop of an image of {@code width x height} as stored (before EXIF orientation: the block grid is the
     * stored image's). A side of the crop is a multiple of 8 when the photo's side is, so turning or mirroring the
     * crop keeps the grid's boundaries every 8 pixels from its origin.
     */
    public static Rectangle region(int width, int height) {
        int cropWidth = Math.min(width, SIDE);
        int cropHeight = Math.min(height, SIDE);
        return new Rectangle(((width - cropWidth) / 2) & ~7, ((height - cropHeight) / 2) & ~7, cropWidth, cropHeight);
    }

    /** The crop of an 8-bit RGB ({@code TYPE_INT_RGB}) image at its own resolution, as stored, as an image of its own. */
    public static BufferedImage of(BufferedImage rgb) {
        Rectangle region = region(rgb.getWidth(), rgb.getHeight());
        BufferedImage crop = new BufferedImage(region.width, region.height, BufferedImage.TYPE_INT_RGB);
        crop.getRaster().setDataElements(0, 0, rgb.getRaster().createChild(region.x, region.y, region.width,
                region.height, 0, 0, null));
        return crop;
    }
}
