package dev.photoscore.scoring;

import dev.photoscore.image.DecodeSize;
import dev.photoscore.quality.WorkingImage;
import java.awt.image.BufferedImage;

/**
 * The size the quality graph sees a photo at: area-averaged to about {@code pixels} pixels with its aspect ratio
 * kept and nothing cropped, never enlarged (a small photo is seen as it is: enlarging would add the blur the model
 * is there to notice). The graph was trained on photos of about that many pixels (LIVE's are 500x500), and its
 * deep features are spatial averages, so any size works; this one keeps the statistics the model learnt.
 *
 * @param pixels the pixel count a photo is brought down to, when it has more
 */
public record WorkingSize(int pixels) {

    /**
     * How much larger than the working size a reduced decode keeps a photo, per side: the area averaging then
     * still sees several decoded pixels per working pixel, as from the full photo.
     */
    private static final int DECODE_MARGIN = 2;

    public WorkingSize {
        if (pixels < 32 * 32) {
            throw new IllegalArgumentException("a working size needs at least 32x32 pixels, got " + pixels);
        }
    }

    /** One photo as the graph's input: {@code [3, height, width]} RGB planes of raw 0..255 values, row-major. */
    public record PhotoTensor(int width, int height, float[] chw) {
    }

    /** The working width and height of an upright photo of {@code width x height}. */
    public int[] dimensions(int width, int height) {
        long original = (long) width * height;
        if (original <= pixels) {
            return new int[] {width, height};
        }
        double shrink = Math.sqrt((double) pixels / original);
        return new int[] {Math.max(1, (int) Math.round(width * shrink)), Math.max(1, (int) Math.round(height * shrink))};
    }

    /** The reduced decode that keeps enough pixels for this working size; see {@link #DECODE_MARGIN}. */
    public DecodeSize decodeSize() {
        int side = (int) Math.ceil(Math.sqrt(pixels)) * DECODE_MARGIN;
        return DecodeSize.atLeast(side, side);
    }

    /** The photo brought to its working size by exact area averaging, as the graph's input. */
    public PhotoTensor tensor(BufferedImage photo) {
        int[] size = dimensions(photo.getWidth(), photo.getHeight());
        return new PhotoTensor(size[0], size[1], WorkingImage.areaAveragePlanar(photo, size[0], size[1]));
    }

    /** A decoded photo's working copy, for the quality flags, and its tensor at this working size. */
    public record Prepared(WorkingImage working, PhotoTensor tensor) {
    }

    /**
     * A decoded photo's working copy ({@link WorkingImage#of(BufferedImage, BufferedImage)}) and {@link #tensor},
     * both from one pass over the photo's rows.
     */
    public Prepared prepare(BufferedImage photo, BufferedImage nativeCrop) {
        int[] size = dimensions(photo.getWidth(), photo.getHeight());
        float[] chw = new float[3 * size[0] * size[1]];
        WorkingImage working = WorkingImage.of(photo, nativeCrop, size[0], size[1], chw);
        return new Prepared(working, new PhotoTensor(size[0], size[1], chw));
    }
}
