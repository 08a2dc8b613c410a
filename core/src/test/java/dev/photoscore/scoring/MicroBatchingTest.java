package dev.photoscore.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.image.DecodedPhoto;
import dev.photoscore.image.NativeCrop;
import dev.photoscore.image.PhotoFormat;
import dev.photoscore.modelpack.testing.TestModelPacks;
import dev.photoscore.testing.TestPhotos;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Micro-batching on the CPU: the same code the GPU service runs, with ONNX Runtime's CPU build. */
class MicroBatchingTest {

    @TempDir
    Path tmp;

    @Test
    void concurrentPhotosShareModelCallsAndScoreAsTheyDoAlone() throws Exception {
        Path models = TestModelPacks.smallNima(tmp);
        List<byte[]> photos = new ArrayList<>();
        for (int seed = 0; seed < 16; seed++) {
            photos.add(TestPhotos.jpeg(TestPhotos.texturedRgb(320 + 16 * seed, 240 + 8 * seed, seed)));
        }
        try (PhotoScorer alone = PhotoScorer.builder().modelDir(models).threads(1).build();
             PhotoScorer batched = PhotoScorer.builder().modelDir(models).threads(1)
                     .microBatching(new MicroBatching(8, Duration.ofSeconds(2))).build()) {
            List<PhotoScore> expected = new ArrayList<>();
            for (byte[] photo : photos) {
                expected.add(alone.score(photo));
            }
            List<PhotoScore> together = concurrently(photos.size(), i -> batched.score(photos.get(i)));

            MicroBatching.Stats stats = batched.batchingStats().orElseThrow();
            assertEquals(16, stats.photos());
            assertTrue(stats.batches() <= 4, "16 photos arriving together in batches of 8: " + stats);
            assertEquals(stats.batches(), batched.modelCalls(), "one call of the pack's one model per batch");
            assertEquals(16, alone.modelCalls());
            for (int i = 0; i < photos.size(); i++) {
                assertEquals(expected.get(i).qualityClass(), together.get(i).qualityClass());
                assertEquals(expected.get(i).score(), together.get(i).score(), 1e-6, "photo " + i);
                for (Map.Entry<String, Double> output : expected.get(i).outputs().entrySet()) {
                    assertEquals(output.getValue(), together.get(i).outputs().get(output.getKey()), 1e-5,
                            "photo " + i + " " + output.getKey());
                }
            }
            assertTrue(alone.batchingStats().isEmpty());
        }
    }

    @Test
    void batchesCloseWhenFullOrWhenTheirFirstPhotoHasWaited() throws Exception {
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        try (MicroBatcher batcher = new MicroBatcher(new MicroBatching(3, Duration.ofSeconds(2)), 1,
                batch -> { sizes.add(batch.size()); return batch.stream().map(MicroBatchingTest::scoreOf).toList(); })) {
            List<PhotoScore> scores = concurrently(10, i -> batcher.score(photo(i + 1)));
            for (int i = 0; i < 10; i++) {
                assertEquals(scoreOf(photo(i + 1)).score(), scores.get(i).score(), "each caller gets its own score");
            }
            assertEquals(10, sizes.stream().mapToInt(Integer::intValue).sum());
            assertTrue(sizes.stream().allMatch(size -> size <= 3), sizes.toString());
            assertEquals(new MicroBatching.Stats(sizes.size(), 10), batcher.stats());
        }
        sizes.clear();
        try (MicroBatcher batcher = new MicroBatcher(new MicroBatching(8, Duration.ofMillis(20)), 2,
                batch -> { sizes.add(batch.size()); return batch.stream().map(MicroBatchingTest::scoreOf).toList(); })) {
            batcher.score(photo(5));
            assertEquals(List.of(1), sizes, "a photo alone is scored once its wait is over");
        }
    }

    @Test
    void aFailedBatchFailsEachOfItsPhotosAndAClosedBatcherRefuses() throws Exception {
        ScorerUnavailableException failure = new ScorerUnavailableException("inference failed");
        MicroBatcher batcher = new MicroBatcher(new MicroBatching(4, Duration.ofMillis(200)), 1, batch -> {
            throw failure;
        });
        List<Object> outcomes = concurrently(4, i -> {
            try {
                return batcher.score(photo(i + 1));
            } catch (ScorerUnavailableException e) {
                return e;
            }
        });
        outcomes.forEach(outcome -> assertSame(failure, outcome));
        batcher.close();
        assertThrows(ScorerUnavailableException.class, () -> batcher.score(photo(1)));
    }

    private static DecodedPhoto photo(int width) {
        BufferedImage image = new BufferedImage(width, 1, BufferedImage.TYPE_INT_RGB);
        return new DecodedPhoto(image, NativeCrop.of(image), PhotoFormat.PNG, 100, width, 1);
    }

    /** A stand-in score that tells photos apart: the width as a fraction. */
    private static PhotoScore scoreOf(DecodedPhoto photo) {
        double score = photo.width() / 100.0;
        return new PhotoScore(score, PhotoScore.classOf(score), Map.of(), "test", List.of());
    }

    private interface Call<T> {
        T call(int index) throws Exception;
    }

    /** Runs the calls on as many threads, released together; their results in order. */
    private static <T> List<T> concurrently(int count, Call<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CyclicBarrier start = new CyclicBarrier(count);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                Callable<T> task = () -> {
                    start.await();
                    return call.call(index);
                };
                futures.add(pool.submit(task));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
