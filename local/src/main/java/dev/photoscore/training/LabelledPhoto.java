package dev.photoscore.training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A photo with its human quality score: {@code file} relative to the data folder, {@code score} the mean opinion
 * score.
 */
public record LabelledPhoto(String file, double score) {

    /** The name of the labels file in a data folder. */
    public static final String LABELS = "labels.csv";

    /**
     * Reads {@code labels.csv} of a data folder: a header {@code file,score}, then one photo per line.
     *
     * @throws IOException when the file cannot be read or a line is malformed
     */
    public static List<LabelledPhoto> readLabels(Path dataFolder) throws IOException {
        Path labels = dataFolder.resolve(LABELS);
        List<String> lines = Files.readAllLines(labels, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).strip().equals("file,score")) {
            throw new IOException(labels + ": the first line must be the header 'file,score'");
        }
        List<LabelledPhoto> photos = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty()) {
                continue;
            }
            int comma = line.lastIndexOf(',');
            try {
                if (comma <= 0) {
                    throw new NumberFormatException("no 'file,score' pair");
                }
                double score = Double.parseDouble(line.substring(comma + 1).strip());
                if (!Double.isFinite(score)) {
                    throw new NumberFormatException("score is not finite");
                }
                photos.add(new LabelledPhoto(line.substring(0, comma).strip(), score));
            } catch (NumberFormatException e) {
                throw new IOException(labels + " line " + (n + 1) + ": '" + line + "': " + e.getMessage(), e);
            }
        }
        if (photos.isEmpty()) {
            throw new IOException(labels + " lists no photos");
        }
        return photos;
    }
}
