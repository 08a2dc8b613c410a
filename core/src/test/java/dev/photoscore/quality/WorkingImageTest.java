package dev.photoscore.quality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.image.NativeCrop;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class WorkingImageTest {

    @Test
    void photoWithinTheWorkingSizeIsKeptPixelForPixel() {
        BufferedImage photo = TestImages.deadLeaves(300, 200, 1);
        WorkingImage image = WorkingImage.of(photo);
        assertEquals(300, image.luma.width);
        assertEquals(200, image.luma.height);
        int rgb = photo.getRGB(123, 45);
        assertEquals((rgb >> 16) & 0xff, image.red.at(123, 45));
        assertEquals(0.299f * ((rgb >> 16) & 0xff) + 0.587f * ((rgb >> 8) & 0xff) + 0.114f * (rgb & 0xff),
                image.luma.at(123, 45), 1e-3);
    }

    @Test
    void largePhotoIsAreaAveragedToTheWorkingSize() {
        // Black left of column 1001, white from it: the averaged image is black, then one mixed column (the edge
        // falls inside a working pixel), then white.
        BufferedImage halves = TestImages.map(new BufferedImage(2000, 1500, BufferedImage.TYPE_3BYTE_BGR),
                (x, y, c, v) -> x < 1001 ? 0 : 255);
        WorkingImage image = WorkingImage.of(halves);
        assertTrue(image.luma.size() <= WorkingImage.MAX_PIXELS, image.luma.width + "x" + image.luma.height);
        assertEquals(2000.0 / 1500, (double) image.luma.width / image.luma.height, 0.01);
        int mixed = 0;
        for (int x = 0; x < image.red.width; x++) {
            float v = image.red.at(x, image.red.height / 2);
            if (v > 1e-3 && v < 255 - 1e-3) {
                mixed++;
            }
        }
        assertEquals(1, mixed, "columns between black and white");
        assertEquals(255.0 * 999 / 2000, image.red.mean(), 0.01, "area averaging keeps the mean");
        assertEquals(2000, image.originalWidth);
        assertEquals(1500, image.originalHeight);
    }

    @Test
    void largePhotoReducedInBandsKeepsEveryRowOnce() {
        // Big enough to be split into bands of rows on a machine with several processors.
        BufferedImage halves = TestImages.map(new BufferedImage(3000, 2400, BufferedImage.TYPE_3BYTE_BGR),
                (x, y, c, v) -> y < 1201 ? 40 : 200);
        WorkingImage image = WorkingImage.of(halves);
        int mixed = 0;
        for (int y = 0; y < image.green.height; y++) {
            float v = image.green.at(image.green.width / 2, y);
            if (Math.abs(v - 40) > 1e-3 && Math.abs(v - 200) > 1e-3) {
                mixed++;
            }
        }
        assertEquals(1, mixed, "rows between dark and light");
        assertEquals((40.0 * 1201 + 200.0 * 1199) / 2400, image.green.mean(), 0.01, "area averaging keeps the mean");
    }

    @Test
    void areaAveragingKeepsTheMeanOfFineDetail() {
        BufferedImage stripes = TestImages.map(new BufferedImage(1500, 1100, BufferedImage.TYPE_3BYTE_BGR),
                (x, y, c, v) -> (x + y) % 3 == 0 ? 255 : 0);
        assertEquals(85, WorkingImage.of(stripes).red.mean(), 0.05);
    }

    @Test
    void areaAveragingKeepsAConstantColourExactly() {
        WorkingImage image = WorkingImage.of(TestImages.grey(1001, 999, 77));
        for (float v : image.green.data) {
            assertEquals(77, v, 1e-3);
        }
    }

    @Test
    void nativeCropKeepsTheJpegGridAndFullResolution() {
        BufferedImage photo = TestImages.deadLeaves(1100, 700, 2);
        WorkingImage image = WorkingImage.of(photo);
        assertEquals(NativeCrop.SIDE, image.nativeLuma.width);
        assertEquals(NativeCrop.SIDE, image.nativeLuma.height);
        // Centre crop origin rounded down to the 8x8 grid: (1100 - 512) / 2 = 294 -> 288, (700 - 512) / 2 = 94 -> 88.
        int rgb = photo.getRGB(288, 88);
        assertEquals(0.299f * ((rgb >> 16) & 0xff) + 0.587f * ((rgb >> 8) & 0xff) + 0.114f * (rgb & 0xff),
                image.nativeLuma.at(0, 0), 1e-3);
    }

    @Test
    void aGivenNativeCropIsMeasuredInsteadOfTheReducedPhotos() {
        BufferedImage reduced = TestImages.deadLeaves(700, 500, 4);
        BufferedImage crop = TestImages.grey(NativeCrop.SIDE, NativeCrop.SIDE, 90);
        WorkingImage image = WorkingImage.of(reduced, crop);
        assertEquals(700, image.originalWidth(), "the decoded size");
        for (float v : image.nativeLuma.data) {
            assertEquals(90, v, 1e-3);
        }
    }

    @Test
    void largePhotosOfEveryTypeAreAveragedAlike() {
        BufferedImage photo = TestImages.deadLeaves(1300, 900, 3);
        WorkingImage bytes = WorkingImage.of(photo);
        for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB_PRE}) {
            WorkingImage other = WorkingImage.of(TestImages.copy(photo, type));
            assertArrayEquals(bytes.red.data, other.red.data, "type " + type);
            assertArrayEquals(bytes.green.data, other.green.data, "type " + type);
            assertArrayEquals(bytes.blue.data, other.blue.data, "type " + type);
        }
    }

    @Test
    void packedPixelsSumRunsLongerThanTheirFastPathAlike() {
        // 600 -> 2 pixels: runs of 300 bright-blue pixels, whose blue sum would run into red's bits in the packed
        // ints' red-and-blue long.
        BufferedImage photo = new BufferedImage(600, 1, BufferedImage.TYPE_3BYTE_BGR);
        java.util.Random random = new java.util.Random(5);
        for (int x = 0; x < 600; x++) {
            photo.setRGB(x, 0, random.nextInt(256) << 16 | random.nextInt(256) << 8 | (240 + random.nextInt(16)));
        }
        BufferedImage packed = TestImages.copy(photo, BufferedImage.TYPE_INT_RGB);
        for (int target : new int[] {2, 37}) {
            AreaAxis axis = new AreaAxis(600, target);
            float[][] fromBytes = new float[3][target];
            float[][] fromInts = new float[3][target];
            PixelRows.of(photo).readReduced(0, axis, fromBytes[0], fromBytes[1], fromBytes[2]);
            PixelRows.of(packed).readReduced(0, axis, fromInts[0], fromInts[1], fromInts[2]);
            for (int c = 0; c < 3; c++) {
                assertArrayEquals(fromBytes[c], fromInts[c], "channel " + c + ", " + target + " pixels");
            }
        }
    }

    @Test
    void onePassToSeveralSizesGivesEachSizeAsAloneWhateverTheBands() {
        BufferedImage photo = TestImages.deadLeaves(1501, 1123, 6);
        int[][] sizes = {{577, 433}, {418, 313}, {1501, 1123}, {40, 3000}};
        float[][] alone = new float[sizes.length][];
        for (int k = 0; k < sizes.length; k++) {
            alone[k] = WorkingImage.areaAveragePlanar(photo, sizes[k][0], sizes[k][1]);
        }
        for (int bands = 1; bands <= 5; bands++) {
            float[][] together = new float[sizes.length][];
            java.util.List<AreaAverage.Target> targets = new java.util.ArrayList<>();
            for (int k = 0; k < sizes.length; k++) {
                together[k] = new float[3 * sizes[k][0] * sizes[k][1]];
                targets.add(AreaAverage.Target.planar(sizes[k][0], sizes[k][1], together[k]));
            }
            AreaAverage.average(photo, targets, bands);
            for (int k = 0; k < sizes.length; k++) {
                assertArrayEquals(alone[k], together[k], sizes[k][0] + "x" + sizes[k][1] + " in " + bands + " bands");
            }
        }
    }

    @Test
    void theGraphsInputMadeWithTheWorkingCopyIsTheSameAsAlone() {
        BufferedImage photo = TestImages.deadLeaves(1300, 900, 7);
        float[] chw = new float[3 * 601 * 416];
        WorkingImage together = WorkingImage.of(photo, null, 601, 416, chw);
        assertArrayEquals(WorkingImage.areaAveragePlanar(photo, 601, 416), chw);
        WorkingImage alone = WorkingImage.of(photo);
        assertArrayEquals(alone.red.data, together.red.data);
        assertArrayEquals(alone.luma.data, together.luma.data);
        assertArrayEquals(alone.nativeLuma.data, together.nativeLuma.data);
    }

    @Test
    void tinyPhotoIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WorkingImage.of(new BufferedImage(31, 100, BufferedImage.TYPE_INT_RGB)));
        assertTrue(e.getMessage().contains("31x100"), e.getMessage());
    }
}
