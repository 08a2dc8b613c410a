package dev.photoscore.image.jpeg;

import com.twelvemonkeys.imageio.color.ColorSpaces;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.util.Optional;

/**
 * The ICC profile a colour JPEG carries in its APP2 {@code ICC_PROFILE} segments (ICC.1 annex B.4), and the
 * conversion of its decoded pixels to sRGB that TwelveMonkeys' JPEG reader would apply: the profile's colour space
 * as {@link ColorSpaces#createColorSpace} makes it, converted by a {@link ColorConvertOp} on 8-bit interleaved
 * samples, nothing done when that colour space is sRGB's own.
 *
 * <p>Why: phones embed profiles (iPhones write Display P3, many tools the ordinary sRGB profile); without this the
 * one-pass decoder had to leave every such file to ImageIO's slower reduced read. Only what that reader converts
 * without warnings is taken: chunks numbered 1..n once each, a profile Java parses and TwelveMonkeys validates, of
 * the display class (the reader turns some other classes into display profiles first) and of an RGB colour space.
 * Anything else stays {@link Optional#empty() not handled} and goes to ImageIO as before. A grey JPEG's profile is
 * ignored, as that reader ignores it.
 */
final class EmbeddedProfile {

    private final ColorConvertOp toSrgb;

    private EmbeddedProfile(ColorConvertOp toSrgb) {
        this.toSrgb = toSrgb;
    }

    /**
     * The ICC APP2 segments of one file, gathered as the markers are read: where each chunk's bytes lie in the file,
     * copied once when they are joined.
     */
    static final class Chunks {
        private byte[] jpeg;
        /** Per chunk number - 1: its bytes' start and end in {@link #jpeg}, or null while not seen. */
        private int[][] ranges;
        private boolean malformed;

        /** One segment's payload after its {@code ICC_PROFILE} signature: its number, the count, the bytes. */
        void add(byte[] jpeg, int start, int end) {
            if (end - start < 3) {
                malformed = true;
                return;
            }
            int number = jpeg[start] & 0xFF;
            int count = jpeg[start + 1] & 0xFF;
            if (ranges == null) {
                this.jpeg = jpeg;
                ranges = new int[Math.max(count, 1)][];
            }
            if (count != ranges.length || number < 1 || number > count || ranges[number - 1] != null) {
                malformed = true;
                return;
            }
            ranges[number - 1] = new int[] {start + 2, end};
        }

        boolean present() {
            return ranges != null;
        }

        /** The profile's bytes joined in chunk order, or null when a chunk is missing, repeated or misnumbered. */
        byte[] joined() {
            if (ranges == null || malformed) {
                return null;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int[] range : ranges) {
                if (range == null) {
                    return null;
                }
                out.write(jpeg, range[0], range[1] - range[0]);
            }
            return out.toByteArray();
        }
    }

    /**
     * The conversion for a JPEG whose components are {@code colour} and whose ICC segments are {@code chunks}.
     *
     * @return empty when the file must go to ImageIO (a profile this class does not take, see above); a profile
     *         that changes nothing (none, a grey JPEG's, sRGB's own) gives a conversion that does nothing
     */
    static Optional<EmbeddedProfile> of(Chunks chunks, JpegFrame.Colour colour) {
        if (!chunks.present() || colour == JpegFrame.Colour.GREY) {
            return Optional.of(new EmbeddedProfile(null));
        }
        byte[] data = chunks.joined();
        if (data == null) {
            return Optional.empty();
        }
        try {
            ICC_Profile profile = ColorSpaces.validateProfile(ICC_Profile.getInstance(data));
            if (profile.getProfileClass() != ICC_Profile.CLASS_DISPLAY
                    || profile.getColorSpaceType() != ColorSpace.TYPE_RGB) {
                return Optional.empty();
            }
            if (ColorSpaces.isCS_sRGB(profile)) {
                return Optional.of(new EmbeddedProfile(null));
            }
            ICC_ColorSpace space = ColorSpaces.createColorSpace(profile);
            ColorSpace srgb = ColorSpace.getInstance(ColorSpace.CS_sRGB);
            return Optional.of(new EmbeddedProfile(space == srgb ? null : new ColorConvertOp(space, srgb, null)));
        } catch (RuntimeException e) {
            // IllegalArgumentException or CMMException by platform: a damaged profile, which ImageIO reports.
            return Optional.empty();
        }
    }

    /** The bytes {@link #toSrgb} allocates for images of {@code pixels} pixels in all. */
    long conversionBytes(long pixels) {
        return toSrgb == null ? 0 : 6 * pixels;
    }

    /**
     * {@code image} ({@code TYPE_INT_RGB}) in sRGB: itself when the profile changes nothing, else converted through
     * 8-bit interleaved samples, the layout whose conversion runs in the colour management module (about 15 ns a
     * pixel here, against 150 for the same conversion on the packed ints).
     */
    BufferedImage toSrgb(BufferedImage image) {
        if (toSrgb == null) {
            return image;
        }
        int width = image.getWidth();
        int height = image.getHeight();
        int[] rgb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        WritableRaster samples = interleaved(width, height);
        byte[] bytes = ((DataBufferByte) samples.getDataBuffer()).getData();
        for (int i = 0, j = 0; i < rgb.length; i++, j += 3) {
            int pixel = rgb[i];
            bytes[j] = (byte) (pixel >> 16);
            bytes[j + 1] = (byte) (pixel >> 8);
            bytes[j + 2] = (byte) pixel;
        }
        WritableRaster converted = interleaved(width, height);
        toSrgb.filter(samples, converted);
        byte[] out = ((DataBufferByte) converted.getDataBuffer()).getData();
        for (int i = 0, j = 0; i < rgb.length; i++, j += 3) {
            rgb[i] = (out[j] & 0xFF) << 16 | (out[j + 1] & 0xFF) << 8 | out[j + 2] & 0xFF;
        }
        return image;
    }

    private static WritableRaster interleaved(int width, int height) {
        return Raster.createInterleavedRaster(new DataBufferByte(3 * width * height), width, height, 3 * width, 3,
                new int[] {0, 1, 2}, null);
    }
}
