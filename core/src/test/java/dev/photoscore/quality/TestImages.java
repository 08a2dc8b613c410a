package dev.photoscore.quality;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.util.Random;

/** Synthetic photos with known properties for the feature tests. */
final class TestImages {

    private TestImages() {
    }

    /**
     * A "dead leaves" image: overlapping discs of random colour with radii from a power law, whose statistics are
     * close to those of natural photos (sharp edges at every scale), drawn without antialiasing so it is exact.
     */
    static BufferedImage deadLeaves(int width, int height, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        Random random = new Random(seed);
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, width, height);
        for (int i = 0; i < 3000; i++) {
            // Radius density ~ r^-3 between 2 and 120 pixels, as for scale-invariant natural images.
            double u = random.nextDouble();
            double radius = 1 / Math.sqrt((1 - u) / (2.0 * 2.0) + u / (120.0 * 120.0));
            int x = random.nextInt(width);
            int y = random.nextInt(height);
            g.setColor(new Color(30 + random.nextInt(196), 30 + random.nextInt(196), 30 + random.nextInt(196)));
            int r = (int) Math.round(radius);
            g.fillOval(x - r, y - r, 2 * r, 2 * r);
        }
        g.dispose();
        return image;
    }

    static BufferedImage grey(int width, int height, int value) {
        return map(new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR), (x, y, c, v) -> value);
    }

    /** The image blurred by a Gaussian of the given standard deviation (edges extended, not darkened). */
    static BufferedImage gaussianBlur(BufferedImage image, double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        float[] kernel = Plane.gaussianKernel(sigma, radius);
        int pad = radius;
        BufferedImage padded = new BufferedImage(image.getWidth() + 2 * pad, image.getHeight() + 2 * pad,
                BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < padded.getHeight(); y++) {
            for (int x = 0; x < padded.getWidth(); x++) {
                int sx = Math.min(Math.max(x - pad, 0), image.getWidth() - 1);
                int sy = Math.min(Math.max(y - pad, 0), image.getHeight() - 1);
                padded.setRGB(x, y, image.getRGB(sx, sy));
            }
        }
        BufferedImage across = new ConvolveOp(new Kernel(kernel.length, 1, kernel)).filter(padded, null);
        BufferedImage both = new ConvolveOp(new Kernel(1, kernel.length, kernel)).filter(across, null);
        return copy(both.getSubimage(pad, pad, image.getWidth(), image.getHeight()), BufferedImage.TYPE_3BYTE_BGR);
    }

    /** The image with independent Gaussian noise of the given standard deviation added to each pixel, the same to all channels. */
    static BufferedImage withNoise(BufferedImage image, double sigma, long seed) {
        Random random = new Random(seed);
        double[] noise = new double[image.getWidth() * image.getHeight()];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = sigma * random.nextGaussian();
        }
        return map(image, (x, y, c, v) -> (int) Math.round(v + noise[y * image.getWidth() + x]));
    }

    /** Every channel value multiplied by {@code factor}, clipped to 0..255. */
    static BufferedImage scaled(BufferedImage image, double factor) {
        return map(image, (x, y, c, v) -> (int) Math.round(v * factor));
    }

    /** A copy of the image as the given {@link BufferedImage} type. */
    static BufferedImage copy(BufferedImage image, int type) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), type);
        Graphics2D g = out.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return out;
    }

    interface ChannelFunction {
        int apply(int x, int y, int channel, int value);
    }

    /** Applies {@code f} to each channel of each pixel (channel 0 red, 1 green, 2 blue), clipping to 0..255. */
    static BufferedImage map(BufferedImage image, ChannelFunction f) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = clip(f.apply(x, y, 0, (rgb >> 16) & 0xff));
                int g = clip(f.apply(x, y, 1, (rgb >> 8) & 0xff));
                int b = clip(f.apply(x, y, 2, rgb & 0xff));
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }

    private static int clip(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
