package dev.photoscore.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.spi.ToolProvider;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files template.yaml deploys, as the package phase built them (run by {@code mvn verify}, after package): they
 * exist, the function's package holds every handler the template names and what SnapStart's hooks need, the native
 * libraries of the architecture it was built for and no other's, the layer holds a model pack under models/, and
 * together they unpack within Lambda's 250 MB.
 */
class TemplateArtifactsIT {

    /** Lambda's limit on a function's unpacked code and layers together. */
    private static final long LAMBDA_UNZIPPED_LIMIT = 250L * 1024 * 1024;
    /** ONNX Runtime's and JNA's folder of native libraries for each Lambda architecture. */
    private static final Map<String, List<String>> NATIVE_FOLDERS = Map.of(
            "arm64", List.of("ai/onnxruntime/native/linux-aarch64/", "com/sun/jna/linux-aarch64/"),
            "x86_64", List.of("ai/onnxruntime/native/linux-x64/", "com/sun/jna/linux-x86-64/"));

    @Test
    void functionPackageHoldsEveryHandlerAndOneArchitectureAndTheLayerAModelPackWithinLambdasLimit()
            throws IOException {
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
        String architecture = System.getProperty("lambda.architecture", "arm64");
        assertTrue(NATIVE_FOLDERS.containsKey(architecture), "lambda.architecture " + architecture);
        long unzipped;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (String handler : handlers) {
                assertNotNull(zip.getEntry(handler.replace('.', '/') + ".class"), handler + " is not in " + jar);
            }
            for (String needed : List.of("org/crac/Resource.class", "ai/onnxruntime/OrtSession.class",
                    NATIVE_FOLDERS.get(architecture).get(0) + "libonnxruntime.so",
                    NATIVE_FOLDERS.get(architecture).get(1) + "libjnidispatch.so",
                    "META-INF/services/ai.djl.engine.EngineProvider")) {
                assertNotNull(zip.getEntry(needed), needed + " is not in " + jar);
            }
            NATIVE_FOLDERS.forEach((other, folders) -> {
                if (!other.equals(architecture)) {
                    for (String folder : folders) {
                        assertNull(zip.getEntry(folder), jar + " is for " + architecture + " but holds " + folder);
                    }
                }
            });
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

    /**
     * The AWS SDK classes the package leaves out (the async clients' implementations, publishers and waiters) are
     * referred to only from the async API, which the functions never use: jdeps lists every reference to an SDK
     * service class the package lacks, and each must come from an async class.
     */
    @Test
    void onlyTheAsyncApiRefersToTheSdkClassesLeftOut(@TempDir Path tmp) throws IOException {
        Path zip = SamTemplate.repositoryRoot().resolve("function/target/photoscore-function.zip");
        assertTrue(Files.isRegularFile(zip), zip + " is missing: run mvn package first");
        // jdeps reads a .zip as a plain archive, where --multi-release does not apply: the same file as a .jar.
        Path jar = Files.copy(zip, tmp.resolve("photoscore-function.jar"));
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("no jdeps"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int exit = jdeps.run(print, print, "-verbose:class", "--multi-release", "17", "-cp", jar.toString(),
                jar.toString());
        String report = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, report.lines().limit(20).toList().toString());
        List<String> fromElsewhere = new ArrayList<>();
        report.lines().filter(line -> line.endsWith("not found"))
                .map(String::strip)
                .filter(line -> line.contains("-> software.amazon.awssdk.services."))
                .forEach(line -> {
                    String from = line.substring(0, line.indexOf(" -> ")).strip();
                    if (!from.contains("Async") && !from.contains(".internal.multipart.")) {
                        fromElsewhere.add(line);
                    }
                });
        assertTrue(fromElsewhere.isEmpty(), "classes outside the async API refer to classes left out:\n"
                + String.join("\n", fromElsewhere));
    }
}
