package dev.photoscore.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which labelled photos a trained model has seen, read from its provenance file: the data folder it was trained on
 * ({@code data.folder}, {@code data.trainingPhotos}), the photos held out of training ({@code heldOut.files},
 * relative to that folder) and, when the provenance lists them, the training photos ({@code training.files}).
 *
 * <p>A set of labelled photos is that folder when it holds every held-out photo (whatever the folder is called now).
 * Its training photos are then those listed; when the provenance lists only the held-out photos, every other photo
 * of the folder may have been one (the folder may have grown since), so all of them count.
 *
 * @param provenance     the file read
 * @param folder         the data folder's name when trained
 * @param trainingPhotos how many photos it was trained on
 * @param heldOut        the held-out photos
 * @param training       the training photos; empty when the provenance does not list them
 */
public record TrainingSplit(Path provenance, String folder, int trainingPhotos, Set<String> heldOut,
                            Set<String> training) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The split a provenance file records; empty when the file is absent or lists no held-out photos.
     *
     * @throws IOException when the file cannot be read or is not JSON
     */
    public static Optional<TrainingSplit> read(Path provenance) throws IOException {
        if (!Files.isRegularFile(provenance)) {
            return Optional.empty();
        }
        JsonNode root = JSON.readTree(provenance.toFile());
        Set<String> heldOut = files(root.path("heldOut"));
        if (heldOut.isEmpty()) {
            return Optional.empty();
        }
        Set<String> training = files(root.path("training"));
        JsonNode data = root.path("data");
        return Optional.of(new TrainingSplit(provenance, data.path("folder").asText("?"),
                data.path("trainingPhotos").asInt(training.size()), heldOut, training));
    }

    private static Set<String> files(JsonNode part) {
        Set<String> files = new LinkedHashSet<>();
        part.path("files").forEach(file -> files.add(file.asText()));
        return files;
    }

    /** The photos among {@code labelled} the model was, or may have been, trained on: none unless they are its folder. */
    public Set<String> trainingPhotos(Collection<String> labelled) {
        Set<String> seen = new LinkedHashSet<>();
        if (labelled.containsAll(heldOut)) {
            labelled.stream()
                    .filter(file -> training.isEmpty() ? !heldOut.contains(file) : training.contains(file))
                    .forEach(seen::add);
        }
        return seen;
    }

    /** What the provenance says, for a report. */
    public String describe() {
        return "the quality model was trained on " + trainingPhotos + " photos of " + folder + " and held out "
                + heldOut.size() + (training.isEmpty() ? "; its provenance names only the held-out ones (" : " (")
                + provenance + ")";
    }
}
