import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Two builds of the core in one JVM, requests alternated: each core jar in a class loader of its own over the same
 * dependencies (ONNX Runtime's native library loaded once), a scorer each, built as the benchmark builds it, and
 * {@code PhotoScorer.score} of the photo by the scoring thread's CPU time, A and B one after the other, with the
 * quality graph's floor (inference alone on a ready 500x500 tensor, A's probe) between. Where two JVMs run one after
 * the other (score-cpu.sh), the shared machine's drift between them is of the size of the change; here both builds
 * see the same moments. But the same jar in both loaders differs by up to 3 ms a request from JVM to JVM (how the JIT
 * compiled each), so score-ab.sh runs both orders and halves the difference. Prints per block of requests the
 * medians, and the median over the blocks of B - A.
 *
 *   java -cp CLASSPATH_WITHOUT_CORE ScoreAb.java A_CORE.jar B_CORE.jar MODEL_DIR PHOTO BLOCKS REQUESTS
 */
public class ScoreAb {

    public static void main(String[] args) throws Exception {
        Build a = new Build(Path.of(args[0]), Path.of(args[2]));
        Build b = new Build(Path.of(args[1]), Path.of(args[2]));
        byte[] photo = Files.readAllBytes(Path.of(args[3]));
        int blocks = Integer.parseInt(args[4]);
        int requests = Integer.parseInt(args[5]);
        for (int i = 0; i < 15; i++) {
            a.score(photo);
            b.score(photo);
            a.floor();
        }
        double[] differences = new double[blocks];
        for (int block = 0; block < blocks; block++) {
            long[] cpuA = new long[requests];
            long[] cpuB = new long[requests];
            long[] floor = new long[requests];
            for (int i = 0; i < requests; i++) {
                // Which build goes first alternates, so that neither always follows the floor.
                if (i % 2 == 0) {
                    cpuA[i] = a.score(photo);
                    cpuB[i] = b.score(photo);
                } else {
                    cpuB[i] = b.score(photo);
                    cpuA[i] = a.score(photo);
                }
                floor[i] = a.floor();
            }
            double ma = median(cpuA) / 1e6;
            double mb = median(cpuB) / 1e6;
            double f = median(floor) / 1e6;
            differences[block] = mb - ma;
            System.out.printf("block %d: e2e CPU p50 A %.1f ms, B %.1f ms, floor %.1f ms; e2e - floor A %.1f, B %.1f;"
                    + " e2e / floor A %.3f, B %.3f; B - A %.2f ms%n", block + 1, ma, mb, f, ma - f, mb - f, ma / f,
                    mb / f, mb - ma);
        }
        Arrays.sort(differences);
        System.out.printf("B - A, median of the blocks: %.2f ms%n", differences[blocks / 2]);
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** One build's scorer and floor probe, in its own class loader. */
    private static final class Build {
        private static final com.sun.management.ThreadMXBean THREADS =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        private final Object scorer;
        private final Method score;
        private final Object probe;
        private final Method inferenceAlone;

        Build(Path coreJar, Path models) throws Exception {
            ClassLoader loader = new URLClassLoader(new URL[] {coreJar.toUri().toURL()},
                    ScoreAb.class.getClassLoader());
            Class<?> scorerClass = loader.loadClass("dev.photoscore.scoring.PhotoScorer");
            Class<?> limitsClass = loader.loadClass("dev.photoscore.image.PhotoLimits");
            Object limits = limitsClass.getMethod("withoutSizeLimits").invoke(limitsClass.getMethod("api").invoke(null));
            Object builder = scorerClass.getMethod("builder").invoke(null);
            Class<?> builderClass = builder.getClass();
            builderClass.getMethod("modelDir", Path.class).invoke(builder, models);
            builderClass.getMethod("threads", int.class).invoke(builder, 2);
            builderClass.getMethod("limits", limitsClass).invoke(builder, limits);
            scorer = builderClass.getMethod("build").invoke(builder);
            score = scorerClass.getMethod("score", byte[].class);
            Class<?> probeClass = loader.loadClass("dev.photoscore.scoring.StageProbe");
            probe = probeClass.getConstructor(Path.class, Map.class).newInstance(models, Map.of());
            inferenceAlone = probeClass.getMethod("inferenceAlone");
        }

        long score(byte[] photo) throws Exception {
            long cpu = THREADS.getCurrentThreadCpuTime();
            score.invoke(scorer, (Object) photo);
            return THREADS.getCurrentThreadCpuTime() - cpu;
        }

        long floor() throws Exception {
            long cpu = THREADS.getCurrentThreadCpuTime();
            inferenceAlone.invoke(probe);
            return THREADS.getCurrentThreadCpuTime() - cpu;
        }
    }
}
