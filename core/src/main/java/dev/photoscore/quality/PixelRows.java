package dev.photoscore.quality;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * Reads runs of pixels of any {@link BufferedImage} as red, green and blue floats in 0..255 (the image's encoded
 * values, not linear light).
 *
 * <p>The layouts decoders produce (8-bit interleaved RGB, BGR, grey, with or without alpha, and packed ints) are read
 * straight from the data buffer: a 12-megapixel photo goes through {@link BufferedImage#getRGB} far too slowly for
 * the time budget. Every other layout goes through {@code getRGB}, which converts any colour model to sRGB. Grey
 * samples of any depth are taken as they are (scaled to 0..255 and read as sRGB-encoded grey), not through Java's
 * linear grey colour space, since decoded grey JPEGs and PNGs hold gamma-encoded values. Alpha is ignored.
 */
abstract class PixelRows {

    /**
     * The most source pixels per target pixel for which {@code PackedInts} sums red and blue in one int: an inner
     * sum then holds fewer than 257 + 1 pixels, whose blue sum (at most 257 x 255 = 65535) stays below red's bits.
     */
    private static final int MAX_PACKED_STEP = 256;

    final int width;
    final int height;

    private PixelRows(BufferedImage image) {
        this.width = image.getWidth();
        this.height = image.getHeight();
    }

    /** Fills {@code red[i]}, {@code green[i]}, {@code blue[i]} for pixels {@code x0 + i}, {@code i < n}, of row {@code y}. */
    abstract void read(int y, int x0, int n, float[] red, float[] green, float[] blue);

    private float[][] row;
    /** The row in {@link #row}: one pass reduces each row along several axes. */
    private int rowRead = -1;
    /** Per channel, what {@link AreaAxis#combine} takes; grown to the widest target. */
    private float[][][] gathered = new float[3][3][0];

    /** Row {@code y} area-averaged along {@code axis} into {@code red}, {@code green}, {@code blue}. */
    void readReduced(int y, AreaAxis axis, float[] red, float[] green, float[] blue) {
        if (row == null) {
            row = new float[3][width];
        }
        if (y != rowRead) {
            read(y, 0, width, row[0], row[1], row[2]);
            rowRead = y;
        }
        float[][][] scratch = gathered(axis.targetSize());
        axis.reduce(row[0], red, scratch[0]);
        axis.reduce(row[1], green, scratch[1]);
        axis.reduce(row[2], blue, scratch[2]);
    }

    /** {@link #gathered}, at least {@code targets} long: [channel][first pixels, inner sums, last pixels]. */
    float[][][] gathered(int targets) {
        if (gathered[0][0].length < targets) {
            gathered = new float[3][3][targets];
        }
        return gathered;
    }

    /**
     * Fills {@link #gathered}'s last pixels of the first {@code targets - 1} target pixels from their first pixels:
     * each one's {@link AreaAxis#lastOrNextFirst} is the next one's first, copied in bulk rather than converted and
     * stored twice in the gather.
     */
    void lastsFromFirsts(int targets) {
        for (float[][] channel : gathered) {
            System.arraycopy(channel[0], 1, channel[2], 0, targets - 1);
        }
    }

    /** Combines what {@link #gathered} holds into the three target rows. */
    void combine(AreaAxis axis, float[] red, float[] green, float[] blue) {
        axis.combine(gathered[0][0], gathered[0][1], gathered[0][2], red);
        axis.combine(gathered[1][0], gathered[1][1], gathered[1][2], green);
        axis.combine(gathered[2][0], gathered[2][1], gathered[2][2], blue);
    }

    static PixelRows of(BufferedImage image) {
        Raster raster = image.getRaster();
        DataBuffer buffer = raster.getDataBuffer();
        if (buffer.getNumBanks() == 1 && buffer instanceof DataBufferByte
                && raster.getSampleModel() instanceof ComponentSampleModel
                && image.getColorModel() instanceof ComponentColorModel) {
            int type = image.getColorModel().getColorSpace().getType();
            int colours = image.getColorModel().getNumColorComponents();
            boolean rgb = type == ColorSpace.TYPE_RGB && colours == 3
                    && image.getColorModel().getColorSpace().isCS_sRGB();
            boolean grey = type == ColorSpace.TYPE_GRAY && colours == 1;
            if ((rgb || grey) && image.getColorModel().getComponentSize(0) == 8) {
                return new InterleavedBytes(image, rgb);
            }
        }
        if (image.getColorModel() instanceof ComponentColorModel
                && image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && image.getColorModel().getNumColorComponents() == 1
                && buffer.getDataType() != DataBuffer.TYPE_FLOAT && buffer.getDataType() != DataBuffer.TYPE_DOUBLE) {
            return new GreySamples(image);
        }
        if (buffer.getNumBanks() == 1 && buffer instanceof DataBufferInt
                && raster.getSampleModel() instanceof SinglePixelPackedSampleModel
                && image.getColorModel() instanceof DirectColorModel direct
                && direct.getColorSpace().isCS_sRGB() && !direct.isAlphaPremultiplied()
                && bits(direct.getRedMask()) == 8 && bits(direct.getGreenMask()) == 8 && bits(direct.getBlueMask()) == 8) {
            return new PackedInts(image, direct);
        }
        return new ViaGetRgb(image);
    }

    private static int bits(int mask) {
        return Integer.bitCount(mask);
    }

    /** 8-bit samples of one bank, interleaved or not, in any band order. */
    private static final class InterleavedBytes extends PixelRows {
        private final byte[] data;
        private final int origin;
        private final int scanline;
        private final int pixelStride;
        private final int red;
        private final int green;
        private final int blue;

        InterleavedBytes(BufferedImage image, boolean rgb) {
            super(image);
            Raster raster = image.getRaster();
            ComponentSampleModel model = (ComponentSampleModel) raster.getSampleModel();
            DataBufferByte buffer = (DataBufferByte) raster.getDataBuffer();
            this.data = buffer.getData();
            this.scanline = model.getScanlineStride();
            this.pixelStride = model.getPixelStride();
            // Child rasters (BufferedImage.getSubimage) share the parent's buffer, shifted by the translation.
            this.origin = buffer.getOffset() - raster.getSampleModelTranslateY() * scanline
                    - raster.getSampleModelTranslateX() * pixelStride;
            int[] offsets = model.getBandOffsets();
            this.red = offsets[0];
            this.green = rgb ? offsets[1] : offsets[0];
            this.blue = rgb ? offsets[2] : offsets[0];
        }

        @Override
        void read(int y, int x0, int n, float[] r, float[] g, float[] b) {
            int p = origin + y * scanline + x0 * pixelStride;
            for (int i = 0; i < n; i++, p += pixelStride) {
                r[i] = data[p + red] & 0xff;
                g[i] = data[p + green] & 0xff;
                b[i] = data[p + blue] & 0xff;
            }
        }

        /** Sums the whole pixels of each run as integers, straight from the bytes: most of the time of large photos. */
        @Override
        void readReduced(int y, AreaAxis axis, float[] r, float[] g, float[] b) {
            int row = origin + y * scanline;
            float[][][] sums = gathered(axis.targetSize());
            float[][] sumsR = sums[0];
            float[][] sumsG = sums[1];
            float[][] sumsB = sums[2];
            int targets = axis.targetSize();
            for (int t = 0; t < targets; t++) {
                int a = axis.first(t);
                int z = axis.innerEnd(t);
                int p = row + a * pixelStride;
                sumsR[0][t] = data[p + red] & 0xff;
                sumsG[0][t] = data[p + green] & 0xff;
                sumsB[0][t] = data[p + blue] & 0xff;
                int innerR = 0;
                int innerG = 0;
                int innerB = 0;
                for (int s = a + 1; s < z; s++) {
                    p += pixelStride;
                    innerR += data[p + red] & 0xff;
                    innerG += data[p + green] & 0xff;
                    innerB += data[p + blue] & 0xff;
                }
                sumsR[1][t] = innerR;
                sumsG[1][t] = innerG;
                sumsB[1][t] = innerB;
            }
            lastsFromFirsts(targets);
            int last = row + axis.lastOrNextFirst(targets - 1) * pixelStride;
            sumsR[2][targets - 1] = data[last + red] & 0xff;
            sumsG[2][targets - 1] = data[last + green] & 0xff;
            sumsB[2][targets - 1] = data[last + blue] & 0xff;
            combine(axis, r, g, b);
        }
    }

    /** Pixels packed into ints with 8-bit colour masks (INT_RGB, INT_ARGB, INT_BGR and the like). */
    private static final class PackedInts extends PixelRows {
        private final int[] data;
        private final int origin;
        private final int scanline;
        private final int redShift;
        private final int greenShift;
        private final int blueShift;

        PackedInts(BufferedImage image, DirectColorModel model) {
            super(image);
            Raster raster = image.getRaster();
            SinglePixelPackedSampleModel sampleModel = (SinglePixelPackedSampleModel) raster.getSampleModel();
            DataBufferInt buffer = (DataBufferInt) raster.getDataBuffer();
            this.data = buffer.getData();
            this.scanline = sampleModel.getScanlineStride();
            this.origin = buffer.getOffset() - raster.getSampleModelTranslateY() * scanline
                    - raster.getSampleModelTranslateX();
            this.redShift = Integer.numberOfTrailingZeros(model.getRedMask());
            this.greenShift = Integer.numberOfTrailingZeros(model.getGreenMask());
            this.blueShift = Integer.numberOfTrailingZeros(model.getBlueMask());
        }

        @Override
        void read(int y, int x0, int n, float[] r, float[] g, float[] b) {
            int p = origin + y * scanline + x0;
            for (int i = 0; i < n; i++) {
                int pixel = data[p + i];
                r[i] = (pixel >>> redShift) & 0xff;
                g[i] = (pixel >>> greenShift) & 0xff;
                b[i] = (pixel >>> blueShift) & 0xff;
            }
        }

        /**
         * For 0xRRGGBB ints (the decoder's own layout), sums the whole pixels of each run as integers straight from
         * the ints, red and blue in one int ({@code pixel & 0xFF00FF}, see {@link #MAX_PACKED_STEP}) and green
         * apart: two masks and two additions a pixel, where reading the row as floats first took most of the time of
         * a large photo. Integer sums are exact, so the result is the same.
         */
        @Override
        void readReduced(int y, AreaAxis axis, float[] r, float[] g, float[] b) {
            if (redShift != 16 || greenShift != 8 || blueShift != 0 || axis.norm() < 1f / MAX_PACKED_STEP) {
                super.readReduced(y, axis, r, g, b);
                return;
            }
            int row = origin + y * scanline;
            int targets = axis.targetSize();
            float[][][] sums = gathered(targets);
            float[] firstR = sums[0][0];
            float[] firstG = sums[1][0];
            float[] firstB = sums[2][0];
            float[] innerR = sums[0][1];
            float[] innerG = sums[1][1];
            float[] innerB = sums[2][1];
            float[] lastR = sums[0][2];
            float[] lastG = sums[1][2];
            float[] lastB = sums[2][2];
            for (int t = 0; t < targets; t++) {
                int a = row + axis.first(t);
                int z = row + axis.innerEnd(t);
                int first = data[a];
                int redBlue = 0;
                int green = 0;
                for (int s = a + 1; s < z; s++) {
                    int pixel = data[s];
                    redBlue += pixel & 0xFF00FF;
                    green += pixel & 0xFF00;
                }
                firstR[t] = (first >>> 16) & 0xff;
                firstG[t] = (first >>> 8) & 0xff;
                firstB[t] = first & 0xff;
                innerR[t] = redBlue >>> 16;
                innerG[t] = green >>> 8;
                innerB[t] = redBlue & 0xFFFF;
            }
            lastsFromFirsts(targets);
            int end = data[row + axis.lastOrNextFirst(targets - 1)];
            lastR[targets - 1] = (end >>> 16) & 0xff;
            lastG[targets - 1] = (end >>> 8) & 0xff;
            lastB[targets - 1] = end & 0xff;
            combine(axis, r, g, b);
        }
    }

    /** Grey samples of any integer depth (16-bit PNG, for example), scaled to 0..255. */
    private static final class GreySamples extends PixelRows {
        private final Raster raster;
        private final float scale;
        private int[] samples = new int[0];

        GreySamples(BufferedImage image) {
            super(image);
            this.raster = image.getRaster();
            this.scale = (float) (255.0 / ((1L << image.getColorModel().getComponentSize(0)) - 1));
        }

        @Override
        void read(int y, int x0, int n, float[] r, float[] g, float[] b) {
            samples = raster.getSamples(x0, y, n, 1, 0, samples.length < n ? null : samples);
            for (int i = 0; i < n; i++) {
                float v = samples[i] * scale;
                r[i] = v;
                g[i] = v;
                b[i] = v;
            }
        }
    }

    /** Any other layout, converted to sRGB by the image's colour model. */
    private static final class ViaGetRgb extends PixelRows {
        private final BufferedImage image;
        private int[] argb = new int[0];

        ViaGetRgb(BufferedImage image) {
            super(image);
            this.image = image;
        }

        @Override
        void read(int y, int x0, int n, float[] r, float[] g, float[] b) {
            if (argb.length < n) {
                argb = new int[n];
            }
            image.getRGB(x0, y, n, 1, argb, 0, n);
            for (int i = 0; i < n; i++) {
                int pixel = argb[i];
                r[i] = (pixel >>> 16) & 0xff;
                g[i] = (pixel >>> 8) & 0xff;
                b[i] = pixel & 0xff;
            }
        }
    }
}
