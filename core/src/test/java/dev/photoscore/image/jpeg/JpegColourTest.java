package dev.photoscore.image.jpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The YCbCr conversion against libjpeg's ({@code jdcolor.c}), written out plainly, for every luma and chroma. */
class JpegColourTest {

    /** libjpeg 6b's {@code ycc_rgb_convert} of one pixel: its tables' arithmetic, then its range limit. */
    private static int libjpeg(int y, int cb, int cr) {
        int half = 1 << 15;
        int r = y + ((int) (1.40200 * 65536 + 0.5) * (cr - 128) + half >> 16);
        int g = y + (-(int) (0.34414 * 65536 + 0.5) * (cb - 128) + half - (int) (0.71414 * 65536 + 0.5) * (cr - 128)
                >> 16);
        int b = y + ((int) (1.77200 * 65536 + 0.5) * (cb - 128) + half >> 16);
        return limit(r) << 16 | limit(g) << 8 | limit(b);
    }

    private static int limit(int value) {
        return Math.max(0, Math.min(255, value));
    }

    @Test
    void everyLumaAndChromaConvertsAsLibjpeg() {
        byte[] luma = new byte[256];
        for (int y = 0; y < 256; y++) {
            luma[y] = (byte) y;
        }
        JpegColour.YcbcrRows rows = new JpegColour.YcbcrRows(256, 1);
        byte[] cb = new byte[256];
        byte[] cr = new byte[256];
        int[] rgb = new int[256 + 3];
        int[] byPixel = new int[256];
        int[] identity = new int[256];
        Arrays.setAll(identity, x -> x);
        int[] same = new int[256];
        for (int blue = 0; blue < 256; blue++) {
            for (int red = 0; red < 256; red++) {
                Arrays.fill(cb, (byte) blue);
                Arrays.fill(cr, (byte) red);
                rows.chroma(cb, 0, cr, 0);
                rows.convert(luma, 0, rgb, 3);
                JpegColour.row(JpegFrame.Colour.YCBCR, luma, 0, identity, cb, 0, same, cr, 0, same, byPixel, 0,
                        256);
                for (int y = 0; y < 256; y++) {
                    int expected = libjpeg(y, blue, red);
                    if (rgb[3 + y] != expected || byPixel[y] != expected) {
                        assertEquals(Integer.toHexString(expected), Integer.toHexString(rgb[3 + y]),
                                "rows: y " + y + ", cb " + blue + ", cr " + red);
                        assertEquals(Integer.toHexString(expected), Integer.toHexString(byPixel[y]),
                                "one pixel at a time: y " + y + ", cb " + blue + ", cr " + red);
                    }
                }
            }
        }
    }

    @Test
    void eachChromaSampleCoversItsPixelsAcross() {
        Random random = new Random(3);
        for (int across = 1; across <= 4; across++) {
            for (int width : new int[] {1, 2, 7, 64, 101}) {
                int samples = (width + across - 1) / across;
                byte[] luma = new byte[width + 5];
                byte[] cb = new byte[samples + 2];
                byte[] cr = new byte[samples + 9];
                random.nextBytes(luma);
                random.nextBytes(cb);
                random.nextBytes(cr);
                JpegColour.YcbcrRows rows = new JpegColour.YcbcrRows(width, across);
                rows.chroma(cb, 2, cr, 9);
                int[] rgb = new int[width + 1];
                rows.convert(luma, 5, rgb, 1);
                for (int x = 0; x < width; x++) {
                    assertEquals(libjpeg(luma[5 + x] & 0xFF, cb[2 + x / across] & 0xFF, cr[9 + x / across] & 0xFF),
                            rgb[1 + x], "pixel " + x + " of " + width + ", a chroma sample per " + across);
                }
            }
        }
    }
}
