package dev.photoscore.local;

import dev.photoscore.local.service.RunningService;
import dev.photoscore.store.DynamoDbSettings;
import java.net.URI;
import picocli.CommandLine.Option;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Which DynamoDB the {@code tenants} and {@code billing} commands use, and the one way they build its client: AWS by
 * default (the SDK's region and credentials chains: environment, profile, instance role), or a DynamoDB Local, given
 * by {@code --endpoint} or found with {@code --local} in the note of the running {@code serve}. A DynamoDB Local gets
 * the fixed region and dummy credentials it accepts, so neither chain is asked (no AWS variables, no profile, no EC2
 * metadata service).
 */
final class DynamoDbOptions {

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "A DynamoDB Local, e.g. the one serve prints (http://127.0.0.1:PORT); no AWS credentials or"
                    + " region needed.")
    URI endpoint;

    @Option(names = "--local",
            description = "The DynamoDB Local of the serve running on this machine (found in ~/.photoscore/"
                    + RunningService.FILE_NAME + ").")
    boolean local;

    @Option(names = "--region", paramLabel = "REGION",
            description = "AWS region (default: the SDK's chain: AWS_REGION, the profile, ...).")
    String region;

    /** True when the commands talk to a DynamoDB Local rather than AWS. */
    boolean isLocal() {
        return local || endpoint != null;
    }

    /** A client for these options on top of the given timeouts and retries; the caller closes it. */
    DynamoDbClient newClient(DynamoDbSettings.Builder settings) {
        if (local && endpoint != null) {
            throw new IllegalArgumentException("give --local or --endpoint, not both");
        }
        if (isLocal()) {
            settings.localEndpoint(local ? RunningService.find(RunningService.defaultFile()).dynamoDb() : endpoint);
        }
        if (region != null) {
            settings.region(Region.of(region));
        }
        return settings.build().newClient();
    }
}
