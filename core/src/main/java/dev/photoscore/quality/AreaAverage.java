package dev.photoscore.quality;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Exact area averaging (see {@link AreaAxis}) of a photo to one or more sizes in one pass over its rows: each source
 * row is reduced along each size's horizontal axis while it is in the cache ({@link PixelRows#readReduced}) and
 * added into the target rows it covers, each target row summing its source rows top to bottom. The working copy and
 * the quality graph's input of a decoded photo come from one such pass.
 *
 * <p>Reading a large photo is most of the time, so bands of target rows are reduced in parallel: each target row by
 * one band, with the same arithmetic, so the result does not depend on the number of threads.
 */
final class AreaAverage {

    /** Source pixels per thread below which splitting the area averaging costs more than it saves. */
    static final long PARALLEL_PIXELS = 2_000_000;

    /**
     * One size to average to and where its red, green and blue planes go: plane {@code c} row-major in
     * {@code planes[c]} from {@code offsets[c]} on (overwritten).
     */
    record Target(int width, int height, float[][] planes, int[] offsets) {

        /** Into three planes of their own. */
        static Target of(Plane red, Plane green, Plane blue) {
            return new Target(red.width, red.height, new float[][] {red.data, green.data, blue.data}, new int[3]);
        }

        /** Into {@code [3, height, width]} planes, row-major, in one array. */
        static Target planar(int width, int height, float[] chw) {
            int plane = width * height;
            if (chw.length != 3 * plane) {
                throw new IllegalArgumentException("3 planes of " + width + "x" + height + " need " + 3 * plane
                        + " values, got " + chw.length);
            }
            return new Target(width, height, new float[][] {chw, chw, chw}, new int[] {0, plane, 2 * plane});
        }
    }

    private AreaAverage() {
    }

    /** Averages {@code image} into each of {@code targets} (enlarging allowed). */
    static void average(BufferedImage image, List<Target> targets) {
        long pixels = (long) image.getWidth() * image.getHeight();
        int bands = (int) Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), pixels / PARALLEL_PIXELS));
        average(image, targets, bands);
    }

    /** {@link #average(BufferedImage, List)} in {@code bands} bands of target rows. */
    static void average(BufferedImage image, List<Target> targets, int bands) {
        Pass[] passes = targets.stream().map(target -> new Pass(image, target)).toArray(Pass[]::new);
        if (bands == 1) {
            new Band(PixelRows.of(image), passes, 0, 1).run();
        } else {
            IntStream.range(0, bands).parallel()
                    .forEach(band -> new Band(PixelRows.of(image), passes, band, bands).run());
        }
    }

    /** One target's axes. */
    private record Pass(Target target, AreaAxis across, AreaAxis down) {

        Pass(BufferedImage image, Target target) {
            this(target, new AreaAxis(image.getWidth(), target.width()),
                    new AreaAxis(image.getHeight(), target.height()));
        }
    }

    /** The target rows of one band of every target, and the source rows they cover. */
    private static final class Band implements Runnable {
        private final PixelRows rows;
        private final Pass[] passes;
        /** Per target: its first row in this band, one past its last, the next row a source row may reach. */
        private final int[] from;
        private final int[] to;
        private final int[] next;
        private final float[][][] reduced;
        /**
         * Per target, its rows being summed, row {@code ty} in slot {@code ty % slots} ([slot][channel][x]): summed
         * in rows of their own, indexed as the reduced rows are, and copied into the target when complete. Added into
         * the target's planes at the row's offset, the loop was not vectorised (the JIT vectorises only accesses at
         * the same offset from the loop's index); the sums and their order are the same.
         */
        private final float[][][][] sums;
        private int firstSource = Integer.MAX_VALUE;
        private int lastSource = -1;

        Band(PixelRows rows, Pass[] passes, int band, int bands) {
            this.rows = rows;
            this.passes = passes;
            this.from = new int[passes.length];
            this.to = new int[passes.length];
            this.next = new int[passes.length];
            this.reduced = new float[passes.length][][];
            this.sums = new float[passes.length][][][];
            for (int k = 0; k < passes.length; k++) {
                int height = passes[k].target().height();
                from[k] = (int) ((long) band * height / bands);
                to[k] = (int) ((long) (band + 1) * height / bands);
                next[k] = from[k];
                reduced[k] = new float[3][passes[k].target().width()];
                sums[k] = new float[passes[k].down().mostCovering()][3][passes[k].target().width()];
                if (from[k] < to[k]) {
                    firstSource = Math.min(firstSource, passes[k].down().first(from[k]));
                    lastSource = Math.max(lastSource, passes[k].down().last(to[k] - 1));
                }
            }
        }

        @Override
        public void run() {
            for (int sy = firstSource; sy <= lastSource; sy++) {
                for (int k = 0; k < passes.length; k++) {
                    AreaAxis down = passes[k].down();
                    while (next[k] < to[k] && down.last(next[k]) < sy) {
                        next[k]++;
                    }
                    if (next[k] == to[k] || down.first(next[k]) > sy) {
                        continue;
                    }
                    rows.readReduced(sy, passes[k].across(), reduced[k][0], reduced[k][1], reduced[k][2]);
                    for (int ty = next[k]; ty < to[k] && down.first(ty) <= sy; ty++) {
                        float[][] sum = sums[k][ty % sums[k].length];
                        float weight = down.weight(ty, sy) * down.norm();
                        for (int c = 0; c < 3; c++) {
                            add(sum[c], weight, reduced[k][c]);
                        }
                        if (down.last(ty) == sy) {
                            Target target = passes[k].target();
                            for (int c = 0; c < 3; c++) {
                                System.arraycopy(sum[c], 0, target.planes()[c],
                                        target.offsets()[c] + ty * target.width(), target.width());
                                Arrays.fill(sum[c], 0f);
                            }
                        }
                    }
                }
            }
        }

        private static void add(float[] sum, float weight, float[] row) {
            for (int x = 0; x < sum.length; x++) {
                sum[x] += weight * row[x];
            }
        }
    }
}
