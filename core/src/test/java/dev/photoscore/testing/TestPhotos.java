package dev.photoscore.testing;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** Photos the tests make themselves: textured enough that a JPEG of a few hundred pixels is above 20 KB. */
public final class TestPhotos {

    private static final String JPEG_METADATA = "javax_imageio_jpeg_image_1.0";

    private TestPhotos() {
    }

    /** {@code image} resized to {@code width x height} by Java2D's bicubic interpolation, 8-bit RGB. */
    public static BufferedImage bicubic(BufferedImage image, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(image, 0, 0, width, height, null);
        g.dispose();
        return out;
    }

    /** A colourful, textured RGB image (smooth gradients plus seeded noise). */
    public static BufferedImage texturedRgb(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = clamp(255 * x / width + random.nextInt(60) - 30);
                int g = clamp(255 * y / height + random.nextInt(60) - 30);
                int b = clamp(128 + (int) (100 * Math.sin((x + y) / 17.0)) + random.nextInt(60) - 30);
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return image;
    }

    public static byte[] jpeg(BufferedImage image) {
        return jpeg(image, 0.9f, false);
    }

    public static byte[] jpeg(BufferedImage image, float quality, boolean progressive) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter writer = writers.next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        if (progressive) {
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * A baseline JPEG written by ImageIO's writer with the frame's sampling factors set per component (luma first;
     * {@code {2, 1, 1}} across and {@code {2, 1, 1}} down is 4:2:0, all ones 4:4:4) and a restart marker every
     * {@code restartInterval} MCUs (0: none), by editing the writer's native metadata tree.
     */
    public static byte[] jpeg(BufferedImage image, float quality, int[] across, int[] down, int restartInterval) {
        return jpeg(image, quality, (root, markers) -> {
            Node sof = markers.getElementsByTagName("sof").item(0);
            NodeList specs = ((IIOMetadataNode) sof).getElementsByTagName("componentSpec");
            for (int i = 0; i < specs.getLength(); i++) {
                IIOMetadataNode spec = (IIOMetadataNode) specs.item(i);
                spec.setAttribute("HsamplingFactor", String.valueOf(across[i]));
                spec.setAttribute("VsamplingFactor", String.valueOf(down[i]));
            }
            if (restartInterval > 0) {
                IIOMetadataNode dri = new IIOMetadataNode("dri");
                dri.setAttribute("interval", String.valueOf(restartInterval));
                markers.insertBefore(dri, sof);
            }
        });
    }

    /** A baseline JPEG of RGB samples, no colour transform: no JFIF marker, an Adobe marker with transform 0. */
    public static byte[] adobeRgbJpeg(BufferedImage image, float quality) {
        return jpeg(image, quality, (root, markers) -> {
            Node variety = root.getElementsByTagName("JPEGvariety").item(0);
            while (variety.hasChildNodes()) {
                variety.removeChild(variety.getFirstChild());
            }
            IIOMetadataNode adobe = new IIOMetadataNode("app14Adobe");
            adobe.setAttribute("transform", "0");
            markers.insertBefore(adobe, markers.getFirstChild());
        });
    }

    /** What {@link #jpeg(BufferedImage, float, MetadataEdit)} changes in the writer's native metadata tree. */
    private interface MetadataEdit {
        void apply(IIOMetadataNode root, IIOMetadataNode markerSequence);
    }

    private static byte[] jpeg(BufferedImage image, float quality, MetadataEdit edit) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(image), param);
            IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(JPEG_METADATA);
            edit.apply(root, (IIOMetadataNode) root.getElementsByTagName("markerSequence").item(0));
            metadata.setFromTree(JPEG_METADATA, root);
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, metadata), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", bytes)) {
                throw new IllegalStateException("no PNG writer for image type " + image.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The bytes followed by zeros up to {@code size}: decoders stop at the image's end, so it decodes the same. */
    public static byte[] paddedTo(byte[] photo, int size) {
        if (photo.length > size) {
            throw new IllegalArgumentException("photo of " + photo.length + " bytes is already above " + size);
        }
        return Arrays.copyOf(photo, size);
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
