package dev.photoscore.scoring;

import static dev.photoscore.testing.TestPhotos.jpeg;
import static dev.photoscore.testing.TestPhotos.texturedRgb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.photoscore.image.DecodeSize;
import dev.photoscore.image.PhotoRejectedException;
import dev.photoscore.modelpack.Calibration;
import dev.photoscore.modelpack.testing.TestModelPacks;
import dev.photoscore.quality.flags.PhotoFlag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhotoScorerTest {

    @TempDir
    static Path tmp;

    static Path pack;
    static List<byte[]> photos = new ArrayList<>();

    @BeforeAll
    static void buildPackAndPhotos() {
        pack = TestModelPacks.smallNima(tmp);
        for (int i = 0; i < 6; i++) {
            photos.add(jpeg(texturedRgb(300 + 40 * i, 240 + 20 * i, i)));
        }
    }

    @AfterAll
    static void release() {
        photos.clear();
    }

    @Test
    void aNamedCalibrationVariantRunsOnlyTheModelsItTakes() throws Exception {
        TestModelPacks.NimaWeights weights = TestModelPacks.smallWeights(tmp.resolve("both"));
        Path both = TestModelPacks.withBundled(weights.aesthetic(), weights.technical(), null, tmp.resolve("both/pack"));
        try (PhotoScorer first = PhotoScorer.builder().modelDir(both).threads(1).build();
             PhotoScorer quality = PhotoScorer.builder().modelDir(both).threads(1).variant("quality").build();
             PhotoScorer named = PhotoScorer.builder().modelDir(both).threads(1).variant("nima-prior").build()) {
            // With the heads and a quality model that does not take their means, the bundled calibration's first
            // variant combines both.
            PhotoScore combined = first.score(photos.get(0));
            assertTrue(combined.calibration().endsWith("/quality+nima-prior"), combined.calibration());
            assertEquals(Set.of("quality.mos", "quality.collage", "nima.aesthetic", "nima.technical"),
                    combined.outputs().keySet());
            assertEquals(List.of("quality.mos", "quality.collage"),
                    List.copyOf(quality.score(photos.get(0)).outputs().keySet()));
            PhotoScore score = named.score(photos.get(0));
            assertEquals(List.of("nima.aesthetic", "nima.technical"), List.copyOf(score.outputs().keySet()));
            assertTrue(score.calibration().endsWith("/nima-prior"), score.calibration());
        }
        ScorerUnavailableException unknown = assertThrows(ScorerUnavailableException.class,
                () -> PhotoScorer.builder().modelDir(pack).variant("quality").build());
        assertTrue(unknown.getMessage().contains("has no variant quality whose inputs the pack provides"),
                unknown.getMessage());
    }

    @Test
    void scoresWithBothHeadsAndTheCalibration() throws Exception {
        try (PhotoScorer scorer = PhotoScorer.builder().modelDir(pack).threads(1).build()) {
            PhotoScore score = scorer.score(photos.get(0));
            assertTrue(score.score() >= 0 && score.score() <= 1);
            assertEquals(PhotoScore.classOf(score.score()), score.qualityClass());
            assertEquals(List.of("nima.aesthetic", "nima.technical"), List.copyOf(score.outputs().keySet()));
            score.outputs().values().forEach(mean -> assertTrue(mean >= 1 && mean <= 10, "mean " + mean));
            assertTrue(score.calibration().endsWith("/nima-prior"), score.calibration());
            assertTrue(scorer.describe().contains("nima [aesthetic, technical]"), scorer.describe());
        }
    }

    @Test
    void sameBytesSameScoreWhateverTheThreads() throws Exception {
        List<PhotoScore> sequential = new ArrayList<>();
        try (PhotoScorer scorer = PhotoScorer.builder().modelDir(pack).threads(1).build()) {
            for (byte[] photo : photos) {
                sequential.add(scorer.score(photo));
            }
        }
        try (PhotoScorer scorer = PhotoScorer.builder().modelDir(pack).threads(3).intraOpThreads(2).build()) {
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Future<PhotoScore>> concurrent = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    for (byte[] photo : photos) {
                        concurrent.add(pool.submit(() -> scorer.score(photo)));
                    }
                }
                for (int i = 0; i < concurrent.size(); i++) {
                    PhotoScore expected = sequential.get(i % photos.size());
                    PhotoScore actual = concurrent.get(i).get();
                    assertEquals(expected.score(), actual.score(), 0.0, "photo " + i % photos.size());
                    assertEquals(expected.outputs(), actual.outputs());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void differentPhotosGetDifferentScores() throws Exception {
        try (PhotoScorer scorer = PhotoScorer.builder().modelDir(pack).threads(1).build()) {
            // The outputs, not the scores: these noise-textured photos are flagged noisy, so both scores are capped.
            assertNotEquals(scorer.score(photos.get(0)).outputs(), scorer.score(photos.get(3)).outputs());
        }
    }

    /** A copy of the small pack whose calibration gives every photo 0.9, with {@code cap} (JSON) or no cap. */
    static Path packScoringNineTenths(String name, String cap) throws IOException {
        Path copy = Files.createDirectories(tmp.resolve(name));
        try (Stream<Path> files = Files.list(pack)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        Files.writeString(copy.resolve(Calibration.FILE_NAME), "{\"version\": \"test\", \"description\": \"0.9\","
                + cap + " \"variants\": [{\"name\": \"flat\", \"inputs\": [\"nima.aesthetic\"], \"weights\": [1],"
                + " \"bias\": 0, \"knotsX\": [0, 10], \"knotsY\": [0.9, 0.9]}]}");
        return copy;
    }

    @Test
    void aFlaggedPhotoScoresBelowClassThree() throws Exception {
        // Uniform noise of +-30 on each channel: these photos are noisy.
        byte[] noisy = photos.get(0);
        try (PhotoScorer capped = PhotoScorer.builder().threads(1)
                .modelDir(packScoringNineTenths("capped", " \"flaggedMaxScore\": 0.3999,")).build();
             PhotoScorer uncapped = PhotoScorer.builder().threads(1)
                     .modelDir(packScoringNineTenths("uncapped", "")).build()) {
            PhotoScore score = capped.score(noisy);
            assertTrue(score.flags().contains(PhotoFlag.NOISY), score.flags().toString());
            assertEquals(0.3999, score.score());
            assertEquals(2, score.qualityClass());
            PhotoScore free = uncapped.score(noisy);
            assertEquals(score.flags(), free.flags());
            assertEquals(0.9, free.score(), 1e-12);
            assertEquals(score.outputs(), free.outputs());
        }
    }

    @Test
    void aPhotoWithoutFlagsKeepsItsScore() throws Exception {
        Path photo = Path.of(System.getProperty("photoscore.shared", "../shared"), "images", "aesthetic4.jpg");
        assumeTrue(Files.isRegularFile(photo), "skipped: no shared photos (set photoscore.shared)");
        try (PhotoScorer capped = PhotoScorer.builder().threads(1)
                .modelDir(packScoringNineTenths("capped-clean", " \"flaggedMaxScore\": 0.3999,")).build()) {
            PhotoScore score = capped.score(Files.readAllBytes(photo));
            assertEquals(List.of(), score.flags());
            assertEquals(0.9, score.score(), 1e-12);
            assertEquals(5, score.qualityClass());
        }
    }

    @Test
    void decodesLargePhotosReducedToTwiceTheModelInputUnlessAskedForEveryPixel() throws Exception {
        byte[] large = jpeg(texturedRgb(2400, 1800, 7));
        try (PhotoScorer reduced = PhotoScorer.builder().modelDir(pack).threads(1).build();
             PhotoScorer full = PhotoScorer.builder().modelDir(pack).threads(1).fullDecode(true).build()) {
            assertEquals(DecodeSize.atLeast(448, 448), reduced.decoder().size());
            assertEquals(600, reduced.decoder().decode(large).width(), "2400 / min(2400 / 448, 1800 / 448)");
            assertTrue(full.decoder().size().isFull());
            assertEquals(2400, full.decoder().decode(large).width());
            // Every 4th pixel, then nearest neighbour to 224x224: close to, not the same as, sampling the full photo.
            assertEquals(full.score(large).outputs().get("nima.aesthetic"),
                    reduced.score(large).outputs().get("nima.aesthetic"), 0.05);
        }
    }

    @Test
    void rejectionsComeThroughTyped() throws Exception {
        try (PhotoScorer scorer = PhotoScorer.builder().modelDir(pack).threads(1).build()) {
            PhotoRejectedException e = assertThrows(PhotoRejectedException.class,
                    () -> scorer.score("not a photo".repeat(3000).getBytes()));
            assertEquals(PhotoRejectedException.Reason.UNSUPPORTED_FORMAT, e.reason());
        }
    }

    @Test
    void scoresWithTheProjectsOwnQualityModel() throws Exception {
        Path offline = TestModelPacks.offline(tmp.resolve("offline"));
        try (PhotoScorer scorer = PhotoScorer.builder().modelDir(offline).threads(1).build()) {
            PhotoScore sharp = scorer.score(photos.get(0));
            // The quality graph's outputs: the opinion score, and the collage classifier's margin beside it.
            assertEquals(List.of("quality.mos", "quality.collage"), List.copyOf(sharp.outputs().keySet()));
            assertTrue(sharp.calibration().endsWith("/quality"), sharp.calibration());
            assertTrue(sharp.score() >= 0 && sharp.score() <= 1);
            assertTrue(scorer.describe().contains("quality [mos, collage]"), scorer.describe());
        }
    }

    @Test
    void aPackWithoutModelsSaysWhatItHas() {
        Path empty = TestModelPacks.withoutModels(tmp.resolve("empty"));
        ScorerUnavailableException e = assertThrows(ScorerUnavailableException.class,
                () -> PhotoScorer.builder().modelDir(empty).build());
        assertTrue(e.getMessage().contains("has no model to score with: it holds no models"), e.getMessage());
    }

    @Test
    void aFolderThatIsNoPackIsNamed() {
        Exception e = assertThrows(RuntimeException.class,
                () -> PhotoScorer.builder().modelDir(tmp.resolve("nothing-here")).build());
        assertTrue(e.getMessage().startsWith("no model pack at "), e.getMessage());
    }
}
