package dev.photoscore.image;

import dev.photoscore.image.jpeg.JpegSegments;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The EXIF orientation of a JPEG or PNG, read from the bytes without any other metadata: the first EXIF block (a
 * JPEG's APP1 segment before the scan, a PNG's {@code eXIf} chunk), its TIFF header and the entries of its first
 * IFD, nothing else.
 *
 * <p>Why not a metadata library: those read every piece of metadata a file has, and a file's metadata is the
 * attacker's to choose. metadata-extractor inflated a PNG's compressed text and ICC chunks in full (a few megabytes
 * of zTXt made gigabytes: OutOfMemoryError), and spent seconds on a JPEG carrying a hundred EXIF segments of long
 * strings. Here the work is one pass over the segment or chunk headers ({@link JpegSegments}' lenient walk for a
 * JPEG) and at most one IFD's entries, and nothing is copied: a hint cannot cost more than the photo.
 */
final class ExifOrientation {

    /** EXIF's orientation tag (TIFF 6.0 tag 274). */
    private static final int ORIENTATION_TAG = 0x0112;
    private static final int TYPE_SHORT = 3;
    private static final int IFD_ENTRY_BYTES = 12;
    private static final byte[] EXIF_PREAMBLE = "Exif\0\0".getBytes(StandardCharsets.US_ASCII);

    private ExifOrientation() {
    }

    /** Orientation 1..8 of these bytes, 1 when they have none or it cannot be read: it is a hint, not a reason. */
    static int of(PhotoFormat format, byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int tiff = format == PhotoFormat.JPEG ? jpegExif(buffer) : pngExif(buffer);
        return tiff < 0 ? 1 : orientation(buffer, tiff);
    }

    /**
     * Where the TIFF block of the first EXIF APP1 segment before the scan starts (its limit set on {@code jpeg}), or
     * -1. The segments are walked leniently: damage ends the search, it is not a reason.
     */
    private static int jpegExif(ByteBuffer jpeg) {
        JpegSegments segments = JpegSegments.of(jpeg.array());
        while (segments.nextLeniently()) {
            if (segments.marker() == JpegSegments.APP1 && segments.startsWith(EXIF_PREAMBLE)) {
                jpeg.limit(segments.end());
                return segments.start() + EXIF_PREAMBLE.length;
            }
        }
        return -1;
    }

    /** Where the first {@code eXIf} chunk's data starts (its limit set on {@code png}), or -1. */
    private static int pngExif(ByteBuffer png) {
        int at = 8;
        while (at + 12 <= png.limit()) {
            int length = png.getInt(at);
            if (length < 0 || length > png.limit() - at - 12) {
                return -1;
            }
            int type = png.getInt(at + 4);
            if (type == chunkType("eXIf")) {
                png.limit(at + 8 + length);
                return at + 8;
            }
            if (type == chunkType("IEND")) {
                return -1;
            }
            at += 12 + length;
        }
        return -1;
    }

    /** The orientation entry of IFD0 of the TIFF block at {@code tiff} (up to the buffer's limit), or 1. */
    private static int orientation(ByteBuffer buffer, int tiff) {
        if (tiff + 8 > buffer.limit()) {
            return 1;
        }
        short byteOrder = buffer.getShort(tiff);
        if (byteOrder == 0x4949) { // "II"
            buffer.order(ByteOrder.LITTLE_ENDIAN);
        } else if (byteOrder != 0x4D4D) { // "MM"
            return 1;
        }
        if (buffer.getShort(tiff + 2) != 42) {
            return 1;
        }
        long ifd = tiff + (buffer.getInt(tiff + 4) & 0xFFFFFFFFL);
        if (ifd + 2 > buffer.limit()) {
            return 1;
        }
        int entries = buffer.getShort((int) ifd) & 0xFFFF;
        for (int i = 0; i < entries; i++) {
            long entry = ifd + 2 + (long) i * IFD_ENTRY_BYTES;
            if (entry + IFD_ENTRY_BYTES > buffer.limit()) {
                return 1;
            }
            int at = (int) entry;
            if ((buffer.getShort(at) & 0xFFFF) == ORIENTATION_TAG) {
                boolean oneShort = (buffer.getShort(at + 2) & 0xFFFF) == TYPE_SHORT && buffer.getInt(at + 4) == 1;
                int value = buffer.getShort(at + 8) & 0xFFFF;
                return oneShort && value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    private static int chunkType(String name) {
        return ByteBuffer.wrap(name.getBytes(StandardCharsets.US_ASCII)).getInt();
    }
}
