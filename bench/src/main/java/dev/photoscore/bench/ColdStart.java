package dev.photoscore.bench;

import dev.photoscore.image.PhotoLimits;
import dev.photoscore.scoring.DjlDefaults;
import dev.photoscore.scoring.PhotoScorer;
import dev.photoscore.scoring.Priming;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child-JVM probe of the cold path, as a Lambda's first request sees it: JVM start, model loaded, optionally
 * {@link Priming}, then the first real request and a few more. Arguments: model folder, photo, priming rounds.
 * Answers {@code key=value} lines (times in milliseconds; CPU: the scoring thread's own CPU time, which other
 * processes on a shared machine do not inflate).
 */
public final class ColdStart {

    private static final int WARM_REQUESTS = 15;

    private ColdStart() {
    }

    public static void main(String[] args) throws Exception {
        long mainAt = System.currentTimeMillis();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        DjlDefaults.apply();
        Path modelDir = Path.of(args[0]);
        byte[] photo = Files.readAllBytes(Path.of(args[1]));
        int rounds = Integer.parseInt(args[2]);

        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long t0 = System.nanoTime();
        try (PhotoScorer scorer = PhotoScorer.builder().modelDir(modelDir).threads(1)
                .limits(PhotoLimits.api().withoutSizeLimits()).build()) {
            long loaded = System.nanoTime();
            Priming.Report priming = Priming.prime(scorer, rounds);
            long first = System.nanoTime();
            long firstCpu = cpu.getCurrentThreadCpuTime();
            scorer.score(photo);
            long firstDone = System.nanoTime();
            long firstCpuTook = cpu.getCurrentThreadCpuTime() - firstCpu;
            scorer.score(photo);
            long secondDone = System.nanoTime();
            long[] warm = new long[WARM_REQUESTS];
            long[] warmCpu = new long[WARM_REQUESTS];
            for (int i = 0; i < warm.length; i++) {
                long s = System.nanoTime();
                long c = cpu.getCurrentThreadCpuTime();
                scorer.score(photo);
                warm[i] = System.nanoTime() - s;
                warmCpu[i] = cpu.getCurrentThreadCpuTime() - c;
            }
            long firstScoreAt = mainAt + (firstDone - t0) / 1_000_000;
            System.out.println("jvmStartEpochMs=" + jvmStart);
            System.out.println("jvmToMainMs=" + (mainAt - jvmStart));
            System.out.println("modelLoadMs=" + (loaded - t0) / 1e6);
            System.out.println("primingMs=" + priming.took().toNanos() / 1e6);
            System.out.println("primingPhotos=" + priming.photosScored());
            System.out.println("firstRequestMs=" + (firstDone - first) / 1e6);
            System.out.println("secondRequestMs=" + (secondDone - firstDone) / 1e6);
            System.out.println("warmP50Ms=" + Samples.ofNanos(warm).p50());
            System.out.println("firstRequestCpuMs=" + firstCpuTook / 1e6);
            System.out.println("warmCpuP50Ms=" + Samples.ofNanos(warmCpu).p50());
            System.out.println("jvmToFirstScoreMs=" + (firstScoreAt - jvmStart));
            System.out.println("firstScoreEpochMs=" + firstScoreAt);
        }
    }
}
