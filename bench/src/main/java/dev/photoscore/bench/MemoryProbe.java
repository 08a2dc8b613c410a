package dev.photoscore.bench;

import dev.photoscore.image.DecodeCapacityException;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.scoring.DjlDefaults;
import dev.photoscore.scoring.PhotoScorer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child-JVM probe of memory: scores one photo a few times in a JVM of its own (started with the heap limit under
 * test) and answers the heap pools' peak, the peak and current resident memory, and whether it fitted. Arguments:
 * model folder, photo, {@code full} or {@code reduced}, requests.
 */
public final class MemoryProbe {

    private MemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        DjlDefaults.apply();
        Path modelDir = Path.of(args[0]);
        byte[] photo = Files.readAllBytes(Path.of(args[1]));
        boolean full = args[2].equals("full");
        int requests = Integer.parseInt(args[3]);
        try (PhotoScorer scorer = PhotoScorer.builder().modelDir(modelDir).threads(1).fullDecode(full)
                .limits(PhotoLimits.api().withoutSizeLimits()).build()) {
            System.gc();
            ProcessMemory.resetHeapPeak();
            try {
                for (int i = 0; i < requests; i++) {
                    scorer.score(photo);
                }
                System.out.println("fits=true");
            } catch (OutOfMemoryError e) {
                System.out.println("fits=false");
                System.out.println("why=OutOfMemoryError");
            } catch (DecodeCapacityException e) {
                // Refused by the decode budget (three quarters of the heap) as too large, or out of memory decoding.
                System.out.println("fits=false");
                System.out.println("why=" + (e.getCause() instanceof OutOfMemoryError ? "OutOfMemoryError"
                        : "over the decode budget"));
            }
            System.out.println("heapPeakMib=" + ProcessMemory.heapPeakMib());
            System.out.println("maxHeapMib=" + Runtime.getRuntime().maxMemory() / (1024.0 * 1024));
            System.out.println("vmHwmMib=" + ProcessMemory.residentPeakMib());
            System.out.println("vmRssMib=" + ProcessMemory.residentMib());
        }
    }
}
