import dev.photoscore.image.PhotoLimits;
import dev.photoscore.scoring.PhotoScorer;
import dev.photoscore.scoring.StageProbe;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * One build's end-to-end cost of a photo by the scoring thread's CPU time: {@code PhotoScorer.score} as the benchmark
 * builds the scorer, with the quality graph's floor (inference alone on a ready 500x500 tensor) run between the
 * requests, after 15 warm-up requests. Prints the medians, their ratio, the bytes the thread allocates per request and
 * the collections meanwhile. Run by score-cpu.sh on the classpath of the build to measure.
 *
 *   java -cp CLASSPATH ScoreCpu.java MODEL_DIR PHOTO REQUESTS LABEL
 */
public class ScoreCpu {

    public static void main(String[] args) throws Exception {
        Path models = Path.of(args[0]);
        byte[] photo = Files.readAllBytes(Path.of(args[1]));
        int requests = Integer.parseInt(args[2]);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        try (PhotoScorer scorer = PhotoScorer.builder().modelDir(models).threads(2)
                .limits(PhotoLimits.api().withoutSizeLimits()).build();
             StageProbe probe = new StageProbe(models, Map.of())) {
            for (int i = 0; i < 15; i++) {
                scorer.score(photo);
                probe.inferenceAlone();
            }
            long[] score = new long[requests];
            long[] floor = new long[requests];
            long[] allocated = new long[requests];
            long collections = collections();
            for (int i = 0; i < requests; i++) {
                long bytes = threads.getThreadAllocatedBytes(thread);
                long cpu = threads.getCurrentThreadCpuTime();
                scorer.score(photo);
                score[i] = threads.getCurrentThreadCpuTime() - cpu;
                allocated[i] = threads.getThreadAllocatedBytes(thread) - bytes;
                cpu = threads.getCurrentThreadCpuTime();
                probe.inferenceAlone();
                floor[i] = threads.getCurrentThreadCpuTime() - cpu;
            }
            System.out.printf("%s: e2e CPU p50 %.1f ms, floor CPU p50 %.1f ms, e2e / floor %.3f, e2e - floor %.1f ms,"
                            + " allocated %.1f MB per request, %d collections%n", args[3], median(score) / 1e6,
                    median(floor) / 1e6, median(score) / median(floor), (median(score) - median(floor)) / 1e6,
                    median(allocated) / 1e6, collections() - collections);
        }
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long collections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }
}
