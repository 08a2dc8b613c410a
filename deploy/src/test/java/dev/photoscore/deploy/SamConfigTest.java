package dev.photoscore.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * samconfig.toml, the SAM CLI's settings, read with Python's own TOML reader (tomllib, Python 3.11+; skipped
 * without it): it deploys the stack the docs name, with the capability the template needs, and overrides only
 * parameters the template has, with values they allow, the architecture the build's default.
 */
class SamConfigTest {

    @TempDir
    Path tmp;

    @Test
    void samConfigDeploysTheTemplateWithParametersItHas() throws Exception {
        Path python = SamTranslation.onPath("python3").orElse(null);
        SamTranslation.skipUnless(python != null && SamTranslation.run(tmp, List.of(python.toString(), "-c",
                "import tomllib")).exitCode() == 0, "python3 with tomllib (3.11+) is not installed");
        SamTranslation.Result read = SamTranslation.run(tmp, List.of(python.toString(), "-c",
                "import json, tomllib; print(json.dumps(tomllib.load(open('samconfig.toml', 'rb'))))"));
        assertEquals(0, read.exitCode(), read.output());
        JsonNode config = new ObjectMapper().readTree(read.output());
        assertEquals("photoscore", config.path("default").path("global").path("parameters").path("stack_name")
                .asText());
        JsonNode deploy = config.path("default").path("deploy").path("parameters");
        assertEquals("CAPABILITY_IAM", deploy.path("capabilities").asText());
        assertTrue(deploy.path("resolve_s3").asBoolean());

        Map<String, Object> parameters = SamTemplate.readRepositoryTemplate().section("Parameters");
        String overrides = deploy.path("parameter_overrides").asText();
        assertTrue(overrides.contains("Architecture=arm64"), "the package's default architecture: " + overrides);
        for (String override : overrides.split("\\s+")) {
            String[] pair = override.split("=", 2);
            assertTrue(parameters.containsKey(pair[0]), "samconfig.toml overrides " + pair[0]
                    + ", which template.yaml does not have");
            Object allowed = SamTemplate.map(parameters.get(pair[0])).get("AllowedValues");
            assertTrue(allowed == null || SamTemplate.list(allowed).contains(pair[1]), override + " is not one of "
                    + allowed);
        }
    }
}
