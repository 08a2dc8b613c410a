package dev.photoscore.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.modelpack.convert.ModelPackBuilder;
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

    /** Twelve labelled photos in {@code DIR/images}, {@code images/0.png} to {@code images/11.png}. */
    Path labelledPhotos() throws Exception {
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
        return tmp.resolve("data");
    }

    static String evaluate(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 3];
        all[0] = "evaluate";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--resamples";
        all[args.length + 2] = "200";
        assertEquals(0, PhotoscoreCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), all),
                err.toString());
        return out.toString();
    }

    @Test
    void printsCorrelationsPerOutputAndTheConfusion() throws Exception {
        Path data = labelledPhotos();
        Files.writeString(tmp.resolve("only.txt"), "images/0.png\nimages/1.png\nimages/2.png\nimages/3.png\n");
        Path pack = TestModelPacks.smallNima(tmp);

        String report = evaluate(data.toString(), "--model-dir", pack.toString());
        assertTrue(report.startsWith("12 photos scored"), report);
        assertTrue(report.contains("nima.aesthetic"), report);
        assertTrue(report.contains("score (final)"), report);
        assertTrue(report.contains("label quintile"), report);

        String subset = evaluate(data.toString(), "--model-dir", pack.toString(), "--only",
                tmp.resolve("only.txt").toString());
        assertTrue(subset.startsWith("4 photos scored"), subset);
        assertFalse(subset.contains("training photos"), "the pack's quality model was not trained here: " + subset);
    }

    @Test
    void leavesOutThePhotosTheQualityModelWasTrainedOnUnlessAsked() throws Exception {
        Path data = labelledPhotos();
        Path pack = TestModelPacks.smallNima(tmp);
        // The pack's quality model as if trained on 4 photos of this folder (renamed since, and grown), 5 held out:
        // its provenance names only those, so any other photo may have been a training photo.
        Path provenance = Files.createDirectories(pack.resolve("quality")).resolve("quality-model.json");
        assertEquals(pack.resolve(ModelPackBuilder.QUALITY_PROVENANCE), provenance);
        Files.writeString(provenance, """
                {"data": {"folder": "labelled_then", "trainingPhotos": 4},
                 "heldOut": {"files": ["images/1.png", "images/4.png", "images/5.png", "images/8.png", "images/11.png"]}}
                """);

        String heldOut = evaluate(data.toString(), "--model-dir", pack.toString());
        assertTrue(heldOut.startsWith("5 photos scored"), heldOut);
        assertTrue(heldOut.contains("left out 7 photos the quality model was or may have been trained on: the quality"
                + " model was trained on 4 photos of labelled_then and held out 5; its provenance names only the"
                + " held-out ones (" + provenance + "); --include-training scores them too"), heldOut);

        String all = evaluate(data.toString(), "--model-dir", pack.toString(), "--include-training");
        assertTrue(all.startsWith("12 photos scored"), all);
        assertTrue(all.contains("including 7 photos the quality model was or may have been trained on"), all);
        assertTrue(all.contains("these figures flatter the model"), all);

        // A provenance that lists its training photos: exactly those are left out.
        Files.writeString(provenance, """
                {"data": {"folder": "labelled_then", "trainingPhotos": 4},
                 "training": {"files": ["images/0.png", "images/2.png", "images/3.png", "images/6.png"]},
                 "heldOut": {"files": ["images/1.png", "images/4.png", "images/5.png", "images/8.png", "images/11.png"]}}
                """);
        String listed = evaluate(data.toString(), "--model-dir", pack.toString());
        assertTrue(listed.startsWith("8 photos scored"), listed);
        assertTrue(listed.contains("left out 4 photos the quality model was or may have been trained on: the quality"
                + " model was trained on 4 photos of labelled_then and held out 5 (" + provenance + ")"), listed);
    }
}
