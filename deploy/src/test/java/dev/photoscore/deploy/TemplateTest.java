package dev.photoscore.deploy;

import static dev.photoscore.deploy.SamTemplate.list;
import static dev.photoscore.deploy.SamTemplate.map;
import static dev.photoscore.deploy.SamTemplate.properties;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.photoscore.bench.Benchmark;
import dev.photoscore.gpu.GpuService;
import dev.photoscore.gpu.GpuServiceConfig;
import dev.photoscore.lambda.LambdaEnvironment;
import dev.photoscore.uploads.UploadKeys;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** template.yaml checked offline: structure, references, handlers, artefacts, IAM, logs, storage settings. */
class TemplateTest {

    private static final String FUNCTION = "AWS::Serverless::Function";
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");
    /** The event a handler must take for each event source SAM wires to it. */
    private static final Map<String, Set<Type>> EVENT_TYPES = Map.of(
            "HttpApi", Set.of(APIGatewayV2HTTPEvent.class),
            "S3", Set.of(S3Event.class),
            "Schedule", Set.of(ScheduledEvent.class, Map.class));
    /** AWS managed policies the template may attach: the service roles ECS needs; SAM adds Lambda's logging one. */
    private static final Set<String> MANAGED_POLICIES = Set.of(
            "service-role/AmazonEC2ContainerServiceforEC2Role", "service-role/AmazonECSTaskExecutionRolePolicy");

    static SamTemplate template;

    @BeforeAll
    static void read() throws Exception {
        template = SamTemplate.readRepositoryTemplate();
    }

    @Test
    void isASamTemplateWithItsShortFormTagsReadAsIntrinsicFunctions() {
        assertEquals("AWS::Serverless-2016-10-31", template.root().get("Transform"));
        Map<String, Object> scoring = properties(map(template.resources().get("ScoringFunction")));
        assertEquals(Map.of("Ref", "MemorySize"), scoring.get("MemorySize"));
        assertEquals(Map.of("Fn::GetAtt", List.of("TenantsTable", "Arn")),
                map(list(map(list(scoring.get("Policies")).get(0)).get("Statement")).get(0)).get("Resource"));
    }

    @Test
    void everyReferenceNamesADefinedParameterResourceOrCondition() {
        Set<String> parameters = template.section("Parameters").keySet();
        Set<String> resources = template.resources().keySet();
        Set<String> conditions = template.section("Conditions").keySet();
        Set<String> referable = new HashSet<>(parameters);
        referable.addAll(resources);
        referable.addAll(SamTemplate.PSEUDO_PARAMETERS);
        // SAM's names for resources it generates: an HTTP API's stage.
        template.resourcesOfType("AWS::Serverless::HttpApi").keySet().forEach(api -> referable.add(api + ".Stage"));
        List<String> unresolved = new ArrayList<>();
        SamTemplate.walk(template.root(), "", (path, node) -> {
            if (node.get("Ref") instanceof String name && !referable.contains(name)) {
                unresolved.add(path + ": Ref " + name);
            }
            if (node.containsKey("Fn::GetAtt")) {
                String resource = (String) list(node.get("Fn::GetAtt")).get(0);
                if (!resources.contains(resource)) {
                    unresolved.add(path + ": GetAtt " + resource);
                }
            }
            if (node.containsKey("Fn::Sub")) {
                List<Object> sub = list(node.get("Fn::Sub"));
                Set<String> local = sub.size() > 1 ? map(sub.get(1)).keySet() : Set.of();
                Matcher variables = SUB_VARIABLE.matcher((String) sub.get(0));
                while (variables.find()) {
                    String name = variables.group(1);
                    String target = name.contains(".") && !name.startsWith("AWS::")
                            ? name.substring(0, name.indexOf('.')) : name;
                    if (!local.contains(name) && !(name.contains(".") ? resources : referable).contains(target)) {
                        unresolved.add(path + ": Sub ${" + name + "}");
                    }
                }
            }
            if (node.containsKey("Fn::If") && !conditions.contains((String) list(node.get("Fn::If")).get(0))) {
                unresolved.add(path + ": If " + list(node.get("Fn::If")).get(0));
            }
            // A resource's or output's Condition attribute, and the Condition function: a condition's name.
            if (node.get("Condition") instanceof String name && !conditions.contains(name)) {
                unresolved.add(path + ": Condition " + name);
            }
        });
        template.resources().forEach((id, resource) -> list(map(resource).get("DependsOn")).forEach(dependency -> {
            if (!resources.contains((String) dependency)) {
                unresolved.add(id + ": DependsOn " + dependency);
            }
        }));
        assertTrue(unresolved.isEmpty(), "undefined names: " + unresolved);
    }

    @Test
    void everyHandlerIsAPublicClassWithANoArgumentConstructorTakingItsEvents() throws Exception {
        Map<String, Map<String, Object>> functions = template.resourcesOfType(FUNCTION);
        assertFalse(functions.isEmpty());
        for (Map.Entry<String, Map<String, Object>> function : functions.entrySet()) {
            String handler = (String) template.functionProperty(function.getValue(), "Handler");
            String[] parts = handler.split("::");
            assertEquals(2, parts.length, function.getKey() + ": Handler must be class::method, was " + handler);
            Class<?> type = Class.forName(parts[0]);
            assertTrue(Modifier.isPublic(type.getModifiers()) && !Modifier.isAbstract(type.getModifiers()),
                    handler + " must be a public concrete class");
            assertTrue(Modifier.isPublic(type.getConstructor().getModifiers()),
                    handler + ": Lambda needs a public no-argument constructor");
            assertTrue(RequestHandler.class.isAssignableFrom(type) || RequestStreamHandler.class.isAssignableFrom(type),
                    handler + " must implement RequestHandler or RequestStreamHandler");
            assertTrue(List.of(type.getMethods()).stream().anyMatch(m -> m.getName().equals(parts[1])),
                    handler + ": no public method " + parts[1]);
            Map<String, Object> events = map(properties(function.getValue()).getOrDefault("Events", Map.of()));
            for (Object event : events.values()) {
                String source = (String) map(event).get("Type");
                Set<Type> accepted = EVENT_TYPES.get(source);
                assertNotNull(accepted, function.getKey() + ": no expected event type for source " + source);
                Type input = requestHandlerInput(type);
                assertTrue(accepted.contains(input instanceof ParameterizedType p ? p.getRawType() : input),
                        handler + " takes " + input + " but its " + source + " events are " + accepted);
            }
        }
    }

    /** The {@code I} of {@code RequestHandler<I, O>} as the class (or a superclass) declares it. */
    private static Type requestHandlerInput(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Type implemented : c.getGenericInterfaces()) {
                if (implemented instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                    return p.getActualTypeArguments()[0];
                }
            }
        }
        throw new AssertionError(type + " does not declare RequestHandler<I, O> with its types");
    }

    @Test
    void everyCodeAndContentUriIsAnArtefactTheBuildDeclares() throws Exception {
        List<String> uris = new ArrayList<>();
        template.resourcesOfType(FUNCTION).values().forEach(f -> uris.add((String) template.functionProperty(f,
                "CodeUri")));
        template.resourcesOfType("AWS::Serverless::LayerVersion").values().forEach(layer ->
                uris.add((String) properties(layer).get("ContentUri")));
        assertFalse(uris.isEmpty());
        for (String uri : uris) {
            Path path = Path.of(uri);
            int target = uri.indexOf("/target/");
            assertTrue(target > 0, uri + " must be a build output under <module>/target/");
            Path module = SamTemplate.repositoryRoot().resolve(uri.substring(0, target));
            assertTrue(Files.isRegularFile(module.resolve("pom.xml")), uri + ": " + module + " is not a module");
            String file = path.getFileName().toString();
            assertTrue(file.endsWith(".zip"), uri + ": sam build takes only a .zip CodeUri as built");
            assertTrue(declaredOutputs(module.resolve("pom.xml")).contains(file),
                    uri + ": " + module + "/pom.xml builds " + declaredOutputs(module.resolve("pom.xml")));
        }
    }

    /**
     * The files a module's shade and assembly executions write into target/: a shade outputFile, else a finalName
     * with the extension of what the plugin writes.
     */
    private static Set<String> declaredOutputs(Path pom) throws Exception {
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        Set<String> outputs = new HashSet<>();
        NodeList plugins = document.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            String artifact = plugin.getElementsByTagName("artifactId").item(0).getTextContent().trim();
            String extension = switch (artifact) {
                case "maven-shade-plugin" -> ".jar";
                case "maven-assembly-plugin" -> ".zip";
                default -> null;
            };
            if (extension == null) {
                continue;
            }
            NodeList files = plugin.getElementsByTagName("outputFile");
            for (int n = 0; n < files.getLength(); n++) {
                outputs.add(Path.of(files.item(n).getTextContent().trim()).getFileName().toString());
            }
            NodeList names = plugin.getElementsByTagName("finalName");
            for (int n = 0; n < names.getLength(); n++) {
                outputs.add(names.item(n).getTextContent().trim() + extension);
            }
        }
        return outputs;
    }

    @Test
    void noPolicyAllowsEverythingOrEveryResource() {
        List<String> problems = new ArrayList<>();
        SamTemplate.walk(template.resources(), "Resources", (path, node) -> {
            // Trust policies (AssumeRolePolicyDocument) name principals, not resources.
            boolean permissions = path.contains("/Policies/") || path.endsWith("/PolicyDocument");
            if (node.containsKey("Statement") && permissions) {
                for (Object statement : list(node.get("Statement"))) {
                    problems.addAll(wildcards(path, map(statement)));
                }
            }
            if (node.get("ManagedPolicyArns") != null) {
                for (Object arn : list(node.get("ManagedPolicyArns"))) {
                    String text = arn instanceof String s ? s : (String) map(arn).get("Fn::Sub");
                    String name = text.substring(text.indexOf(":policy/") + ":policy/".length());
                    if (!MANAGED_POLICIES.contains(name)) {
                        problems.add(path + ": managed policy " + name);
                    }
                }
            }
        });
        template.resourcesOfType(FUNCTION).forEach((id, function) -> {
            for (Object policy : list(properties(function).get("Policies"))) {
                if (!(policy instanceof Map<?, ?> document) || !document.containsKey("Statement")) {
                    problems.add(id + ": a policy other than inline statements: " + policy);
                }
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** What an Allow statement grants too widely: every action, a whole service, or every resource. */
    static List<String> wildcards(String path, Map<String, Object> statement) {
        List<String> problems = new ArrayList<>();
        if (!"Allow".equals(statement.get("Effect"))) {
            return problems;
        }
        if (statement.containsKey("NotAction") || statement.containsKey("NotResource")) {
            problems.add(path + ": NotAction/NotResource in an Allow statement");
        }
        for (Object action : list(statement.get("Action"))) {
            if (action.equals("*") || action.toString().endsWith(":*")) {
                problems.add(path + ": Action " + action);
            }
        }
        List<Object> resources = list(statement.get("Resource"));
        if (resources.isEmpty()) {
            problems.add(path + ": no Resource");
        }
        for (Object resource : resources) {
            String text = resource instanceof String s ? s
                    : resource instanceof Map<?, ?> m && m.get("Fn::Sub") != null
                    ? String.valueOf(list(m.get("Fn::Sub")).get(0)) : null;
            if (text != null && (text.equals("*") || text.endsWith(":*") || text.endsWith(":::*"))) {
                problems.add(path + ": Resource " + text);
            }
        }
        return problems;
    }

    @Test
    void everyFunctionLogsToAGroupWithRetention() {
        template.resourcesOfType(FUNCTION).forEach((id, function) -> {
            Object group = map(properties(function).get("LoggingConfig")).get("LogGroup");
            String name = (String) map(group).get("Ref");
            Map<String, Object> logGroup = map(template.resources().get(name));
            assertEquals("AWS::Logs::LogGroup", logGroup.get("Type"), id);
            assertNotNull(properties(logGroup).get("RetentionInDays"), name + " keeps logs forever");
        });
        template.resourcesOfType("AWS::Logs::LogGroup").forEach((id, group) ->
                assertNotNull(properties(group).get("RetentionInDays"), id + " keeps logs forever"));
    }

    @Test
    void scoringFunctionsAreSnapStartedThroughAnAlias() {
        for (String id : List.of("ScoringFunction", "UploadFunction")) {
            Map<String, Object> function = properties(map(template.resources().get(id)));
            assertEquals(Map.of("ApplyOn", "PublishedVersions"), function.get("SnapStart"), id);
            assertNotNull(function.get("AutoPublishAlias"), id + ": SnapStart restores published versions only");
            assertEquals(List.of(Map.of("Ref", "ModelLayer")), function.get("Layers"), id);
            assertEquals("/opt/models", map(map(function.get("Environment")).get("Variables")).get("MODEL_DIR"), id);
        }
    }

    /**
     * The functions that score lift the java21 runtime's C1-only default, and with the flags the benchmark's cold path
     * and memory rows start their JVMs with.
     */
    @Test
    void scoringFunctionsRunWithTheJitTheBenchmarkMeasures() {
        for (String id : List.of("ScoringFunction", "UploadFunction")) {
            assertEquals(Benchmark.FUNCTION_JAVA_TOOL_OPTIONS, environment(id).get("JAVA_TOOL_OPTIONS"), id);
        }
        assertFalse(environment("MonthlyBillingFunction").containsKey("JAVA_TOOL_OPTIONS"),
                "the billing run is short and scores nothing: the runtime's fast-starting default suits it");
    }

    @Test
    void bucketsAreEncryptedPrivateAndUploadsExpire() {
        for (String id : List.of("UploadsBucket", "ReportsBucket")) {
            Map<String, Object> bucket = properties(map(template.resources().get(id)));
            assertFalse(list(map(bucket.get("BucketEncryption")).get("ServerSideEncryptionConfiguration")).isEmpty(),
                    id);
            assertEquals(Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true,
                    "RestrictPublicBuckets", true), bucket.get("PublicAccessBlockConfiguration"), id);
        }
        Map<String, Object> uploads = properties(map(template.resources().get("UploadsBucket")));
        List<Object> rules = list(map(uploads.get("LifecycleConfiguration")).get("Rules"));
        assertTrue(rules.stream().anyMatch(rule -> Integer.valueOf(1).equals(map(rule).get("ExpirationInDays"))
                && "Enabled".equals(map(rule).get("Status")) && !map(rule).containsKey("Prefix")
                && !map(rule).containsKey("Filter")), "every upload expires after a day: " + rules);
    }

    @Test
    void tablesAreOnDemandWithPointInTimeRecovery() {
        for (String id : List.of("TenantsTable", "UsageTable")) {
            Map<String, Object> table = properties(map(template.resources().get(id)));
            assertEquals("PAY_PER_REQUEST", table.get("BillingMode"), id);
            assertEquals(Map.of("PointInTimeRecoveryEnabled", true), table.get("PointInTimeRecoverySpecification"),
                    id);
            assertEquals("Retain", map(template.resources().get(id)).get("DeletionPolicy"), id);
        }
    }

    @Test
    void theUploadTriggerWatchesOnlyThePrefixTheCodeTakesPhotosFrom() {
        Map<String, Object> uploaded = map(map(properties(map(template.resources().get("UploadFunction")))
                .get("Events")).get("Uploaded"));
        Map<String, Object> event = properties(uploaded);
        assertEquals("S3", uploaded.get("Type"));
        assertEquals(Map.of("Ref", "UploadsBucket"), event.get("Bucket"));
        assertEquals(List.of(Map.of("Name", "prefix", "Value", UploadKeys.INCOMING)),
                map(map(event.get("Filter")).get("S3Key")).get("Rules"));
        assertFalse(UploadKeys.RESULTS.startsWith(UploadKeys.INCOMING), "results would trigger the function again");
        assertFalse(UploadKeys.REJECTED.startsWith(UploadKeys.INCOMING), "moves would trigger the function again");
    }

    @Test
    void theGpuTaskSetsOnlyWhatTheServiceReadsAndIsCheckedWhereItAnswers() {
        Map<String, Object> container = map(list(properties(map(template.resources().get("GpuTaskDefinition")))
                .get("ContainerDefinitions")).get(0));
        List<String> names = list(container.get("Environment")).stream()
                .map(variable -> (String) map(variable).get("Name")).toList();
        List<String> read = List.of(GpuServiceConfig.HOST, GpuServiceConfig.PORT, GpuServiceConfig.MODEL_DIR,
                GpuServiceConfig.TENANTS_TABLE, GpuServiceConfig.USAGE_TABLE, GpuServiceConfig.DYNAMODB_ENDPOINT,
                GpuServiceConfig.SCORER_DEVICE, GpuServiceConfig.BATCH_SIZE, GpuServiceConfig.BATCH_WAIT_MILLIS,
                GpuServiceConfig.BATCH_WORKERS, GpuServiceConfig.HTTP_THREADS, "AWS_REGION");
        assertTrue(read.containsAll(names), "variables the service does not read: " + names);
        assertTrue(names.containsAll(List.of(GpuServiceConfig.TENANTS_TABLE, GpuServiceConfig.USAGE_TABLE,
                GpuServiceConfig.SCORER_DEVICE)), names.toString());
        GpuServiceConfig defaults = GpuServiceConfig.fromEnvironment(Map.of());
        assertEquals(defaults.port(), map(list(container.get("PortMappings")).get(0)).get("ContainerPort"));
        assertEquals(GpuService.HEALTH_PATH,
                properties(map(template.resources().get("GpuTargetGroup"))).get("HealthCheckPath"));
    }

    /** The demo page is same-origin with the API: the function's one HttpApi event is the $default route. */
    @Test
    void everyPathOfTheApiReachesTheScoringFunction() {
        Map<String, Object> events = map(properties(map(template.resources().get("ScoringFunction"))).get("Events"));
        assertEquals(1, events.size(), events.toString());
        Map<String, Object> api = map(events.values().iterator().next());
        assertEquals("HttpApi", api.get("Type"));
        Map<String, Object> route = properties(api);
        assertEquals(Map.of("Ref", "PhotoscoreApi"), route.get("ApiId"));
        assertFalse(route.containsKey("Path") || route.containsKey("Method"),
                "a Path or Method would leave the demo page's paths (/, /app.js, /demo/credentials, /samples/...)"
                        + " unrouted: " + route);
    }

    /**
     * The demo is off unless the operator gives both credentials; the secret is NoEcho, and reaches the scoring
     * function only, under the variable the code reads.
     */
    @Test
    void theDemoTenantIsOffByDefaultAndOnlyTheScoringFunctionGetsIt() {
        Map<String, Object> parameters = template.section("Parameters");
        assertEquals("", map(parameters.get("DemoClientId")).get("Default"));
        assertEquals("", map(parameters.get("DemoClientSecret")).get("Default"));
        assertEquals(true, map(parameters.get("DemoClientSecret")).get("NoEcho"));
        assertTrue(template.section("Rules").containsKey("DemoNeedsBothCredentials"));
        Map<String, Object> variables = environment("ScoringFunction");
        assertEquals(Map.of("Ref", "DemoClientId"), variables.get(LambdaEnvironment.DEMO_CLIENT_ID));
        assertEquals(Map.of("Ref", "DemoClientSecret"), variables.get(LambdaEnvironment.DEMO_CLIENT_SECRET));
        List<String> secretUses = new ArrayList<>();
        SamTemplate.walk(template.resources(), "Resources", (path, node) -> {
            if ("DemoClientSecret".equals(node.get("Ref"))) {
                secretUses.add(path);
            }
        });
        assertEquals(List.of("Resources/ScoringFunction/Properties/Environment/Variables/"
                + LambdaEnvironment.DEMO_CLIENT_SECRET), secretUses);
    }

    /** Every /opt path a function reads is a folder the layer build writes (the model pack, the demo's samples). */
    @Test
    void theLayerPathsTheFunctionsReadAreWhatTheLayerBuildWrites() throws Exception {
        Document assembly = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(
                SamTemplate.repositoryRoot().resolve("layers/model/src/assembly/model-layer.xml").toFile());
        Set<String> written = new HashSet<>();
        NodeList outputs = assembly.getElementsByTagName("outputDirectory");
        for (int i = 0; i < outputs.getLength(); i++) {
            written.add("/opt/" + outputs.item(i).getTextContent().trim());
        }
        assertEquals("/opt/samples", environment("ScoringFunction").get(LambdaEnvironment.SAMPLES_DIR));
        template.resourcesOfType(FUNCTION).keySet().forEach(id -> environment(id).forEach((name, value) -> {
            if (value instanceof String path && path.startsWith("/opt/")) {
                assertTrue(written.contains(path), id + " " + name + "=" + path + " but the layer has " + written);
            }
        }));
    }

    private static Map<String, Object> environment(String function) {
        return map(map(properties(map(template.resources().get(function))).get("Environment")).get("Variables"));
    }

    @Test
    void aFailedBillingRunLandsInAQueueThatRaisesAnAlarm() {
        Map<String, Object> billing = properties(map(template.resources().get("MonthlyBillingFunction")));
        Map<String, Object> invoke = map(billing.get("EventInvokeConfig"));
        assertEquals(2, invoke.get("MaximumRetryAttempts"));
        assertEquals(Map.of("Type", "SQS", "Destination", Map.of("Fn::GetAtt", List.of("BillingFailures", "Arn"))),
                map(map(invoke.get("DestinationConfig")).get("OnFailure")));
        assertEquals("AWS::SQS::Queue", map(template.resources().get("BillingFailures")).get("Type"));
        Map<String, Object> alarm = properties(map(template.resources().get("BillingFailedAlarm")));
        assertEquals("AWS/SQS", alarm.get("Namespace"));
        assertEquals("ApproximateNumberOfMessagesVisible", alarm.get("MetricName"));
        assertEquals(List.of(Map.of("Name", "QueueName",
                "Value", Map.of("Fn::GetAtt", List.of("BillingFailures", "QueueName")))), alarm.get("Dimensions"));
        assertEquals("GreaterThanThreshold", alarm.get("ComparisonOperator"));
        assertEquals(0, alarm.get("Threshold"));
        assertEquals(List.of(Map.of("Ref", "AlarmTopic")), alarm.get("AlarmActions"), "the operator is told");
    }

    /**
     * Metering writes a photo's record on the condition that no earlier month has one (a ConditionCheck in the
     * transaction), so every role that puts usage records may check them too.
     */
    @Test
    void whoeverPutsUsageRecordsMayCheckEarlierMonthsForThem() {
        List<String> putters = new ArrayList<>();
        SamTemplate.walk(template.resources(), "Resources", (path, node) -> {
            if ("Allow".equals(node.get("Effect"))
                    && list(node.get("Resource")).contains(Map.of("Fn::GetAtt", List.of("UsageTable", "Arn")))
                    && list(node.get("Action")).contains("dynamodb:PutItem")) {
                putters.add(path);
                assertTrue(list(node.get("Action")).contains("dynamodb:ConditionCheckItem"), path);
            }
        });
        assertEquals(3, putters.size(), "the scoring, upload and GPU roles: " + putters);
    }

    @Test
    void outputsNameTheApiBucketsAndTables() {
        assertTrue(template.section("Outputs").keySet().containsAll(List.of("ApiUrl", "UploadsBucketName",
                "ReportsBucketName", "TenantsTableName", "UsageTableName")), template.section("Outputs").keySet()
                .toString());
    }
}
