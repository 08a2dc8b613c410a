package dev.photoscore.image;

import static dev.photoscore.image.PhotoDecoderTest.withExifOrientation;
import static dev.photoscore.testing.TestPhotos.adobeRgbJpeg;
import static dev.photoscore.testing.TestPhotos.jpeg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.image.jpeg.BaselineJpeg;
import dev.photoscore.image.PhotoRejectedException.Reason;
import dev.photoscore.quality.Plane;
import dev.photoscore.quality.WorkingImage;
import dev.photoscore.testing.Allocation;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reduced decode of baseline JPEGs in one pass ({@link dev.photoscore.image.jpeg.BaselineJpeg}) against
 * ImageIO's decode of every pixel: the native crop equal to it, the reduced image within a little of its area
 * average; and what it leaves to ImageIO decoded as before.
 */
class OnePassJpegTest {

    /** 1003x757 (no side a multiple of 8 or 16) against 200x200: step 3, and 3/8 in the DCT domain, 377x284. */
    private static final int WIDTH = 1003;
    private static final int HEIGHT = 757;
    private static final DecodeSize MINIMUM = DecodeSize.atLeast(200, 200);

    private final PhotoDecoder every = new PhotoDecoder(PhotoLimits.api().withoutSizeLimits());
    private final PhotoDecoder reduced = new PhotoDecoder(PhotoLimits.api().withoutSizeLimits(), MINIMUM);

    /** Smooth colour gradients, edges and fine texture with a little grain: what a photo's blocks hold. */
    static BufferedImage photoLike(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double wave = 40 * Math.sin(x / 23.0) * Math.cos(y / 31.0) + (((x / 97) + (y / 61)) % 2 == 0 ? 30 : -30);
                int grain = (int) Math.round(random.nextGaussian() * 4);
                int r = clamp(60 + 150 * x / width + wave + grain);
                int g = clamp(200 - 120 * y / height + wave / 2 + grain);
                int b = clamp(100 + 60 * Math.sin((x + 2 * y) / 45.0) - wave / 3 + grain);
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return image;
    }

    static Stream<Arguments> variants() {
        BufferedImage photo = photoLike(WIDTH, HEIGHT, 1);
        BufferedImage grey = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_BYTE_GRAY);
        grey.getGraphics().drawImage(photo, 0, 0, null);
        int[] one = {1, 1, 1};
        return Stream.of(
                Arguments.of("4:2:0, quality 90", jpeg(photo, 0.9f, new int[] {2, 1, 1}, new int[] {2, 1, 1}, 0)),
                Arguments.of("4:4:4, quality 75", jpeg(photo, 0.75f, one, one, 0)),
                Arguments.of("4:2:2, quality 95", jpeg(photo, 0.95f, new int[] {2, 1, 1}, one, 0)),
                Arguments.of("4:4:0, quality 90", jpeg(photo, 0.9f, one, new int[] {2, 1, 1}, 0)),
                Arguments.of("4:1:1, quality 90", jpeg(photo, 0.9f, new int[] {4, 1, 1}, one, 0)),
                Arguments.of("4:2:0, quality 50, a restart every 7 MCUs",
                        jpeg(photo, 0.5f, new int[] {2, 1, 1}, new int[] {2, 1, 1}, 7)),
                Arguments.of("4:4:4, quality 98, a restart every MCU", jpeg(photo, 0.98f, one, one, 1)),
                Arguments.of("grey, quality 90", jpeg(grey, 0.9f, false)),
                Arguments.of("grey, a restart every 5 blocks", jpeg(grey, 0.9f, new int[] {1}, new int[] {1}, 5)),
                Arguments.of("RGB by an Adobe marker, quality 90", adobeRgbJpeg(photo, 0.9f)),
                Arguments.of("4:2:0, EXIF orientation 6", withExifOrientation(jpeg(photo), 6)),
                Arguments.of("4:2:0, EXIF orientation 3", withExifOrientation(jpeg(photo), 3)),
                Arguments.of("4:2:0, sRGB's own ICC profile", withIccProfile(jpeg(photo),
                        ICC_Profile.getInstance(ColorSpace.CS_sRGB))),
                Arguments.of("4:2:0, a wide-gamut ICC profile in 3 chunks",
                        withIccProfile(jpeg(photo), wideGamutProfile(), 2_500)),
                Arguments.of("4:4:4, a linear-RGB ICC profile", withIccProfile(jpeg(photo, 0.9f, one, one, 0),
                        ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void theCropIsImageIosAndTheReducedImageCloseToItsAreaAverage(String variant, byte[] jpeg) throws Exception {
        DecodedPhoto full = every.decode(jpeg);
        DecodedPhoto small = reduced.decode(jpeg);
        boolean turned = full.width() == HEIGHT;
        assertEquals(turned ? 284 : 377, small.width(), "3/8 of the photo: the one-pass decode");
        assertEquals(turned ? 377 : 284, small.height());
        assertEquals(WIDTH, small.originalWidth());

        // The crop is ImageIO's to the bit: libjpeg's integer IDCT, chroma upsampling and colour conversion.
        assertArrayEquals(pixels(full.nativeCrop()), pixels(small.nativeCrop()), variant + ": the crop");

        // The reduced image against the area average of every pixel over the same extent (the decoded blocks reach
        // past the right and bottom edges, where the encoder repeated the edge pixels): close and without bias, not
        // equal: its samples are the blocks' low frequencies (chroma's at its own resolution: 3/16 of the luma's
        // for 4:2:0), not box averages of their pixels.
        int orientation = ExifOrientation.of(PhotoFormat.JPEG, jpeg);
        BufferedImage stored = PhotoDecoder.toRgbOnWhite(ImageIO.read(new ByteArrayInputStream(jpeg)));
        BufferedImage reference = PhotoDecoder.orient(areaAverage(repeatEdges(stored, (WIDTH + 7) / 8 * 8,
                (HEIGHT + 7) / 8 * 8), (WIDTH + 7) / 8 * 3, (HEIGHT + 7) / 8 * 3, 377, 284), orientation);
        Difference image = Difference.of(reference, small.image());
        // A wide-gamut profile's conversion to sRGB stretches colour differences (by up to about 1.2 here).
        double tolerance = variant.contains("wide-gamut") ? 3.0 : 2.5;
        assertTrue(Math.abs(image.signedMean) < 0.25 && image.mean < tolerance,
                variant + ": the reduced image differs from the area average of ImageIO's decode by " + image);
        // Brought to the size the graph sees (145x109 here), it is much closer than ImageIO's subsampling by 3 (the
        // point samples of the decode before) is, over the same extent, to the same area average.
        int workingWidth = turned ? 109 : 145;
        int workingHeight = turned ? 145 : 109;
        Difference working = Difference.of(WorkingImage.areaAverage(reference, workingWidth, workingHeight),
                WorkingImage.areaAverage(small.image(), workingWidth, workingHeight));
        BufferedImage subsampled = subsampledByImageIo(jpeg, 3);
        Difference before = Difference.of(
                WorkingImage.areaAverage(repeatEdges(stored, subsampled.getWidth() * 3, subsampled.getHeight() * 3),
                        145, 109), WorkingImage.areaAverage(subsampled, 145, 109));
        assertTrue(working.mean < 1.5 && working.mean < before.mean / 1.5, variant + ": at the working size "
                + working + ", ImageIO's subsampling " + before);
    }

    /** {@code image} widened and heightened to {@code width x height} by repeating its last column and row. */
    private static BufferedImage repeatEdges(BufferedImage image, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                out.setRGB(x, y, image.getRGB(Math.min(x, image.getWidth() - 1), Math.min(y, image.getHeight() - 1)));
            }
        }
        return out;
    }

    /** {@code image} area-averaged to {@code width x height}, its top-left {@code keepWidth x keepHeight} kept. */
    private static BufferedImage areaAverage(BufferedImage image, int width, int height, int keepWidth,
                                             int keepHeight) {
        Plane[] planes = WorkingImage.areaAverage(image, width, height);
        BufferedImage out = new BufferedImage(keepWidth, keepHeight, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < keepHeight; y++) {
            for (int x = 0; x < keepWidth; x++) {
                out.setRGB(x, y, clamp(planes[0].at(x, y)) << 16 | clamp(planes[1].at(x, y)) << 8
                        | clamp(planes[2].at(x, y)));
            }
        }
        return out;
    }

    @Test
    void whatItDoesNotHandleIsReadByImageIoAsBefore() throws Exception {
        BufferedImage photo = photoLike(WIDTH, HEIGHT, 2);
        byte[] plain = jpeg(photo);
        byte[] profile = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
        byte[] damagedProfile = Arrays.copyOf(profile, profile.length / 2);
        byte[][] leftToImageIo = {
            jpeg(photo, 0.9f, true),
            // Profiles TwelveMonkeys' reader ignores with a warning or converts from another class: its business.
            withIccProfile(plain, ICC_Profile.getInstance(ColorSpace.CS_PYCC)), // a colour-space class, 4 chunks
            withIccProfile(plain, ICC_Profile.getInstance(ColorSpace.CS_GRAY)), // a grey profile on colour
            withIccProfile(plain, damagedProfile, damagedProfile.length), // decoded without it, not refused
            withIccChunks(plain, profile, 2, 1), // numbered 1 and 1 of 2
            withIccChunks(plain, profile, 3, 3), // chunk 1 of 3 alone
        };
        for (byte[] file : leftToImageIo) {
            assertTrue(BaselineJpeg.of(file).isEmpty());
            DecodedPhoto small = reduced.decode(file);
            // ImageIO's source subsampling: every 3rd pixel of every 3rd row, 335x253, as the reader gives it.
            assertEquals(335, small.width());
            assertEquals(253, small.height());
            assertArrayEquals(pixels(subsampledByImageIo(file, 3)), pixels(small.image()));
            assertArrayEquals(pixels(every.decode(file).nativeCrop()), pixels(small.nativeCrop()));
        }
    }

    @Test
    void anIccProfileIsAppliedAsImageIoAppliesIt() throws Exception {
        // TwelveMonkeys' reader converts a non-sRGB profile's colours to sRGB; the one-pass decode does the same
        // conversion (the crop to the bit: theCropIsImageIosAndTheReducedImageCloseToItsAreaAverage), so reading
        // the samples as sRGB would be wrong by this much.
        byte[] plain = jpeg(photoLike(WIDTH, HEIGHT, 3));
        for (ICC_Profile profile : new ICC_Profile[] {ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB),
                ICC_Profile.getInstance(wideGamutProfile())}) {
            byte[] withProfile = withIccProfile(plain, profile);
            assertTrue(BaselineJpeg.of(withProfile).isPresent());
            Difference difference = Difference.of(reduced.decode(plain).image(), reduced.decode(withProfile).image());
            assertTrue(difference.mean > 3, "the profile changes the colours by " + difference);
        }
    }

    @Test
    void aFileCutShortOrDamagedInItsDataIsCorrupt() throws Exception {
        byte[] whole = jpeg(photoLike(WIDTH, HEIGHT, 4), 0.9f, new int[] {2, 1, 1}, new int[] {2, 1, 1}, 4);
        int scan = indexOf(whole, new byte[] {(byte) 0xFF, (byte) 0xDA});
        int firstRestart = indexOf(whole, new byte[] {(byte) 0xFF, (byte) 0xD0});
        byte[] wrongRestart = whole.clone();
        wrongRestart[firstRestart + 1] = (byte) 0xD3;
        byte[] endInTheMiddle = whole.clone();
        endInTheMiddle[(scan + whole.length) / 2] = (byte) 0xFF;
        endInTheMiddle[(scan + whole.length) / 2 + 1] = (byte) 0xD9;
        byte[] badCodes = whole.clone();
        Arrays.fill(badCodes, (scan + whole.length) / 2, (scan + whole.length) / 2 + 64, (byte) 0xFE);
        for (byte[] damaged : new byte[][] {Arrays.copyOf(whole, whole.length * 2 / 3),
                Arrays.copyOf(whole, whole.length - 2), Arrays.copyOf(whole, scan + 300), wrongRestart, endInTheMiddle,
                badCodes}) {
            PhotoRejectedException e = assertThrows(PhotoRejectedException.class, () -> reduced.decode(damaged));
            assertEquals(Reason.CORRUPT, e.reason(), e.getMessage());
        }
    }

    @Test
    void theFootprintIsWhatTheOnePassDecodeAllocates() throws Exception {
        for (byte[] jpeg : new byte[][] {jpeg(photoLike(WIDTH, HEIGHT, 5)),
                withExifOrientation(jpeg(photoLike(WIDTH, HEIGHT, 5)), 8)}) {
            long footprint = reduced.footprint(jpeg);
            reduced.decode(jpeg); // warm up: class loading, ImageIO's registry
            long allocated = Allocation.bytes(() -> {
                try {
                    reduced.decode(jpeg);
                } catch (PhotoRejectedException e) {
                    throw new AssertionError(e);
                }
            });
            assertTrue(footprint >= allocated * 0.8 && footprint <= allocated * 1.1,
                    "footprint " + footprint + " bytes, the decode allocated " + allocated);
        }
    }

    @Test
    void theScaleIsTheSmallestWholeEighthThatKeepsTheMinimum() {
        assertEquals(3, DecodeSize.atLeast(1000, 1000).eighths(4000, 3000), "4000x3000 becomes 1500x1125");
        assertEquals(1500, BaselineJpeg.scaledSide(4000, 3));
        assertEquals(4, DecodeSize.atLeast(1000, 1000).eighths(2000, 2000), "half of 2000 is just enough");
        assertEquals(2, DecodeSize.atLeast(1000, 1000).eighths(6000, 4000), "6000x4000 becomes 1500x1000");
        assertEquals(377, BaselineJpeg.scaledSide(1003, 3), "rounded up");
    }

    /** The reader's subsampled image as PhotoDecoder converts it, read straight through ImageIO. */
    private static BufferedImage subsampledByImageIo(byte[] jpeg, int step) throws Exception {
        ImageReader reader = ImageIO.getImageReadersByMIMEType("image/jpeg").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
            reader.setInput(in);
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceSubsampling(step, step, 0, 0);
            return PhotoDecoder.toRgbOnWhite(reader.read(0, param));
        } finally {
            reader.dispose();
        }
    }

    /** The JPEG with {@code profile} in APP2 ICC_PROFILE segments after its SOI, as few as the format allows. */
    static byte[] withIccProfile(byte[] jpeg, ICC_Profile profile) {
        return withIccProfile(jpeg, profile.getData(), 65_519 - 14);
    }

    /** The JPEG with {@code profile} cut into chunks of {@code perSegment} bytes, numbered 1..n. */
    static byte[] withIccProfile(byte[] jpeg, byte[] profile, int perSegment) {
        int count = (profile.length + perSegment - 1) / perSegment;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        for (int i = 0; i < count; i++) {
            int from = i * perSegment;
            iccSegment(out, i + 1, count, profile, from, Math.min(perSegment, profile.length - from));
        }
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** The JPEG with the whole {@code profile} in one segment numbered {@code number} of {@code count}. */
    private static byte[] withIccChunks(byte[] jpeg, byte[] profile, int count, int number) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        iccSegment(out, 1, count, profile, 0, profile.length);
        if (number != 1) {
            iccSegment(out, number, count, profile, 0, 0);
        }
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    private static void iccSegment(ByteArrayOutputStream out, int number, int count, byte[] profile, int from,
                                   int length) {
        int segment = 2 + 12 + 2 + length;
        out.write(0xFF);
        out.write(0xE2);
        out.write(segment >> 8);
        out.write(segment & 0xFF);
        out.writeBytes("ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII));
        out.write(number);
        out.write(count);
        out.write(profile, from, length);
    }

    /**
     * sRGB's profile with the primaries of Display P3 (D50-adapted, as iPhones' profile has them): a wide-gamut
     * display profile like those phones embed, made here.
     */
    static byte[] wideGamutProfile() {
        byte[] data = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
        ByteBuffer profile = ByteBuffer.wrap(data);
        Map<String, double[]> primaries = Map.of("rXYZ", new double[] {0.5151, 0.2412, -0.0011},
                "gXYZ", new double[] {0.2920, 0.6922, 0.0419}, "bXYZ", new double[] {0.1571, 0.0666, 0.7841});
        int tags = profile.getInt(128);
        for (int i = 0; i < tags; i++) {
            int entry = 132 + 12 * i;
            String signature = new String(data, entry, 4, StandardCharsets.US_ASCII);
            double[] xyz = primaries.get(signature);
            if (xyz != null) {
                int at = profile.getInt(entry + 4) + 8; // after the type signature and 4 reserved bytes
                for (int c = 0; c < 3; c++) {
                    profile.putInt(at + 4 * c, (int) Math.round(xyz[c] * 65536));
                }
            }
        }
        Arrays.fill(data, 84, 100, (byte) 0); // the profile id (an MD5 of the rest), no longer valid
        return data;
    }

    private static int indexOf(byte[] bytes, byte[] pattern) {
        for (int i = 0; i + pattern.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + pattern.length, pattern, 0, pattern.length)) {
                return i;
            }
        }
        throw new AssertionError("pattern not found");
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    /** Per channel value differences between two images of one size: mean absolute, mean signed, largest. */
    record Difference(double mean, double signedMean, int max) {

        static Difference of(BufferedImage expected, BufferedImage actual) {
            assertEquals(expected.getWidth(), actual.getWidth());
            assertEquals(expected.getHeight(), actual.getHeight());
            int[] a = pixels(expected);
            int[] b = pixels(actual);
            long sum = 0;
            long signed = 0;
            int max = 0;
            for (int i = 0; i < a.length; i++) {
                for (int shift = 0; shift < 24; shift += 8) {
                    int d = (b[i] >> shift & 0xFF) - (a[i] >> shift & 0xFF);
                    sum += Math.abs(d);
                    signed += d;
                    max = Math.max(max, Math.abs(d));
                }
            }
            return new Difference(sum / (3.0 * a.length), signed / (3.0 * a.length), max);
        }

        static Difference of(Plane[] expected, Plane[] actual) {
            double sum = 0;
            double signed = 0;
            double max = 0;
            int values = 0;
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < actual[c].height(); y++) {
                    for (int x = 0; x < actual[c].width(); x++) {
                        double d = actual[c].at(x, y) - expected[c].at(x, y);
                        sum += Math.abs(d);
                        signed += d;
                        max = Math.max(max, Math.abs(d));
                        values++;
                    }
                }
            }
            return new Difference(sum / values, signed / values, (int) Math.ceil(max));
        }

        @Override
        public String toString() {
            return String.format("mean %.3f, signed mean %.3f, max %d levels", mean, signedMean, max);
        }
    }
}
