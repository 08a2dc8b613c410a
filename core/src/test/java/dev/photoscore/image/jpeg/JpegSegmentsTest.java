package dev.photoscore.image.jpeg;

import static dev.photoscore.testing.TestPhotos.jpeg;
import static dev.photoscore.testing.TestPhotos.texturedRgb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one segment walker under both policies: the same damage is an error when strict and the walk's end when not. */
class JpegSegmentsTest {

    private static final byte[] JPEG = jpeg(texturedRgb(64, 48, 1));

    @Test
    void walksEverySegmentByItsLengthUpToTheScanHeader() throws IOException {
        // ImageIO writes APP0 (JFIF), two DQT, SOF0, four DHT, SOS.
        assertEquals(List.of(0xE0, 0xDB, 0xDB, 0xC0, 0xC4, 0xC4, 0xC4, 0xC4, 0xDA), strictMarkers(JPEG));
        JpegSegments segments = JpegSegments.of(JPEG);
        assertTrue(segments.next());
        assertEquals(6, segments.start(), "after FF D8, FF E0 and the two length bytes");
        assertEquals(4 + ((JPEG[4] & 0xFF) << 8 | JPEG[5] & 0xFF), segments.end());
        assertTrue(segments.startsWith("JFIF\0".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(segments.startsWith(new byte[segments.end() - segments.start() + 1]), "longer than the data");
    }

    @Test
    void fillBytesAreSkippedAndStandaloneMarkersReported() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(JPEG, 0, 2);
        out.write(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xD3}); // fill bytes, then RST3
        out.write(new byte[] {(byte) 0xFF, 0x00}); // a stray stuffed byte, skipped by libjpeg
        out.write(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 2}); // an empty comment: a segment with no data
        out.write(JPEG, 2, JPEG.length - 2);
        byte[] odd = out.toByteArray();
        JpegSegments segments = JpegSegments.of(odd);
        List<String> seen = new ArrayList<>();
        while (segments.next()) {
            seen.add(Integer.toHexString(segments.marker()) + (segments.standalone() ? " alone" : ""));
        }
        assertEquals(List.of("d3 alone", "0 alone", "fe", "e0", "db", "db", "c0", "c4", "c4", "c4", "c4", "da"), seen);
    }

    @Test
    void theWalkEndsAtEndOfImageAndWithoutStartOfImage() throws IOException {
        byte[] endsEarly = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xFE, 0, 3, 'x', (byte) 0xFF, (byte) 0xD9};
        assertEquals(List.of(0xFE), strictMarkers(endsEarly));
        assertEquals(List.of(), strictMarkers(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0}));
        assertEquals(List.of(), strictMarkers(new byte[0]));
    }

    @Test
    void damageIsAnErrorWhenStrictAndTheEndWhenLenient() {
        int secondSegment = 4 + ((JPEG[4] & 0xFF) << 8 | JPEG[5] & 0xFF);
        byte[] notAMarker = JPEG.clone();
        notAMarker[secondSegment] = 0x12;
        byte[] overrun = JPEG.clone();
        overrun[secondSegment + 2] = (byte) 0xFF;
        byte[] tooShort = JPEG.clone();
        tooShort[secondSegment + 2] = 0;
        tooShort[secondSegment + 3] = 1; // a length below its own two bytes
        byte[][] damaged = {notAMarker, overrun, tooShort, Arrays.copyOf(JPEG, secondSegment + 3),
            Arrays.copyOf(JPEG, secondSegment), Arrays.copyOf(JPEG, secondSegment + 1)};
        String[] messages = {"Corrupt JPEG data: bytes where a marker should be",
            "Premature end of JPEG file: a marker segment runs past the file's end",
            "Premature end of JPEG file: a marker segment runs past the file's end",
            "Premature end of JPEG file in a marker segment",
            "Premature end of JPEG file before its image data",
            "Premature end of JPEG file before its image data"};
        for (int i = 0; i < damaged.length; i++) {
            JpegSegments strict = JpegSegments.of(damaged[i]);
            IOException error = assertThrows(IOException.class, () -> {
                while (strict.next()) {
                    assertEquals(0xE0, strict.marker(), "only the segment before the damage");
                }
            });
            assertEquals(messages[i], error.getMessage());
            assertFalse(strict.nextLeniently(), "a walk that ended stays ended");

            JpegSegments lenient = JpegSegments.of(damaged[i]);
            assertTrue(lenient.nextLeniently());
            assertEquals(0xE0, lenient.marker());
            assertFalse(lenient.nextLeniently(), "damage " + i + " ends the walk");
            assertFalse(lenient.nextLeniently());
        }
    }

    private static List<Integer> strictMarkers(byte[] jpeg) throws IOException {
        JpegSegments segments = JpegSegments.of(jpeg);
        List<Integer> markers = new ArrayList<>();
        while (segments.next()) {
            markers.add(segments.marker());
        }
        assertFalse(segments.next(), "the walk stays ended");
        return markers;
    }
}
