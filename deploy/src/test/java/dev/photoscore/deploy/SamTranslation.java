package dev.photoscore.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * AWS's own tools on template.yaml, where they are installed (both are Python packages: {@code pip install cfn-lint},
 * which brings the SAM translator): running them, and the CloudFormation the SAM translator makes of the template
 * (deploy/src/test/python/sam_translate.py), which is what CloudFormation deploys. Without them the tests that need
 * them say so and are skipped.
 */
final class SamTranslation {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SamTranslation() {
    }

    record Result(int exitCode, String output) {
    }

    /** The translated template, or the test is skipped (with the reason printed) where the translator is missing. */
    static JsonNode translate(Path tmp) throws IOException, InterruptedException {
        Path python = onPath("python3").orElse(null);
        skipUnless(python != null && run(tmp, List.of(python.toString(), "-c", "import samtranslator")).exitCode() == 0,
                "the SAM translator is not installed (pip install aws-sam-translator, or cfn-lint)");
        Path translated = tmp.resolve("translated.json");
        Result translation = run(tmp, List.of(python.toString(), "deploy/src/test/python/sam_translate.py",
                "template.yaml", translated.toString()));
        if (translation.exitCode() != 0) {
            throw new AssertionError("sam_translate.py:\n" + translation.output());
        }
        return JSON.readTree(translated.toFile());
    }

    /** A JSON value that may be one item or a list of them (as CloudFormation allows), as a list. */
    static List<JsonNode> items(JsonNode node) {
        List<JsonNode> items = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(items::add);
        } else if (!node.isMissingNode()) {
            items.add(node);
        }
        return items;
    }

    static void skipUnless(boolean installed, String why) {
        if (!installed) {
            System.out.println("skipped: " + why);
        }
        Assumptions.assumeTrue(installed, why);
    }

    static Optional<Path> onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Runs a command in the repository root, output and errors together, for at most two minutes. */
    static Result run(Path tmp, List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(tmp, "run", ".log");
        Process process = new ProcessBuilder(command).directory(SamTemplate.repositoryRoot().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish in two minutes");
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
