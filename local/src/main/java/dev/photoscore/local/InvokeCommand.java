package dev.photoscore.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.photoscore.local.service.RunningService;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code invoke FUNCTION -e EVENT}: one of the template's Lambda functions on an event, on this machine and without
 * Docker, the way {@code sam local invoke} runs it: a fresh JVM ({@link LambdaRuntime}) with the function's handler
 * and environment, against a DynamoDB Local and an S3-compatible server. The handler is loaded by the name the
 * template gives it, so the command line does not depend on the Lambda adapter's classes, only ships them.
 */
@Command(name = "invoke", mixinStandardHelpOptions = true,
        description = "Runs a Lambda function of the SAM template (ScoringFunction, UploadFunction,"
                + " MonthlyBillingFunction) on an event file, locally and without Docker, as sam local invoke does;"
                + " prints its answer as JSON (the function's logs go to stderr).")
final class InvokeCommand implements Callable<Integer> {

    /** The region the functions see when this machine names none, as for sam local invoke. */
    static final String DEFAULT_REGION = "us-east-1";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "FUNCTION", description = "The function's logical id in the template.")
    String function;

    @Option(names = {"-e", "--event"}, required = true, paramLabel = "FILE",
            description = "The event, e.g. events/quality-post-multipart.json.")
    Path event;

    @Option(names = {"-t", "--template"}, paramLabel = "FILE", defaultValue = "template.yaml",
            description = "The SAM template (default: ${DEFAULT-VALUE}).")
    Path template;

    @Option(names = "--env-vars", paramLabel = "FILE",
            description = "Values of the function's variables, as for sam local: {\"FUNCTION\": {\"NAME\": \"value\"}}"
                    + " or {\"Parameters\": {...}} for every function, e.g. events/sam-local-env.json.")
    Path envVars;

    @Option(names = "--model-dir", paramLabel = "DIR",
            description = "The model pack, for the layer's /opt/models (default: MODEL_DIR, or the one the build made).")
    Path modelDir;

    @Option(names = "--dynamodb-endpoint", paramLabel = "URL",
            description = "A DynamoDB Local, e.g. the one serve prints (default: the serve running on this machine,"
                    + " found in ~/.photoscore/" + RunningService.FILE_NAME + ").")
    URI dynamoDbEndpoint;

    @Option(names = "--s3-endpoint", paramLabel = "URL",
            description = "An S3-compatible server, e.g. http://127.0.0.1:9090 (default: AWS's S3, with the"
                    + " credentials of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).")
    URI s3Endpoint;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (!Files.isRegularFile(event)) {
            throw new IllegalArgumentException("no event file " + event);
        }
        SamFunction lambda = SamFunction.read(template, function);
        Map<String, String> environment = environment(lambda,
                envVars != null ? JSON.readTree(envVars.toFile()) : JSON.createObjectNode());
        environment.put("MODEL_DIR", (modelDir != null ? modelDir : ModelDirs.defaultModelDir()).toString());
        environment.put("DYNAMODB_ENDPOINT", (dynamoDbEndpoint != null ? dynamoDbEndpoint
                : RunningService.find(RunningService.defaultFile()).dynamoDb()).toString());
        // Lambda always sets the region; sam local invoke takes the profile's or this default.
        if (System.getenv("AWS_REGION") == null) {
            environment.put("AWS_REGION", DEFAULT_REGION);
        }
        if (s3Endpoint != null) {
            environment.put("AWS_ENDPOINT_URL_S3", s3Endpoint.toString());
        }
        // DynamoDB Local and S3-compatible servers take any credentials; AWS's S3 gets this machine's from the
        // environment variables.
        if (System.getenv("AWS_ACCESS_KEY_ID") == null) {
            environment.put("AWS_ACCESS_KEY_ID", "local");
            environment.put("AWS_SECRET_ACCESS_KEY", "local");
        }
        return run(lambda, environment);
    }

    /** sam local's rule: the file sets only variables the function declares, its own entry over Parameters. */
    static Map<String, String> environment(SamFunction lambda, JsonNode envVars) {
        Map<String, String> environment = new LinkedHashMap<>(lambda.values());
        for (JsonNode values : List.of(envVars.path("Parameters"), envVars.path(lambda.name()))) {
            for (Map.Entry<String, JsonNode> value : values.properties()) {
                if (lambda.variables().contains(value.getKey())) {
                    environment.put(value.getKey(), value.getValue().asText());
                }
            }
        }
        return environment;
    }

    private int run(SamFunction lambda, Map<String, String> environment) throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path result = Files.createTempFile("photoscore-invoke-", ".json");
        try {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            // This JVM's DJL settings (offline, cache), for the same engine files.
            System.getProperties().stringPropertyNames().stream()
                    .filter(name -> name.startsWith("ai.djl.") || name.startsWith("DJL_"))
                    .forEach(name -> command.add("-D" + name + "=" + System.getProperty(name)));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), LambdaRuntime.class.getName(),
                    lambda.handler(), event.toAbsolutePath().toString(), result.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            try (BufferedReader logs = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = logs.readLine(); line != null; line = logs.readLine()) {
                    err.println(line);
                }
            }
            int status = process.waitFor();
            err.flush();
            if (Files.size(result) == 0) {
                throw new IllegalStateException("the function " + lambda.name() + " ended with status " + status
                        + " and no answer (its logs above say why)");
            }
            out.println(Files.readString(result));
            out.flush();
            return status == 0 ? 0 : 1;
        } finally {
            Files.deleteIfExists(result);
        }
    }
}
