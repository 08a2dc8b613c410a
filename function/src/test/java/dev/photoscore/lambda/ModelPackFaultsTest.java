package dev.photoscore.lambda;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.modelpack.ModelManifest;
import dev.photoscore.modelpack.testing.TestModelPacks;
import dev.photoscore.wiring.ScoringServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model pack that is damaged stops the service at start, where the Lambda's init (or {@code serve}) fails with a
 * message that names the file to look at, never at the first request.
 */
class ModelPackFaultsTest {

    @TempDir
    Path tmp;

    @Test
    void aMissingModelFileIsNamed() throws IOException {
        Path pack = TestModelPacks.smallNima(tmp);
        Path model = modelFile(pack);
        Files.delete(model);
        assertStartFailsNaming(pack, model);
    }

    @Test
    void aCorruptModelFileIsNamed() throws IOException {
        Path pack = TestModelPacks.smallNima(tmp);
        Path model = modelFile(pack);
        byte[] bytes = Files.readAllBytes(model);
        Files.write(model, java.util.Arrays.copyOf(bytes, bytes.length / 3)); // cut off: a broken upload
        assertStartFailsNaming(pack, model);
        Files.writeString(model, "not an ONNX model at all");
        assertStartFailsNaming(pack, model);
    }

    @Test
    void aCorruptManifestOrCalibrationIsNamed() throws IOException {
        Path pack = TestModelPacks.smallNima(tmp);
        Path manifest = pack.resolve(ModelManifest.FILE_NAME);
        String original = Files.readString(manifest);
        Files.writeString(manifest, original.substring(0, original.length() / 2));
        assertStartFailsNaming(pack, manifest);

        Files.writeString(manifest, original);
        Path calibration = pack.resolve(ModelManifest.read(pack).calibrationFile());
        Files.writeString(calibration, "{\"version\": ");
        assertStartFailsNaming(pack, calibration);
    }

    private static Path modelFile(Path pack) {
        return pack.resolve(ModelManifest.read(pack).models().get(0).file());
    }

    private static void assertStartFailsNaming(Path pack, Path file) {
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> ScoringServices.builder().modelDir(pack).scorerThreads(1).build().close());
        String message = e.getMessage();
        System.out.println(file.getFileName() + ": " + message);
        assertTrue(message != null && message.contains(file.toString()), "names " + file + ": " + message);
        assertTrue(message.length() < 1000, "a clear message, not a dump: " + message);
    }
}
