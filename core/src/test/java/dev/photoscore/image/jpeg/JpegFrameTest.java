package dev.photoscore.image.jpeg;

import static dev.photoscore.testing.TestPhotos.adobeRgbJpeg;
import static dev.photoscore.testing.TestPhotos.jpeg;
import static dev.photoscore.testing.TestPhotos.texturedRgb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.image.jpeg.JpegFrame.Colour;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Which JPEGs the one-pass decoder takes, which it leaves to ImageIO, and which markers are damaged. */
class JpegFrameTest {

    private static final BufferedImage PHOTO = texturedRgb(120, 90, 1);
    private static final int[] ONE = {1, 1, 1};

    @Test
    void baselineColourAndGreyAreHandledWithTheirGeometry() throws IOException {
        JpegFrame frame = JpegFrame.read(jpeg(PHOTO)).orElseThrow();
        assertEquals(Colour.YCBCR, frame.colour);
        assertEquals(120, frame.width);
        assertEquals(90, frame.height);
        // 4:2:0: MCUs of 16x16, 8 across and 6 down; chroma at half size, 60x45 samples in 8x6 blocks.
        assertEquals(8, frame.mcusAcross);
        assertEquals(6, frame.mcusDown);
        assertEquals(16, frame.components[0].blocksAcross);
        assertEquals(60, frame.components[1].width);
        assertEquals(45, frame.components[1].height);
        assertEquals(2, frame.components[1].xRatio);

        BufferedImage grey = new BufferedImage(120, 90, BufferedImage.TYPE_BYTE_GRAY);
        assertEquals(Colour.GREY, JpegFrame.read(jpeg(grey)).orElseThrow().colour);
        assertEquals(Colour.RGB, JpegFrame.read(adobeRgbJpeg(PHOTO, 0.9f)).orElseThrow().colour);
        JpegFrame restarts = JpegFrame.read(jpeg(PHOTO, 0.9f, ONE, ONE, 3)).orElseThrow();
        assertEquals(3, restarts.restartInterval);
        assertEquals(15, restarts.mcusAcross, "4:4:4: MCUs of 8x8");
    }

    @Test
    void whatIsNotBaselineHuffmanAtEightBitsIsLeftToImageIo() throws IOException {
        byte[] baseline = jpeg(PHOTO);
        int sof = indexOf(baseline, 0xFF, 0xC0);
        assertTrue(JpegFrame.read(jpeg(PHOTO, 0.9f, true)).isEmpty(), "progressive");
        for (int process : new int[] {0xC2, 0xC3, 0xC9, 0xCA, 0xCB}) {
            byte[] other = baseline.clone();
            other[sof + 1] = (byte) process;
            assertTrue(JpegFrame.read(other).isEmpty(), "SOF" + Integer.toHexString(process));
        }
        byte[] twelveBit = baseline.clone();
        twelveBit[sof + 4] = 12;
        assertTrue(JpegFrame.read(twelveBit).isEmpty(), "12-bit samples");
        // Sampling factors whose ratios are not whole: luma 3x1, chroma 2x1.
        byte[] fractional = jpeg(PHOTO, 0.9f, ONE, ONE, 0);
        int factors = indexOf(fractional, 0xFF, 0xC0) + 11;
        fractional[factors] = 0x31;
        fractional[factors + 3] = 0x21;
        fractional[factors + 6] = 0x21;
        assertTrue(JpegFrame.read(fractional).isEmpty(), "3:2 sampling");
        // Three components without JFIF or Adobe marker named R, G, B: libjpeg's guess, left to ImageIO.
        byte[] named = adobeRgbJpeg(PHOTO, 0.9f);
        int adobe = indexOf(named, 0xFF, 0xEE);
        named[adobe + 4] = 'X'; // no longer an Adobe marker
        int frame = indexOf(named, 0xFF, 0xC0);
        named[frame + 10] = 'R';
        named[frame + 13] = 'G';
        named[frame + 16] = 'B';
        int scan = indexOf(named, 0xFF, 0xDA);
        named[scan + 5] = 'R';
        named[scan + 7] = 'G';
        named[scan + 9] = 'B';
        assertTrue(JpegFrame.read(named).isEmpty(), "components R, G, B without markers");
        assertTrue(JpegFrame.read(new byte[] {(byte) 0x89, 'P', 'N', 'G'}).isEmpty(), "not a JPEG");
    }

    @Test
    void damagedMarkersAreIoErrors() {
        byte[] baseline = jpeg(PHOTO);
        int huffman = indexOf(baseline, 0xFF, 0xC4);
        byte[] overfull = baseline.clone();
        overfull[huffman + 5] = 3; // three codes of length 1 cannot exist
        byte[] badTable = baseline.clone();
        badTable[indexOf(baseline, 0xFF, 0xDB) + 4] = 0x27; // quantisation table 7 of precision 2
        byte[] longSegment = baseline.clone();
        longSegment[huffman + 2] = (byte) 0xFF; // a segment that runs past the file
        longSegment[huffman + 3] = (byte) 0xF0;
        for (byte[] damaged : new byte[][] {overfull, badTable, Arrays.copyOf(baseline, huffman + 10),
                Arrays.copyOf(baseline, indexOf(baseline, 0xFF, 0xDA)), longSegment}) {
            assertThrows(IOException.class, () -> JpegFrame.read(damaged));
        }
    }

    private static int indexOf(byte[] bytes, int first, int second) {
        for (int i = 0; i + 1 < bytes.length; i++) {
            if ((bytes[i] & 0xFF) == first && (bytes[i + 1] & 0xFF) == second) {
                return i;
            }
        }
        throw new AssertionError("marker " + Integer.toHexString(second) + " not found");
    }
}
