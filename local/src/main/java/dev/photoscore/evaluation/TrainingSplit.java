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
 * ({@code data.folder}) and the photos held out of training ({@code heldOut.files}, relative to that folder). Every
 * other photo of that folder was a training photo, so figures over them flatter the model.
 *
 * <p>A set of labelled photos is that folder when it holds every held-out photo (whatever the folder is called
 * now): its other photos are the training photos.
 *
 * @param provenance the file read
 * @param folder     the data folder's name when trained
 * @param heldOut    the held-out photos
 */
public record TrainingSplit(Path provenance, String folder, Set<String> heldOut) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The split a provenance file records; empty when the file is absent or records no held-out photos.
     *
     * @throws IOException when the file cannot be read or is not JSON
     */
    public static Optional<TrainingSplit> read(Path provenance) throws IOException {
        if (!Files.isRegularFile(provenance)) {
            return Optional.empty();
        }
        JsonNode root = JSON.readTree(provenance.toFile());
        JsonNode files = root.path("heldOut").path("files");
        if (!files.isArray() || files.isEmpty()) {
            return Optional.empty();
        }
        Set<String> heldOut = new LinkedHashSet<>();
        files.forEach(file -> heldOut.add(file.asText()));
        return Optional.of(new TrainingSplit(provenance, root.path("data").path("folder").asText("?"), heldOut));
    }

    /** The photos among {@code labelled} the model was trained on: none unless they are its data folder. */
    public Set<String> trainingPhotos(Collection<String> labelled) {
        Set<String> training = new LinkedHashSet<>();
        if (labelled.containsAll(heldOut)) {
            labelled.stream().filter(file -> !heldOut.contains(file)).forEach(training::add);
        }
        return training;
    }
}
