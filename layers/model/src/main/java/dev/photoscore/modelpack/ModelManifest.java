package dev.photoscore.modelpack;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The contents of a model pack's {@code manifest.json}: which models the pack holds, where they came from, how photos
 * must be prepared for them, and which calibration turns their outputs into a score.
 *
 * <p>The manifest is the contract between the pack builder and the scorer; both use this one class.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelManifest(
        int format,
        String packVersion,
        InputSpec input,
        List<ModelEntry> models,
        String calibrationFile,
        String calibrationVersion,
        List<String> notes) {

    /** The pack format this code reads and writes. */
    public static final int FORMAT = 1;

    public static final String FILE_NAME = "manifest.json";

    /**
     * The output of a photo model that is the collage classifier's margin (positive for a collage), which confirms
     * the collage detector; a pack's quality graph has it beside {@code mos} when the classifier was composed in.
     */
    public static final String COLLAGE_OUTPUT = "collage";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .findAndRegisterModules();

    public ModelManifest {
        models = List.copyOf(models);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    public Optional<ModelEntry> model(String name) {
        return models.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** Reads {@code manifest.json} from a model folder, with a message that names the folder when it is not a pack. */
    public static ModelManifest read(Path modelDir) {
        Path file = modelDir.resolve(FILE_NAME);
        try {
            ModelManifest manifest = JSON.readValue(Files.readAllBytes(file), ModelManifest.class);
            if (manifest.format() != FORMAT) {
                throw new InvalidModelPackException(
                        file + " has pack format " + manifest.format() + "; this build reads format " + FORMAT);
            }
            return manifest;
        } catch (NoSuchFileException e) {
            throw new InvalidModelPackException("no model pack at " + modelDir + ": " + FILE_NAME + " is missing");
        } catch (IOException e) {
            throw new InvalidModelPackException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public void write(Path modelDir) {
        try {
            Files.createDirectories(modelDir);
            JSON.writeValue(modelDir.resolve(FILE_NAME).toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectMapper json() {
        return JSON;
    }

    /**
     * How a photo becomes the models' input tensor: RGB, resized to {@code width x height} without keeping the aspect
     * ratio, then {@code x * scale + offset} per channel, laid out as {@code layout}.
     */
    public record InputSpec(int width, int height, String layout, String colour, double scale, double offset,
                            String resize) {

        /** NIMA as trained by idealo: 224x224 RGB, nearest-neighbour resize, x/127.5 - 1, NCHW for ONNX. */
        public static InputSpec nima(String resize) {
            return new InputSpec(224, 224, "NCHW", "RGB", 1.0 / 127.5, -1.0, resize);
        }
    }

    /**
     * One model file of the pack.
     *
     * @param name    stable name the calibration refers to, e.g. {@code nima}
     * @param file    path relative to the model folder
     * @param kind    {@code nima-mobilenet} (image tensor in, 10-bin distributions out) or
     *                {@code quality-image} (the photo in, see {@code image}; predicted opinion score out); the
     *                scorer refuses any other (older packs' {@code quality-features} included)
     * @param outputs the graph's output names, in the order the scorer reads them
     * @param version  the model's own version (trained models), or null
     * @param features the feature set a trained model was trained on (its provenance's), or null
     * @param sha256   checksum of the model file
     * @param sources where the weights came from, for NIMA heads
     * @param inputs  outputs of other models of the pack ({@code model.output}, e.g. {@code nima.aesthetic}) that
     *                the model takes, in that order; null for none. The scorer runs those models first.
     * @param image   for a model that takes the photo itself ({@code quality-image}: the ImageNet backbone and the
     *                quality head in one graph), its image input; null otherwise
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelEntry(String name, String file, String kind, List<String> outputs, String version,
                             String features, String sha256, List<WeightsProvenance> sources, List<String> inputs,
                             ImageInput image) {
        public ModelEntry {
            outputs = List.copyOf(outputs);
            sources = sources == null ? null : List.copyOf(sources);
            inputs = inputs == null || inputs.isEmpty() ? null : List.copyOf(inputs);
        }

        /** A model that takes no image input of its own (NIMA). */
        public ModelEntry(String name, String file, String kind, List<String> outputs, String version,
                          String features, String sha256, List<WeightsProvenance> sources, List<String> inputs) {
            this(name, file, kind, outputs, version, features, sha256, sources, inputs, null);
        }

        /** The outputs as the calibration and other models name them, {@code name.output}. */
        public List<String> qualifiedOutputs() {
            return outputs.stream().map(output -> name + "." + output).toList();
        }

        /** {@link #inputs()}, empty for none. */
        public List<String> modelInputs() {
            return inputs == null ? List.of() : inputs;
        }
    }

    /**
     * The image tensor of a {@code quality-image} model: float {@code [N, 3, H, W]} of any height and width, RGB
     * pixel values 0..255 as they are (the graph scales them itself).
     *
     * @param name          the graph's input name ({@code image})
     * @param layout        {@code NCHW}
     * @param colour        {@code RGB}
     * @param workingPixels the pixel count the photo is reduced to before the model, aspect ratio kept (area
     *                      average, never enlarged), as the model was trained; null when the model does not say
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ImageInput(String name, String layout, String colour, Integer workingPixels) {
    }

    /**
     * Where a model's weights came from.
     *
     * @param head      whose weights: {@code aesthetic} or {@code technical} (NIMA's Keras files), {@code backbone}
     *                  (Google's TensorFlow Lite MobileNet)
     * @param location  the file or URL they were read from
     * @param gitBlobId {@code git hash-object} of the weights file
     * @param sha256    SHA-256 of the weights file
     * @param published whether the file is the one its authors published (its blob id matches)
     */
    public record WeightsProvenance(String head, String location, String gitBlobId, String sha256,
                                    boolean published) {
    }
}
