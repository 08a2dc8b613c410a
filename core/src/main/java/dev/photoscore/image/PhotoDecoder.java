package dev.photoscore.image;

import dev.photoscore.image.PhotoRejectedException.Reason;
import dev.photoscore.image.jpeg.BaselineJpeg;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

/**
 * Checks and decodes the bytes of a photo: JPEG or PNG by magic bytes, size limits, the pixel limit read from the
 * header before any pixel is decoded (decompression bombs), then decoding with ImageIO (TwelveMonkeys' JPEG reader
 * adds CMYK/YCCK and damaged-metadata support) ignoring metadata, EXIF orientation ({@link ExifOrientation}: that
 * one tag, nothing else of the file's metadata is read), and conversion to 8-bit RGB on white.
 *
 * <p>The {@link DecodeSize} says how many pixels are kept: every one, or a reduced image of at least a minimum size,
 * so that a 12-megapixel photo is neither held nor converted at full size. A baseline JPEG is reduced in one pass by
 * {@link BaselineJpeg} (DCT-domain scaling, the {@link NativeCrop} decoded in the same pass); what it does not
 * handle (progressive, CMYK, an ICC profile it does not take, ...) is read with the reader's source subsampling and
 * the crop read apart.
 *
 * <p>Thread-safe: it keeps no state between calls.
 */
public final class PhotoDecoder {

    static {
        // Plugins on the classpath (TwelveMonkeys) register here; done once for the class, not per call.
        ImageIO.scanForPlugins();
        ImageIO.setUseCache(false);
    }

    /** The smallest width and height scored: below it neither the models nor the features see a photo. */
    public static final int MIN_SIDE = 32;
    /** Bytes a pixel of the 8-bit RGB copy ({@code TYPE_INT_RGB}) takes. */
    private static final int RGB_BYTES = 4;
    /** Bytes a pixel takes in the largest layout a reader gives (16-bit RGBA), for a reader that names none. */
    private static final int MAX_RAW_BYTES = 8;

    private final PhotoLimits limits;
    private final DecodeSize size;

    /** A decoder that keeps every pixel. */
    public PhotoDecoder(PhotoLimits limits) {
        this(limits, DecodeSize.full());
    }

    public PhotoDecoder(PhotoLimits limits, DecodeSize size) {
        this.limits = limits;
        this.size = size;
    }

    public PhotoLimits limits() {
        return limits;
    }

    public DecodeSize size() {
        return size;
    }

    /** Checks the bytes and reads the header, decoding no pixel: the first half of {@link #decode}. */
    public PhotoHeader inspect(byte[] bytes) throws PhotoRejectedException {
        return read(bytes, (reader, header, warnings) -> header);
    }

    /**
     * The heap that decoding the photo takes at its peak, from its header, before any pixel is decoded: the reader's
     * image at the decoded size in its own layout (8 bytes a pixel for 16-bit RGBA, 3 for a colour JPEG), its 8-bit RGB
     * copy, and the turned copy when EXIF turns it; with the {@link NativeCrop} read apart when the photo is reduced.
     * For a JPEG that {@link BaselineJpeg} reduces, its own planes and images ({@link BaselineJpeg#footprint}) and
     * the turned copies. What {@link DecodeBudget} admits a photo by; the working copy the features take is bounded
     * and small beside it.
     */
    public long footprint(byte[] bytes) throws PhotoRejectedException {
        return read(bytes, (reader, header, warnings) -> {
            int step = size.step(header.uprightWidth(), header.uprightHeight());
            long turnedBytes = header.orientation() == 1 ? 0 : RGB_BYTES;
            Rectangle crop = NativeCrop.region(header.width(), header.height());
            Optional<BaselineJpeg> jpeg = step == 1 ? Optional.empty() : onePass(bytes, header);
            if (jpeg.isPresent()) {
                int eighths = size.eighths(header.uprightWidth(), header.uprightHeight());
                long pixels = (long) BaselineJpeg.scaledSide(header.width(), eighths)
                        * BaselineJpeg.scaledSide(header.height(), eighths);
                return jpeg.get().footprint(eighths, crop) + (pixels + (long) crop.width * crop.height) * turnedBytes;
            }
            long pixels = (long) ceilDiv(header.width(), step) * ceilDiv(header.height(), step);
            long cropPixels = step == 1 ? 0 : (long) crop.width * crop.height;
            return (pixels + cropPixels) * (rawBytesPerPixel(reader) + RGB_BYTES + turnedBytes);
        });
    }

    /** The photo as a JPEG that {@link BaselineJpeg} decodes, if it is one (and its frame agrees with the header). */
    private static Optional<BaselineJpeg> onePass(byte[] bytes, PhotoHeader header) throws IOException {
        if (header.format() != PhotoFormat.JPEG) {
            return Optional.empty();
        }
        return BaselineJpeg.of(bytes)
                .filter(jpeg -> jpeg.width() == header.width() && jpeg.height() == header.height());
    }

    private static int ceilDiv(int value, int divisor) {
        return (value + divisor - 1) / divisor;
    }

    private static int rawBytesPerPixel(ImageReader reader) throws IOException {
        ImageTypeSpecifier type = reader.getRawImageType(0);
        if (type == null) {
            Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
            type = types.hasNext() ? types.next() : null;
        }
        if (type == null) {
            return MAX_RAW_BYTES;
        }
        SampleModel layout = type.getSampleModel(1, 1);
        return Math.max(1, layout.getNumDataElements() * DataBuffer.getDataTypeSize(layout.getDataType()) / 8);
    }

    /**
     * Checks the bytes, then decodes them upright to 8-bit RGB at the decoder's {@link DecodeSize}, with their
     * {@link NativeCrop} at full resolution.
     */
    public DecodedPhoto decode(byte[] bytes) throws PhotoRejectedException {
        return read(bytes, (reader, header, warnings) -> {
            int step = size.step(header.uprightWidth(), header.uprightHeight());
            if (step > 1) {
                Optional<BaselineJpeg> jpeg = onePass(bytes, header);
                Optional<BaselineJpeg.Decoded> decoded = jpeg.isEmpty() ? Optional.empty() : jpeg.get().decode(
                        size.eighths(header.uprightWidth(), header.uprightHeight()),
                        NativeCrop.region(header.width(), header.height()));
                if (decoded.isPresent()) {
                    return new DecodedPhoto(orient(decoded.get().image(), header.orientation()),
                            orient(decoded.get().crop(), header.orientation()), header.format(), header.byteSize(),
                            header.width(), header.height());
                }
            }
            ImageReadParam param = reader.getDefaultReadParam();
            if (step > 1) {
                param.setSourceSubsampling(step, step, 0, 0);
            }
            BufferedImage read = reader.read(0, param);
            failOnTruncation(warnings);
            BufferedImage decoded = toRgbOnWhite(read);
            BufferedImage nativeCrop = step == 1 ? NativeCrop.of(decoded)
                    : readAtFullResolution(reader, NativeCrop.region(header.width(), header.height()), warnings);
            return new DecodedPhoto(orient(decoded, header.orientation()), orient(nativeCrop, header.orientation()),
                    header.format(), header.byteSize(), header.width(), header.height());
        });
    }

    /**
     * The {@link NativeCrop} of a photo decoded reduced, read again at full resolution (the reader's source region:
     * a baseline JPEG is decoded down to the crop's last row, not beyond).
     */
    private static BufferedImage readAtFullResolution(ImageReader reader, Rectangle region, List<String> warnings)
            throws IOException {
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceRegion(region);
        BufferedImage crop = reader.read(0, param);
        failOnTruncation(warnings);
        return toRgbOnWhite(crop);
    }

    /** What is done with a reader whose header passed the checks. */
    private interface ReaderStep<T> {
        T apply(ImageReader reader, PhotoHeader header, List<String> warnings) throws IOException;
    }

    private <T> T read(byte[] bytes, ReaderStep<T> step) throws PhotoRejectedException {
        limits.checkSize(bytes.length);
        PhotoFormat format = PhotoFormat.detect(bytes).orElseThrow(() -> new PhotoRejectedException(
                Reason.UNSUPPORTED_FORMAT, "the file is not a JPEG or PNG image"));
        ImageReader reader = reader(format);
        List<String> warnings = new ArrayList<>();
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(input, true, true);
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            checkPixels(width, height);
            return step.apply(reader, new PhotoHeader(format, bytes.length, width, height,
                    ExifOrientation.of(format, bytes)),
                    warnings);
        } catch (OutOfMemoryError e) {
            throw outOfMemory(e);
        } catch (IOException | RuntimeException e) {
            // The JDK's PNG reader wraps whatever it catches, an OutOfMemoryError included, in an IIOException.
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof OutOfMemoryError outOfMemory) {
                    throw outOfMemory(outOfMemory);
                }
            }
            throw new PhotoRejectedException(Reason.CORRUPT, "the " + format + " image is damaged and cannot be decoded"
                    + detail(e), e);
        } finally {
            reader.dispose();
        }
    }

    /** Running out of memory is the service's failure, not the photo's: never a rejection of the photo. */
    private static DecodeCapacityException outOfMemory(OutOfMemoryError e) {
        return new DecodeCapacityException("the service ran out of memory decoding the photo; retry shortly",
                OptionalLong.of(DecodeBudget.RETRY_AFTER_SECONDS), e);
    }

    private void checkPixels(int width, int height) throws PhotoRejectedException {
        if (width <= 0 || height <= 0) {
            throw new PhotoRejectedException(Reason.CORRUPT, "the image header gives no valid size");
        }
        if (width < MIN_SIDE || height < MIN_SIDE) {
            throw new PhotoRejectedException(Reason.TOO_FEW_PIXELS, "the image is " + width + "x" + height
                    + " pixels; at least " + MIN_SIDE + "x" + MIN_SIDE + " are needed");
        }
        if ((long) width * height > limits.maxPixels()) {
            throw new PhotoRejectedException(Reason.TOO_MANY_PIXELS, "the image is " + width + "x" + height
                    + " pixels; at most " + limits.maxPixels() / 1_000_000 + " megapixels are accepted");
        }
    }

    private static ImageReader reader(PhotoFormat format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByMIMEType(format.mediaType());
        if (!readers.hasNext()) {
            throw new IllegalStateException("no ImageIO reader for " + format);
        }
        return readers.next();
    }

    /**
     * libjpeg-style readers fill a truncated image with grey and only warn; a damaged photo must not be scored. A
     * damaged ICC profile is not one: TwelveMonkeys' reader warns ("Truncated 'ICC_PROFILE' chunk(s)", "Bad
     * 'ICC_PROFILE' chunk(s)") and decodes the pixels without it.
     */
    private static void failOnTruncation(List<String> warnings) throws IOException {
        for (String warning : warnings) {
            String text = warning.toLowerCase(Locale.ROOT);
            if (!text.contains("'icc_profile'")
                    && (text.contains("premature end") || text.contains("corrupt") || text.contains("truncat"))) {
                throw new IOException(warning);
            }
        }
    }

    private static String detail(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? "" : " (" + message.strip() + ")";
    }

    /**
     * Turns an RGB image upright as EXIF orientation {@code orientation} asks (TIFF 6.0 tag 274): 2 mirrored, 3 turned
     * 180 degrees, 4 flipped, 5 transposed, 6 to be turned 90 degrees clockwise, 7 transversed, 8 to be turned 90
     * degrees counter-clockwise. Each destination pixel reads the source pixel it comes from.
     */
    static BufferedImage orient(BufferedImage rgb, int orientation) {
        if (orientation == 1) {
            return rgb;
        }
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        boolean swap = orientation >= 5;
        int dw = swap ? h : w;
        int dh = swap ? w : h;
        int[] src = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
        BufferedImage out = new BufferedImage(dw, dh, BufferedImage.TYPE_INT_RGB);
        int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        for (int dy = 0; dy < dh; dy++) {
            for (int dx = 0; dx < dw; dx++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - dx; sy = dy; }
                    case 3 -> { sx = w - 1 - dx; sy = h - 1 - dy; }
                    case 4 -> { sx = dx; sy = h - 1 - dy; }
                    case 5 -> { sx = dy; sy = dx; }
                    case 6 -> { sx = dy; sy = h - 1 - dx; }
                    case 7 -> { sx = w - 1 - dy; sy = h - 1 - dx; }
                    case 8 -> { sx = w - 1 - dy; sy = dx; }
                    default -> throw new IllegalArgumentException("EXIF orientation " + orientation);
                }
                dst[dy * dw + dx] = src[sy * w + sx];
            }
        }
        return out;
    }

    /**
     * 8-bit sRGB with transparency composited on white. Grey images copy their grey value into R, G and B (as PIL
     * does, which the models were trained with) instead of going through Java2D's linear grey colour space.
     */
    static BufferedImage toRgbOnWhite(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            return bgrToRgb(image);
        }
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        ColorModel model = image.getColorModel();
        Raster raster = image.getRaster();
        int[] row = new int[w];
        if (model.getColorSpace().getNumComponents() == 1 && raster.getNumBands() <= 2) {
            int greyMax = (1 << model.getComponentSize(0)) - 1;
            boolean alpha = raster.getNumBands() == 2;
            int alphaMax = alpha ? (1 << model.getComponentSize(1)) - 1 : 1;
            int[] grey = new int[w];
            int[] opacity = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, grey);
                if (alpha) {
                    raster.getSamples(0, y, w, 1, 1, opacity);
                }
                for (int x = 0; x < w; x++) {
                    int v = (int) Math.round(grey[x] * 255.0 / greyMax);
                    if (alpha) {
                        v = onWhite(v, opacity[x] * 255 / alphaMax);
                    }
                    row[x] = v << 16 | v << 8 | v;
                }
                out.setRGB(0, y, w, 1, row, 0, w);
            }
            return out;
        }
        boolean alpha = model.hasAlpha();
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            if (alpha) {
                for (int x = 0; x < w; x++) {
                    int argb = row[x];
                    int a = argb >>> 24;
                    row[x] = onWhite(argb >> 16 & 0xFF, a) << 16 | onWhite(argb >> 8 & 0xFF, a) << 8
                            | onWhite(argb & 0xFF, a);
                }
            }
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        return out;
    }

    /**
     * What the JPEG reader gives for colour photos, read straight from its bytes: {@link BufferedImage#getRGB} goes
     * through the colour model pixel by pixel, many times slower.
     */
    private static BufferedImage bgrToRgb(BufferedImage bgr) {
        int w = bgr.getWidth();
        int h = bgr.getHeight();
        Raster raster = bgr.getRaster();
        ComponentSampleModel layout = (ComponentSampleModel) raster.getSampleModel();
        byte[] src = ((DataBufferByte) raster.getDataBuffer()).getData();
        int[] offsets = layout.getBandOffsets();
        int pixelStride = layout.getPixelStride();
        int scanline = layout.getScanlineStride();
        int origin = raster.getDataBuffer().getOffset() - raster.getSampleModelTranslateY() * scanline
                - raster.getSampleModelTranslateX() * pixelStride;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < h; y++) {
            int p = origin + y * scanline;
            int o = y * w;
            for (int x = 0; x < w; x++, p += pixelStride) {
                dst[o + x] = (src[p + offsets[0]] & 0xFF) << 16 | (src[p + offsets[1]] & 0xFF) << 8
                        | src[p + offsets[2]] & 0xFF;
            }
        }
        return out;
    }

    private static int onWhite(int value, int alpha) {
        return (value * alpha + 255 * (255 - alpha) + 127) / 255;
    }
}
