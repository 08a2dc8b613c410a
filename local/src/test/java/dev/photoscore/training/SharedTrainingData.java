package dev.photoscore.training;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.photoscore.modelpack.convert.ImagenetBackbone;
import dev.photoscore.modelpack.convert.WeightsFetcher;
import dev.photoscore.modelpack.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the measurements over livec_dev's training photos read: the labelled photos and Google's MobileNet from the
 * shared data, and the committed held-out split, whose photos they leave out.
 *
 * @param data     the livec_dev folder (labels.csv and the photos)
 * @param backbone Google's TensorFlow Lite MobileNet v1 as the shared data holds it
 * @param heldOut  the held-out photos' names as in labels.csv
 */
record SharedTrainingData(Path data, ImagenetBackbone.Source backbone, Set<String> heldOut) {

    /** The committed held-out split, relative to the local module (the tests' working folder). */
    static final String HELD_OUT_LIST = "splits/livec_dev-heldout.txt";

    /** The shared training data; skips the calling test, saying why, when it is not there. */
    static SharedTrainingData require() throws IOException {
        Path shared = SharedData.directory();
        Path data = shared.resolve("evaldata/livec_dev");
        Path backbone = shared.resolve(ImagenetBackbone.SHARED_FOLDER);
        assumeTrue(Files.isRegularFile(data.resolve(LabelledPhoto.LABELS))
                && Files.isRegularFile(backbone.resolve(ImagenetBackbone.FILE_NAME)),
                "skipped: livec_dev or Google's MobileNet is not in the shared data (set photoscore.shared)");
        Set<String> heldOut = Files.readAllLines(Path.of(HELD_OUT_LIST), StandardCharsets.UTF_8).stream()
                .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .collect(Collectors.toSet());
        return new SharedTrainingData(data, ImagenetBackbone.resolve(backbone.toString(), null,
                ImagenetBackbone.BLOB_ID, WeightsFetcher.builder().build(), System.out::println), heldOut);
    }
}
