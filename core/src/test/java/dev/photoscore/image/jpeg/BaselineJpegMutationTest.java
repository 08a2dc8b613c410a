package dev.photoscore.image.jpeg;

import static dev.photoscore.testing.TestPhotos.jpeg;
import static dev.photoscore.testing.TestPhotos.texturedRgb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.image.NativeCrop;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The one-pass decoder on damaged baseline JPEGs: seeded mutations of real files (bytes changed, the data cut short,
 * markers put in the entropy-coded data, segments lengthened) give a decoded photo of the header's size, "not
 * handled", or an {@link IOException}, never another exception (PhotoDecoder would hide one as a damaged photo, so
 * it is checked here, below it). Every loop is bounded by the frame's block count, so nothing can hang.
 */
class BaselineJpegMutationTest {

    private static final int MUTANTS_PER_FILE = 1500;

    @Test
    void mutatedFilesDecodeOrFailWithAnIoError() {
        BufferedImage photo = texturedRgb(203, 157, 1);
        BufferedImage grey = new BufferedImage(203, 157, BufferedImage.TYPE_BYTE_GRAY);
        grey.getGraphics().drawImage(photo, 0, 0, null);
        int[] one = {1, 1, 1};
        byte[][] originals = {
            jpeg(photo, 0.6f, new int[] {2, 1, 1}, new int[] {2, 1, 1}, 2),
            jpeg(photo, 0.8f, new int[] {2, 1, 1}, one, 0),
            jpeg(grey, 0.7f, new int[] {1}, new int[] {1}, 9),
            jpeg(photo, 0.9f, one, new int[] {2, 1, 1}, 5)};
        Random random = new Random(14);
        int[] outcomes = new int[3];
        for (byte[] original : originals) {
            int scan = scanData(original);
            for (int i = 0; i < MUTANTS_PER_FILE; i++) {
                byte[] mutant = mutate(original, scan, random);
                outcomes[decode(mutant)]++;
            }
        }
        // The mutations reach both ends: damage found, and damage that still decodes (a changed coefficient).
        assertTrue(outcomes[0] > 0 && outcomes[2] > 0, "decoded, not handled, damaged: " + Arrays.toString(outcomes));
    }

    /** 0: decoded, 1: not handled, 2: an IOException. */
    private static int decode(byte[] jpeg) {
        try {
            Optional<BaselineJpeg> parsed = BaselineJpeg.of(jpeg);
            if (parsed.isEmpty()) {
                return 1;
            }
            BaselineJpeg frame = parsed.get();
            Rectangle crop = NativeCrop.region(frame.width(), frame.height());
            Optional<BaselineJpeg.Decoded> decoded = frame.decode(3, crop);
            if (decoded.isEmpty()) {
                return 1;
            }
            assertEquals((frame.width() * 3 + 7) / 8, decoded.get().image().getWidth());
            assertEquals(crop.height, decoded.get().crop().getHeight());
            return 0;
        } catch (IOException e) {
            return 2;
        } catch (OutOfMemoryError e) {
            throw new AssertionError("a mutant's header asks for too much memory: PhotoDecoder's pixel limit is "
                    + "checked before (ImageIO reads the header first)", e);
        }
    }

    private static byte[] mutate(byte[] original, int scan, Random random) {
        byte[] mutant = original.clone();
        switch (random.nextInt(6)) {
            case 0 -> { // a few bytes of the entropy-coded data changed
                for (int n = 1 + random.nextInt(4); n > 0; n--) {
                    mutant[scan + random.nextInt(mutant.length - 2 - scan)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> { // one byte of the headers changed
                mutant[2 + random.nextInt(scan - 2)] = (byte) random.nextInt(256);
            }
            case 2 -> { // cut short anywhere in the data
                mutant = Arrays.copyOf(original, scan + random.nextInt(original.length - scan));
            }
            case 3 -> { // a marker in the middle of the data
                int at = scan + random.nextInt(mutant.length - 3 - scan);
                mutant[at] = (byte) 0xFF;
                mutant[at + 1] = (byte) (0xC0 + random.nextInt(64));
            }
            case 4 -> { // a run of 0xFF bytes (fill bytes, or a marker's start) in the data
                int at = scan + random.nextInt(mutant.length - 20 - scan);
                Arrays.fill(mutant, at, at + 1 + random.nextInt(16), (byte) 0xFF);
            }
            default -> { // a header byte set to an extreme (lengths, counts, sizes, factors, table ids)
                mutant[2 + random.nextInt(scan - 2)] = random.nextBoolean() ? (byte) 0xFF : 0;
            }
        }
        return mutant;
    }

    /** The offset of the entropy-coded data: after the SOS segment. */
    private static int scanData(byte[] jpeg) {
        JpegSegments segments = JpegSegments.of(jpeg);
        while (segments.nextLeniently()) {
            if (segments.marker() == 0xDA) {
                return segments.end();
            }
        }
        throw new AssertionError("no scan");
    }
}
