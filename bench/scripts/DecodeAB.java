import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Two builds of the one-pass baseline JPEG decoder ({@code dev.photoscore.image.jpeg.BaselineJpeg}, each compiled
 * into a class folder of its own and loaded by a class loader of its own) side by side in one JVM:
 *
 * <pre>
 * java bench/scripts/DecodeAB.java time A_CLASSES B_CLASSES ROUNDS PHOTO EIGHTHS [PHOTO EIGHTHS...]
 * java bench/scripts/DecodeAB.java compare A_CLASSES B_CLASSES MUTANTS PATH...
 * </pre>
 *
 * {@code time}: {@code BaselineJpeg.of} and {@code decode} of each photo at EIGHTHS/8 with the centre 512x512 crop
 * (NativeCrop's), the calling thread's CPU time, 15 rounds of warm-up, then ROUNDS rounds with A and B alternated
 * (A first in even rounds); prints each build's median and the median of the per-round ratios B/A. {@code compare}:
 * every JPEG under the paths decoded by both at 1/8 to 4/8 (the centre crop), then MUTANTS seeded mutations of
 * them (bytes changed, the file cut short, a marker or 0xFF put in); the outcome must be the same (not handled,
 * an IOException, or the same reduced image and crop to the bit). Prints the counts and every difference; exits 1
 * if there is one. {@code decode-ab.sh} builds the two folders from git revisions.
 */
public class DecodeAB {

    private static final ThreadMXBean THREAD = ManagementFactory.getThreadMXBean();

    /** One build's entry points, called by reflection (a few calls per decode: nothing next to its milliseconds). */
    private static final class Build {
        private final Method of;
        private final Method decode;
        private final Method width;
        private final Method height;
        private final Method image;
        private final Method crop;

        Build(Path classes) throws Exception {
            ClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                    DecodeAB.class.getClassLoader());
            Class<?> jpeg = loader.loadClass("dev.photoscore.image.jpeg.BaselineJpeg");
            Class<?> decoded = loader.loadClass("dev.photoscore.image.jpeg.BaselineJpeg$Decoded");
            of = jpeg.getMethod("of", byte[].class);
            decode = jpeg.getMethod("decode", int.class, Rectangle.class);
            width = jpeg.getMethod("width");
            height = jpeg.getMethod("height");
            image = decoded.getMethod("image");
            crop = decoded.getMethod("crop");
        }

        /** The decode's outcome: "not handled", "IOException", or "decoded" with the image's and the crop's pixels. */
        Object[] decode(byte[] bytes, int eighths) throws Exception {
            try {
                Optional<?> parsed = (Optional<?>) of.invoke(null, (Object) bytes);
                if (parsed.isEmpty()) {
                    return new Object[] {"not handled"};
                }
                Object jpeg = parsed.get();
                Optional<?> result = (Optional<?>) decode.invoke(jpeg, eighths,
                        centre((int) width.invoke(jpeg), (int) height.invoke(jpeg)));
                if (result.isEmpty()) {
                    return new Object[] {"not handled"};
                }
                return new Object[] {"decoded", pixels((BufferedImage) image.invoke(result.get())),
                    pixels((BufferedImage) crop.invoke(result.get()))};
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof IOException) {
                    return new Object[] {"IOException"};
                }
                return new Object[] {"failed: " + e.getCause()};
            }
        }

        long cpuNanos(byte[] bytes, int eighths) throws Exception {
            long start = THREAD.getCurrentThreadCpuTime();
            Object[] outcome = decode(bytes, eighths);
            long nanos = THREAD.getCurrentThreadCpuTime() - start;
            if (!outcome[0].equals("decoded")) {
                throw new IllegalArgumentException("not decoded by the one-pass decoder: " + outcome[0]);
            }
            return nanos;
        }
    }

    /** NativeCrop's region: the centre, at most 512 pixels a side, its origin on the block grid. */
    private static Rectangle centre(int width, int height) {
        int w = Math.min(width, 512);
        int h = Math.min(height, 512);
        return new Rectangle(((width - w) / 2) & ~7, ((height - h) / 2) & ~7, w, h);
    }

    private static int[] pixels(BufferedImage image) {
        return ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4 || !args[0].equals("time") && !args[0].equals("compare")) {
            System.err.println("usage: DecodeAB time A_CLASSES B_CLASSES ROUNDS PHOTO EIGHTHS [PHOTO EIGHTHS...]\n"
                    + "       DecodeAB compare A_CLASSES B_CLASSES MUTANTS PATH...");
            System.exit(2);
        }
        Build a = new Build(Path.of(args[1]));
        Build b = new Build(Path.of(args[2]));
        int count = Integer.parseInt(args[3]);
        List<String> rest = Arrays.asList(args).subList(4, args.length);
        if (args[0].equals("time")) {
            time(a, b, count, rest);
        } else {
            System.exit(compare(a, b, count, rest) ? 0 : 1);
        }
    }

    private static void time(Build a, Build b, int rounds, List<String> photos) throws Exception {
        for (int p = 0; p + 1 < photos.size(); p += 2) {
            byte[] bytes = Files.readAllBytes(Path.of(photos.get(p)));
            int eighths = Integer.parseInt(photos.get(p + 1));
            for (int i = 0; i < 15; i++) {
                a.cpuNanos(bytes, eighths);
                b.cpuNanos(bytes, eighths);
            }
            double[] timesA = new double[rounds];
            double[] timesB = new double[rounds];
            double[] ratios = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                if (i % 2 == 0) {
                    timesA[i] = a.cpuNanos(bytes, eighths) / 1e6;
                    timesB[i] = b.cpuNanos(bytes, eighths) / 1e6;
                } else {
                    timesB[i] = b.cpuNanos(bytes, eighths) / 1e6;
                    timesA[i] = a.cpuNanos(bytes, eighths) / 1e6;
                }
                ratios[i] = timesB[i] / timesA[i];
            }
            System.out.printf("%s at %d/8: A %.1f ms, B %.1f ms (medians of %d rounds, thread CPU), B/A %.3f%n",
                    Path.of(photos.get(p)).getFileName(), eighths, median(timesA), median(timesB), rounds,
                    median(ratios));
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static boolean compare(Build a, Build b, int mutants, List<String> paths) throws Exception {
        List<Path> files = new ArrayList<>();
        for (String path : paths) {
            try (Stream<Path> walk = Files.walk(Path.of(path))) {
                walk.filter(f -> f.getFileName().toString().toLowerCase().matches(".*\\.jpe?g"))
                        .filter(Files::isRegularFile).sorted().forEach(files::add);
            }
        }
        int[] outcomes = new int[3]; // decoded alike, not handled by both, an IOException from both
        int differences = 0;
        List<byte[]> handled = new ArrayList<>();
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            differences += compareOne(a, b, file.toString(), bytes, outcomes, handled);
        }
        Random random = new Random(14);
        for (int i = 0; i < mutants && !handled.isEmpty(); i++) {
            byte[] mutant = mutate(handled.get(i % handled.size()), random);
            differences += compareOne(a, b, "mutant " + i, mutant, outcomes, null);
        }
        System.out.printf("%d files and %d mutants: decoded to the same pixels %d times (1/8 to 4/8), not handled by"
                + " both %d, an IOException from both %d; %d differences%n", files.size(), handled.isEmpty() ? 0
                : mutants, outcomes[0], outcomes[1], outcomes[2], differences);
        return differences == 0;
    }

    private static int compareOne(Build a, Build b, String name, byte[] bytes, int[] outcomes, List<byte[]> handled)
            throws Exception {
        for (int eighths = 1; eighths <= 4; eighths++) {
            Object[] first = a.decode(bytes, eighths);
            Object[] second = b.decode(bytes, eighths);
            if (!Arrays.deepEquals(first, second)) {
                System.out.println("DIFFERENT: " + name + " at " + eighths + "/8: A " + first[0] + ", B " + second[0]);
                return 1;
            }
            switch ((String) first[0]) {
                case "decoded" -> outcomes[0]++;
                case "not handled" -> outcomes[1]++;
                case "IOException" -> outcomes[2]++;
                default -> {
                    System.out.println("FAILED (both alike): " + name + ": " + first[0]);
                    return 1;
                }
            }
            if (!first[0].equals("decoded")) {
                return 0; // the same at every scale
            }
        }
        if (handled != null && bytes.length < 4_000_000) {
            handled.add(bytes);
        }
        return 0;
    }

    /** A few bytes changed, the file cut short, or a marker or fill byte put in, from a seeded generator. */
    private static byte[] mutate(byte[] original, Random random) {
        byte[] mutant = original.clone();
        switch (random.nextInt(4)) {
            case 0 -> {
                for (int n = 1 + random.nextInt(8); n > 0; n--) {
                    mutant[random.nextInt(mutant.length)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> mutant = Arrays.copyOf(mutant, 1 + random.nextInt(mutant.length));
            case 2 -> {
                int at = mutant.length / 4 + random.nextInt(Math.max(1, mutant.length * 3 / 4 - 2));
                mutant[at] = (byte) 0xFF;
                mutant[at + 1] = (byte) (random.nextBoolean() ? 0xFF : 0xD0 + random.nextInt(10));
            }
            default -> {
                int at = mutant.length / 3 + random.nextInt(Math.max(1, mutant.length / 2));
                mutant[at] ^= (byte) (1 << random.nextInt(8));
            }
        }
        return mutant;
    }
}
