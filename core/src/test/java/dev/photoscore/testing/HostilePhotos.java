package dev.photoscore.testing;

import dev.photoscore.image.jpeg.JpegSegments;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

/**
 * Hostile photo files the tests make themselves, byte by byte: damaged, disguised, polyglot, decompression bombs and
 * files stuffed with metadata. Each is built from a real JPEG or PNG so that everything but the one defect is valid.
 */
public final class HostilePhotos {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final int JPEG_SEGMENT_MAX = 65_533;

    private HostilePhotos() {
    }

    /** The first {@code fraction} of the bytes: a download or upload cut short. */
    public static byte[] truncated(byte[] photo, double fraction) {
        return Arrays.copyOf(photo, (int) (photo.length * fraction));
    }

    /** A JPEG whose first Huffman table is garbage: the header is fine, the scan cannot be decoded. */
    public static byte[] jpegWithBrokenHuffmanTable(byte[] jpeg) {
        byte[] out = jpeg.clone();
        int dht = segment(out, 0xC4);
        // Length (2), class/id (1), then 16 code counts: claim far more codes than the segment holds.
        Arrays.fill(out, dht + 5, dht + 5 + 16, (byte) 0xFF);
        return out;
    }

    /** A PNG whose image data is not zlib data: the chunk structure is intact, the pixels cannot be inflated. */
    public static byte[] pngWithBrokenImageData(byte[] png) {
        byte[] out = png.clone();
        int idat = chunk(out, "IDAT");
        out[idat + 8] = (byte) 0xFF; // the zlib header's two bytes
        out[idat + 9] = (byte) 0xFF;
        fixCrc(out, idat);
        return out;
    }

    /** The photo with its first byte changed: no longer a JPEG or PNG signature. */
    public static byte[] withWrongMagic(byte[] photo) {
        byte[] out = photo.clone();
        out[0] = 'X';
        return out;
    }

    /** The same pixels as GIF, BMP or TIFF: real images, but not a format the service takes. */
    public static byte[] otherFormat(BufferedImage image, String format) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, bytes)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A JPEG followed by a ZIP archive: a valid JPEG (readers stop at its end) and a valid ZIP (read from its end). */
    public static byte[] jpegWithZipAppended(byte[] jpeg) {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("payload.html"));
            out.write("<script>alert(document.domain)</script>".getBytes(StandardCharsets.US_ASCII));
            out.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return concat(jpeg, zip.toByteArray());
    }

    /** A JPEG carrying an HTML page in a comment segment: what a browser sniffing for HTML might render. */
    public static byte[] jpegWithHtmlComment(byte[] jpeg) {
        byte[] html = "<html><body><script>alert(document.domain)</script></body></html>"
                .getBytes(StandardCharsets.US_ASCII);
        return insertAfterSoi(jpeg, jpegSegment(0xFE, html));
    }

    /** An HTML page with a whole JPEG inside it, after the markup: HTML by its first bytes. */
    public static byte[] htmlWithJpegInside(byte[] jpeg) {
        return concat("<!doctype html><html><body><!--".getBytes(StandardCharsets.US_ASCII), jpeg,
                "--></body></html>".getBytes(StandardCharsets.US_ASCII));
    }

    /** A valid PNG header (signature and IHDR, 8-bit RGB) claiming {@code width x height}, and nothing else. */
    public static byte[] pngHeader(int width, int height) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(PNG_SIGNATURE);
        png.writeBytes(pngChunk("IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0).array()));
        return png.toByteArray();
    }

    /** A real JPEG whose frame header claims {@code width x height} (each at most 65,535) instead of its own size. */
    public static byte[] jpegClaiming(byte[] jpeg, int width, int height) {
        byte[] out = jpeg.clone();
        int sof = segment(out, 0xC0, 0xC2);
        // Marker (2), length (2), precision (1), height (2), width (2).
        out[sof + 5] = (byte) (height >> 8);
        out[sof + 6] = (byte) height;
        out[sof + 7] = (byte) (width >> 8);
        out[sof + 8] = (byte) width;
        return out;
    }

    /**
     * A complete, valid 8-bit greyscale PNG of {@code width x height} black pixels: a few hundred kilobytes that
     * inflate to {@code width * height} bytes. Written row by row, never held whole.
     */
    public static byte[] blackPng(int width, int height) {
        return rowsPng(width, height, 8, 0, 1, y -> new byte[] {0});
    }

    /**
     * A complete, valid 16-bit RGBA PNG of {@code width x height} opaque pixels, grey rows from black at the top to
     * white at the bottom: 8 bytes a pixel decoded (800 MB at 100 megapixels), under a megabyte on disk. Written row
     * by row, never held whole.
     */
    public static byte[] deepRgbaPng(int width, int height) {
        return rowsPng(width, height, 16, 6, 8, y -> {
            int grey = (int) ((long) y * 0xFFFF / Math.max(1, height - 1));
            byte hi = (byte) (grey >> 8);
            byte lo = (byte) grey;
            return new byte[] {hi, lo, hi, lo, hi, lo, (byte) 0xFF, (byte) 0xFF};
        });
    }

    /** A PNG whose every row repeats one pixel ({@code pixelOf(y)}, {@code bytesPerPixel} bytes), deflated as written. */
    private static byte[] rowsPng(int width, int height, int bitDepth, int colourType, int bytesPerPixel,
                                  IntFunction<byte[]> pixelOf) {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] row = new byte[1 + width * bytesPerPixel]; // filter type 0, then the row's pixels
        try (DeflaterOutputStream out = new DeflaterOutputStream(idat, new Deflater(Deflater.BEST_COMPRESSION))) {
            for (int y = 0; y < height; y++) {
                byte[] pixel = pixelOf.apply(y);
                for (int at = 1; at < row.length; at += bytesPerPixel) {
                    System.arraycopy(pixel, 0, row, at, bytesPerPixel);
                }
                out.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(PNG_SIGNATURE);
        png.writeBytes(pngChunk("IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) bitDepth).put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0).array()));
        png.writeBytes(pngChunk("IDAT", idat.toByteArray()));
        png.writeBytes(pngChunk("IEND", new byte[0]));
        return png.toByteArray();
    }

    /** {@code count} EXIF segments of the largest size a JPEG segment holds, after the SOI marker. */
    public static byte[] jpegWithHugeExif(byte[] jpeg, int count) {
        ByteBuffer exif = ByteBuffer.allocate(JPEG_SEGMENT_MAX);
        exif.put("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
        exif.put("MM".getBytes(StandardCharsets.US_ASCII)).putShort((short) 42).putInt(8); // TIFF header, IFD0 at 8
        int entries = (JPEG_SEGMENT_MAX - exif.position() - 6) / 12;
        exif.putShort((short) entries);
        for (int i = 0; i < entries; i++) {
            // ASCII tags pointing anywhere in the segment, many overlapping: work for the parser, nothing to show.
            exif.putShort((short) (0x0100 + i % 0x4000)).putShort((short) 2).putInt(JPEG_SEGMENT_MAX / 2).putInt(8);
        }
        exif.putInt(8); // the next IFD is IFD0 again: a loop
        byte[] segment = jpegSegment(0xE1, exif.array());
        byte[] all = new byte[0];
        for (int i = 0; i < count; i++) {
            all = concat(all, segment);
        }
        return insertAfterSoi(jpeg, all);
    }

    /** An ICC profile of {@code size} garbage bytes in as many APP2 segments as it takes. */
    public static byte[] jpegWithHugeIccProfile(byte[] jpeg, int size) {
        byte[] profile = new byte[size];
        ByteBuffer.wrap(profile).putInt(size); // a plausible header: its own size, then zeros
        int perSegment = JPEG_SEGMENT_MAX - 14;
        int count = (size + perSegment - 1) / perSegment;
        if (count > 255) {
            throw new IllegalArgumentException("an ICC profile spans at most 255 segments");
        }
        ByteArrayOutputStream segments = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            int from = i * perSegment;
            byte[] part = Arrays.copyOfRange(profile, from, Math.min(size, from + perSegment));
            segments.writeBytes(jpegSegment(0xE2, concat("ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII),
                    new byte[] {(byte) (i + 1), (byte) count}, part)));
        }
        return insertAfterSoi(jpeg, segments.toByteArray());
    }

    /** A PNG with an uncompressed text chunk of {@code size} bytes after IHDR. */
    public static byte[] pngWithHugeText(byte[] png, int size) {
        byte[] text = new byte[size];
        Arrays.fill(text, (byte) 'a');
        System.arraycopy("Comment\0".getBytes(StandardCharsets.US_ASCII), 0, text, 0, 8);
        return insertAfterIhdr(png, pngChunk("tEXt", text));
    }

    /**
     * A PNG with a compressed text chunk (zTXt) and an ICC profile (iCCP) that each inflate to
     * {@code inflatedMegabytes} MB of zeros: metadata decompression bombs.
     */
    public static byte[] pngWithMetadataBombs(byte[] png, int inflatedMegabytes) {
        byte[] zeros = deflatedZeros(inflatedMegabytes);
        byte[] text = concat("Comment\0\0".getBytes(StandardCharsets.US_ASCII), zeros);
        byte[] icc = concat("bomb\0\0".getBytes(StandardCharsets.US_ASCII), zeros);
        return insertAfterIhdr(png, concat(pngChunk("iCCP", icc), pngChunk("zTXt", text)));
    }

    /**
     * An animated PNG (APNG) of the given frames, all of the first one's size: the first frame is the PNG's own
     * image, the others come in fdAT chunks that readers without APNG support skip.
     */
    public static byte[] animatedPng(List<byte[]> framePngs) {
        byte[] first = framePngs.get(0);
        int ihdr = chunk(first, "IHDR");
        int width = ByteBuffer.wrap(first, ihdr + 8, 4).getInt();
        int height = ByteBuffer.wrap(first, ihdr + 12, 4).getInt();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(PNG_SIGNATURE);
        png.writeBytes(Arrays.copyOfRange(first, ihdr, ihdr + 12 + 13));
        png.writeBytes(pngChunk("acTL", ByteBuffer.allocate(8).putInt(framePngs.size()).putInt(0).array()));
        int sequence = 0;
        for (int frame = 0; frame < framePngs.size(); frame++) {
            png.writeBytes(pngChunk("fcTL", ByteBuffer.allocate(26).putInt(sequence++).putInt(width).putInt(height)
                    .putInt(0).putInt(0).putShort((short) 1).putShort((short) 10).put((byte) 0).put((byte) 0)
                    .array()));
            byte[] data = imageData(framePngs.get(frame));
            if (frame == 0) {
                png.writeBytes(pngChunk("IDAT", data));
            } else {
                png.writeBytes(pngChunk("fdAT", concat(ByteBuffer.allocate(4).putInt(sequence++).array(), data)));
            }
        }
        png.writeBytes(pngChunk("IEND", new byte[0]));
        return png.toByteArray();
    }

    /** One PNG chunk: length, type, data, CRC of type and data. */
    public static byte[] pngChunk(String type, byte[] data) {
        ByteBuffer chunk = ByteBuffer.allocate(12 + data.length);
        chunk.putInt(data.length).put(type.getBytes(StandardCharsets.US_ASCII)).put(data);
        CRC32 crc = new CRC32();
        crc.update(chunk.array(), 4, 4 + data.length);
        chunk.putInt((int) crc.getValue());
        return chunk.array();
    }

    private static byte[] deflatedZeros(int megabytes) {
        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        byte[] zeros = new byte[1 << 20];
        try (OutputStream out = new DeflaterOutputStream(deflated, new Deflater(Deflater.BEST_COMPRESSION))) {
            for (int i = 0; i < megabytes; i++) {
                out.write(zeros);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return deflated.toByteArray();
    }

    /** The concatenated data of a PNG's IDAT chunks. */
    private static byte[] imageData(byte[] png) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (int at = PNG_SIGNATURE.length; at < png.length; ) {
            int length = ByteBuffer.wrap(png, at, 4).getInt();
            if (new String(png, at + 4, 4, StandardCharsets.US_ASCII).equals("IDAT")) {
                data.write(png, at + 8, length);
            }
            at += 12 + length;
        }
        return data.toByteArray();
    }

    /** Where the first chunk of {@code type} starts (its length field). */
    private static int chunk(byte[] png, String type) {
        for (int at = PNG_SIGNATURE.length; at + 8 <= png.length; ) {
            int length = ByteBuffer.wrap(png, at, 4).getInt();
            if (new String(png, at + 4, 4, StandardCharsets.US_ASCII).equals(type)) {
                return at;
            }
            at += 12 + length;
        }
        throw new IllegalArgumentException("no " + type + " chunk");
    }

    private static void fixCrc(byte[] png, int chunk) {
        int length = ByteBuffer.wrap(png, chunk, 4).getInt();
        CRC32 crc = new CRC32();
        crc.update(png, chunk + 4, 4 + length);
        ByteBuffer.wrap(png, chunk + 8 + length, 4).putInt((int) crc.getValue());
    }

    private static byte[] insertAfterIhdr(byte[] png, byte[] chunks) {
        int end = chunk(png, "IHDR") + 12 + 13;
        return concat(Arrays.copyOf(png, end), chunks, Arrays.copyOfRange(png, end, png.length));
    }

    /** Where the first segment with one of these markers starts (its 0xFF byte). */
    /** The offset of the first segment with one of these markers: its 0xFF, then the marker and the length. */
    private static int segment(byte[] jpeg, int... markers) {
        JpegSegments segments = JpegSegments.of(jpeg);
        while (segments.nextLeniently()) {
            for (int wanted : markers) {
                if (segments.marker() == wanted) {
                    return segments.start() - 4;
                }
            }
        }
        throw new IllegalArgumentException("no JPEG segment " + Arrays.toString(markers) + " before the scan");
    }

    private static byte[] jpegSegment(int marker, byte[] data) {
        if (data.length > JPEG_SEGMENT_MAX) {
            throw new IllegalArgumentException("a JPEG segment holds at most " + JPEG_SEGMENT_MAX + " bytes");
        }
        return concat(new byte[] {(byte) 0xFF, (byte) marker, (byte) ((data.length + 2) >> 8),
                (byte) (data.length + 2)}, data);
    }

    private static byte[] insertAfterSoi(byte[] jpeg, byte[] segments) {
        return concat(Arrays.copyOf(jpeg, 2), segments, Arrays.copyOfRange(jpeg, 2, jpeg.length));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
