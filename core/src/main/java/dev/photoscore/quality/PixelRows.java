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

    final int width;
    final int height;

    private PixelRows(BufferedImage image) {
        this.width = image.getWidth();
        this.height = image.getHeight();
    }

    /** Fills {@code red[i]}, {@code green[i]}, {@code blue[i]} for pixels {@code x0 + i}, {@code i < n}, of row {@code y}. */
    abstract void read(int y, int x0, int n, float[] red, float[] green, float[] blue);

    /** Whether every sample is an integer 0..255, as {@link #runningSums} needs. */
    boolean integral() {
        return true;
    }

    private float[][] row;

    /**
     * The running sums of row {@code y}'s red, green and blue samples: {@code red[x]} is the sum of the samples of
     * pixels {@code 0..x-1} ({@code width + 1} values); for {@link #integral} layouts only.
     */
    void runningSums(int y, int[] red, int[] green, int[] blue) {
        if (row == null) {
            row = new float[3][width];
        }
        read(y, 0, width, row[0], row[1], row[2]);
        int r = 0;
        int g = 0;
        int b = 0;
        for (int x = 0; x < width; x++) {
            r += (int) row[0][x];
            g += (int) row[1][x];
            b += (int) row[2][x];
            red[x + 1] = r;
            green[x + 1] = g;
            blue[x + 1] = b;
        }
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

        /** Straight from the bytes: reading rows is most of the time of large photos. */
        @Override
        void runningSums(int y, int[] r, int[] g, int[] b) {
            int p = origin + y * scanline;
            int sumR = 0;
            int sumG = 0;
            int sumB = 0;
            for (int x = 1; x <= width; x++, p += pixelStride) {
                sumR += data[p + red] & 0xff;
                sumG += data[p + green] & 0xff;
                sumB += data[p + blue] & 0xff;
                r[x] = sumR;
                g[x] = sumG;
                b[x] = sumB;
            }
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

        /** Straight from the ints: reading rows is most of the time of large photos. */
        @Override
        void runningSums(int y, int[] r, int[] g, int[] b) {
            int p = origin + y * scanline;
            int sumR = 0;
            int sumG = 0;
            int sumB = 0;
            for (int x = 1; x <= width; x++, p++) {
                int pixel = data[p];
                sumR += (pixel >>> redShift) & 0xff;
                sumG += (pixel >>> greenShift) & 0xff;
                sumB += (pixel >>> blueShift) & 0xff;
                r[x] = sumR;
                g[x] = sumG;
                b[x] = sumB;
            }
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
        boolean integral() {
            return false;
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
