package dev.photoscore.training;

import ai.onnxruntime.OrtException;
import dev.photoscore.modelpack.convert.MobileNetTfliteConverter;
import dev.photoscore.scoring.WorkingSize;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Labelled photos with the pooled deep features of the backbone graph ({@code image} [1,3,H,W] of raw 0..255 RGB in,
 * {@code features} [1,F] out), each photo brought to the working size exactly as the scorer does it (the same
 * reduced decode and area averaging, {@link WorkingSize}).
 *
 * <p>The features are split into groups of columns, one per layer and statistic (e.g. {@code
 * Conv2d_13_pointwise.std}), in the graph's order, so that a model can weigh or leave out whole groups.
 */
record DeepFeatureTable(List<String> files, double[] scores, float[][] rows, List<Group> groups) {

    /** Columns {@code from} (inclusive) to {@code to} (exclusive) of one layer's statistic. */
    record Group(String name, int from, int to) {

        int size() {
            return to - from;
        }
    }

    int size() {
        return files.size();
    }

    DeepFeatureTable where(boolean[] keep) {
        List<String> f = new ArrayList<>();
        List<Double> s = new ArrayList<>();
        List<float[]> r = new ArrayList<>();
        for (int i = 0; i < keep.length; i++) {
            if (keep[i]) {
                f.add(files.get(i));
                s.add(scores[i]);
                r.add(rows[i]);
            }
        }
        return new DeepFeatureTable(f, s.stream().mapToDouble(Double::doubleValue).toArray(),
                r.toArray(float[][]::new), groups);
    }

    /** This table's rows followed by {@code other}'s (the same columns). */
    DeepFeatureTable plus(DeepFeatureTable other) {
        if (!other.groups.equals(groups)) {
            throw new IllegalArgumentException("the tables' columns differ: " + groups + " and " + other.groups);
        }
        List<String> f = new ArrayList<>(files);
        f.addAll(other.files);
        double[] s = Arrays.copyOf(scores, scores.length + other.scores.length);
        System.arraycopy(other.scores, 0, s, scores.length, other.scores.length);
        float[][] r = Arrays.copyOf(rows, rows.length + other.rows.length);
        System.arraycopy(other.rows, 0, r, rows.length, other.rows.length);
        return new DeepFeatureTable(f, s, r, groups);
    }

    /** The table with only the named groups' columns, in the order named. */
    DeepFeatureTable select(List<String> names) {
        List<Group> selected = new ArrayList<>();
        int width = 0;
        for (String name : names) {
            Group group = groups.stream().filter(g -> g.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no feature group " + name));
            selected.add(group);
            width += group.size();
        }
        float[][] out = new float[rows.length][width];
        for (int i = 0; i < rows.length; i++) {
            int at = 0;
            for (Group group : selected) {
                System.arraycopy(rows[i], group.from(), out[i], at, group.size());
                at += group.size();
            }
        }
        List<Group> renumbered = new ArrayList<>();
        int at = 0;
        for (Group group : selected) {
            renumbered.add(new Group(group.name(), at, at + group.size()));
            at += group.size();
        }
        return new DeepFeatureTable(files, scores, out, renumbered);
    }

    /**
     * Runs the backbone on every photo at {@code workingSize}. Features are cached in {@code cacheDir} under a key
     * of the graph's bytes, the working size and the photos' names and bytes, so a rerun on the same data is quick;
     * a {@code null} cache folder caches nothing.
     */
    static DeepFeatureTable extract(byte[] backbone, List<Group> groups, WorkingSize workingSize, Path dataFolder,
                                    List<LabelledPhoto> photos, Path cacheDir, IntConsumer progress)
            throws IOException, OrtException {
        int width = groups.get(groups.size() - 1).to();
        List<byte[]> bytes = new ArrayList<>(photos.size());
        MessageDigest key = sha256();
        key.update(backbone);
        key.update(Integer.toString(workingSize.pixels()).getBytes());
        for (LabelledPhoto photo : photos) {
            byte[] b = Files.readAllBytes(dataFolder.resolve(photo.file()));
            bytes.add(b);
            key.update(photo.file().getBytes());
            key.update(b);
        }
        Path cache = cacheDir == null ? null
                : cacheDir.resolve(HexFormat.of().formatHex(key.digest()).substring(0, 24) + ".features");
        float[][] rows = cache != null && Files.isRegularFile(cache) ? readCache(cache, photos.size(), width) : null;
        if (rows == null) {
            rows = run(backbone, workingSize, bytes, width, progress);
            if (cache != null) {
                writeCache(cache, rows);
            }
        }
        return new DeepFeatureTable(photos.stream().map(LabelledPhoto::file).toList(),
                photos.stream().mapToDouble(LabelledPhoto::score).toArray(), rows, groups);
    }

    private static float[][] run(byte[] backbone, WorkingSize workingSize, List<byte[]> photos, int width,
                                 IntConsumer progress) throws IOException, OrtException {
        float[][] rows = new float[photos.size()][];
        try (PhotoGraph graph = new PhotoGraph(backbone, workingSize)) {
            for (int i = 0; i < photos.size(); i++) {
                float[] features = graph.run(photos.get(i), "photo " + i, MobileNetTfliteConverter.OUTPUT);
                if (features.length != width) {
                    throw new IOException("the backbone gave " + features.length + " features, expected " + width);
                }
                rows[i] = features;
                progress.accept(i + 1);
            }
        }
        return rows;
    }

    private static float[][] readCache(Path cache, int photos, int width) throws IOException {
        try (InputStream in = Files.newInputStream(cache);
             DataInputStream data = new DataInputStream(new java.io.BufferedInputStream(in))) {
            if (data.readInt() != photos || data.readInt() != width) {
                return null;
            }
            float[][] rows = new float[photos][width];
            for (float[] row : rows) {
                for (int j = 0; j < width; j++) {
                    row[j] = data.readFloat();
                }
            }
            return rows;
        }
    }

    private static void writeCache(Path cache, float[][] rows) throws IOException {
        Files.createDirectories(cache.getParent());
        Path partial = cache.resolveSibling(cache.getFileName() + ".partial");
        try (OutputStream out = Files.newOutputStream(partial);
             DataOutputStream data = new DataOutputStream(new java.io.BufferedOutputStream(out))) {
            data.writeInt(rows.length);
            data.writeInt(rows[0].length);
            for (float[] row : rows) {
                for (float v : row) {
                    data.writeFloat(v);
                }
            }
        }
        Files.move(partial, cache, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
