package dev.photoscore.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AWS's own tools on template.yaml, where they are installed ({@link SamTranslation}): cfn-lint's rules, and the SAM
 * translator's CloudFormation, whose generated roles are checked like the template's own.
 */
class CloudFormationToolsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** AWS managed policies SAM attaches itself: logging, X-Ray (Tracing), CodeDeploy (DeploymentPreference). */
    private static final List<String> SAM_MANAGED_POLICIES = List.of(
            ":policy/service-role/AWSLambdaBasicExecutionRole", ":policy/AWSXrayWriteOnlyAccess",
            ":policy/service-role/AWSCodeDeployRoleForLambda");

    @TempDir
    Path tmp;

    @Test
    void cfnLintFindsNothing() throws Exception {
        Path cfnLint = SamTranslation.onPath("cfn-lint").orElse(null);
        SamTranslation.skipUnless(cfnLint != null, "cfn-lint is not installed (pip install cfn-lint)");
        SamTranslation.Result lint = SamTranslation.run(tmp, List.of(cfnLint.toString(), "--format", "parseable",
                "template.yaml"));
        assertEquals(0, lint.exitCode(), "cfn-lint template.yaml:\n" + lint.output());
    }

    @Test
    void samTranslatorAcceptsTheTemplateAndItsGeneratedRolesStayScoped() throws Exception {
        JsonNode resources = SamTranslation.translate(tmp).path("Resources");
        List<String> problems = new ArrayList<>();
        int roles = 0;
        for (Map.Entry<String, JsonNode> resource : resources.properties()) {
            if (!resource.getValue().path("Type").asText().equals("AWS::IAM::Role")) {
                continue;
            }
            roles++;
            JsonNode role = resource.getValue().path("Properties");
            for (JsonNode policy : role.path("Policies")) {
                for (JsonNode statement : SamTranslation.items(policy.path("PolicyDocument").path("Statement"))) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> plain = JSON.convertValue(statement, Map.class);
                    problems.addAll(TemplateTest.wildcards(resource.getKey(), plain));
                }
            }
            for (JsonNode arn : role.path("ManagedPolicyArns")) {
                String text = arn.isTextual() ? arn.asText() : arn.path("Fn::Sub").asText();
                if (SAM_MANAGED_POLICIES.stream().noneMatch(text::endsWith)
                        && !text.endsWith(":policy/service-role/AmazonEC2ContainerServiceforEC2Role")
                        && !text.endsWith(":policy/service-role/AmazonECSTaskExecutionRolePolicy")) {
                    problems.add(resource.getKey() + ": managed policy " + text);
                }
            }
        }
        assertTrue(roles >= 3, "a role per function at least, found " + roles);
        assertTrue(problems.isEmpty(), String.join("\n", problems));

        // The API and the bucket notification call the SnapStart alias, never $LATEST (which is not snapshotted).
        JsonNode permission = resources.path("ScoringFunctionApiPermission").path("Properties");
        assertEquals("ScoringFunctionAliaslive", permission.path("FunctionName").path("Ref").asText());
        JsonNode notification = resources.path("UploadsBucket").path("Properties").path("NotificationConfiguration")
                .path("LambdaConfigurations").path(0);
        assertEquals("UploadFunctionAliaslive", notification.path("Function").path("Ref").asText());
        assertEquals("AWS::Lambda::Alias", resources.path("UploadFunctionAliaslive").path("Type").asText());

        // One route, the default one, in payload format 2.0, on the $default stage (no stage in the path): the API
        // and the demo page beside it (/, /demo/credentials, /samples/...) reach the same function on one origin.
        JsonNode paths = resources.path("PhotoscoreApi").path("Properties").path("Body").path("paths");
        assertEquals(List.of("/$default"), iterate(paths.fieldNames()));
        JsonNode route = paths.path("/$default").path("x-amazon-apigateway-any-method");
        assertTrue(route.path("isDefaultRoute").asBoolean(), route.toString());
        JsonNode integration = route.path("x-amazon-apigateway-integration");
        assertEquals("2.0", integration.path("payloadFormatVersion").asText());
        assertTrue(integration.path("uri").path("Fn::Sub").asText().contains("${ScoringFunctionAliaslive}"),
                integration.toString());
        assertEquals("$default", resources.path("PhotoscoreApiApiGatewayDefaultStage").path("Properties")
                .path("StageName").asText());
    }

    private static List<String> iterate(java.util.Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
