package dev.photoscore.bench;

import java.util.List;

/**
 * The photos-in-flight measurement of docs/performance.md: {@link InFlightProbe} in a fresh JVM per heap size, four
 * 100-megapixel 16-bit RGBA PNGs at once (780 KB each, 1,144 MiB decoded with every pixel), printed as a Markdown
 * table. Argument: the model folder; then the heaps to try (default 1536m and the JVM's default).
 * {@code java -cp bench/target/... dev.photoscore.bench.PhotosInFlight layers/model/target/model-pack/models}
 */
public final class PhotosInFlight {

    private static final int PHOTOS = 4;
    private static final int SIDE = 10_000;

    private PhotosInFlight() {
    }

    public static void main(String[] args) {
        String modelDir = args[0];
        List<String> heaps = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("1536m", "default");
        System.out.println("| -Xmx | budget MiB | photo decoded MiB | outcomes of the " + PHOTOS + " | all done s"
                + " | small photos scored meanwhile | slowest small photo ms | peak heap MiB | VmHWM MiB |");
        System.out.println("|---|---:|---:|---|---:|---:|---:|---:|---:|");
        for (String heap : heaps) {
            List<String> flags = heap.equals("default") ? List.of() : List.of("-Xmx" + heap);
            ChildJvm.Answer answer = ChildJvm.run(flags, InFlightProbe.class,
                    List.of(modelDir, Integer.toString(PHOTOS), Integer.toString(SIDE)));
            System.out.println("| " + (heap.equals("default") ? "default (" + (long) answer.number("maxHeapMib")
                    + "m)" : heap) + " | " + (long) answer.number("budgetMib") + " | "
                    + (long) answer.number("footprintMib") + " | " + answer.values().get("outcomes") + " | "
                    + Math.round(answer.number("seconds")) + " | " + (long) answer.number("smallScored") + " | "
                    + Math.round(answer.number("slowestSmallMs")) + " | " + Math.round(answer.number("heapPeakMib"))
                    + " | " + Math.round(answer.number("vmHwmMib")) + " |");
        }
    }
}
