package dev.photoscore.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.image.DecodeBudget;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.modelpack.testing.TestModelPacks;
import dev.photoscore.testing.ChildJvms;
import dev.photoscore.testing.HostilePhotos;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four large photos at once in a small heap (a child JVM of {@value #HEAP}, every pixel decoded): the decode budget
 * admits one at a time and refuses the others with a retry (503), and whatever runs out of memory is the service's
 * failure (503), never the photo's (before, the PNG reader's OutOfMemoryError came back as "damaged", 422). Each
 * 4000x4000 16-bit RGBA PNG takes 183 MiB decoded (8 + 4 bytes a pixel): two do not fit in the default budget of
 * three quarters of the heap, four do not fit in the heap at all.
 */
class PhotosInFlightTest {

    private static final String HEAP = "-Xmx320m";
    private static final int PHOTOS = 4;
    private static final int SIDE = 4000;

    @TempDir
    Path tmp;

    @Test
    void concurrentLargePhotosAreAdmittedByTheBudgetAndNeverBlamedForMemory() throws Exception {
        List<String> outcomes = runChild("budget");
        assertEquals(PHOTOS, outcomes.size(), outcomes.toString());
        assertTrue(outcomes.contains("200"), "one at a time fits: " + outcomes);
        assertTrue(outcomes.stream().allMatch(o -> o.equals("200") || o.equals("503-retry")), outcomes.toString());
    }

    @Test
    void withoutABudgetRunningOutOfMemoryIsStillNeverTheClientsFault() throws Exception {
        List<String> outcomes = runChild("unlimited");
        assertEquals(PHOTOS, outcomes.size(), outcomes.toString());
        assertTrue(outcomes.stream().noneMatch(o -> o.startsWith("4")), outcomes.toString());
    }

    private List<String> runChild(String budget) throws Exception {
        Path pack = TestModelPacks.offline(tmp.resolve("pack"));
        Process child = new ProcessBuilder(ChildJvms.command(List.of(HEAP), Child.class, pack.toString(), budget))
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes());
        assertTrue(child.waitFor(5, TimeUnit.MINUTES), "the child did not finish");
        assertEquals(0, child.exitValue(), output);
        List<String> outcomes = output.lines().filter(line -> line.startsWith("outcome="))
                .map(line -> line.substring("outcome=".length())).collect(Collectors.toList());
        System.out.println(PHOTOS + " photos at once, " + HEAP + ", budget " + budget + ": " + outcomes);
        return outcomes;
    }

    /** Scores {@value #PHOTOS} copies of the photo at once with every pixel decoded; prints each outcome. */
    public static final class Child {

        public static void main(String[] args) throws Exception {
            byte[] photo = HostilePhotos.deepRgbaPng(SIDE, SIDE);
            PhotoScorer.Builder builder = PhotoScorer.builder().modelDir(Path.of(args[0])).threads(1)
                    .fullDecode(true).limits(PhotoLimits.api().withoutSizeLimits());
            if (args[1].equals("unlimited")) {
                builder.decodeBudget(DecodeBudget.unlimited());
            }
            ExecutorService pool = Executors.newFixedThreadPool(PHOTOS);
            try (PhotoScorer scorer = builder.build()) {
                List<Future<String>> outcomes = new ArrayList<>();
                for (int i = 0; i < PHOTOS; i++) {
                    outcomes.add(pool.submit(() -> ChildJvms.outcome(scorer, photo)));
                }
                for (Future<String> outcome : outcomes) {
                    System.out.println("outcome=" + outcome.get());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
