package dev.photoscore.deploy;

import static dev.photoscore.deploy.SamTranslation.items;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.photoscore.lambda.EmfMetrics;
import dev.photoscore.uploads.PhotoUploads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator selling the API relies on, checked on the CloudFormation that the SAM translator makes of
 * template.yaml (what CloudFormation deploys): the alarms and what they watch, the stage's throttling, the S3
 * trigger's reserved concurrency, the custom domain's resources only with its parameters, the canary deployments,
 * the GPU service's rolling deploys and auto scaling, and the scoring function's right to tell a missing upload.
 * Skipped where the translator is not installed.
 */
class OperationsTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static JsonNode translated;
    static JsonNode resources;

    @BeforeAll
    static void translate() throws Exception {
        translated = SamTranslation.translate(tmp);
        resources = translated.path("Resources");
    }

    private static JsonNode resource(String id) {
        JsonNode resource = resources.path(id);
        assertFalse(resource.isMissingNode(), "no resource " + id);
        return resource;
    }

    private static JsonNode properties(String id) {
        return resource(id).path("Properties");
    }

    private static JsonNode ref(String name) {
        return JSON.createObjectNode().put("Ref", name);
    }

    /** The alarms by the metric they watch: namespace/metric, or the metrics of a metric-math alarm. */
    private static Map<String, List<String>> alarmsByMetric() {
        Map<String, List<String>> watched = new HashMap<>();
        resources.properties().forEach(entry -> {
            if (!entry.getValue().path("Type").asText().equals("AWS::CloudWatch::Alarm")) {
                return;
            }
            JsonNode alarm = entry.getValue().path("Properties");
            List<String> metrics = new ArrayList<>();
            if (alarm.has("MetricName")) {
                metrics.add(namespace(alarm.path("Namespace")) + "/" + alarm.path("MetricName").asText());
            }
            for (JsonNode query : alarm.path("Metrics")) {
                JsonNode metric = query.path("MetricStat").path("Metric");
                if (!metric.isMissingNode()) {
                    metrics.add(namespace(metric.path("Namespace")) + "/" + metric.path("MetricName").asText());
                }
            }
            metrics.forEach(metric -> watched.computeIfAbsent(metric, m -> new ArrayList<>()).add(entry.getKey()));
        });
        return watched;
    }

    /** A namespace as written: a string, or the product's {@code !Sub photoscore/${AWS::StackName}}. */
    private static String namespace(JsonNode node) {
        return node.isTextual() ? node.asText() : node.path("Fn::Sub").asText();
    }

    @Test
    void everyNamedMetricHasAnAlarmThatNotifiesTheTopic() {
        String product = "photoscore/${AWS::StackName}/";
        Map<String, List<String>> watched = alarmsByMetric();
        for (String metric : List.of("AWS/ApiGateway/5xx", "AWS/ApiGateway/Latency", "AWS/Lambda/Errors",
                "AWS/Lambda/Throttles", "AWS/SQS/ApproximateNumberOfMessagesVisible",
                "AWS/DynamoDB/ReadThrottleEvents", "AWS/DynamoDB/WriteThrottleEvents",
                "AWS/DynamoDB/TransactionConflict", product + EmfMetrics.MODEL_LATENCY,
                product + EmfMetrics.REQUESTS_FAILED, "AWS/ApplicationELB/UnHealthyHostCount")) {
            assertTrue(watched.containsKey(metric), "no alarm on " + metric + ": " + watched.keySet());
        }
        // Errors of each function: the API's and the trigger's (their live aliases), the billing run's.
        Set<String> functionsWithErrorAlarms = new LinkedHashSet<>();
        for (String id : watched.get("AWS/Lambda/Errors")) {
            for (JsonNode dimension : properties(id).path("Dimensions")) {
                if (dimension.path("Name").asText().equals("FunctionName")) {
                    functionsWithErrorAlarms.add(dimension.path("Value").path("Ref").asText());
                }
            }
        }
        assertEquals(Set.of("ScoringFunction", "UploadFunction", "MonthlyBillingFunction"), functionsWithErrorAlarms);
        // Both failure queues: the S3 trigger's and the billing run's.
        Set<String> watchedQueues = new LinkedHashSet<>();
        for (String id : watched.get("AWS/SQS/ApproximateNumberOfMessagesVisible")) {
            watchedQueues.add(properties(id).path("Dimensions").path(0).path("Value").path("Fn::GetAtt").toString());
        }
        assertEquals(Set.of("[\"UploadFailures\",\"QueueName\"]", "[\"BillingFailures\",\"QueueName\"]"),
                watchedQueues);

        resources.properties().forEach(entry -> {
            if (entry.getValue().path("Type").asText().equals("AWS::CloudWatch::Alarm")) {
                JsonNode alarm = entry.getValue().path("Properties");
                assertEquals(List.of(ref("AlarmTopic")), items(alarm.path("AlarmActions")), entry.getKey());
                assertTrue(alarm.path("AlarmDescription").asText().contains("docs/operations.md#"
                        + entry.getKey().toLowerCase()), entry.getKey() + " must say where the runbook explains it");
            }
        });
    }

    /** The functions publish their metrics in the namespace the alarms and the dashboard read. */
    @Test
    void theProductMetricsAreReadWhereTheFunctionsWriteThem() {
        for (String function : List.of("ScoringFunction", "UploadFunction")) {
            JsonNode variables = properties(function).path("Environment").path("Variables");
            assertEquals("photoscore/${AWS::StackName}", variables.path(EmfMetrics.NAMESPACE_VARIABLE)
                    .path("Fn::Sub").asText(), function);
        }
        assertEquals("api", properties("ScoringFunction").path("Environment").path("Variables")
                .path(EmfMetrics.SERVICE_VARIABLE).asText());
        assertEquals("uploads", properties("UploadFunction").path("Environment").path("Variables")
                .path(EmfMetrics.SERVICE_VARIABLE).asText());
        String dashboard = properties("Dashboard").path("DashboardBody").path("Fn::Sub").asText();
        for (String metric : List.of(EmfMetrics.PHOTOS_SCORED, EmfMetrics.PHOTOS_REFUSED, EmfMetrics.REQUESTS_FAILED,
                EmfMetrics.SCORE, EmfMetrics.INPUT_LATENCY, EmfMetrics.DECODE_LATENCY, EmfMetrics.MODEL_LATENCY,
                EmfMetrics.METERING_LATENCY, EmfMetrics.CLASS_DIMENSION, EmfMetrics.REASON_DIMENSION)) {
            assertTrue(dashboard.contains(metric), "the dashboard does not show " + metric);
        }
    }

    @Test
    void theAlarmEmailIsSubscribedOnlyWhenGiven() {
        JsonNode subscription = resource("AlarmEmailSubscription");
        assertEquals("HasAlarmEmail", subscription.path("Condition").asText());
        assertEquals(ref("AlarmEmail"), subscription.path("Properties").path("Endpoint"));
        assertEquals("email", subscription.path("Properties").path("Protocol").asText());
        assertFalse(condition("HasAlarmEmail", Map.of()));
        assertTrue(condition("HasAlarmEmail", Map.of("AlarmEmail", "ops@example.com")));
    }

    @Test
    void theStageIsThrottledAndUploadsHaveTheirOwnConcurrency() {
        JsonNode stage = properties("PhotoscoreApiApiGatewayDefaultStage").path("DefaultRouteSettings");
        assertEquals(ref("ApiRateLimit"), stage.path("ThrottlingRateLimit"));
        assertEquals(ref("ApiBurstLimit"), stage.path("ThrottlingBurstLimit"));

        JsonNode reserved = properties("UploadFunction").path("ReservedConcurrentExecutions");
        assertEquals("ReservesUploadConcurrency", reserved.path("Fn::If").path(0).asText());
        assertEquals(ref("UploadConcurrency"), reserved.path("Fn::If").path(1));
        assertTrue(condition("ReservesUploadConcurrency", Map.of()), "reserved by default");
        assertFalse(condition("ReservesUploadConcurrency", Map.of("UploadConcurrency", "0")));
        assertTrue(properties("ScoringFunction").path("ReservedConcurrentExecutions").isMissingNode(),
                "the API takes from the unreserved pool");
    }

    /** No custom domain by default; with its parameters the domain, its mapping, and the record with a zone. */
    @Test
    void theCustomDomainExistsOnlyWithItsParameters() {
        Map<String, String> types = Map.of("ApiDomain", "AWS::ApiGatewayV2::DomainName",
                "ApiDomainMapping", "AWS::ApiGatewayV2::ApiMapping", "ApiDomainRecord", "AWS::Route53::RecordSet");
        types.forEach((id, type) -> assertEquals(type, resource(id).path("Type").asText(), id));
        Map<String, String> domain = Map.of("ApiDomainName", "api.example.com",
                "ApiCertificateArn", "arn:aws:acm:eu-west-1:123456789012:certificate/abc");
        Map<String, String> domainAndZone = new HashMap<>(domain);
        domainAndZone.put("ApiHostedZoneId", "Z123EXAMPLE");
        for (String id : types.keySet()) {
            String condition = resource(id).path("Condition").asText();
            assertFalse(condition(condition, Map.of()), id + " exists without the domain parameters");
            assertTrue(condition(condition, domainAndZone), id);
            assertEquals(!id.equals("ApiDomainRecord"), condition(condition, domain), id + " without a zone");
        }
        JsonNode mapping = properties("ApiDomainMapping");
        assertEquals(ref("PhotoscoreApi"), mapping.path("ApiId"));
        assertEquals(ref("PhotoscoreApiApiGatewayDefaultStage"), mapping.path("Stage"));
        assertEquals("REGIONAL", properties("ApiDomain").path("DomainNameConfigurations").path(0)
                .path("EndpointType").asText());
        JsonNode url = translated.path("Outputs").path("ApiUrl").path("Value").path("Fn::If");
        assertEquals("HasCustomDomain", url.path(0).asText());
        assertTrue(translated.path("Rules").has("ApiDomainNeedsItsCertificate"));
    }

    /** Both scoring functions move their alias by CodeDeploy, which rolls back when one of their alarms goes off. */
    @Test
    void theFunctionsDeployGraduallyAndRollBackOnTheirAlarms() {
        Map<String, List<String>> rollbackAlarms = Map.of(
                "ScoringFunction", List.of("ScoringFunctionErrorsAlarm", "ApiFailuresAlarm"),
                "UploadFunction", List.of("UploadFunctionErrorsAlarm"));
        rollbackAlarms.forEach((function, alarms) -> {
            JsonNode alias = resource(function + "Aliaslive");
            assertEquals(ref(function + "DeploymentGroup"), alias.path("UpdatePolicy")
                    .path("CodeDeployLambdaAliasUpdate").path("DeploymentGroupName"), function);
            JsonNode group = properties(function + "DeploymentGroup");
            List<JsonNode> named = new ArrayList<>();
            group.path("AlarmConfiguration").path("Alarms").forEach(alarm -> named.add(alarm.path("Name")));
            for (String alarm : alarms) {
                assertTrue(named.contains(ref(alarm)), function + " does not roll back on " + alarm + ": " + named);
            }
            assertTrue(group.path("AlarmConfiguration").path("Enabled").asBoolean(), function);
            assertTrue(items(group.path("AutoRollbackConfiguration").path("Events")).stream()
                    .anyMatch(event -> event.asText().equals("DEPLOYMENT_STOP_ON_ALARM")), function);
            assertEquals("CodeDeployDefault.Lambda${ConfigName}",
                    group.path("DeploymentConfigName").path("Fn::Sub").path(0).asText(), function);
        });
        // The default is a canary: a tenth of the traffic first.
        assertTrue(properties("ScoringFunctionDeploymentGroup").path("DeploymentConfigName").path("Fn::Sub").path(1)
                .path("ConfigName").asText().startsWith("Canary10Percent"));
        // The API's errors alarm watches the live alias the API calls.
        assertEquals(JSON.createObjectNode().put("Fn::Sub", "${ScoringFunction}:live"),
                properties("ScoringFunctionErrorsAlarm").path("Dimensions").path(1).path("Value"));
    }

    @Test
    void theGpuServiceDeploysWithoutAnOutageAndScalesOnLoad() {
        JsonNode service = properties("GpuService");
        JsonNode deployment = service.path("DeploymentConfiguration");
        assertEquals(100, deployment.path("MinimumHealthyPercent").asInt(), "a deploy must keep the capacity");
        assertEquals(200, deployment.path("MaximumPercent").asInt());
        assertTrue(deployment.path("DeploymentCircuitBreaker").path("Rollback").asBoolean());
        assertTrue(service.path("DesiredCount").isMissingNode(), "the scaling policy owns the count");
        assertEquals(ref("GpuCapacityProvider"), service.path("CapacityProviderStrategy").path(0)
                .path("CapacityProvider"));
        assertEquals("ENABLED", properties("GpuCapacityProvider").path("AutoScalingGroupProvider")
                .path("ManagedScaling").path("Status").asText());

        JsonNode target = properties("GpuScalableTarget");
        assertEquals("ecs:service:DesiredCount", target.path("ScalableDimension").asText());
        assertEquals("service/${GpuCluster}/${GpuService.Name}", target.path("ResourceId").path("Fn::Sub").asText());
        assertEquals(ref("GpuInstanceCount"), target.path("MinCapacity"));
        assertEquals(ref("GpuMaxInstanceCount"), target.path("MaxCapacity"));
        JsonNode policy = properties("GpuScalingPolicy");
        assertEquals("TargetTrackingScaling", policy.path("PolicyType").asText());
        assertEquals(ref("GpuScalableTarget"), policy.path("ScalingTargetId"));
        JsonNode tracking = policy.path("TargetTrackingScalingPolicyConfiguration");
        assertEquals("ALBRequestCountPerTarget", tracking.path("PredefinedMetricSpecification")
                .path("PredefinedMetricType").asText());
        assertEquals(ref("GpuRequestsPerTask"), tracking.path("TargetValue"));

        // Room for a rolling deploy's extra task at full scale: the group's maximum is one above the service's.
        JsonNode maxSize = properties("GpuAutoScalingGroup").path("MaxSize").path("Fn::Select");
        assertEquals(ref("GpuMaxInstanceCount"), maxSize.path(0));
        for (int tasks = 1; tasks <= 20; tasks++) {
            assertEquals(tasks + 1, maxSize.path(1).path(tasks).asInt());
        }
        for (String id : List.of("GpuService", "GpuScalableTarget", "GpuScalingPolicy", "GpuCapacityProvider")) {
            assertEquals("GpuEnabled", resource(id).path("Condition").asText(), id);
        }
    }

    /** S3 answers 404 for a missing key only to a caller that may list it; PhotoUploads maps that 404 to the API's. */
    @Test
    void theScoringFunctionMayListTheUploadsPrefixSoAMissingUploadIsA404() {
        JsonNode listing = null;
        for (JsonNode policy : properties("ScoringFunctionRole").path("Policies")) {
            for (JsonNode statement : policy.path("PolicyDocument").path("Statement")) {
                if (items(statement.path("Action")).stream().anyMatch(a -> a.asText().equals("s3:ListBucket"))) {
                    listing = statement;
                }
            }
        }
        assertNotNull(listing, "the scoring function cannot list the uploads bucket: S3 would answer 403");
        assertEquals("arn:${AWS::Partition}:s3:::photoscore-uploads-${StackUuid}",
                listing.path("Resource").path("Fn::Sub").path(0).asText());
        assertEquals(List.of(PhotoUploads.PREFIX + "*"), items(listing.path("Condition").path("StringLike")
                .path("s3:prefix")).stream().map(JsonNode::asText).toList());
    }

    /**
     * {@code sam local --env-vars events/sam-local-env.json} overrides only variables a function declares: each entry
     * names a function of the template and only variables it declares, and every function that talks to DynamoDB
     * has an entry pointing it at DynamoDB Local.
     */
    @Test
    void samLocalEnvironmentNamesOnlyDeclaredVariables() throws Exception {
        JsonNode local = JSON.readTree(Files.readString(SamTemplate.repositoryRoot()
                .resolve("events/sam-local-env.json")));
        local.properties().forEach(entry -> {
            JsonNode declared = properties(entry.getKey()).path("Environment").path("Variables");
            assertFalse(declared.isMissingNode(), entry.getKey() + " is not a function with variables");
            entry.getValue().fieldNames().forEachRemaining(name -> assertTrue(declared.has(name),
                    entry.getKey() + " does not declare " + name + ": sam local would ignore it"));
        });
        resources.properties().forEach(entry -> {
            if (entry.getValue().path("Properties").path("Environment").path("Variables").has("DYNAMODB_ENDPOINT")
                    && entry.getValue().path("Type").asText().equals("AWS::Lambda::Function")) {
                assertTrue(local.path(entry.getKey()).has("DYNAMODB_ENDPOINT"), entry.getKey()
                        + " has no DynamoDB Local endpoint in events/sam-local-env.json");
            }
        });
        assertTrue(local.has("MonthlyBillingFunction"));
    }

    /** A condition of the translated template, evaluated with these parameter values and the others' defaults. */
    private static boolean condition(String name, Map<String, String> parameters) {
        JsonNode definition = translated.path("Conditions").path(name);
        assertFalse(definition.isMissingNode(), "no condition " + name);
        return truth(definition, parameters);
    }

    private static boolean truth(JsonNode node, Map<String, String> parameters) {
        if (node.has("Fn::Equals")) {
            return value(node.path("Fn::Equals").path(0), parameters)
                    .equals(value(node.path("Fn::Equals").path(1), parameters));
        }
        if (node.has("Fn::Not")) {
            return !truth(node.path("Fn::Not").path(0), parameters);
        }
        if (node.has("Fn::And")) {
            return items(node.path("Fn::And")).stream().allMatch(operand -> truth(operand, parameters));
        }
        if (node.has("Fn::Or")) {
            return items(node.path("Fn::Or")).stream().anyMatch(operand -> truth(operand, parameters));
        }
        if (node.has("Condition")) {
            return condition(node.path("Condition").asText(), parameters);
        }
        throw new AssertionError("not a condition function: " + node);
    }

    private static String value(JsonNode node, Map<String, String> parameters) {
        if (node.has("Ref")) {
            String parameter = node.path("Ref").asText();
            JsonNode declared = translated.path("Parameters").path(parameter);
            assertFalse(declared.isMissingNode(), "no parameter " + parameter);
            return parameters.getOrDefault(parameter, declared.path("Default").asText());
        }
        assertTrue(node.isValueNode(), "not a value: " + node);
        return node.asText();
    }
}
