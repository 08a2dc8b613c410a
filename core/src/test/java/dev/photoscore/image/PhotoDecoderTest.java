package dev.photoscore.image;

import static dev.photoscore.testing.TestPhotos.jpeg;
import static dev.photoscore.testing.TestPhotos.paddedTo;
import static dev.photoscore.testing.TestPhotos.png;
import static dev.photoscore.testing.TestPhotos.texturedRgb;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.image.PhotoRejectedException.Reason;
import dev.photoscore.testing.Allocation;
import dev.photoscore.testing.HostilePhotos;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;

class PhotoDecoderTest {

    private final PhotoDecoder api = new PhotoDecoder(PhotoLimits.api());
    private final PhotoDecoder unlimited = new PhotoDecoder(PhotoLimits.api().withoutSizeLimits());

    @Test
    void decodesJpegAndPngToRgb() throws Exception {
        BufferedImage source = texturedRgb(400, 300, 1);
        DecodedPhoto fromPng = api.decode(png(source));
        assertEquals(PhotoFormat.PNG, fromPng.format());
        assertEquals(400, fromPng.width());
        assertEquals(300, fromPng.height());
        assertEquals(BufferedImage.TYPE_INT_RGB, fromPng.image().getType());
        assertEquals(source.getRGB(123, 45) & 0xFFFFFF, fromPng.image().getRGB(123, 45) & 0xFFFFFF, "PNG is lossless");

        DecodedPhoto fromJpeg = api.decode(jpeg(source));
        assertEquals(PhotoFormat.JPEG, fromJpeg.format());
        assertEquals(400, fromJpeg.width());
        assertEquals(300, fromJpeg.height());
    }

    @Test
    void theFootprintIsTheDecodedImageInTheReadersLayoutPlusItsRgbCopies() throws Exception {
        PhotoDecoder every = new PhotoDecoder(PhotoLimits.api().withoutSizeLimits());
        // 16-bit RGBA: 8 bytes a pixel as read, 4 as 8-bit RGB.
        assertEquals(1000L * 800 * (8 + 4), every.footprint(HostilePhotos.deepRgbaPng(1000, 800)));
        // A colour JPEG: 3 bytes (BGR) and 4; turned by EXIF, one more RGB copy.
        byte[] jpeg = jpeg(texturedRgb(600, 400, 3));
        assertEquals(600L * 400 * (3 + 4), every.footprint(jpeg));
        assertEquals(600L * 400 * (3 + 4 + 4), every.footprint(withExifOrientation(jpeg, 6)));
        // Reduced: every 8th pixel of every 8th row (1000/100 and 800/100 give 8): 125x100 pixels, and the 512x512
        // native crop read apart at full resolution.
        PhotoDecoder reduced = new PhotoDecoder(PhotoLimits.api().withoutSizeLimits(), DecodeSize.atLeast(100, 100));
        assertEquals((125L * 100 + 512 * 512) * (8 + 4), reduced.footprint(HostilePhotos.deepRgbaPng(1000, 800)));
        assertEquals(reduced.decode(HostilePhotos.deepRgbaPng(1000, 800)).width(), 125);
    }

    @Test
    void progressiveJpeg() throws Exception {
        DecodedPhoto photo = api.decode(jpeg(texturedRgb(400, 300, 2), 0.9f, true));
        assertEquals(400, photo.width());
    }

    @Test
    void textFileNamedJpgIsRejectedByContent() {
        byte[] text = "hello, this is not a photo\n".repeat(2000).getBytes(StandardCharsets.US_ASCII);
        PhotoRejectedException e = assertThrows(PhotoRejectedException.class, () -> api.decode(text));
        assertEquals(Reason.UNSUPPORTED_FORMAT, e.reason());
        assertEquals("the file is not a JPEG or PNG image", e.getMessage());
    }

    @Test
    void emptyFile() {
        PhotoRejectedException e = assertThrows(PhotoRejectedException.class, () -> unlimited.decode(new byte[0]));
        assertEquals(Reason.FILE_TOO_SMALL, e.reason());
        assertEquals("the file is empty", e.getMessage());
    }

    @Test
    void truncatedJpegIsCorrupt() {
        byte[] whole = jpeg(texturedRgb(600, 400, 3));
        byte[] truncated = Arrays.copyOf(whole, whole.length * 2 / 3);
        PhotoRejectedException e = assertThrows(PhotoRejectedException.class, () -> api.decode(truncated));
        assertEquals(Reason.CORRUPT, e.reason());
    }

    @Test
    void truncatedPngIsCorrupt() {
        byte[] whole = png(texturedRgb(600, 400, 4));
        byte[] truncated = Arrays.copyOf(whole, whole.length / 2);
        PhotoRejectedException e = assertThrows(PhotoRejectedException.class, () -> api.decode(truncated));
        assertEquals(Reason.CORRUPT, e.reason());
    }

    @Test
    void pngHeaderClaimingHugeDimensionsIsRefusedBeforeDecoding() {
        byte[] bomb = paddedTo(HostilePhotos.pngHeader(60000, 60000), 30_000);
        PhotoRejectedException e = assertThrows(PhotoRejectedException.class, () -> api.decode(bomb));
        assertEquals(Reason.TOO_MANY_PIXELS, e.reason());
        assertEquals("the image is 60000x60000 pixels; at most 100 megapixels are accepted", e.getMessage());
    }

    @Test
    void tinyImagesAreRefused() {
        PhotoRejectedException e = assertThrows(PhotoRejectedException.class,
                () -> unlimited.decode(png(texturedRgb(31, 200, 9))));
        assertEquals(Reason.TOO_FEW_PIXELS, e.reason());
        assertEquals("the image is 31x200 pixels; at least 32x32 are needed", e.getMessage());
    }

    @Test
    void pixelLimitIsConfigurable() {
        PhotoDecoder small = new PhotoDecoder(PhotoLimits.api().withMaxPixels(100_000));
        PhotoRejectedException e = assertThrows(PhotoRejectedException.class,
                () -> small.decode(png(texturedRgb(400, 300, 5))));
        assertEquals(Reason.TOO_MANY_PIXELS, e.reason());
    }

    @Test
    void sizeBoundariesAreExclusive() throws Exception {
        byte[] photo = jpeg(texturedRgb(120, 100, 6));
        assertTrue(photo.length < 20 * 1024, "the test photo must be small: " + photo.length);

        PhotoRejectedException atMin = assertThrows(PhotoRejectedException.class,
                () -> api.decode(paddedTo(photo, 20 * 1024)));
        assertEquals(Reason.FILE_TOO_SMALL, atMin.reason());
        assertEquals("the photo is 20480 bytes; it must be larger than 20 KB", atMin.getMessage());
        assertEquals(120, api.decode(paddedTo(photo, 20 * 1024 + 1)).width());

        PhotoRejectedException atMax = assertThrows(PhotoRejectedException.class,
                () -> api.decode(paddedTo(photo, 10 * 1024 * 1024)));
        assertEquals(Reason.FILE_TOO_LARGE, atMax.reason());
        assertEquals(120, api.decode(paddedTo(photo, 10 * 1024 * 1024 - 1)).width());
    }

    @Test
    void withoutSizeLimitsSmallPhotosAreScored() throws Exception {
        byte[] photo = jpeg(texturedRgb(120, 100, 7));
        assertEquals(100, unlimited.decode(photo).height());
    }

    @Test
    void greyscaleKeepsItsValuesInEveryChannel() throws Exception {
        BufferedImage grey = new BufferedImage(300, 200, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = grey.getRaster();
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 300; x++) {
                raster.setSample(x, y, 0, (x + y) % 256);
            }
        }
        BufferedImage decoded = unlimited.decode(png(grey)).image();
        int rgb = decoded.getRGB(100, 50);
        assertEquals(150, rgb >> 16 & 0xFF, "grey values are copied, not gamma-converted");
        assertEquals(150, rgb >> 8 & 0xFF);
        assertEquals(150, rgb & 0xFF);
        assertEquals(300, unlimited.decode(jpeg(grey)).width());
    }

    @Test
    void sixteenBitPng() throws Exception {
        BufferedImage deep = new BufferedImage(200, 100, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster raster = deep.getRaster();
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 200; x++) {
                raster.setSample(x, y, 0, 257 * ((x * 255) / 199));
            }
        }
        BufferedImage decoded = unlimited.decode(png(deep)).image();
        assertEquals(0, decoded.getRGB(0, 0) & 0xFF);
        assertEquals(255, decoded.getRGB(199, 0) & 0xFF);
    }

    @Test
    void palettePng() throws Exception {
        byte[] reds = {(byte) 255, 0, 0, (byte) 128};
        byte[] greens = {0, (byte) 255, 0, (byte) 128};
        byte[] blues = {0, 0, (byte) 255, (byte) 128};
        BufferedImage indexed = new BufferedImage(100, 100, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(2, 4, reds, greens, blues));
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 100; x++) {
                indexed.getRaster().setSample(x, y, 0, (x / 25) % 4);
            }
        }
        BufferedImage decoded = unlimited.decode(png(indexed)).image();
        assertEquals(0xFF0000, decoded.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0x0000FF, decoded.getRGB(60, 0) & 0xFFFFFF);
    }

    @Test
    void alphaIsCompositedOnWhite() throws Exception {
        BufferedImage argb = new BufferedImage(100, 100, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 100; x++) {
                int alpha = x < 50 ? 0 : x < 75 ? 128 : 255;
                argb.setRGB(x, y, alpha << 24); // black, more or less transparent
            }
        }
        BufferedImage decoded = unlimited.decode(png(argb)).image();
        assertEquals(0xFFFFFF, decoded.getRGB(10, 10) & 0xFFFFFF, "fully transparent becomes white");
        assertEquals(127, decoded.getRGB(60, 10) & 0xFF, "half transparent black on white is mid grey");
        assertEquals(0, decoded.getRGB(90, 10) & 0xFFFFFF, "opaque black stays black");
    }

    @Test
    void cmykJpeg() throws Exception {
        WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 300, 200, 4, null);
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 300; x++) {
                cmyk.setPixel(x, y, new int[] {x % 256, y % 256, (x + y) % 256, 30});
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(cmyk, null, null), null);
        } finally {
            writer.dispose();
        }
        DecodedPhoto photo = unlimited.decode(bytes.toByteArray());
        assertEquals(300, photo.width());
        assertEquals(200, photo.height());
        assertTrue(photo.image().getRGB(10, 10) != photo.image().getRGB(250, 150), "the pixels vary");
    }

    @Test
    void exifOrientationIsApplied() throws Exception {
        BufferedImage source = texturedRgb(300, 200, 8);
        // A bright marker in the top-left corner of the stored image.
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 40; x++) {
                source.setRGB(x, y, 0xFFFFFF);
            }
        }
        byte[] plain = jpeg(source, 0.95f, false);
        // Orientation 6: the stored image must be turned 90 degrees clockwise, so the marker ends top-right.
        DecodedPhoto turned = unlimited.decode(withExifOrientation(plain, 6));
        assertEquals(200, turned.width());
        assertEquals(300, turned.height());
        assertTrue(brightness(turned.image().getRGB(180, 20)) > 240, "marker top-right");
        assertTrue(brightness(turned.image().getRGB(20, 20)) < 240, "not top-left");

        DecodedPhoto upsideDown = unlimited.decode(withExifOrientation(plain, 3));
        assertEquals(300, upsideDown.width());
        assertTrue(brightness(upsideDown.image().getRGB(280, 180)) > 240, "marker bottom-right");
    }

    @Test
    void everyOrientationMapsCornersAsTheExifStandardSays() {
        BufferedImage source = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        int[] values = {1, 2, 3, 4, 5, 6}; // row-major: top row 1 2 3, bottom row 4 5 6
        source.getRaster().setDataElements(0, 0, 3, 2, values);
        assertArrayEquals(new int[] {3, 2, 1, 6, 5, 4}, pixels(PhotoDecoder.orient(source, 2)));
        assertArrayEquals(new int[] {6, 5, 4, 3, 2, 1}, pixels(PhotoDecoder.orient(source, 3)));
        assertArrayEquals(new int[] {4, 5, 6, 1, 2, 3}, pixels(PhotoDecoder.orient(source, 4)));
        assertArrayEquals(new int[] {1, 4, 2, 5, 3, 6}, pixels(PhotoDecoder.orient(source, 5)));
        assertArrayEquals(new int[] {4, 1, 5, 2, 6, 3}, pixels(PhotoDecoder.orient(source, 6)));
        assertArrayEquals(new int[] {6, 3, 5, 2, 4, 1}, pixels(PhotoDecoder.orient(source, 7)));
        assertArrayEquals(new int[] {3, 6, 2, 5, 1, 4}, pixels(PhotoDecoder.orient(source, 8)));
    }

    @Test
    void reducedDecodeKeepsEveryNthPixelAndAtLeastTheMinimum() throws Exception {
        // What the one-pass JPEG decoder does not take (PNG, progressive JPEG): ImageIO's source subsampling.
        PhotoDecoder reduced = new PhotoDecoder(PhotoLimits.api(), DecodeSize.atLeast(448, 448));
        for (byte[] photo : new byte[][] {jpeg(texturedRgb(2000, 1200, 10), 0.9f, true),
                png(texturedRgb(2000, 1200, 10))}) {
            DecodedPhoto full = api.decode(photo);
            DecodedPhoto small = reduced.decode(photo);
            // min(2000 / 448, 1200 / 448) = 2: every second pixel of every second row.
            assertEquals(1000, small.width());
            assertEquals(600, small.height());
            assertEquals(2000, small.originalWidth(), "the header's size is kept");
            assertEquals(BufferedImage.TYPE_INT_RGB, small.image().getType());
            for (int[] at : new int[][] {{0, 0}, {123, 45}, {999, 599}, {500, 300}}) {
                assertEquals(full.image().getRGB(2 * at[0], 2 * at[1]), small.image().getRGB(at[0], at[1]),
                        small.format() + " pixel " + at[0] + "," + at[1]);
            }
        }
    }

    @Test
    void theNativeCropIsAtFullResolutionHoweverReducedThePhoto() throws Exception {
        PhotoDecoder reduced = new PhotoDecoder(PhotoLimits.api(), DecodeSize.atLeast(448, 448));
        BufferedImage source = texturedRgb(2000, 1200, 14);
        // The stored image's centre, its origin on the 8x8 grid: (2000 - 512) / 2 = 744, (1200 - 512) / 2 = 344.
        int x0 = 744;
        int y0 = 344;
        // Read apart by ImageIO (a baseline JPEG's crop comes from the one-pass decode: OnePassJpegTest).
        for (byte[] photo : new byte[][] {jpeg(source, 0.9f, true), png(source)}) {
            DecodedPhoto full = api.decode(photo);
            DecodedPhoto small = reduced.decode(photo);
            assertEquals(1000, small.width(), "the photo is reduced");
            assertEquals(512, small.nativeCrop().getWidth());
            assertEquals(512, small.nativeCrop().getHeight());
            assertArrayEquals(pixels(full.nativeCrop()), pixels(small.nativeCrop()), small.format() + ": the same pixels");
            for (int[] at : new int[][] {{0, 0}, {511, 0}, {0, 511}, {200, 317}, {511, 511}}) {
                assertEquals(full.image().getRGB(x0 + at[0], y0 + at[1]), small.nativeCrop().getRGB(at[0], at[1]),
                        small.format() + " pixel " + at[0] + "," + at[1] + " of the crop");
            }
        }
    }

    @Test
    void theNativeCropIsTurnedWithThePhotoAndKeepsTheStoredGrid() throws Exception {
        PhotoDecoder reduced = new PhotoDecoder(PhotoLimits.api(), DecodeSize.atLeast(448, 448));
        // Stored 2004x1200 (not a multiple of 8 wide), turned by orientation 6 to 1200x2004 upright. The crop is cut
        // on the stored image's grid, (2004 - 512) / 2 = 746 -> 744 and 344, then turned: upright, its top-left is
        // stored (744, 344 + 511), which the turn puts at (1200 - 1 - 855, 744) = (344, 744).
        byte[] photo = withExifOrientation(jpeg(texturedRgb(2004, 1200, 15), 0.95f, true), 6);
        DecodedPhoto full = api.decode(photo);
        DecodedPhoto small = reduced.decode(photo);
        assertEquals(1200, full.width());
        assertTrue(small.width() < full.width(), "the photo is reduced");
        assertArrayEquals(pixels(full.nativeCrop()), pixels(small.nativeCrop()));
        for (int[] at : new int[][] {{0, 0}, {511, 0}, {0, 511}, {100, 400}}) {
            assertEquals(full.image().getRGB(344 + at[0], 744 + at[1]), small.nativeCrop().getRGB(at[0], at[1]),
                    "pixel " + at[0] + "," + at[1] + " of the crop");
        }
    }

    @Test
    void reducedDecodeLeavesSmallPhotosWhole() throws Exception {
        PhotoDecoder reduced = new PhotoDecoder(PhotoLimits.api(), DecodeSize.atLeast(448, 448));
        DecodedPhoto photo = reduced.decode(jpeg(texturedRgb(800, 500, 11)));
        assertEquals(800, photo.width());
        assertEquals(500, photo.height());
    }

    @Test
    void reducedDecodeMeasuresTheMinimumUpright() throws Exception {
        // Stored 3000x1000, upright 1000x3000 (orientation 6): the minimum 900x300 allows a step of 1000/900 = 1
        // upright, where the stored size would wrongly allow min(3000/900, 1000/300) = 3.
        PhotoDecoder reduced = new PhotoDecoder(PhotoLimits.api(), DecodeSize.atLeast(900, 300));
        DecodedPhoto photo = reduced.decode(withExifOrientation(jpeg(texturedRgb(3000, 1000, 12)), 6));
        assertEquals(1000, photo.width());
        assertEquals(3000, photo.height());
    }

    @Test
    void reducedDecodeStillRejectsTruncatedPhotos() {
        PhotoDecoder reduced = new PhotoDecoder(PhotoLimits.api(), DecodeSize.atLeast(100, 100));
        for (byte[] whole : new byte[][] {jpeg(texturedRgb(1200, 800, 13)), png(texturedRgb(1200, 800, 13))}) {
            PhotoRejectedException e = assertThrows(PhotoRejectedException.class,
                    () -> reduced.decode(Arrays.copyOf(whole, whole.length * 2 / 3)));
            assertEquals(Reason.CORRUPT, e.reason());
        }
    }

    @Test
    void inspectReadsTheHeaderAndAppliesTheChecks() throws Exception {
        PhotoHeader header = api.inspect(withExifOrientation(jpeg(texturedRgb(640, 480, 14)), 8));
        assertEquals(new PhotoHeader(PhotoFormat.JPEG, header.byteSize(), 640, 480, 8), header);
        assertEquals(480, header.uprightWidth());
        PhotoRejectedException e = assertThrows(PhotoRejectedException.class,
                () -> api.inspect(paddedTo(HostilePhotos.pngHeader(60000, 60000), 30_000)));
        assertEquals(Reason.TOO_MANY_PIXELS, e.reason());
    }

    @Test
    void metadataCostsNothingWhateverItHolds() {
        // zTXt and iCCP inflating to 256 MB each, 5 MB of tEXt, 5 MB of ICC profile, a hundred 64 KB EXIF segments:
        // none of it is read, so decoding costs what the pixels cost.
        byte[] png = png(texturedRgb(400, 300, 15));
        byte[] jpeg = jpeg(texturedRgb(400, 300, 15));
        for (byte[] stuffed : new byte[][] {HostilePhotos.pngWithMetadataBombs(png, 256),
                HostilePhotos.pngWithHugeText(png, 5_000_000), HostilePhotos.jpegWithHugeIccProfile(jpeg, 5_000_000),
                HostilePhotos.jpegWithHugeExif(jpeg, 100)}) {
            long allocated = Allocation.bytes(() -> {
                try {
                    assertEquals(400, api.decode(stuffed).width());
                } catch (PhotoRejectedException e) {
                    throw new AssertionError(e);
                }
            });
            assertTrue(allocated < 64L << 20, "allocated " + (allocated >> 20) + " MB");
        }
    }

    @Test
    void decodeSizeStep() {
        assertEquals(1, DecodeSize.full().step(100_000, 100_000));
        assertEquals(8, DecodeSize.atLeast(448, 448).step(6000, 4000), "6000x4000 becomes 750x500");
        assertEquals(6, DecodeSize.atLeast(448, 448).step(4032, 3024), "4032x3024 becomes 672x504");
        assertEquals(1, DecodeSize.atLeast(448, 448).step(300, 3000), "never below 1");
        assertTrue(DecodeSize.full().isFull());
        assertThrows(IllegalArgumentException.class, () -> DecodeSize.atLeast(0, 10));
    }

    private static int[] pixels(BufferedImage image) {
        return java.util.Arrays.stream(image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth()))
                .map(argb -> argb & 0xFFFFFF).toArray();
    }

    private static int brightness(int rgb) {
        return ((rgb >> 16 & 0xFF) + (rgb >> 8 & 0xFF) + (rgb & 0xFF)) / 3;
    }

    /** Inserts an EXIF APP1 segment holding only IFD0's Orientation tag right after the JPEG's SOI marker. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        ByteBuffer app1 = ByteBuffer.allocate(36);
        app1.put((byte) 0xFF).put((byte) 0xE1).putShort((short) 34);
        app1.put("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
        app1.put("MM".getBytes(StandardCharsets.US_ASCII)).putShort((short) 42).putInt(8); // TIFF header, IFD0 at 8
        app1.putShort((short) 1); // one entry
        app1.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        app1.putInt(0); // no next IFD
        byte[] out = new byte[jpeg.length + app1.capacity()];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(app1.array(), 0, out, 2, app1.capacity());
        System.arraycopy(jpeg, 2, out, 2 + app1.capacity(), jpeg.length - 2);
        return out;
    }
}
