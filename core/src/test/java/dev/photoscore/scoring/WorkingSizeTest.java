package dev.photoscore.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.image.DecodeSize;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class WorkingSizeTest {

    private final WorkingSize size = new WorkingSize(250_000);

    @Test
    void largePhotosComeDownToAboutThePixelCountWithTheirAspectKept() {
        int[] landscape = size.dimensions(4000, 3000);
        assertArrayEquals(new int[] {577, 433}, landscape);
        int[] panorama = size.dimensions(8000, 2000);
        assertArrayEquals(new int[] {1000, 250}, panorama);
        assertEquals(4.0 / 3, (double) landscape[0] / landscape[1], 0.01);
    }

    @Test
    void smallPhotosAreSeenAsTheyAreNeverEnlarged() {
        assertArrayEquals(new int[] {500, 500}, size.dimensions(500, 500));
        assertArrayEquals(new int[] {320, 240}, size.dimensions(320, 240));
    }

    @Test
    void theReducedDecodeKeepsTwiceTheWorkingSidePerSide() {
        DecodeSize decode = size.decodeSize();
        assertEquals(1000, decode.minWidth());
        assertEquals(3, decode.step(4000, 3000), "a 12 MP photo is reduced: ImageIO subsamples it to 1334x1000");
        assertEquals(3, decode.eighths(4000, 3000), "a baseline JPEG is decoded at 3/8, 1500x1125");
        assertEquals(1, decode.step(500, 500));
    }

    @Test
    void aPhotoAtItsWorkingSizeBecomesItsOwnRawRgbPlanes() {
        BufferedImage photo = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        photo.setRGB(0, 0, 0x102030);
        photo.setRGB(2, 1, 0xFF0080);
        WorkingSize.PhotoTensor tensor = new WorkingSize(32 * 32).tensor(photo);
        assertEquals(3, tensor.width());
        assertEquals(2, tensor.height());
        float[] chw = tensor.chw();
        assertEquals(18, chw.length);
        assertEquals(0x10, chw[0], 1e-4);
        assertEquals(0x20, chw[6], 1e-4);
        assertEquals(0x30, chw[12], 1e-4);
        assertEquals(0xFF, chw[5], 1e-4);
        assertEquals(0x00, chw[11], 1e-4);
        assertEquals(0x80, chw[17], 1e-4);
    }

    @Test
    void areaAveragingKeepsTheMeanOfAReducedPhoto() {
        BufferedImage photo = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 480; y++) {
            for (int x = 0; x < 640; x++) {
                photo.setRGB(x, y, (x + y) % 2 == 0 ? 0xFFFFFF : 0x000000);
            }
        }
        WorkingSize.PhotoTensor tensor = new WorkingSize(40_000).tensor(photo);
        assertTrue(tensor.width() * tensor.height() <= 40_000 * 1.01);
        double sum = 0;
        for (float v : tensor.chw()) {
            // Each working pixel covers 2.77 x 2.77 squares of the pattern: never a pure black or white pick.
            assertEquals(127.5, v, 20, "a fine checkerboard averages to grey, it does not alias");
            sum += v;
        }
        assertEquals(127.5, sum / tensor.chw().length, 0.5);
    }

    @Test
    void refusesAWorkingSizeTooSmallForTheNetwork() {
        assertThrows(IllegalArgumentException.class, () -> new WorkingSize(100));
    }
}
