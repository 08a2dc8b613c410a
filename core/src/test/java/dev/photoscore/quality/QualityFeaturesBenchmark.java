package dev.photoscore.quality;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Time per photo of {@link QualityFeatures#extract} (after decode): the handcrafted features the quality flags use.
 * A benchmark, not a test: run it by hand, for example
 * <pre>
 * mvn -q -pl function -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp "$(cat function/target/cp.txt):function/target/classes:function/target/test-classes" \
 *     dev.photoscore.quality.QualityFeaturesBenchmark ../shared/evaldata/livec_dev/images
 * </pre>
 * It reports the CPU time of the measuring thread (median and 90th percentile), which other processes on a shared
 * machine do not inflate the way they inflate wall time, and the CPU time of the whole process per photo (mean,
 * with garbage collection and compilation). Photos over 2 megapixels share their area averaging with pool threads,
 * so for them the thread time stands for the wall time on an idle machine and the process time for the total work.
 */
public final class QualityFeaturesBenchmark {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private QualityFeaturesBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<BufferedImage> photos = new ArrayList<>();
        if (args.length > 0) {
            File[] files = new File(args[0]).listFiles();
            Arrays.sort(files);
            for (File file : files) {
                BufferedImage photo = ImageIO.read(file);
                if (photo != null) {
                    photos.add(photo);
                }
            }
        } else {
            for (int seed = 0; seed < 40; seed++) {
                photos.add(TestImages.deadLeaves(500, 500, seed));
            }
        }
        System.out.printf("%d photos, first %dx%d%n", photos.size(), photos.get(0).getWidth(), photos.get(0).getHeight());
        measure("features, photos as decoded", photos, 3);
        List<BufferedImage> few = photos.subList(0, Math.min(20, photos.size()));
        measure("features, photos enlarged to 1600x1200", resized(few, 1600, 1200), 3);
        measure("features, photos enlarged to 4032x3024 (12 MP)", resized(few, 4032, 3024), 3);
    }

    private static void measure(String label, List<BufferedImage> photos, int passes) {
        for (BufferedImage photo : photos) {
            QualityFeatures.extract(photo);
        }
        double[] millis = new double[photos.size() * passes];
        int i = 0;
        long processStart = PROCESS.getProcessCpuTime();
        for (int pass = 0; pass < passes; pass++) {
            for (BufferedImage photo : photos) {
                long start = THREADS.getCurrentThreadCpuTime();
                QualityFeatures.extract(photo);
                millis[i++] = (THREADS.getCurrentThreadCpuTime() - start) / 1e6;
            }
        }
        double processMillis = (PROCESS.getProcessCpuTime() - processStart) / 1e6 / millis.length;
        report(label, millis);
        System.out.printf(Locale.ROOT, "%-62s mean %6.2f ms%n", "  process CPU time per photo", processMillis);
    }

    private static List<BufferedImage> resized(List<BufferedImage> photos, int width, int height) {
        List<BufferedImage> out = new ArrayList<>();
        for (BufferedImage photo : photos) {
            BufferedImage large = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = large.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(photo, 0, 0, width, height, null);
            g.dispose();
            out.add(large);
        }
        return out;
    }

    private static void report(String label, double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%-62s median %6.2f ms, p90 %6.2f ms (n=%d)%n", label,
                sorted[sorted.length / 2], sorted[(int) (0.9 * (sorted.length - 1))], sorted.length);
    }
}
