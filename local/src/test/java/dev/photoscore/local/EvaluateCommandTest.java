package dev.photoscore.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.modelpack.testing.TestModelPacks;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {

    @TempDir
    Path tmp;

    @Test
    void printsCorrelationsPerOutputAndTheConfusion() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data/images"));
        StringBuilder labels = new StringBuilder("file,score\n");
        Random random = new Random(8);
        for (int i = 0; i < 12; i++) {
            BufferedImage image = new BufferedImage(64 + 8 * i, 64, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    image.setRGB(x, y, random.nextInt(1 << 24));
                }
            }
            ImageIO.write(image, "png", data.resolve(i + ".png").toFile());
            labels.append("images/").append(i).append(".png,").append(10 + 7 * i).append('\n');
        }
        Files.writeString(tmp.resolve("data/labels.csv"), labels);
        Files.writeString(tmp.resolve("only.txt"), "images/0.png\nimages/1.png\nimages/2.png\nimages/3.png\n");
        Path pack = TestModelPacks.smallNima(tmp);

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = PhotoscoreCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), "evaluate",
                tmp.resolve("data").toString(), "--model-dir", pack.toString(), "--resamples", "200");
        assertEquals(0, exit, err.toString());
        String report = out.toString();
        assertTrue(report.startsWith("12 photos scored"), report);
        assertTrue(report.contains("nima.aesthetic"), report);
        assertTrue(report.contains("score (final)"), report);
        assertTrue(report.contains("label quintile"), report);

        StringWriter subset = new StringWriter();
        assertEquals(0, PhotoscoreCommand.run(new PrintWriter(subset, true), new PrintWriter(err, true), "evaluate",
                tmp.resolve("data").toString(), "--model-dir", pack.toString(), "--only",
                tmp.resolve("only.txt").toString(), "--resamples", "200"));
        assertTrue(subset.toString().startsWith("4 photos scored"), subset.toString());
    }
}
