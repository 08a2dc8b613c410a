package dev.photoscore.training;

import dev.photoscore.quality.QualityFeatures;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import javax.imageio.ImageIO;

/**
 * Quality features and human scores of a set of photos: {@code rows[i]} holds the features of {@code files[i]},
 * whose score is {@code scores[i]}.
 */
public record FeatureTable(List<String> files, double[] scores, List<String> featureNames, String featureVersion,
                           float[][] rows) {

    public FeatureTable {
        if (files.size() != scores.length || files.size() != rows.length) {
            throw new IllegalArgumentException(
                    files.size() + " files, " + scores.length + " scores and " + rows.length + " rows");
        }
        for (float[] row : rows) {
            if (row.length != featureNames.size()) {
                throw new IllegalArgumentException("a row of " + row.length + " values for " + featureNames.size() + " features");
            }
        }
        files = List.copyOf(files);
        featureNames = List.copyOf(featureNames);
    }

    /**
     * Decodes each photo with {@link ImageIO} and extracts its {@link QualityFeatures}.
     *
     * @param progress told about every photo done
     * @throws IOException when a photo is missing or cannot be decoded
     */
    public static FeatureTable extract(Path dataFolder, List<LabelledPhoto> photos, Consumer<String> progress)
            throws IOException {
        List<String> files = new ArrayList<>();
        double[] scores = new double[photos.size()];
        float[][] rows = new float[photos.size()][];
        for (int i = 0; i < photos.size(); i++) {
            LabelledPhoto photo = photos.get(i);
            Path path = dataFolder.resolve(photo.file());
            if (!Files.isRegularFile(path)) {
                throw new IOException("labelled photo not found: " + path);
            }
            BufferedImage image = ImageIO.read(path.toFile());
            if (image == null) {
                throw new IOException("no decoder for " + path);
            }
            try {
                rows[i] = QualityFeatures.extract(image).toArray();
            } catch (IllegalArgumentException e) {
                throw new IOException(path + ": " + e.getMessage(), e);
            }
            files.add(photo.file());
            scores[i] = photo.score();
            progress.accept(photo.file());
        }
        return new FeatureTable(files, scores, QualityFeatures.names(), QualityFeatures.VERSION, rows);
    }

    public int size() {
        return rows.length;
    }

    /** This table with more inputs after its own: {@code values[i]} holds row {@code i}'s, in the order of {@code names}. */
    public FeatureTable withColumns(List<String> names, double[][] values) {
        if (values.length != size()) {
            throw new IllegalArgumentException(values.length + " rows of values for " + size() + " rows");
        }
        List<String> allNames = new ArrayList<>(featureNames);
        allNames.addAll(names);
        float[][] extended = new float[size()][];
        for (int i = 0; i < size(); i++) {
            if (values[i].length != names.size()) {
                throw new IllegalArgumentException(values[i].length + " values for " + names.size() + " names");
            }
            extended[i] = Arrays.copyOf(rows[i], allNames.size());
            for (int k = 0; k < names.size(); k++) {
                extended[i][featureNames.size() + k] = (float) values[i][k];
            }
        }
        return new FeatureTable(files, scores, allNames, featureVersion, extended);
    }

    /** The rows where {@code keep} is true, in order. */
    public FeatureTable where(boolean[] keep) {
        if (keep.length != size()) {
            throw new IllegalArgumentException(keep.length + " flags for " + size() + " rows");
        }
        List<String> keptFiles = new ArrayList<>();
        List<float[]> keptRows = new ArrayList<>();
        List<Double> keptScores = new ArrayList<>();
        for (int i = 0; i < keep.length; i++) {
            if (keep[i]) {
                keptFiles.add(files.get(i));
                keptRows.add(rows[i]);
                keptScores.add(scores[i]);
            }
        }
        return new FeatureTable(keptFiles, keptScores.stream().mapToDouble(Double::doubleValue).toArray(),
                featureNames, featureVersion, keptRows.toArray(float[][]::new));
    }
}
