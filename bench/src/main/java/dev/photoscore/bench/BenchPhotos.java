package dev.photoscore.bench;

import dev.photoscore.testing.TestPhotos;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The benchmark's photos. Camera-sized photos are made from the sample photos in {@code shared/images}: upscaled
 * (bicubic), with seeded Gaussian grain of {@value #GRAIN} grey levels standing in for a sensor's fine detail and
 * noise, so that a 12-megapixel JPEG weighs what a phone's does (about 0.25-0.3 bytes per pixel at quality 90; a
 * smooth upscale weighs a third of that and decodes faster than real photos).
 */
final class BenchPhotos {

    /** Standard deviation of the grain, in 8-bit levels. */
    static final double GRAIN = 5;
    static final float JPEG_QUALITY = 0.9f;

    /** One benchmark photo on disk. */
    record Photo(String label, Path file) {

        byte[] bytes() {
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private BenchPhotos() {
    }

    /** The photos of the table, made in {@code dir} on first use. */
    static List<Photo> prepare(Path images, Path dir) {
        try {
            Files.createDirectories(dir);
            return List.of(
                    // 640x480: a real photo as it is.
                    new Photo("0.3 MP JPEG", images.resolve("42039.jpg")),
                    camera(images.resolve("aesthetic6.jpg"), 2048, 1536, "jpeg", dir.resolve("3mp.jpg"), "3 MP JPEG"),
                    camera(images.resolve("aesthetic6.jpg"), 4000, 3000, "jpeg", dir.resolve("12mp.jpg"),
                            "12 MP JPEG"),
                    camera(images.resolve("aesthetic1.jpg"), 6000, 4000, "jpeg", dir.resolve("24mp.jpg"),
                            "24 MP JPEG"),
                    camera(images.resolve("aesthetic6.jpg"), 4000, 3000, "png", dir.resolve("12mp.png"),
                            "12 MP PNG"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Photo camera(Path source, int width, int height, String format, Path file, String label)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            Files.write(file, encode(upscaledWithGrain(ImageIO.read(source.toFile()), width, height, 1), format));
        }
        return new Photo(label, file);
    }

    /** {@code source} resized to {@code width x height} (bicubic) with seeded Gaussian grain on the luma. */
    static BufferedImage upscaledWithGrain(BufferedImage source, int width, int height, long seed) {
        BufferedImage out = TestPhotos.bicubic(source, width, height);
        int[] pixels = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        Random random = new Random(seed);
        for (int i = 0; i < pixels.length; i++) {
            int p = pixels[i];
            int n = (int) Math.round(random.nextGaussian() * GRAIN);
            pixels[i] = clamp((p >> 16 & 0xFF) + n) << 16 | clamp((p >> 8 & 0xFF) + n) << 8 | clamp((p & 0xFF) + n);
        }
        return out;
    }

    /** JPEG at quality {@value #JPEG_QUALITY} (the JDK's encoder, 4:2:0) or PNG. */
    static byte[] encode(BufferedImage image, String format) throws IOException {
        return encode(image, format, JPEG_QUALITY);
    }

    /** JPEG at {@code quality} (0..1; the JDK's encoder, 4:2:0) or PNG. */
    static byte[] encode(BufferedImage image, String format, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        if (format.equals("jpeg")) {
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
