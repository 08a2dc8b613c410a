package dev.photoscore.training;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;

/** Labelled photos for training: drawings whose score falls with the blur they were given, a relation the features see. */
final class BlurredDrawings {

    private BlurredDrawings() {
    }

    /** Writes {@code count} PNG drawings under {@code data/images} and their scores to {@code data/labels.csv}. */
    static void write(Path data, int count) throws IOException {
        Files.createDirectories(data.resolve("images"));
        StringBuilder labels = new StringBuilder("file,score\n");
        Random random = new Random(1);
        for (int i = 0; i < count; i++) {
            int blur = i % 6;
            BufferedImage photo = blurred(drawing(random), blur);
            String file = "images/" + i + ".png";
            ImageIO.write(photo, "png", data.resolve(file).toFile());
            labels.append(file).append(',').append(90 - 14 * blur + random.nextGaussian()).append('\n');
        }
        Files.writeString(data.resolve("labels.csv"), labels);
    }

    private static BufferedImage drawing(Random random) {
        BufferedImage image = new BufferedImage(160, 120, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, 160, 120);
        for (int i = 0; i < 150; i++) {
            g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
            g.fillRect(random.nextInt(160), random.nextInt(120), 2 + random.nextInt(30), 2 + random.nextInt(30));
        }
        g.dispose();
        return image;
    }

    /** A box blur of width {@code 2 * radius + 1}; radius 0 returns the image. */
    private static BufferedImage blurred(BufferedImage image, int radius) {
        if (radius == 0) {
            return image;
        }
        int size = 2 * radius + 1;
        float[] box = new float[size * size];
        Arrays.fill(box, 1f / box.length);
        return new ConvolveOp(new Kernel(size, size, box), ConvolveOp.EDGE_NO_OP, null).filter(image, null);
    }
}
