package dev.photoscore.bench;

import dev.photoscore.image.DecodeBudget;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.scoring.DjlDefaults;
import dev.photoscore.scoring.PhotoScorer;
import dev.photoscore.testing.ChildJvms;
import dev.photoscore.testing.HostilePhotos;
import dev.photoscore.testing.TestPhotos;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Child-JVM probe of photos in flight: scores {@code count} copies of a {@code side x side} 16-bit RGBA PNG at once
 * (every pixel decoded), while a small JPEG is scored over and over beside them, and answers the outcomes, the
 * slowest small photo, the heap pools' peak and the peak resident memory. Arguments: model folder, count, side.
 */
public final class InFlightProbe {

    private static final long MIB = 1024 * 1024;

    private InFlightProbe() {
    }

    public static void main(String[] args) throws Exception {
        DjlDefaults.apply();
        Path modelDir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        int side = Integer.parseInt(args[2]);
        byte[] large = HostilePhotos.deepRgbaPng(side, side);
        byte[] small = TestPhotos.jpeg(TestPhotos.texturedRgb(640, 480, 5));
        DecodeBudget budget = DecodeBudget.configured();
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try (PhotoScorer scorer = PhotoScorer.builder().modelDir(modelDir).threads(count + 1).fullDecode(true)
                .limits(PhotoLimits.api()).decodeBudget(budget).build()) {
            scorer.score(small);
            System.gc();
            ProcessMemory.resetHeapPeak();
            long start = System.nanoTime();
            List<Future<String>> outcomes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                outcomes.add(pool.submit(() -> ChildJvms.outcome(scorer, large)));
            }
            long slowestSmallNanos = 0;
            int smallScored = 0;
            while (outcomes.stream().anyMatch(f -> !f.isDone())) {
                long before = System.nanoTime();
                String outcome = ChildJvms.outcome(scorer, small);
                slowestSmallNanos = Math.max(slowestSmallNanos, System.nanoTime() - before);
                if (outcome.equals("200")) {
                    smallScored++;
                }
                Thread.sleep(100);
            }
            Map<String, Integer> tally = new TreeMap<>();
            for (Future<String> outcome : outcomes) {
                tally.merge(outcome.get(), 1, Integer::sum);
            }
            System.out.println("outcomes=" + tally.toString().replace(" ", ""));
            System.out.println("seconds=" + (System.nanoTime() - start) / 1e9);
            System.out.println("smallScored=" + smallScored);
            System.out.println("slowestSmallMs=" + slowestSmallNanos / 1e6);
            System.out.println("budgetMib=" + budget.capacity() / MIB);
            System.out.println("footprintMib=" + scorer.decoder().footprint(large) / MIB);
            System.out.println("maxHeapMib=" + Runtime.getRuntime().maxMemory() / MIB);
            System.out.println("heapPeakMib=" + ProcessMemory.heapPeakMib());
            System.out.println("vmHwmMib=" + ProcessMemory.residentPeakMib());
        } finally {
            pool.shutdownNow();
        }
    }
}
