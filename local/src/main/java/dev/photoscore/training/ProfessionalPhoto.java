package dev.photoscore.training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One line of the professional photos' split ({@code local/splits/professional-photos.txt}): which half the photo is
 * in, the Debian package that installs it (or {@code shared}, the shared data) and its path there. The split was drawn
 * before any model was trained with the photos: the {@value #FIT} half may train or calibrate, the {@value #MEASURE}
 * half only measures (docs/scoring.md, "Professional photos").
 *
 * @param path absolute for a package, relative to the shared data for {@code shared}
 */
public record ProfessionalPhoto(String half, String packageName, String path) {

    /** The half that may be used to train or calibrate. */
    public static final String FIT = "fit";
    /** The half that only measures. */
    public static final String MEASURE = "measure";
    private static final String SHARED = "shared";

    public ProfessionalPhoto {
        if (!half.equals(FIT) && !half.equals(MEASURE)) {
            throw new IllegalArgumentException("half must be '" + FIT + "' or '" + MEASURE + "', got '" + half + "'");
        }
    }

    /**
     * Reads a split file: '#' comment lines, then {@code half<TAB>package<TAB>path} lines.
     *
     * @throws IOException when it cannot be read or a line is malformed
     */
    public static List<ProfessionalPhoto> read(Path split) throws IOException {
        List<ProfessionalPhoto> photos = new ArrayList<>();
        List<String> lines = Files.readAllLines(split, StandardCharsets.UTF_8);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\t");
            try {
                if (fields.length != 3) {
                    throw new IllegalArgumentException("3 tab-separated fields expected (half, package, path)");
                }
                photos.add(new ProfessionalPhoto(fields[0], fields[1], fields[2]));
            } catch (IllegalArgumentException e) {
                throw new IOException(split + " line " + (n + 1) + ": '" + line + "': " + e.getMessage(), e);
            }
        }
        return photos;
    }

    /** The photos of one half, in the file's order. */
    public static List<ProfessionalPhoto> half(List<ProfessionalPhoto> photos, String half) {
        return photos.stream().filter(photo -> photo.half().equals(half)).toList();
    }

    /** Where the photo should be on this machine: its package's path, or the shared data's (when it is known). */
    public Optional<Path> location(Optional<Path> sharedData) {
        return packageName.equals(SHARED) ? sharedData.map(shared -> shared.resolve(path)) : Optional.of(Path.of(path));
    }

    /** What is missing when the photo is not there: its package, or the shared data. */
    public String source() {
        return packageName.equals(SHARED) ? "the shared data (photoscore.shared)" : "package " + packageName;
    }
}
