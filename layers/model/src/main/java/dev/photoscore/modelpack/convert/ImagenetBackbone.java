package dev.photoscore.modelpack.convert;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Google's ImageNet MobileNet v1 as published in google-coral/test_data (Apache-2.0): where the pack build gets the
 * TensorFlow Lite file and its licence, and how it checks that it got the right file.
 *
 * <p>A location is a URL (of the file, or a base ending in '/'), a file, or a folder holding the published file
 * name; the licence is the {@value #LICENSE_FILE_NAME} beside it. Downloads are cached and verified by git blob id
 * ({@link WeightsFetcher}); when the URL cannot be reached, an offline folder (the shared copy) holding the same
 * file is used instead, and the build says so in one line.
 */
public final class ImagenetBackbone {

    public static final String FILE_NAME = "mobilenet_v1_1.0_224_quant_embedding_extractor.tflite";
    /** {@code git hash-object} of the published file. */
    public static final String BLOB_ID = "8886421f40a40b431334610460fc04c924d57f20";
    public static final String LICENSE_FILE_NAME = "LICENSE";
    /** {@code git hash-object} of the repository's Apache-2.0 LICENSE at the same commit. */
    public static final String LICENSE_BLOB_ID = "f4f87bd4ed6dca2480e257335a4063ef4127624c";
    /** The repository root at the commit that holds the file (2021-07-26); the build's default location. */
    public static final String PUBLISHED_BASE_URL =
            "https://github.com/google-coral/test_data/raw/104342d2d3480b3e66203073dac24f4e2dbb4c41/";
    /** Where the shared data folder keeps a copy (with its LICENSE and SOURCE.md). */
    public static final String SHARED_FOLDER = "models/imagenet_mobilenet_v1";

    private ImagenetBackbone() {
    }

    /**
     * The backbone file and its licence, ready to convert.
     *
     * @param location  what the build was told (a URL or path); the path of the offline copy when that was used
     * @param published whether the file is Google's published one (its blob id is {@link #BLOB_ID})
     */
    public record Source(Path model, Path license, String location, String gitBlobId, String sha256,
                         boolean published) {
    }

    /**
     * Finds the backbone at {@code location} (blank: {@link #PUBLISHED_BASE_URL}), falling back to
     * {@code offlineFolder} (may be null) when a URL cannot be reached.
     *
     * @param expectedBlobId the git blob id the file must have (the one the quality head was trained on)
     * @throws WeightsUnreachableException when the URL cannot be reached and there is no offline copy
     * @throws InvalidWeightsException     when the file is not the expected one or has no licence beside it
     */
    public static Source resolve(String location, Path offlineFolder, String expectedBlobId, WeightsFetcher fetcher,
                                 Consumer<String> log) {
        String where = location == null || location.isBlank() ? PUBLISHED_BASE_URL : location.trim();
        if (!where.startsWith("http://") && !where.startsWith("https://")) {
            return local(Path.of(where), expectedBlobId);
        }
        URI modelUrl = URI.create(where.endsWith("/") ? where + FILE_NAME : where);
        try {
            Path model = fetcher.fetch(modelUrl, expectedBlobId);
            Path license = fetcher.fetch(modelUrl.resolve(LICENSE_FILE_NAME),
                    BLOB_ID.equals(expectedBlobId) ? LICENSE_BLOB_ID : null);
            return source(model, license, modelUrl.toString());
        } catch (WeightsUnreachableException e) {
            if (offlineFolder == null || !Files.isRegularFile(offlineFolder.resolve(FILE_NAME))) {
                throw e;
            }
            log.accept("photoscore: " + e.getMessage() + ": using the offline copy of the ImageNet backbone in "
                    + offlineFolder);
            return local(offlineFolder, expectedBlobId);
        }
    }

    private static Source local(Path path, String expectedBlobId) {
        Path model = Files.isDirectory(path) ? path.resolve(FILE_NAME) : path;
        if (!Files.isRegularFile(model)) {
            throw new InvalidWeightsException("no ImageNet backbone at " + model + " (expected the published file "
                    + FILE_NAME + ")");
        }
        String blobId = Checksums.gitBlobId(model);
        if (expectedBlobId != null && !expectedBlobId.equals(blobId)) {
            throw new InvalidWeightsException(model + " has git blob id " + blobId + ", expected " + expectedBlobId
                    + ": refusing a backbone that is not the one the quality model was trained on");
        }
        Path license = model.toAbsolutePath().getParent().resolve(LICENSE_FILE_NAME);
        if (!Files.isRegularFile(license)) {
            throw new InvalidWeightsException("no " + LICENSE_FILE_NAME + " beside " + model
                    + ": the model's Apache-2.0 licence must travel with the converted model");
        }
        return source(model, license, path.toString());
    }

    private static Source source(Path model, Path license, String location) {
        String blobId = Checksums.gitBlobId(model);
        return new Source(model, license, location, blobId, Checksums.sha256(model), BLOB_ID.equals(blobId));
    }

    /** The NOTICE that goes with the converted model: what it is, where it came from, what was changed. */
    static String notice(Source source, BackboneSpec spec, String convertedFile) {
        return """
                %s contains a model converted from Google's ImageNet MobileNet v1,
                %s (git blob %s, SHA-256 %s),
                published in https://github.com/google-coral/test_data (Copyright Google LLC) under the
                Apache License 2.0, whose text is in the LICENSE file beside this NOTICE.

                Changes made by photoscore: the uint8 TensorFlow Lite graph was dequantised and converted to an
                ONNX graph with float activations, cut after the deepest of the layers %s, with per-channel
                spatial statistics (%s) of those layers and photoscore's quality regression head added.
                Read from: %s
                """.formatted(convertedFile, FILE_NAME, source.gitBlobId(), source.sha256(), spec.layers(),
                String.join(", ", spec.statistics().stream().map(BackboneSpec.Statistic::label).toList()),
                source.location());
    }
}
