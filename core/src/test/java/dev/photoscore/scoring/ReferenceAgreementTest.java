package dev.photoscore.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.photoscore.image.DecodedPhoto;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.modelpack.convert.NimaHead;
import dev.photoscore.modelpack.reference.KerasMobileNetReference;
import dev.photoscore.modelpack.testing.PublishedWeights;
import dev.photoscore.modelpack.testing.SharedData;
import dev.photoscore.modelpack.testing.TestModelPacks;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole scoring path (decode, resize, tensor layout, ONNX Runtime through DJL, output order) against the
 * independent Keras reference pass, on real photos: every photo of the shared sample folder with the layout
 * specimen's weights, and idealo's published check values with the published weights when present.
 */
class ReferenceAgreementTest {

    @TempDir
    Path tmp;

    @Test
    void specimenPackScoresEverySamplePhotoLikeTheReference() throws Exception {
        Path specimen = SharedData.requireFile("models/layout_specimen_random.h5");
        List<Path> samples = samplePhotos();
        assertFalse(samples.isEmpty());
        Path pack = TestModelPacks.fromWeights(specimen, specimen, tmp.resolve("pack"));
        KerasMobileNetReference reference = KerasMobileNetReference.load(specimen);
        try (PhotoScorer scorer = PhotoScorer.builder().modelDir(pack).threads(1)
                .limits(PhotoLimits.api().withoutSizeLimits()).build()) {
            for (Path sample : samples) {
                DecodedPhoto photo = scorer.decoder().decode(Files.readAllBytes(sample));
                PhotoScore score = scorer.score(photo);
                double expected = KerasMobileNetReference.meanScore(reference.predict(referenceInput(photo)));
                System.out.printf("%s: scorer %.5f, reference %.5f%n", sample.getFileName(),
                        score.outputs().get("nima.aesthetic"), expected);
                assertEquals(expected, score.outputs().get("nima.aesthetic"), 1e-3, sample.toString());
            }
        }
    }

    @Test
    void publishedWeightsGiveIdealosCheckValues() throws Exception {
        Path aesthetic = PublishedWeights.require(NimaHead.AESTHETIC);
        Path technical = PublishedWeights.require(NimaHead.TECHNICAL);
        Path photo = SharedData.requireFile("images/42039.jpg");
        Path pack = TestModelPacks.fromWeights(aesthetic, technical, tmp.resolve("published"));
        try (PhotoScorer scorer = PhotoScorer.builder().modelDir(pack).threads(1).build()) {
            PhotoScore score = scorer.score(Files.readAllBytes(photo));
            System.out.printf("42039.jpg: aesthetic %.4f (published 5.2282), technical %.4f (published 4.6476)%n",
                    score.outputs().get("nima.aesthetic"), score.outputs().get("nima.technical"));
            assertEquals(5.2282, score.outputs().get("nima.aesthetic"), 0.01);
            assertEquals(4.6476, score.outputs().get("nima.technical"), 0.01);
        }
    }

    /** The reference's input: the photo resized as the pack says (nearest), channels-last, x/127.5 - 1. */
    private static float[] referenceInput(DecodedPhoto photo) {
        int[] resized = ResizeMethod.NEAREST.resize(photo.image(), 224, 224);
        BufferedImage small = new BufferedImage(224, 224, BufferedImage.TYPE_INT_RGB);
        small.setRGB(0, 0, 224, 224, resized, 0, 224);
        return KerasMobileNetReference.normalisedInput(small);
    }

    private static List<Path> samplePhotos() throws IOException {
        Path images = SharedData.requireFile("images/42039.jpg").getParent();
        try (Stream<Path> files = Files.list(images)) {
            return files.filter(f -> f.toString().endsWith(".jpg")).sorted().toList();
        }
    }
}
