package dev.photoscore.image.jpeg;

/**
 * Component samples to 8-bit RGB as libjpeg 6b (the JDK's, under ImageIO) makes them: chroma brought to the full
 * grid, then JFIF's YCbCr to RGB in libjpeg's fixed-point arithmetic ({@code jdcolor.c}), so that a crop decoded
 * here matches ImageIO's decode of it to within the inverse DCT's rounding.
 */
final class JpegColour {

    private static final int SCALE_BITS = 16;
    private static final int HALF = 1 << (SCALE_BITS - 1);
    private static final int CR_R = fix(1.40200);
    private static final int CB_B = fix(1.77200);
    private static final int CR_G = fix(0.71414);
    private static final int CB_G = fix(0.34414);

    private JpegColour() {
    }

    private static int fix(double value) {
        return (int) (value * (1 << SCALE_BITS) + 0.5);
    }

    /**
     * One row of pixels as {@code 0xRRGGBB} into {@code out} from {@code o}: pixel x from samples
     * {@code s0[row0 + col0[x]]}, {@code s1[row1 + col1[x]]}, {@code s2[row2 + col2[x]]} (for grey only the first).
     * For sampling {@link YcbcrRows} does not take; one pixel at a time.
     */
    static void row(JpegFrame.Colour colour, byte[] s0, int row0, int[] col0, byte[] s1, int row1, int[] col1,
                    byte[] s2, int row2, int[] col2, int[] out, int o, int width) {
        switch (colour) {
            case GREY -> {
                for (int x = 0; x < width; x++) {
                    int g = s0[row0 + col0[x]] & 0xFF;
                    out[o + x] = g << 16 | g << 8 | g;
                }
            }
            case RGB -> {
                for (int x = 0; x < width; x++) {
                    out[o + x] = (s0[row0 + col0[x]] & 0xFF) << 16 | (s1[row1 + col1[x]] & 0xFF) << 8
                            | s2[row2 + col2[x]] & 0xFF;
                }
            }
            case YCBCR -> {
                for (int x = 0; x < width; x++) {
                    out[o + x] = pixel(s0[row0 + col0[x]] & 0xFF, chroma(s1[row1 + col1[x]] & 0xFF,
                            s2[row2 + col2[x]] & 0xFF));
                }
            }
            default -> throw new IllegalArgumentException(String.valueOf(colour));
        }
    }

    /**
     * The chroma's part of a YCbCr pixel, from its Cb and Cr samples (0..255): what JFIF's conversion adds to the
     * luma for red, green and blue (-227..226), each a signed ten-bit field, red lowest, blue in the top bits.
     */
    static int chroma(int cb, int cr) {
        return redPart(cr) & 0x3FF | (greenPart(cb, cr) & 0x3FF) << 10 | bluePart(cb) << 20;
    }

    private static int redPart(int cr) {
        return CR_R * (cr - 128) + HALF >> SCALE_BITS;
    }

    private static int greenPart(int cb, int cr) {
        return -CB_G * (cb - 128) - CR_G * (cr - 128) + HALF >> SCALE_BITS;
    }

    private static int bluePart(int cb) {
        return CB_B * (cb - 128) + HALF >> SCALE_BITS;
    }

    /**
     * The pixel {@code 0xRRGGBB} of luma {@code y} and the {@link #chroma} part {@code chroma}. (Its channels are
     * methods of their own so that each method stays under the 35 bytes of bytecode up to which C1 inlines: under
     * C1 alone, the java21 Lambda runtime's default, a call a pixel cost about 1 ms of a 12 MP decode; the functions
     * now allow C2, which inlines and vectorises either way.)
     */
    static int pixel(int y, int chroma) {
        return red(y, chroma) << 16 | green(y, chroma) << 8 | blue(y, chroma);
    }

    private static int red(int y, int chroma) {
        return clamp(y + (chroma << 22 >> 22));
    }

    private static int green(int y, int chroma) {
        return clamp(y + (chroma << 12 >> 22));
    }

    private static int blue(int y, int chroma) {
        return clamp(y + (chroma >> 20));
    }

    /**
     * {@code value} (-512..767) clamped to 0..255 by shifts, adds and masks (libjpeg looks it up in a table; a
     * look-up would keep {@link YcbcrRows}' loops scalar).
     */
    private static int clamp(int value) {
        int positive = value & ~(value >> 31);
        int over = 255 - positive;
        return positive + (over & (over >> 31));
    }

    /**
     * Rows of YCbCr samples (the luma at full resolution, chroma a sample per {@code across} pixels) to a row of
     * pixels at a time, for the usual sampling (4:4:4, 4:2:2, 4:2:0): the conversion works in {@code int} arrays of
     * its own, all from index 0, because that is the only form of loop that C2 (JDK 17) vectorises here (not one
     * that widens bytes, nor one with an offset into an array). Widening and spreading the chroma over its pixels
     * stay scalar.
     */
    static final class YcbcrRows {
        private final int width;
        private final int across;
        /** A row's chroma samples, widened; then their {@link #chroma} parts. */
        private final int[] cb;
        private final int[] cr;
        /** The chroma part of every pixel of the row. */
        private final int[] parts;
        /** The row's luma, widened; then its pixels. */
        private final int[] pixels;

        /** A converter of rows {@code width} pixels wide with a chroma sample per {@code across} pixels. */
        YcbcrRows(int width, int across) {
            this.width = width;
            this.across = across;
            int samples = (width + across - 1) / across;
            cb = new int[samples];
            cr = new int[samples];
            parts = across == 1 ? cb : new int[width];
            pixels = new int[width];
        }

        /** Takes the chroma of the rows that follow: samples {@code cbRow[cbAt + i]} and {@code crRow[crAt + i]}. */
        void chroma(byte[] cbRow, int cbAt, byte[] crRow, int crAt) {
            int[] b = cb;
            int[] r = cr;
            int samples = b.length;
            for (int i = 0; i < samples; i++) {
                b[i] = cbRow[cbAt + i] & 0xFF;
            }
            for (int i = 0; i < samples; i++) {
                r[i] = crRow[crAt + i] & 0xFF;
            }
            for (int i = 0; i < samples; i++) {
                b[i] = JpegColour.chroma(b[i], r[i]);
            }
            if (across == 2) {
                int pairs = width / 2;
                for (int i = 0; i < pairs; i++) {
                    parts[2 * i] = b[i];
                    parts[2 * i + 1] = b[i];
                }
                if (width % 2 != 0) {
                    parts[width - 1] = b[pairs];
                }
            } else if (across > 2) {
                for (int x = 0; x < width; x++) {
                    parts[x] = b[x / across];
                }
            }
        }

        /** One row of pixels into {@code out} from {@code o}, from luma {@code luma[lumaAt + x]} and the chroma. */
        void convert(byte[] luma, int lumaAt, int[] out, int o) {
            int[] p = pixels;
            int[] c = parts;
            int n = width;
            for (int x = 0; x < n; x++) {
                p[x] = luma[lumaAt + x] & 0xFF;
            }
            for (int x = 0; x < n; x++) {
                p[x] = pixel(p[x], c[x]);
            }
            System.arraycopy(p, 0, out, o, n);
        }
    }

    /**
     * A component's samples on the full grid over {@code width x height} pixels from ({@code x0}, {@code y0}) as
     * ImageIO's libjpeg gives them: a triangle filter for chroma halved across, down, or both ({@code h2v1},
     * {@code h1v2}, {@code h2v2_fancy_upsample}), with its rounding, edges repeated; every other ratio repeats each
     * sample ({@code int_upsample}). Checked against ImageIO's decode by {@code OnePassJpegTest}.
     *
     * <p>All four in one form: a column sum {@code 3 * near row + far row} (the same row twice where there is no
     * filter down), then {@code (3 * near column + far column + bias) >> 4}, the bias giving each filter's rounding.
     *
     * @param samples the component's samples from sample ({@code left}, {@code top}) on, rows {@code stride} apart,
     *                covering what the pixels need (one sample beyond them on each side, within the component)
     */
    static byte[] upsample(JpegFrame.Component c, byte[] samples, int left, int top, int stride, int x0, int y0,
                           int width, int height) {
        byte[] out = new byte[width * height];
        if (c.xRatio == 1 && c.yRatio == 1) {
            // On the full grid already (luma): the pixels' samples as they are, which is what the sums below give.
            for (int y = 0; y < height; y++) {
                System.arraycopy(samples, (y0 + y - top) * stride + x0 - left, out, y * width, width);
            }
            return out;
        }
        boolean acrossFiltered = c.xRatio == 2 && (c.yRatio == 1 || c.yRatio == 2);
        boolean downFiltered = c.yRatio == 2 && (c.xRatio == 1 || c.xRatio == 2);
        int[] here = new int[width];
        int[] near = new int[width];
        int[] columnBias = new int[width];
        for (int x = 0; x < width; x++) {
            int px = x0 + x;
            int i = px / c.xRatio;
            int odd = px & 1;
            here[x] = Math.min(c.width - 1, i) - left;
            near[x] = acrossFiltered ? Math.max(0, Math.min(c.width - 1, odd == 0 ? i - 1 : i + 1)) - left : here[x];
            columnBias[x] = !acrossFiltered ? 0 : downFiltered ? 8 - odd : 4 + 4 * odd;
        }
        int firstColumn = Math.min(here[0], near[0]);
        int lastColumn = Math.max(here[width - 1], near[width - 1]);
        int[] columnSums = new int[lastColumn + 1];
        for (int y = 0; y < height; y++) {
            int py = y0 + y;
            int j = py / c.yRatio;
            int odd = py & 1;
            int rowHere = (Math.min(c.height - 1, j) - top) * stride;
            int rowNear = downFiltered
                    ? (Math.max(0, Math.min(c.height - 1, odd == 0 ? j - 1 : j + 1)) - top) * stride : rowHere;
            int rowBias = downFiltered ? (acrossFiltered ? 0 : 4 + 4 * odd) : (acrossFiltered ? 0 : 8);
            for (int i = firstColumn; i <= lastColumn; i++) {
                columnSums[i] = 3 * (samples[rowHere + i] & 0xFF) + (samples[rowNear + i] & 0xFF);
            }
            int o = y * width;
            for (int x = 0; x < width; x++) {
                out[o + x] = (byte) ((3 * columnSums[here[x]] + columnSums[near[x]] + rowBias + columnBias[x]) >> 4);
            }
        }
        return out;
    }
}
