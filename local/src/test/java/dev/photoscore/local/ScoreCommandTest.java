package dev.photoscore.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.photoscore.modelpack.testing.TestModelPacks;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreCommandTest {

    @TempDir
    Path tmp;

    @Test
    void printsTheFlagsOfEachPhoto() throws Exception {
        BufferedImage noise = new BufferedImage(200, 150, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(3);
        for (int y = 0; y < noise.getHeight(); y++) {
            for (int x = 0; x < noise.getWidth(); x++) {
                noise.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        Path photo = tmp.resolve("noise.png");
        ImageIO.write(noise, "png", photo.toFile());

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = PhotoscoreCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), "score",
                photo.toString(), "--model-dir", TestModelPacks.smallNima(tmp).toString(), "--no-size-limits");
        assertEquals(0, exit, err.toString());
        JsonNode line = new ObjectMapper().readTree(out.toString().lines().findFirst().orElseThrow());
        List<String> flags = new ArrayList<>();
        line.path("details").path("flags").forEach(flag -> flags.add(flag.asText()));
        assertTrue(flags.contains("noisy"), line.toString());
        assertTrue(line.path("quality").path("class").asInt() <= 2, line.toString());
    }
}
