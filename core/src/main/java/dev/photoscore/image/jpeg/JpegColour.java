package dev.photoscore.image.jpeg;

/**
 * Component samples to 8-bit RGB as libjpeg 6b (the JDK's, under ImageIO) makes them: chroma brought to the full
 * grid, then JFIF's YCbCr to RGB in libjpeg's fixed-point arithmetic ({@code jdcolor.c}), so that a crop decoded
 * here matches ImageIO's decode of it to within the inverse DCT's rounding.
 */
final class JpegColour {

    private static final int SCALE_BITS = 16;
    private static final int HALF = 1 << (SCALE_BITS - 1);
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];
    /**
     * Clamps to 0..255 by look-up, as libjpeg's range limit: {@code LIMIT[LIMIT_OFFSET + v]}, v in -256..767. The
     * length is a power of two so that an index masked by {@link #LIMIT_MASK} (which changes no index in range)
     * needs no bounds check.
     */
    private static final int[] LIMIT = new int[1024];
    private static final int LIMIT_MASK = LIMIT.length - 1;
    private static final int LIMIT_OFFSET = 256;

    static {
        for (int i = 0; i < LIMIT.length; i++) {
            LIMIT[i] = clamp(i - LIMIT_OFFSET);
        }
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (fix(1.40200) * x + HALF) >> SCALE_BITS;
            CB_B[i] = (fix(1.77200) * x + HALF) >> SCALE_BITS;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + HALF;
        }
    }

    private JpegColour() {
    }

    private static int fix(double value) {
        return (int) (value * (1 << SCALE_BITS) + 0.5);
    }

    /**
     * One row of pixels as {@code 0xRRGGBB} into {@code out} from {@code o}: pixel x from samples
     * {@code s0[row0 + col0[x]]}, {@code s1[row1 + col1[x]]}, {@code s2[row2 + col2[x]]} (for grey only the first).
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
     * The chroma's part of a YCbCr pixel, from its Cb and Cr samples: what JFIF's conversion adds to the luma for
     * red, green and blue, each plus 256 in ten bits (red lowest).
     */
    static int chroma(int cb, int cr) {
        return CR_R[cr] + LIMIT_OFFSET | ((CB_G[cb] + CR_G[cr]) >> SCALE_BITS) + LIMIT_OFFSET << 10
                | CB_B[cb] + LIMIT_OFFSET << 20;
    }

    /** The pixel {@code 0xRRGGBB} of luma {@code y} and the {@link #chroma} part {@code chroma}. */
    static int pixel(int y, int chroma) {
        return LIMIT[y + (chroma & 0x3FF) & LIMIT_MASK] << 16 | LIMIT[y + (chroma >> 10 & 0x3FF) & LIMIT_MASK] << 8
                | LIMIT[y + (chroma >>> 20) & LIMIT_MASK];
    }

    /**
     * The {@link #chroma} parts of {@code count} samples of a row: from {@code cb[cbAt + i]} and {@code cr[crAt + i]}
     * into {@code parts[i]}.
     */
    static void chromaRow(byte[] cb, int cbAt, byte[] cr, int crAt, int[] parts, int count) {
        for (int i = 0; i < count; i++) {
            parts[i] = chroma(cb[cbAt + i] & 0xFF, cr[crAt + i] & 0xFF);
        }
    }

    /**
     * One row of YCbCr pixels from a luma row at full resolution ({@code luma[lumaAt + x]}) and the row's
     * {@link #chromaRow chroma parts}, one for every {@code across} pixels.
     */
    static void ycbcrRow(byte[] luma, int lumaAt, int[] parts, int across, int[] out, int o, int width) {
        if (across == 1) {
            for (int x = 0; x < width; x++) {
                out[o + x] = pixel(luma[lumaAt + x] & 0xFF, parts[x]);
            }
        } else if (across == 2) {
            int pairs = width / 2;
            for (int i = 0; i < pairs; i++) {
                int part = parts[i];
                int x = 2 * i;
                out[o + x] = pixel(luma[lumaAt + x] & 0xFF, part);
                out[o + x + 1] = pixel(luma[lumaAt + x + 1] & 0xFF, part);
            }
            if (width % 2 != 0) {
                out[o + width - 1] = pixel(luma[lumaAt + width - 1] & 0xFF, parts[pairs]);
            }
        } else {
            for (int x = 0; x < width; x++) {
                out[o + x] = pixel(luma[lumaAt + x] & 0xFF, parts[x / across]);
            }
        }
    }

    private static int clamp(int value) {
        return value < 0 ? 0 : Math.min(value, 255);
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
