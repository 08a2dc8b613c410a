package dev.photoscore.image;

import static dev.photoscore.image.PhotoDecoderTest.withExifOrientation;
import static dev.photoscore.testing.TestPhotos.jpeg;
import static dev.photoscore.testing.TestPhotos.png;
import static dev.photoscore.testing.TestPhotos.texturedRgb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.testing.Allocation;
import dev.photoscore.testing.HostilePhotos;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExifOrientationTest {

    static final byte[] JPEG = jpeg(texturedRgb(120, 80, 1));
    static final byte[] PNG = png(texturedRgb(120, 80, 1));

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void readsEveryOrientationOfAJpeg(int orientation) {
        assertEquals(orientation, ExifOrientation.of(PhotoFormat.JPEG, withExifOrientation(JPEG, orientation)));
    }

    @Test
    void findsTheExifSegmentAfterOtherSegments() {
        // ImageIO's writer starts with a JFIF APP0 segment; put EXIF after it, as cameras and editors may.
        assertEquals((byte) 0xE0, JPEG[3], "APP0 first");
        int app0End = 4 + ((JPEG[4] & 0xFF) << 8 | JPEG[5] & 0xFF);
        byte[] exif = Arrays.copyOfRange(withExifOrientation(JPEG, 6), 2, 2 + 36);
        ByteBuffer reordered = ByteBuffer.allocate(JPEG.length + exif.length);
        reordered.put(JPEG, 0, app0End).put(exif).put(JPEG, app0End, JPEG.length - app0End);
        assertEquals(6, ExifOrientation.of(PhotoFormat.JPEG, reordered.array()));
    }

    @Test
    void readsLittleEndianExif() {
        assertEquals(8, ExifOrientation.of(PhotoFormat.PNG, pngWithExif(tiff(ByteOrder.LITTLE_ENDIAN, 8))));
    }

    @Test
    void readsAPngsExifChunk() throws PhotoRejectedException {
        byte[] turned = pngWithExif(tiff(ByteOrder.BIG_ENDIAN, 6));
        assertEquals(6, ExifOrientation.of(PhotoFormat.PNG, turned));
        DecodedPhoto photo = new PhotoDecoder(PhotoLimits.api().withoutSizeLimits()).decode(turned);
        assertEquals(80, photo.width(), "turned a quarter: the stored height is the upright width");
    }

    @Test
    void withoutExifOrWithNonsenseItIsOne() {
        assertEquals(1, ExifOrientation.of(PhotoFormat.JPEG, JPEG));
        assertEquals(1, ExifOrientation.of(PhotoFormat.PNG, PNG));
        assertEquals(1, ExifOrientation.of(PhotoFormat.JPEG, withExifOrientation(JPEG, 9)), "out of range");
        assertEquals(1, ExifOrientation.of(PhotoFormat.JPEG, withExifOrientation(JPEG, 0)), "out of range");
        assertEquals(1, ExifOrientation.of(PhotoFormat.JPEG, Arrays.copyOf(withExifOrientation(JPEG, 6), 30)),
                "cut inside the EXIF segment");
        byte[] wrongOrder = withExifOrientation(JPEG, 6);
        wrongOrder[12] = 'X'; // "MM" becomes "XM"
        assertEquals(1, ExifOrientation.of(PhotoFormat.JPEG, wrongOrder));
        assertEquals(1, ExifOrientation.of(PhotoFormat.PNG, pngWithExif(new byte[] {'M', 'M', 0, 42})));
    }

    @Test
    void onlyTheFirstIfdOfTheFirstExifSegmentCounts() {
        byte[] twice = withExifOrientation(withExifOrientation(JPEG, 3), 5);
        assertEquals(5, ExifOrientation.of(PhotoFormat.JPEG, twice));
    }

    @Test
    void hugeMetadataIsNotRead() {
        // A hundred EXIF segments of 64 KB with an IFD that loops to itself; zTXt and iCCP inflating to 256 MB each.
        byte[] exif = HostilePhotos.jpegWithHugeExif(JPEG, 100);
        byte[] bombs = HostilePhotos.pngWithMetadataBombs(PNG, 256);
        assertTrue(Allocation.bytes(() -> assertEquals(1, ExifOrientation.of(PhotoFormat.JPEG, exif))) < 1 << 20);
        assertTrue(Allocation.bytes(() -> assertEquals(1, ExifOrientation.of(PhotoFormat.PNG, bombs))) < 1 << 20);
    }

    /** A TIFF block with one IFD holding the orientation tag. */
    static byte[] tiff(ByteOrder order, int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(26).order(order);
        tiff.put(order == ByteOrder.BIG_ENDIAN ? "MM".getBytes(StandardCharsets.US_ASCII)
                : "II".getBytes(StandardCharsets.US_ASCII));
        tiff.putShort((short) 42).putInt(8).putShort((short) 1);
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0);
        return tiff.array();
    }

    static byte[] pngWithExif(byte[] tiff) {
        byte[] chunk = HostilePhotos.pngChunk("eXIf", tiff);
        int afterIhdr = 8 + 12 + 13;
        byte[] out = new byte[PNG.length + chunk.length];
        System.arraycopy(PNG, 0, out, 0, afterIhdr);
        System.arraycopy(chunk, 0, out, afterIhdr, chunk.length);
        System.arraycopy(PNG, afterIhdr, out, afterIhdr + chunk.length, PNG.length - afterIhdr);
        return out;
    }
}
