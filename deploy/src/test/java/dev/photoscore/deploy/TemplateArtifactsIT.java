package dev.photoscore.deploy;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The files template.yaml deploys, as the package phase built them (run by {@code mvn verify}, after package): they
 * exist, the function jar holds every handler the template names and what SnapStart's hooks need, the layer holds a
 * model pack under models/, and together they unpack within Lambda's 250 MB.
 */
class TemplateArtifactsIT {

    /** Lambda's limit on a function's unpacked code and layers together. */
    private static final long LAMBDA_UNZIPPED_LIMIT = 250L * 1024 * 1024;

    @Test
    void functionJarHoldsEveryHandlerAndTheLayerAModelPackWithinLambdasLimit() throws IOException {
        SamTemplate template = SamTemplate.readRepositoryTemplate();
        Path root = SamTemplate.repositoryRoot();
        List<String> handlers = new ArrayList<>();
        String codeUri = null;
        for (Map<String, Object> function : template.resourcesOfType("AWS::Serverless::Function").values()) {
            codeUri = (String) template.functionProperty(function, "CodeUri");
            handlers.add(((String) template.functionProperty(function, "Handler")).split("::")[0]);
        }
        assertNotNull(codeUri);
        Path jar = root.resolve(codeUri);
        assertTrue(Files.isRegularFile(jar), jar + " is missing: run mvn package first");
        long unzipped;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (String handler : handlers) {
                assertNotNull(zip.getEntry(handler.replace('.', '/') + ".class"), handler + " is not in " + jar);
            }
            for (String needed : List.of("org/crac/Resource.class", "ai/onnxruntime/OrtSession.class",
                    "ai/onnxruntime/native/linux-aarch64/libonnxruntime.so",
                    "ai/onnxruntime/native/linux-x64/libonnxruntime.so",
                    "META-INF/services/ai.djl.engine.EngineProvider")) {
                assertNotNull(zip.getEntry(needed), needed + " is not in " + jar);
            }
            unzipped = zip.stream().mapToLong(ZipEntry::getSize).sum();
        }
        for (Map<String, Object> layer : template.resourcesOfType("AWS::Serverless::LayerVersion").values()) {
            Path zipFile = root.resolve((String) SamTemplate.properties(layer).get("ContentUri"));
            assertTrue(Files.isRegularFile(zipFile), zipFile + " is missing: run mvn package first");
            try (ZipFile zip = new ZipFile(zipFile.toFile())) {
                assertNotNull(zip.getEntry("models/manifest.json"), zipFile + " has no models/manifest.json");
                unzipped += zip.stream().mapToLong(ZipEntry::getSize).sum();
            }
        }
        assertTrue(unzipped < LAMBDA_UNZIPPED_LIMIT, "function and layer unpack to " + unzipped + " bytes");
    }
}
